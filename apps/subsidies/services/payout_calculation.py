"""Calculating a payout run: split it into chunks, compute each chunk set-based, then total the
run and reserve its budgets.

Every step is safe to repeat and to run on any number of workers at once:
- a chunk locks its own row, and does nothing once done or once the run has left
  `calculating` (cancelled, approved, ...); its lines, its done mark and the run's counter
  commit together, so a worker killed half-way leaves nothing behind;
- a line can exist once (unique run + scheme + subject; the INSERTs skip lines already there);
- finalising locks the run, then its budgets in id order, and only moves a run whose chunks are
  all done from `calculating` to `calculated`.
"""

# The SQL here is assembled from constants only; every value travels as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from apps.core.services import audit_record

from ..models import PayoutChunk, PayoutLine, PayoutRun
from . import payout_budget, payout_dispatch
from .payout_sql import insert_lines, month_params

logger = logging.getLogger(__name__)

CHUNK_SIZE = 5000
Kind = PayoutChunk.Kind

# The ids each chunk kind splits, as one SELECT per kind returning them.
_COVERED = """
    SELECT sp.programme_id FROM subsidies_subsidyscheme_programmes sp
    JOIN subsidies_payoutrun_schemes rs ON rs.subsidyscheme_id = sp.subsidyscheme_id
    JOIN subsidies_subsidyscheme s ON s.id = sp.subsidyscheme_id
    WHERE rs.payoutrun_id = %(run)s AND s.kind = ANY(%(kinds)s)
"""
PLAN_IDS = {
    Kind.ENROLMENTS: f"""
        SELECT e.id FROM admissions_enrolment e
        WHERE e.start_date <= %(last_day)s
          AND (e.end_date IS NULL OR e.end_date >= %(first_day)s)
          AND e.programme_id IN ({_COVERED})""",
    Kind.AGREEMENTS: f"""
        SELECT pa.id FROM employers_placeagreement pa
        WHERE pa.payment_mode = 'per_place' AND pa.programme_id IN ({_COVERED})
          AND date_trunc('month', pa.start_month) <= %(first_day)s
          AND (pa.end_month IS NULL OR date_trunc('month', pa.end_month) >= %(first_day)s)""",
    Kind.EMPLOYERS: f"""
        SELECT DISTINCT p.lead_employer_id FROM employers_programme p
        WHERE p.lead_employer_id IS NOT NULL AND p.status = 'approved'
          AND p.id IN ({_COVERED})""",
    Kind.CARRIED: """
        SELECT o.id FROM subsidies_payoutline o
        JOIN subsidies_payoutrun r ON r.id = o.run_id
        JOIN subsidies_payoutrun_schemes rs
          ON rs.payoutrun_id = %(run)s AND rs.subsidyscheme_id = o.scheme_id
        WHERE o.status IN ('held_budget', 'held_account') AND r.kind = %(run_kind)s
          AND r.status IN ('approved', 'exported', 'paid') AND r.period < %(first_day)s""",
}
CHUNK_KINDS = {
    PayoutRun.Kind.MONTHLY: [
        (Kind.ENROLMENTS, ["monthly_subsidy", "employer_fee_part"]),
        (Kind.AGREEMENTS, ["employer_fee_part"]),
        (Kind.CARRIED, []),
    ],
    PayoutRun.Kind.GRANT_ROUND: [(Kind.EMPLOYERS, ["unit_grant"]), (Kind.CARRIED, [])],
}
BUCKETS_SQL = """
SELECT min(id), max(id) FROM (
    SELECT id, (row_number() OVER (ORDER BY id) - 1) / %(size)s AS bucket FROM ({ids}) ids(id)
) numbered
GROUP BY bucket ORDER BY bucket
"""


def _ranges(run: PayoutRun, chunk_kind: str, scheme_kinds: list[str], size: int):
    params = {
        "run": run.pk,
        "run_kind": run.kind,
        "kinds": scheme_kinds,
        "size": size,
        **month_params(run.period),
    }
    with connection.cursor() as cursor:
        cursor.execute(BUCKETS_SQL.format(ids=PLAN_IDS[chunk_kind]), params)
        buckets = cursor.fetchall()
    # Contiguous ranges: an id that becomes eligible between two buckets is still in one.
    ranges, first = [], None
    for low, high in buckets:
        ranges.append((low if first is None else first, high))
        first = high + 1
    return ranges


