"""One function per dashboard section; each is one aggregate query (a few at most), whatever the
number of rows: counts are SQL `count(*) FILTER (WHERE ...)`, never Python loops over rows.

Definitions (the dashboard shows them beside each figure):
- centres: approved centres now; "in the federation" = `federation` set; staff = the sum of
  `federation_staff_count`; "welfare childcare" = `offers_welfare_childcare`.
- caring-childcare classes: active classes at centres in at least one approved programme.
- programmes: approved programmes running at some time in the period, by model and funder.
- places: agreements of approved programmes in force at some time in the period; bought =
  `places`, used = `places_taken` now (the guarded counter), vacant = bought − used.
- applications: submitted in the period, by their state now. Median waiting days: for
  applications whose first offer (first history record in "offered") falls in the period, the
  median of (offer time − submitted_at), in days.
- children enrolled: distinct children with an enrolment overlapping the period. Children served
  (人次): (enrolment, month) pairs of the period with attendance `days_attended` > 0 — what the
  centres reported as actually attended, so an enrolment nobody used is not counted.
- subsidy paid: see aggregates.PAID_*; months are the runs' periods; budgets of the period's years.
- pilot units: awarded results (published, recommended; nominations once approved), by year and
  level; a unit counts once per level however many years it was selected.
- mother rooms: approved rooms by level and version. Care classes: all but drafts.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from apps.admissions.models import Application, Attendance, Enrolment
from apps.centres.models import Centre, CentreClass, RegistrationStatus
from apps.employers.models import PlaceAgreement, Programme
from apps.pilots.models import Level as PilotLevel
from apps.pilots.models import UnitResult
from apps.subsidies.models import Budget, PayoutLine, SubsidyScheme
from apps.welfare.models import CareClass, Level, MotherRoom

from ..periods import Period, month_label
from .aggregates import (
    OFFERED,
    ZERO,
    Median,
    agreement_in_force,
    awarded_results,
    money_sum,
    paid_lines,
    running,
    submitted_in,
)
from .scopes import Scope

APPROVED = RegistrationStatus.APPROVED
VACANCY_CHART_CENTRES = 15
SECONDS_A_DAY = 86400


def _int(value) -> int:
    return int(value or 0)


def centre_section(scope: Scope) -> dict:
    in_federation = Q(federation__isnull=False)
    row = Centre.objects.filter(scope.centres(), status=APPROVED).aggregate(
        federation_centres=Count("id", filter=in_federation),
        federation_staff=Coalesce(Sum("federation_staff_count", filter=in_federation), 0),
        welfare_centres=Count("id", filter=Q(offers_welfare_childcare=True)),
    )
    return {name: _int(value) for name, value in row.items()}


def caring_classes_condition() -> Q:
    through = Programme.centres.through.objects.filter(
        centre_id=OuterRef("centre_id"), programme__status=Programme.Status.APPROVED
    )
    return Q(Exists(through), is_active=True)


def class_section(scope: Scope) -> dict:
    row = CentreClass.objects.filter(scope.classes(), caring_classes_condition()).aggregate(
        caring_classes=Count("id"),
        capacity=Coalesce(Sum("capacity"), 0),
        places_taken=Coalesce(Sum("places_taken"), 0),
    )
    row = {name: _int(value) for name, value in row.items()}
    row["places_free"] = row["capacity"] - row["places_taken"]
    return row


def programme_condition(period: Period) -> Q:
    return running(period) & Q(status=Programme.Status.APPROVED)


def programme_section(scope: Scope, period: Period) -> dict:
    counts = {
        (row["delivery_model"], row["subsidy_funder"]): row["count"]
        for row in Programme.objects.filter(scope.programmes(), programme_condition(period))
        .values("delivery_model", "subsidy_funder")
        .annotate(count=Count("id"))
        .order_by()
    }
    models, funders = Programme.DeliveryModel, Programme.Funder
    return {
        "total": sum(counts.values()),
        "by_model": [
            {
                "model": m.value,
                "label": str(m.label),
                "count": sum(counts.get((m.value, f.value), 0) for f in funders),
            }
            for m in models
        ],
        "by_funder": [
            {
                "funder": f.value,
                "label": str(f.label),
                "count": sum(counts.get((m.value, f.value), 0) for m in models),
            }
            for f in funders
        ],
        "by_model_and_funder": [
            {"model": m.value, "funder": f.value, "count": counts.get((m.value, f.value), 0)}
            for m in models
            for f in funders
        ],
    }


def agreement_condition(period: Period) -> Q:
    return agreement_in_force(period) & Q(programme__status=Programme.Status.APPROVED)


def place_section(scope: Scope, period: Period) -> dict:
    agreements = PlaceAgreement.objects.filter(scope.agreements(), agreement_condition(period))
    totals = agreements.aggregate(
        bought=Coalesce(Sum("places"), 0), used=Coalesce(Sum("places_taken"), 0)
    )
    by_centre = (
        agreements.values("centre_id", "centre__name")
        .annotate(bought=Sum("places"), used=Sum("places_taken"))
        .annotate(vacant=F("bought") - F("used"))
        .order_by("-vacant", "centre__name", "centre_id")[:VACANCY_CHART_CENTRES]
    )
    return {
        "bought": totals["bought"],
        "used": totals["used"],
        "vacant": totals["bought"] - totals["used"],
        "by_centre": [
            {
                "centre_id": row["centre_id"],
                "centre": row["centre__name"],
                "bought": row["bought"],
                "used": row["used"],
                "vacant": row["vacant"],
            }
            for row in by_centre
        ],
    }


def first_offers(scope: Scope, period: Period):
    """History records of first offers made in the period: "offered" records with no earlier
    "offered" record of the same application (the history keeps every state an application
    was saved in, so an offer later declined, expired or enrolled still counts)."""
    history = Application.history.model.objects.exclude(history_type="-")
    earlier = history.filter(
        id=OuterRef("id"), state=OFFERED, history_date__lt=OuterRef("history_date")
    )
    return history.filter(
        scope.applications(),
        ~Exists(earlier),
        state=OFFERED,
        history_date__gte=period.starts_at,
        history_date__lt=period.ends_before,
    )


def application_section(scope: Scope, period: Period) -> dict:
    submitted = submitted_in(period)
    states = Application.State
    row = Application.objects.filter(scope.applications(), submitted).aggregate(
        submitted=Count("id"),
        **{f"state_{state.value}": Count("id", filter=Q(state=state)) for state in states},
    )
    offers = first_offers(scope, period).aggregate(
        offered=Count("id"), waiting=Median(F("history_date") - F("submitted_at"))
    )
    waiting = offers["waiting"]
    return {
        "submitted": row["submitted"],
        "by_state": [
            {"state": s.value, "label": str(s.label), "count": row[f"state_{s.value}"]}
            for s in states
        ],
        "offered": offers["offered"],
        "median_waiting_days": (
            None if waiting is None else round(waiting.total_seconds() / SECONDS_A_DAY, 1)
        ),
    }


def children_section(scope: Scope, period: Period) -> tuple[dict, dict[str, int]]:
    """Children enrolled in the period, and enrolments running in each of its months."""
    overlap = running(period)
    months = period.months
    row = Enrolment.objects.filter(scope.enrolments(), overlap).aggregate(
        enrolled=Count("child_id", distinct=True),
        enrolments=Count("id"),
        **{f"m{n}": Count("id", filter=running(Period(m, m))) for n, m in enumerate(months)},
    )
    by_month = {month_label(m): row[f"m{n}"] for n, m in enumerate(months)}
    return {"enrolled": row["enrolled"], "enrolments": row["enrolments"]}, by_month


def served_condition(period: Period) -> Q:
    return Q(month__gte=period.start, month__lte=period.end, days_attended__gt=0)


def served_by_month(scope: Scope, period: Period) -> dict[str, int]:
    rows = (
        Attendance.objects.filter(scope.attendance(), served_condition(period))
        .values("month")
        .annotate(served=Count("id"))
        .order_by()
    )
    return {month_label(row["month"]): row["served"] for row in rows}


def subsidy_section(scope: Scope, period: Period, *, with_budget: bool) -> dict:
    rows = list(
        PayoutLine.objects.filter(scope.payout_lines(), paid_lines(period))
        .values("run__period", "scheme_id", "scheme__name", "funder")
        .annotate(paid=money_sum("amount"))
        .order_by()
    )
    by_month: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_funder: dict[str, Decimal] = defaultdict(lambda: ZERO)
    schemes: dict[int, dict] = {}
    for row in rows:
        by_month[month_label(row["run__period"])] += row["paid"]
        by_funder[row["funder"]] += row["paid"]
        scheme = schemes.setdefault(row["scheme_id"], _scheme(row, row["funder"]))
        scheme["paid"] += row["paid"]
    budget = _add_budgets(schemes, period) if with_budget else None
    funders = SubsidyScheme.Funder
    return {
        "paid": sum(by_month.values(), ZERO),
        "budget": budget,
        "by_month": [
            {"month": month_label(m), "paid": by_month[month_label(m)]} for m in period.months
        ],
        "by_funder": [
            {"funder": f.value, "label": str(f.label), "paid": by_funder[f.value]} for f in funders
        ],
        "by_scheme": sorted(schemes.values(), key=lambda s: (s["scheme"], s["scheme_id"])),
    }


def _scheme(row: dict, funder: str) -> dict:
    return {
        "scheme_id": row["scheme_id"],
        "scheme": row["scheme__name"],
        "funder": funder,
        "funder_label": str(SubsidyScheme.Funder(funder).label),
        "paid": ZERO,
        "budget": None,
        "committed": None,
        "budget_used_percent": None,
    }


def _add_budgets(schemes: dict[int, dict], period: Period) -> Decimal:
    """Budgets are city-wide, per scheme and year: the period's years are summed."""
    rows = (
        Budget.objects.filter(year__in=period.years)
        .values("scheme_id", "scheme__name", "scheme__funder")
        .annotate(amount=money_sum("amount"), committed=money_sum("committed"))
        .order_by()
    )
    total = ZERO
    for row in rows:
        scheme = schemes.setdefault(row["scheme_id"], _scheme(row, row["scheme__funder"]))
        scheme["budget"], scheme["committed"] = row["amount"], row["committed"]
        total += row["amount"]
    for scheme in schemes.values():
        if scheme["budget"]:
            scheme["budget_used_percent"] = round(float(scheme["paid"] / scheme["budget"]) * 100, 1)
    return total


