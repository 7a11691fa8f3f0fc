"""Payout reads, for union staff only (everybody else sees no run): runs with their progress,
lines, and the per-run report by scheme, funder, employer and centre."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from apps.accounts.models import Role

from ..models import PayoutLine, PayoutRun

HELD = ["held_budget", "held_attendance", "held_account"]
PAID_OUT = ["paid"]
PAYABLE = ["payable", "paid", "unmatched"]
# (report section, the line field grouped on, the field naming it)
DIMENSIONS = [
    ("scheme", "scheme_id", "scheme__name"),
    ("funder", "funder", None),
    ("employer", "employer_id", "employer__name"),
    ("centre", "centre_id", "centre__name"),
]


def _is_union_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.UNION_STAFF)


def payout_run_list(*, user) -> QuerySet[PayoutRun]:
    """Every run for union staff, newest period first; nothing for anyone else."""
    runs = PayoutRun.objects.select_related("started_by", "approved_by")
    return runs if _is_union_staff(user) else runs.none()


def payout_line_list(
    *, user, run: PayoutRun, status: str | None = None, scheme: int | None = None
) -> QuerySet[PayoutLine]:
    """A run's lines (union staff only), with their scheme, payee and account for display."""
    if not _is_union_staff(user):
        return PayoutLine.objects.none()
    lines = run.lines.select_related("scheme", "member", "centre", "employer", "bank_account")
    if status:
        lines = lines.filter(status=status)
    if scheme:
        lines = lines.filter(scheme_id=scheme)
    return lines.order_by("id")


def _totals() -> dict:
    return {
        "lines": Count("id"),
        "payable": Sum("amount", filter=Q(status__in=PAYABLE), default=Decimal("0.00")),
        "held": Sum("amount", filter=Q(status__in=HELD), default=Decimal("0.00")),
        "paid": Sum("amount", filter=Q(status__in=PAID_OUT), default=Decimal("0.00")),
    }


def payout_run_report(run: PayoutRun) -> dict[str, list[dict]]:
    """Totals of the run's lines by scheme, funder, employer and centre: one query each.
    `payable` counts what the run pays (payable, paid or unmatched lines), `held` what it holds."""
    funder_names = dict(PayoutLine._meta.get_field("funder").choices)
    report = {}
    for section, key, name in DIMENSIONS:
        fields = [key, name] if name else [key]
        rows = run.lines.values(*fields).annotate(**_totals()).order_by(key)
        report[section] = [
            {
                "key": row[key],
                "name": row[name] if name else str(funder_names.get(row[key], row[key])),
                "lines": row["lines"],
                "payable": row["payable"],
                "held": row["held"],
                "paid": row["paid"],
            }
            for row in rows
        ]
    return report


def payout_status_counts(run: PayoutRun) -> dict[str, dict]:
    """Lines and amount per line status, for the run's page."""
    rows = run.lines.values("status").annotate(lines=Count("id"), amount=Sum("amount"))
    return {row["status"]: {"lines": row["lines"], "amount": row["amount"]} for row in rows}
