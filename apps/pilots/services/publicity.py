"""Publicity (公示): the recommended units are shown for at least five working days, anyone may
object by name, union staff resolve each objection, and only then are results published."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.services import audit_record, notice_send
from apps.core.validators import normalize_mobile, validate_mobile

from ..errors import PilotCode, PilotError, conflict
from ..models import NOMINATION_LEVELS, Application, EvaluationRound, Objection, UnitResult
from ..workdays import publicity_end_for
from .common import lock_round, require_status, today_or

Status = EvaluationRound.Status
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 2000
# A landline as Chinese offices write it: area code and number, e.g. 0315-7600000.
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def _date(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


@transaction.atomic
def round_publicity_start(
    *, round: EvaluationRound, actor, start: date | None = None, today: date | None = None
) -> EvaluationRound:
    """Show the recommended units from `start` (today or later) for five working days."""
    round = lock_round(round)
    require_status(round, Status.EVALUATED)
    today = today_or(today)
    start = start or today
    if start < today:
        raise PilotError.for_field("start", _("Publicity cannot start in the past."))
    round.publicity_start, round.publicity_end = start, publicity_end_for(start)
    before, round.status = round.status, Status.PUBLICITY
    round.save()
    audit_record(
        actor=actor,
        action="pilot_round.publicity_start",
        target=round,
        from_state=before,
        to_state=round.status,
        changes={"start": start.isoformat(), "end": round.publicity_end.isoformat()},
    )
    return round


def publicity_is_running(round: EvaluationRound, today: date) -> bool:
    return (
        round.status == Status.PUBLICITY and round.publicity_start <= today <= round.publicity_end
    )


def _clean_contact(contact: str) -> str:
    contact = (contact or "").strip()
    if _LANDLINE.fullmatch(contact):
        return contact
    try:
        validate_email(contact)
        return contact
    except ValidationError:
        pass
    try:
        validate_mobile(contact)
    except ValidationError:
        raise PilotError.for_field(
            "contact", _("Give a mobile number, a landline (e.g. 0315-7600000) or an email.")
        ) from None
    return normalize_mobile(contact)


def _clean_objection(full_name: str, reason: str) -> tuple[str, str]:
    full_name, reason = (full_name or "").strip(), (reason or "").strip()
    if not 2 <= len(full_name) <= 50:
        raise PilotError.for_field("full_name", _("Give your real full name."))
    if not REASON_MIN_LENGTH <= len(reason) <= REASON_MAX_LENGTH:
        raise PilotError.for_field(
            "reason",
            _("Explain the objection in %(min)d to %(max)d characters.")
            % {"min": REASON_MIN_LENGTH, "max": REASON_MAX_LENGTH},
        )
    return full_name, reason


@transaction.atomic
def objection_lodge(
    *,
    round: EvaluationRound,
    full_name: str,
    contact: str,
    reason: str,
    application: Application | None = None,
    today: date | None = None,
) -> Objection:
    """Anyone may object during publicity, giving their real name, a contact and a reason."""
    full_name, reason = _clean_objection(full_name, reason)
    contact = _clean_contact(contact)
    round = lock_round(round)
    if not publicity_is_running(round, today_or(today)):
        raise conflict(
            _("Objections are accepted only while the publicity notice runs."),
            code=PilotCode.INVALID_STATE,
        )
    if (
        application is not None
        and not UnitResult.objects.filter(
            round=round, application=application, recommended=True
        ).exists()
    ):
        raise PilotError.for_field("application", _("Choose one of the units in this notice."))
    objection = Objection.objects.create(
        round=round, application=application, full_name=full_name, contact=contact, reason=reason
    )
    # Neither the name nor the contact goes into the audit trail.
    audit_record(
        actor=None,
        action="pilot_objection.lodge",
        target=objection,
        to_state=objection.status,
        changes={"application": application.pk if application else None},
    )
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, actor, outcome: str, resolution: str) -> Objection:
    """Record how an objection was resolved (upheld or dismissed, and what was done)."""
    round = lock_round(objection.round)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if round.status == Status.PUBLISHED:
        raise conflict(_("The results are already published."), code=PilotCode.INVALID_STATE)
    if objection.status != Objection.Status.OPEN:
        raise conflict(_("This objection is already resolved."), code=PilotCode.INVALID_STATE)
    if outcome not in Objection.Outcome.values:
        raise PilotError.for_field("outcome", _("Choose upheld or dismissed."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise PilotError.for_field("resolution", _("Say how the objection was resolved."))
    objection.status, objection.outcome, objection.resolution = "resolved", outcome, resolution
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save()
    audit_record(
        actor=actor,
        action="pilot_objection.resolve",
        target=objection,
        from_state="open",
        to_state=outcome,
        reason=resolution,
    )
    return objection


@transaction.atomic
def round_publish(*, round: EvaluationRound, actor, today: date | None = None) -> EvaluationRound:
    """Publish after the publicity period has ended and every objection is resolved."""
    round = lock_round(round)
    require_status(round, Status.PUBLICITY)
    today = today_or(today)
    if today <= round.publicity_end:
        raise conflict(
            _("The publicity period runs until %(end)s; results can be published from %(next)s.")
            % {
                "end": _date(round.publicity_end),
                "next": _date(round.publicity_end + timedelta(1)),
            },
            code=PilotCode.PUBLICITY_NOT_OVER,
        )
    still_open = round.objections.filter(status=Objection.Status.OPEN).count()
    if still_open:
        raise conflict(
            _("%(count)d objections are not resolved yet.") % {"count": still_open},
            code=PilotCode.OBJECTIONS_OPEN,
        )
    if round.level in NOMINATION_LEVELS:
        round.results.filter(recommended=True).update(decision=UnitResult.Decision.PENDING)
    before, round.status, round.published_at = round.status, Status.PUBLISHED, timezone.now()
    round.save()
    audit_record(
        actor=actor,
        action="pilot_round.publish",
        target=round,
        from_state=before,
        to_state=round.status,
    )
    _tell_units(round)
    return round


def _tell_units(round: EvaluationRound) -> None:
    applications = round.applications.filter(status=Application.Status.SUBMITTED)
    for application in applications.prefetch_related("employer__admins__user"):
        for link in application.employer.admins.all():
            notice_send(
                recipient=link.user,
                title=gettext_lazy("Pilot-unit selection results are published"),
                link="/pilots/",
            )


@transaction.atomic
def result_record_decision(
    *, result: UnitResult, actor, decision: str, decided_on: date, note: str = ""
) -> UnitResult:
    """Record Tangshan's or Hebei's decision on a nominated unit, with its date."""
    round = lock_round(result.round)
    result = UnitResult.objects.select_for_update().get(pk=result.pk)
    require_status(round, Status.PUBLISHED)
    if round.level not in NOMINATION_LEVELS or not result.recommended:
        raise conflict(
            _("Only a unit nominated to a higher level awaits its decision."),
            code=PilotCode.INVALID_STATE,
        )
    if decision not in (UnitResult.Decision.APPROVED, UnitResult.Decision.NOT_APPROVED):
        raise PilotError.for_field("decision", _("Choose approved or not approved."))
    published_on = timezone.localdate(round.published_at)
    if not published_on <= decided_on <= timezone.localdate():
        raise PilotError.for_field(
            "decided_on",
            _("The decision date must be between %(start)s and today.")
            % {"start": _date(published_on)},
        )
    before = result.decision
    result.decision, result.decision_on, result.decision_note = decision, decided_on, note.strip()
    result.save(update_fields=["decision", "decision_on", "decision_note"])
    audit_record(
        actor=actor,
        action="pilot_result.decision",
        target=result,
        from_state=before,
        to_state=decision,
        changes={"decided_on": decided_on.isoformat()},
        reason=result.decision_note,
    )
    return result