def pilot_section(scope: Scope) -> dict:
    awarded = UnitResult.objects.filter(scope.pilot_results(), awarded_results())
    by_year = (
        awarded.values("round__year", "round__level")
        .annotate(units=Count("application__employer", distinct=True))
        .order_by("-round__year", "round__level")
    )
    levels = PilotLevel
    totals = awarded.aggregate(
        units=Count("application__employer", distinct=True),
        **{
            f"level_{level.value}": Count(
                "application__employer", distinct=True, filter=Q(round__level=level)
            )
            for level in levels
        },
    )
    return {
        "units": totals["units"],
        "by_level": [
            {"level": lv.value, "label": str(lv.label), "units": totals[f"level_{lv.value}"]}
            for lv in levels
        ],
        "by_year": [
            {
                "year": row["round__year"],
                "level": row["round__level"],
                "label": str(PilotLevel(row["round__level"]).label),
                "units": row["units"],
            }
            for row in by_year
        ],
    }


def mother_room_section(scope: Scope) -> dict:
    versions = MotherRoom.Version
    row = MotherRoom.objects.filter(
        scope.mother_rooms(), status=MotherRoom.Status.APPROVED
    ).aggregate(
        total=Count("id"),
        **{
            f"{level.value}_{version.value}": Count("id", filter=Q(level=level, version=version))
            for level in Level
            for version in versions
        },
    )
    by_level = []
    for level in reversed(Level):  # Hebei first: the highest recognition leads
        counts = {v.value: row[f"{level.value}_{v.value}"] for v in versions}
        by_level.append(
            {
                "level": level.value,
                "label": str(level.label),
                **counts,
                "total": sum(counts.values()),
            }
        )
    return {"total": row["total"], "by_level": by_level}


def care_class_section(scope: Scope) -> dict:
    kinds, recognised = CareClass.Kind, CareClass.RecognisedBy
    row = (
        CareClass.objects.filter(scope.care_classes())
        .exclude(status=CareClass.Status.DRAFT)
        .aggregate(
            total=Count("id"),
            open=Count("id", filter=Q(status=CareClass.Status.OPEN)),
            holiday=Count("id", filter=Q(kind=kinds.HOLIDAY)),
            after_school=Count("id", filter=Q(kind=kinds.AFTER_SCHOOL)),
            recognised_qianan=Count("id", filter=Q(recognised_by=recognised.QIANAN)),
            recognised_tangshan=Count("id", filter=Q(recognised_by=recognised.TANGSHAN)),
            children_enrolled=Coalesce(Sum("enrolled"), 0),
        )
    )
    return {name: _int(value) for name, value in row.items()}
