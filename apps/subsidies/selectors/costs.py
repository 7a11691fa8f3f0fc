"""What an employer will pay in a month under the schemes it funds: an estimate from the
enrolments and place agreements as they stand, computed with the payout rules (apps.subsidies
.rules) and assuming every child attends (attendance is reported after the month).

Lines the employer pays (see the rules module): monthly subsidies of the programmes it leads,
under schemes funded by employer funds; the employer's part per enrolled child where it bought
the place (or leads the programme, without an agreement); every place it bought per place.
Four queries, whatever the number of schemes, enrolments or agreements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from apps.admissions.models import Enrolment
from apps.employers.models import Employer, PlaceAgreement

from .. import rules
from ..models import SubsidyScheme

Kind = SubsidyScheme.Kind
ENROLMENT_VALUES = (
    "programme_id",
    "programme__lead_employer_id",
    "place_agreement_id",
    "place_agreement__buyer_employer_id",
    "application__applicant_id",
    "start_date",
    "end_date",
    "subsidy_amount",
    "subsidy_basis",
    "employer_part",
    "payment_mode",
)


@dataclass
class SchemeCost:
    scheme: SubsidyScheme
    children: int = 0
    workers: int = 0
    places: int = 0
    amount: Decimal = rules.ZERO


@dataclass
class CostEstimate:
    employer: Employer
    month: date
    schemes: list[SchemeCost] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((cost.amount for cost in self.schemes), rules.ZERO)


def _schemes_in(month: date) -> list[SubsidyScheme]:
    first, last = rules.month_bounds(month)
    return list(
        SubsidyScheme.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=first),
            is_active=True,
            funder=SubsidyScheme.Funder.EMPLOYER,
            kind__in=[Kind.MONTHLY_SUBSIDY, Kind.EMPLOYER_FEE_PART],
            valid_from__lte=last,
        )
        .prefetch_related("programmes")
        .order_by("name", "id")
    )


def _payer(row: dict) -> int | None:
    if row["place_agreement_id"] is not None:
        return row["place_agreement__buyer_employer_id"]
    return row["programme__lead_employer_id"]


def _subsidy_cost(cost: SchemeCost, rows: list[dict], month: date) -> None:
    scheme = cost.scheme
    terms = {
        "period": month,
        "prorate": scheme.prorate_by_days,
        "hold_without_attendance": False,  # not reported yet: assume attended
        "zero_attendance_pays_nothing": scheme.zero_attendance_pays_nothing,
    }
    by_worker: dict[int, list[rules.Stay]] = defaultdict(list)
    for row in rows:
        stay = rules.Stay(row["subsidy_amount"], row["start_date"], row["end_date"])
        if row["subsidy_basis"] == rules.PER_WORKER:
            by_worker[row["application__applicant_id"]].append(stay)
        else:
            cost.amount += rules.per_worker_subsidy_due([stay], **terms).amount
    for stays in by_worker.values():
        cost.amount += rules.per_worker_subsidy_due(stays, **terms).amount
    cost.children = len(rows)
    cost.workers = len({row["application__applicant_id"] for row in rows})


def _fee_part_cost(cost: SchemeCost, rows: list[dict], agreements, month: date) -> None:
    scheme = cost.scheme
    for row in rows:
        cost.amount += rules.monthly_subsidy_due(
            row["employer_part"],
            period=month,
            start=row["start_date"],
            end=row["end_date"],
            days_attended=None,
            prorate=scheme.prorate_by_days,
            hold_without_attendance=False,
        ).amount
    for agreement in agreements:
        cost.amount += rules.bought_places_due(
            agreement.agreed_monthly_price,
            places=agreement.places,
            period=month,
            start_month=agreement.start_month,
            end_month=agreement.end_month,
        ).amount
        cost.places += agreement.places
    cost.children = len(rows)


def employer_cost_estimate(*, employer: Employer, month: date) -> CostEstimate:
    """The employer's estimated cost in `month`, scheme by scheme (see the module doc)."""
    month = month.replace(day=1)
    first, last = rules.month_bounds(month)
    schemes = _schemes_in(month)
    programme_ids = {p.pk for scheme in schemes for p in scheme.programmes.all()}
    enrolments = list(
        Enrolment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first),
            programme_id__in=programme_ids,
            start_date__lte=last,
        ).values(*ENROLMENT_VALUES)
    )
    agreements = list(
        PlaceAgreement.objects.filter(
            Q(end_month__isnull=True) | Q(end_month__gte=first),
            programme_id__in=programme_ids,
            buyer_employer=employer,
            payment_mode=PlaceAgreement.PaymentMode.PER_BOUGHT_PLACE,
            start_month__lte=first,
        ).order_by("pk")
    )
    estimate = CostEstimate(employer=employer, month=month)
    for scheme in schemes:
        covered = {p.pk for p in scheme.programmes.all()}
        leads = any(p.lead_employer_id == employer.pk for p in scheme.programmes.all())
        rows = [row for row in enrolments if row["programme_id"] in covered]
        cost = SchemeCost(scheme=scheme)
        if scheme.kind == Kind.MONTHLY_SUBSIDY:
            led = [row for row in rows if row["programme__lead_employer_id"] == employer.pk]
            _subsidy_cost(cost, led, month)
        else:
            per_child = [
                row
                for row in rows
                if row["payment_mode"] != rules.PER_PLACE and _payer(row) == employer.pk
            ]
            bought = [a for a in agreements if a.programme_id in covered]
            _fee_part_cost(cost, per_child, bought, month)
        # A scheme it funds shows even at 0, so the employer sees every commitment it has.
        if leads or cost.children or cost.places:
            estimate.schemes.append(cost)
    return estimate