def payout_chunks_plan(*, run: PayoutRun, chunk_size: int = CHUNK_SIZE) -> list[PayoutChunk]:
    """Create the run's chunks (a few thousand ids each) and set its chunk count."""
    chunks = []
    for chunk_kind, scheme_kinds in CHUNK_KINDS[run.kind]:
        for first_id, last_id in _ranges(run, chunk_kind, scheme_kinds, chunk_size):
            number = len(chunks) + 1
            chunks.append(
                PayoutChunk(
                    run=run, number=number, kind=chunk_kind, first_id=first_id, last_id=last_id
                )
            )
    PayoutChunk.objects.bulk_create(chunks)
    run.chunks_total = len(chunks)
    run.save(update_fields=["chunks_total"])
    return chunks


def payout_chunk_compute(*, chunk_id: int, queue: str | None = None) -> int:
    """Compute one chunk's lines; returns how many were written (0 when there was nothing to
    do: done already, or the run is no longer calculating). Enqueues the final step after the
    last chunk commits."""
    with transaction.atomic():
        chunk = (
            PayoutChunk.objects.select_for_update(of=("self",))
            .select_related("run")
            .filter(pk=chunk_id)
            .first()
        )
        if chunk is None or chunk.done_at is not None:
            return 0
        run = chunk.run
        if run.status != PayoutRun.Status.CALCULATING:
            return 0
        written = insert_lines(
            run_id=run.pk,
            run_kind=run.kind,
            period=run.period,
            chunk_kind=chunk.kind,
            first_id=chunk.first_id,
            last_id=chunk.last_id,
        )
        now = timezone.now()
        PayoutChunk.objects.filter(pk=chunk.pk).update(done_at=now, lines=written)
        progress = _count_chunk_done(run.pk, now)
        if progress is None:  # cancelled or finished meanwhile: write nothing
            transaction.set_rollback(True)
            return 0
        done, total = progress
        if done == total:
            payout_dispatch.send_finalize(run.pk, queue=queue)
    logger.info(
        "payout chunk computed",
        extra={"run": run.pk, "chunk": chunk.number, "lines": written, "done": done},
    )
    return written


def _count_chunk_done(run_id: int, now) -> tuple[int, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE subsidies_payoutrun SET chunks_done = chunks_done + 1, progressed_at = %s "
            "WHERE id = %s AND status = 'calculating' RETURNING chunks_done, chunks_total",
            [now, run_id],
        )
        return cursor.fetchone()


def payout_run_finalize(*, run_id: int) -> bool:
    """Hold what the budgets cannot cover, reserve the rest, total the run and mark it
    calculated. Returns False when there was nothing to do (not all chunks done, or done
    already)."""
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != PayoutRun.Status.CALCULATING:
            return False
        if run.chunks_done < run.chunks_total:
            return False
        budgets = payout_budget.lock_budgets(run)
        for scheme_id in run.schemes.order_by("pk").values_list("pk", flat=True):
            budget = budgets.get(scheme_id)
            # No budget for the year: nothing can be paid, every payable line is held.
            available = budget.available if budget else Decimal("0.00")
            payout_budget.hold_over_budget(run, scheme_id, available)
        for scheme_id, amount in payout_budget.payable_by_scheme(run).items():
            if scheme_id in budgets:
                payout_budget.reserve(budgets[scheme_id], amount)
        _close_calculation(run)
    return True


def _close_calculation(run: PayoutRun) -> None:
    totals = dict(
        run.lines.filter(status__in=[PayoutLine.Status.PAYABLE, *payout_budget.HELD_STATUSES])
        .values_list("status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    payable = totals.pop(PayoutLine.Status.PAYABLE, None) or Decimal("0.00")
    now = timezone.now()
    run.total_amount = payable
    run.held_amount = sum(totals.values(), Decimal("0.00"))
    run.status = PayoutRun.Status.CALCULATED
    run.calculated_at = run.progressed_at = now
    run.save(
        update_fields=["total_amount", "held_amount", "status", "calculated_at", "progressed_at"]
    )
    audit_record(
        actor=None,
        action="payout_run.calculate",
        target=run,
        from_state=PayoutRun.Status.CALCULATING,
        to_state=PayoutRun.Status.CALCULATED,
        changes={"total": str(run.total_amount), "held": str(run.held_amount)},
    )
