"""A payout run's hold on its schemes' budgets: reserved when it is calculated, committed when it
is approved, released when it is cancelled.

Budget rows are locked in primary-key order after the run's own row, and every change is a
conditional UPDATE, so two runs finishing or approved at once cannot overspend; the database's
`budget_never_exceeded` check stands behind both.
"""

# The SQL here is assembled from constants only; every value travels as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import F, Sum

from ..models import Budget, PayoutLine, PayoutRun

ZERO = Decimal("0.00")
HELD_STATUSES = (
    PayoutLine.Status.HELD_BUDGET,
    PayoutLine.Status.HELD_ATTENDANCE,
    PayoutLine.Status.HELD_ACCOUNT,
)

# Paid first: lines carried or adjusted from earlier runs, then the earliest start, then the
# lowest subject id. Held first is the reverse: latest start, then highest id.
PAY_ORDER = (
    "(adjusts_id IS NULL), starts_on ASC NULLS FIRST, "
    "split_part(subject, ':', 2)::bigint ASC, subject ASC"
)
HOLD_OVER_BUDGET_SQL = f"""
WITH ordered AS (
    SELECT id, sum(amount) OVER (ORDER BY {PAY_ORDER} ROWS UNBOUNDED PRECEDING) AS running
    FROM subsidies_payoutline
    WHERE run_id = %(run)s AND scheme_id = %(scheme)s AND status = 'payable'
)
UPDATE subsidies_payoutline l SET status = 'held_budget'
FROM ordered o
WHERE l.id = o.id AND o.running > %(available)s
"""


class BudgetChanged(Exception):
    """A conditional budget update found the row not as the locked read said (a bug if seen)."""


def lock_budgets(run: PayoutRun) -> dict[int, Budget]:
    """The run's schemes' budgets for its year, locked in id order; keyed by scheme id."""
    budgets = (
        Budget.objects.select_for_update()
        .filter(scheme__in=run.schemes.all(), year=run.period.year)
        .order_by("pk")
    )
    return {budget.scheme_id: budget for budget in budgets}


def hold_over_budget(run: PayoutRun, scheme_id: int, available: Decimal) -> None:
    """Hold the payable lines that do not fit in `available`, latest start first."""
    with connection.cursor() as cursor:
        cursor.execute(
            HOLD_OVER_BUDGET_SQL,
            {"run": run.pk, "scheme": scheme_id, "available": max(available, ZERO)},
        )


def payable_by_scheme(run: PayoutRun) -> dict[int, Decimal]:
    """What the run pays per scheme: the sum of its payable lines, never below 0."""
    rows = (
        run.lines.filter(status=PayoutLine.Status.PAYABLE)
        .values("scheme_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["scheme_id"]: max(row["total"], ZERO) for row in rows}


def _update(budget: Budget, condition: dict, **changes) -> None:
    updated = Budget.objects.filter(pk=budget.pk, **condition).update(**changes)
    if updated != 1:
        raise BudgetChanged(f"budget {budget.pk} changed under its lock")


def reserve(budget: Budget, amount: Decimal) -> None:
    if amount:
        _update(
            budget,
            {"amount__gte": F("reserved") + F("committed") + amount},
            reserved=F("reserved") + amount,
        )


def release(budget: Budget, amount: Decimal) -> None:
    if amount:
        _update(budget, {"reserved__gte": amount}, reserved=F("reserved") - amount)


def commit(budget: Budget, amount: Decimal) -> None:
    if amount:
        _update(
            budget,
            {"reserved__gte": amount},
            reserved=F("reserved") - amount,
            committed=F("committed") + amount,
        )
