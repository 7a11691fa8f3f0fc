"""SQL aggregates and the row conditions the figures share."""

from decimal import Decimal

from django.db.models import Aggregate, DecimalField, DurationField, Q, Sum
from django.db.models.functions import Coalesce

from apps.admissions.models import Application
from apps.pilots.models import EvaluationRound, Level, UnitResult
from apps.subsidies.models import PayoutLine, PayoutRun

from ..periods import Period

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)

# Money counts as paid once the run holding the line is approved (budget committed, four eyes
# done); exported and paid runs stay paid. Held, carried and unmatched lines were not paid, and
# an adjustment line (possibly negative) corrects an earlier one within the same rules.
PAID_RUN_STATUSES = (
    PayoutRun.Status.APPROVED,
    PayoutRun.Status.EXPORTED,
    PayoutRun.Status.PAID,
)
PAID_LINE_STATUSES = (PayoutLine.Status.PAYABLE, PayoutLine.Status.PAID)

# Applications that got an offer: the offer time is the first history record in "offered".
OFFERED = Application.State.OFFERED


class Median(Aggregate):
    """PostgreSQL's interpolated median: percentile_cont(0.5) WITHIN GROUP (ORDER BY expr).

    Works on numbers and on intervals (returning an interval, i.e. a timedelta)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, **extra):
        extra.setdefault("output_field", DurationField())
        super().__init__(expression, **extra)


def money_sum(field: str, **extra) -> Coalesce:
    return Coalesce(Sum(field, **extra), ZERO, output_field=MONEY)


def running(period: Period, prefix: str = "") -> Q:
    """Rows with a start date and an open or later end date that overlap the period."""
    return Q(**{f"{prefix}start_date__lte": period.last_day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": period.start})
    )


def agreement_in_force(period: Period) -> Q:
    return Q(start_month__lte=period.end) & (
        Q(end_month__isnull=True) | Q(end_month__gte=period.start)
    )


def submitted_in(period: Period) -> Q:
    return Q(submitted_at__gte=period.starts_at, submitted_at__lt=period.ends_before)


def paid_lines(period: Period) -> Q:
    return Q(
        run__status__in=PAID_RUN_STATUSES,
        status__in=PAID_LINE_STATUSES,
        run__period__gte=period.start,
        run__period__lte=period.end,
    )


def awarded_results() -> Q:
    """UnitResult.is_awarded in SQL: published and recommended; a nomination to Tangshan or
    Hebei counts once the higher level approved it."""
    return Q(recommended=True, round__status=EvaluationRound.Status.PUBLISHED) & (
        Q(round__level=Level.QIANAN) | Q(decision=UnitResult.Decision.APPROVED)
    )
