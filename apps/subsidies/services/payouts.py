"""A payout run's life: started (calculating) → calculated → approved by a second union staff
member → exported → paid, or cancelled from calculated. Every step is audited; an approved run
is never recomputed or changed (`payout_run_ensure_changeable`), a correction is an adjustment
line in a later run (`payout_adjustment_add`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.admissions.models import Attendance
from apps.core.health import broker_ok
from apps.core.services import audit_record, notice_send

from ..models import PayoutLine, PayoutRun, SubsidyScheme
from ..rules import month_bounds
from . import payout_budget, payout_dispatch
from .payout_calculation import CHUNK_SIZE, payout_chunks_plan
from .refusals import SubsidyCode, SubsidyError, conflict, required_reason

Status = PayoutRun.Status
LOCKED_STATUSES = (Status.APPROVED, Status.EXPORTED, Status.PAID)
SCHEME_KINDS = {
    PayoutRun.Kind.MONTHLY: [
        SubsidyScheme.Kind.MONTHLY_SUBSIDY,
        SubsidyScheme.Kind.EMPLOYER_FEE_PART,
    ],
    PayoutRun.Kind.GRANT_ROUND: [SubsidyScheme.Kind.UNIT_GRANT],
}
STUCK_AFTER = timedelta(minutes=10)


class PayoutCode(StrEnum):
    LOCKED = "payout_run_locked"
    INVALID_STATE = "invalid_state"
    FOUR_EYES = "four_eyes"
    NO_SCHEME = "no_scheme"
    ALREADY_CARRIED = "already_carried"


def _locked_error(run: PayoutRun) -> SubsidyError:
    message = _(
        "Payout run %(run)s is %(status)s: an approved run is never changed. Correct it with an "
        "adjustment in a later run."
    ) % {"run": run.pk, "status": run.get_status_display()}
    return SubsidyError(
        message, code=PayoutCode.LOCKED, fields={"status": [message]}, status_code=409
    )


def payout_run_ensure_changeable(run: PayoutRun) -> None:
    """The one guard: refuse (409 `payout_run_locked`) any change to an approved run."""
    if run.status in LOCKED_STATUSES:
        raise _locked_error(run)


def _require_status(run: PayoutRun, *allowed: str) -> None:
    payout_run_ensure_changeable(run)
    if run.status not in allowed:
        message = _("Payout run %(run)s is %(status)s; this needs a run that is %(allowed)s.") % {
            "run": run.pk,
            "status": run.get_status_display(),
            "allowed": " / ".join(str(Status(s).label) for s in allowed),
        }
        raise conflict(message)


def _lock(run: PayoutRun) -> PayoutRun:
    return PayoutRun.objects.select_for_update().get(pk=run.pk)


def is_stuck(run: PayoutRun, *, now=None) -> bool:
    """Calculating with no chunk finished for 10 minutes: union staff should resume it."""
    now = now or timezone.now()
    return run.status == Status.CALCULATING and run.progressed_at < now - STUCK_AFTER


def applicable_schemes(kind: str, period: date):
    first_day, last_day = month_bounds(period)
    return SubsidyScheme.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
        kind__in=SCHEME_KINDS[kind],
        is_active=True,
        valid_from__lte=last_day,
    ).order_by("pk")


def _check_period(kind: str, period: date) -> list:
    if period.day != 1:
        raise SubsidyError.for_field("period", _("Give the period as YYYY-MM."))
    if period > timezone.localdate().replace(day=1):
        raise SubsidyError.for_field(
            "period", _("%(period)s has not begun yet.") % {"period": f"{period:%Y-%m}"}
        )
    schemes = list(applicable_schemes(kind, period))
    if not schemes:
        message = _("No active scheme of this kind pays for %(period)s.") % {
            "period": f"{period:%Y-%m}"
        }
        raise SubsidyError(message, code=PayoutCode.NO_SCHEME, fields={"period": [message]})
    return schemes


def live_run(kind: str, period: date) -> PayoutRun | None:
    return (
        PayoutRun.objects.exclude(status=Status.CANCELLED).filter(kind=kind, period=period).first()
    )


@transaction.atomic
def payout_run_start(
    *,
    kind: str,
    period: date,
    actor,
    chunk_size: int = CHUNK_SIZE,
    queue: str | None = None,
    send: bool = True,
) -> tuple[PayoutRun, bool]:
    """Start the run of `kind` for `period`, or return the live one already there (created:
    False; nothing is recomputed). Its chunk tasks are sent once this transaction commits
    (`send=False`: the caller computes the chunks itself, as the demo data does)."""
    existing = live_run(kind, period)
    if existing is not None:
        return existing, False
    schemes = _check_period(kind, period)
    if send:
        _require_queue()
    try:
        with transaction.atomic():
            run = PayoutRun.objects.create(kind=kind, period=period, started_by=actor)
    except IntegrityError:  # started at the same moment by someone else: theirs is the run
        return live_run(kind, period), False
    run.schemes.set(schemes)
    chunks = payout_chunks_plan(run=run, chunk_size=chunk_size)
    audit_record(
        actor=actor,
        action="payout_run.start",
        target=run,
        to_state=run.status,
        changes={"period": f"{period:%Y-%m}", "kind": kind, "chunks": len(chunks)},
    )
    if send:
        _send_remaining(run, queue=queue)
    return run, True


def _require_queue() -> None:
    # Refused before anything is written: a run that could not reach the workers would only
    # sit as "calculating" until someone noticed it was stuck.
    if not broker_ok():
        raise SubsidyError(
            _(
                "The calculation queue is unavailable, so the run was not started; "
                "try again in a few minutes."
            ),
            code=SubsidyCode.QUEUE_UNAVAILABLE,
            status_code=503,
        )


def _send_remaining(run: PayoutRun, *, queue: str | None = None) -> int:
    pending = list(run.chunks.filter(done_at__isnull=True).values_list("pk", flat=True))
    if pending:
        payout_dispatch.send_chunks(pending, queue=queue)
    else:
        payout_dispatch.send_finalize(run.pk, queue=queue)
    return len(pending)


@transaction.atomic
def payout_run_resume(*, run: PayoutRun, actor, queue: str | None = None) -> PayoutRun:
    """Send the chunks not done again (or the final step, if all are); harmless if they were
    still running, since a done chunk does nothing."""
    run = _lock(run)
    _require_status(run, Status.CALCULATING)
    _require_queue()
    pending = _send_remaining(run, queue=queue)
    run.progressed_at = timezone.now()
    run.save(update_fields=["progressed_at"])
    audit_record(
        actor=actor,
        action="payout_run.resume",
        target=run,
        from_state=run.status,
        to_state=run.status,
        changes={"chunks_resent": pending, "chunks_done": run.chunks_done},
    )
    return run


def _four_eyes(run: PayoutRun, actor) -> None:
    if run.started_by_id is not None and run.started_by_id == getattr(actor, "pk", None):
        message = _(
            "You started payout run %(run)s, so another union staff member must approve it."
        ) % {"run": run.pk}
        raise SubsidyError(
            message,
            code=PayoutCode.FOUR_EYES,
            fields={"approved_by": [message]},
            status_code=403,
        )


CARRY_SQL = """
UPDATE subsidies_payoutline o SET status = 'carried'
FROM subsidies_payoutline c
WHERE c.run_id = %s AND c.adjusts_id = o.id AND c.subject LIKE 'line:%%'
  AND o.status IN ('held_budget', 'held_account')
"""


def _mark_carried(run: PayoutRun) -> None:
    carried = run.lines.filter(subject__startswith="line:").count()
    with connection.cursor() as cursor:
        cursor.execute(CARRY_SQL, [run.pk])
        marked = cursor.rowcount
    if marked != carried:
        message = _(
            "Some held lines this run brings forward were paid by another run meanwhile; cancel "
            "payout run %(run)s and start it again."
        ) % {"run": run.pk}
        raise SubsidyError(
            message, code=PayoutCode.ALREADY_CARRIED, fields={"status": [message]}, status_code=409
        )


@transaction.atomic
def payout_run_approve(*, run: PayoutRun, actor) -> PayoutRun:
    """Approve a calculated run (never by the staff member who started it): its reserved budget
    becomes committed and the held lines it brings forward are marked carried."""
    run = _lock(run)
    _require_status(run, Status.CALCULATED)
    _four_eyes(run, actor)
    budgets = payout_budget.lock_budgets(run)
    for scheme_id, amount in payout_budget.payable_by_scheme(run).items():
        if scheme_id in budgets:
            payout_budget.commit(budgets[scheme_id], amount)
    _mark_carried(run)
    run.status, run.approved_by, run.approved_at = Status.APPROVED, actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="payout_run.approve",
        target=run,
        from_state=Status.CALCULATED,
        to_state=run.status,
        changes={"total": str(run.total_amount)},
    )
    if run.started_by is not None:
        notice_send(
            recipient=run.started_by,
            title=_("Payout run %(run)s was approved") % {"run": run},
            link=f"/dashboard/payouts/{run.pk}/",
        )
    return run


@transaction.atomic
def payout_run_cancel(*, run: PayoutRun, actor, reason: str) -> PayoutRun:
    """Cancel a calculated run: its reservations are released and the attendance months it
    used can be corrected again. Its lines stay, for the record."""
    reason = required_reason(reason)
    run = _lock(run)
    _require_status(run, Status.CALCULATED)
    budgets = payout_budget.lock_budgets(run)
    for scheme_id, amount in payout_budget.payable_by_scheme(run).items():
        if scheme_id in budgets:
            payout_budget.release(budgets[scheme_id], amount)
    Attendance.objects.filter(used_by_payout_run_id=run.pk).update(used_by_payout_run_id=None)
    run.status = Status.CANCELLED
    run.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="payout_run.cancel",
        target=run,
        from_state=Status.CALCULATED,
        to_state=run.status,
        reason=reason,
    )
    return run


@transaction.atomic
def payout_run_export(*, run: PayoutRun, actor) -> PayoutRun:
    """Mark an approved run as sent to the bank; its bank sheets can then be downloaded."""
    run = _lock(run)
    if run.status != Status.APPROVED:
        raise conflict(
            _("Only an approved run can be exported; payout run %(run)s is %(status)s.")
            % {"run": run.pk, "status": run.get_status_display()}
        )
    run.status, run.exported_at = Status.EXPORTED, timezone.now()
    run.save(update_fields=["status", "exported_at"])
    audit_record(
        actor=actor,
        action="payout_run.export",
        target=run,
        from_state=Status.APPROVED,
        to_state=run.status,
    )
    return run


@transaction.atomic
def payout_adjustment_add(
    *, run: PayoutRun, line: PayoutLine, amount: Decimal, actor, reason: str
) -> PayoutLine:
    """Correct a line of an approved run of an earlier month by an adjustment line (which may be
    negative) in `run`, a calculated run; its budget is reserved like the run's other lines."""
    reason = required_reason(reason)
    run = _lock(run)
    _require_status(run, Status.CALCULATED)
    if line.run.status not in LOCKED_STATUSES or line.run.period >= run.period:
        raise SubsidyError.for_field(
            "line", _("Only a line of an approved run of an earlier month can be adjusted.")
        )
    amount = Decimal(amount).quantize(Decimal("0.01"))
    adjustment = PayoutLine(
        run=run,
        scheme=line.scheme,
        subject=f"adjust:{line.pk}",
        adjusts=line,
        **{f: getattr(line, f) for f in ("enrolment", "payee_kind", "member", "centre")},
        **{f: getattr(line, f) for f in ("employer", "bank_account", "funder", "starts_on")},
        amount=amount,
        status=PayoutLine.Status.PAYABLE,
    )
    if PayoutLine.objects.filter(run=run, scheme=line.scheme, subject=adjustment.subject).exists():
        raise conflict(_("This line is already adjusted in this run."), field="line")
    adjustment.full_clean()
    before = payout_budget.payable_by_scheme(run).get(line.scheme_id, Decimal("0.00"))
    adjustment.save()
    _rereserve(run, line.scheme_id, before)
    run.total_amount += amount
    run.save(update_fields=["total_amount"])
    audit_record(
        actor=actor,
        action="payout_line.adjust",
        target=run,
        reason=reason,
        changes={"line": line.pk, "amount": str(amount)},
    )
    return adjustment


def _rereserve(run: PayoutRun, scheme_id: int, before: Decimal) -> None:
    after = payout_budget.payable_by_scheme(run).get(scheme_id, Decimal("0.00"))
    budget = payout_budget.lock_budgets(run).get(scheme_id)
    if after == before:
        return
    if budget is None or budget.available < after - before:
        raise SubsidyError.for_field(
            "amount", _("The scheme's budget cannot cover this adjustment.")
        )
    if after > before:
        payout_budget.reserve(budget, after - before)
    else:
        payout_budget.release(budget, before - after)
