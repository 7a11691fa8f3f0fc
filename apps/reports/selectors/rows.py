"""The rows behind each figure: the same conditions as figures.py, as lists one can page through.

`row_list(figure, scope=, period=, params=)` returns a queryset with its relations selected;
`params` narrows it the way a table cell does (a state, a model, a month...). Each extra
parameter is checked against what it may be; a wrong one raises RowParamError naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from apps.admissions.models import Application, Attendance, Enrolment
from apps.centres.models import Centre, CentreClass
from apps.employers.models import PlaceAgreement, Programme
from apps.pilots.models import Level as PilotLevel
from apps.pilots.models import UnitResult
from apps.subsidies.models import Budget, PayoutLine, SubsidyScheme
from apps.welfare.models import CareClass, Level, MotherRoom

from ..filters import MAX_ID
from ..periods import Period, parse_month
from .aggregates import (
    awarded_results,
    paid_lines,
    running,
    submitted_in,
)
from .figures import (
    APPROVED,
    agreement_condition,
    caring_classes_condition,
    first_offers,
    programme_condition,
    served_condition,
)
from .scopes import Scope


class RowParamError(ValueError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _choice(choices) -> Callable[[str, Period], str]:
    def check(value: str, period: Period) -> str:
        if value not in choices.values:
            raise ValueError(value)
        return value

    return check


def _id(value: str, period: Period) -> int:
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def _month(value: str, period: Period) -> Period:
    month = parse_month(value)
    if not period.start <= month <= period.end:
        raise ValueError(value)
    return Period(month, month)


def _year(value: str, period: Period) -> int:
    year = int(value)
    if not 2000 <= year <= 2100:
        raise ValueError(value)
    return year


@dataclass(frozen=True)
class RowSource:
    model: type
    build: Callable[[Scope, Period, dict], QuerySet]
    params: dict[str, Callable] = field(default_factory=dict)


def _narrow(rows: QuerySet, params: dict, lookups: dict[str, str]) -> QuerySet:
    wanted = {lookups[name]: value for name, value in params.items() if name in lookups}
    return rows.filter(**wanted)


def _federation_centres(scope, period, params):
    return Centre.objects.filter(
        scope.centres(), status=APPROVED, federation__isnull=False
    ).select_related("area", "federation")


def _welfare_centres(scope, period, params):
    return Centre.objects.filter(
        scope.centres(), status=APPROVED, offers_welfare_childcare=True
    ).select_related("area", "federation")


def _caring_classes(scope, period, params):
    return (
        CentreClass.objects.filter(scope.classes(), caring_classes_condition())
        .select_related("centre", "centre__area")
        .order_by("centre__name", "centre_id", "name")
    )


def _programmes(scope, period, params):
    rows = Programme.objects.filter(scope.programmes(), programme_condition(period))
    rows = _narrow(rows, params, {"model": "delivery_model", "funder": "subsidy_funder"})
    return rows.select_related("lead_employer", "federation")


def _place_agreements(scope, period, params):
    rows = PlaceAgreement.objects.filter(scope.agreements(), agreement_condition(period))
    rows = _narrow(rows, params, {"centre": "centre_id"})
    return rows.select_related("programme", "centre", "buyer_employer", "buyer_union")


def _applications(scope, period, params):
    rows = Application.objects.filter(scope.applications(), submitted_in(period))
    rows = _narrow(rows, params, {"state": "state"})
    return rows.select_related("programme", "centre").order_by("-submitted_at", "-id")


def _offers(scope, period, params):
    offers = first_offers(scope, period)
    offered_at = offers.filter(id=OuterRef("pk")).values("history_date")[:1]
    return (
        Application.objects.filter(pk__in=offers.values("id"))
        .annotate(offered_at=Subquery(offered_at))
        .select_related("programme", "centre")
        .order_by("-offered_at", "-id")
    )


def _enrolments(scope, period, params):
    within = params.get("month", period)
    return (
        Enrolment.objects.filter(scope.enrolments(), running(within))
        .select_related("centre", "centre_class", "programme", "employer")
        .order_by("-start_date", "-id")
    )


def _served(scope, period, params):
    within = params.get("month", period)
    return (
        Attendance.objects.filter(scope.attendance(), served_condition(within))
        .select_related("enrolment__centre")
        .order_by("-month", "enrolment_id")
    )


def _subsidy_lines(scope, period, params):
    rows = PayoutLine.objects.filter(scope.payout_lines(), paid_lines(params.get("month", period)))
    rows = _narrow(rows, params, {"scheme": "scheme_id", "funder": "funder"})
    return rows.select_related("run", "scheme", "centre", "employer").order_by(
        "-run__period", "scheme__name", "id"
    )


def _budgets(scope, period, params):
    rows = Budget.objects.filter(year__in=period.years)
    rows = _narrow(rows, params, {"scheme": "scheme_id"})
    return rows.select_related("scheme").order_by("-year", "scheme__name")


def _pilot_units(scope, period, params):
    rows = UnitResult.objects.filter(scope.pilot_results(), awarded_results())
    rows = _narrow(rows, params, {"level": "round__level", "year": "round__year"})
    return rows.select_related("round", "application__employer").order_by(
        "-round__year", "round__level", "rank"
    )


def _mother_rooms(scope, period, params):
    rows = MotherRoom.objects.filter(scope.mother_rooms(), status=MotherRoom.Status.APPROVED)
    rows = _narrow(rows, params, {"level": "level", "version": "version"})
    return rows.select_related("area", "host_employer", "host_union")


def _care_classes(scope, period, params):
    rows = CareClass.objects.filter(scope.care_classes()).exclude(status=CareClass.Status.DRAFT)
    rows = _narrow(
        rows, params, {"kind": "kind", "status": "status", "recognised_by": "recognised_by"}
    )
    return rows.select_related("area", "organiser_employer", "organiser_union")


SOURCES: dict[str, RowSource] = {
    "federation-centres": RowSource(Centre, _federation_centres),
    "welfare-centres": RowSource(Centre, _welfare_centres),
    "caring-classes": RowSource(CentreClass, _caring_classes),
    "programmes": RowSource(
        Programme,
        _programmes,
        {"model": _choice(Programme.DeliveryModel), "funder": _choice(Programme.Funder)},
    ),
    "place-agreements": RowSource(PlaceAgreement, _place_agreements, {"centre": _id}),
    "applications": RowSource(Application, _applications, {"state": _choice(Application.State)}),
    "offers": RowSource(Application, _offers),
    "enrolments": RowSource(Enrolment, _enrolments, {"month": _month}),
    "served": RowSource(Attendance, _served, {"month": _month}),
    "subsidy-lines": RowSource(
        PayoutLine,
        _subsidy_lines,
        {"scheme": _id, "funder": _choice(SubsidyScheme.Funder), "month": _month},
    ),
    "budgets": RowSource(Budget, _budgets, {"scheme": _id}),
    "pilot-units": RowSource(
        UnitResult, _pilot_units, {"level": _choice(PilotLevel), "year": _year}
    ),
    "mother-rooms": RowSource(
        MotherRoom,
        _mother_rooms,
        {"level": _choice(Level), "version": _choice(MotherRoom.Version)},
    ),
    "care-classes": RowSource(
        CareClass,
        _care_classes,
        {
            "kind": _choice(CareClass.Kind),
            "status": _choice(CareClass.Status),
            "recognised_by": _choice(CareClass.RecognisedBy),
        },
    ),
}


def row_params(figure: str, query, period: Period) -> dict:
    """The figure's extra parameters present in `query`, checked; RowParamError otherwise."""
    checked = {}
    for name, check in SOURCES[figure].params.items():
        value = query.get(name)
        if value in (None, ""):
            continue
        try:
            checked[name] = check(str(value), period)
        except ValueError:
            raise RowParamError(name) from None
    return checked


def row_list(figure: str, *, scope: Scope, period: Period, params: dict | None = None) -> QuerySet:
    """The rows behind `figure` (a key of SOURCES) for `scope` in `period`."""
    return SOURCES[figure].build(scope, period, params or {})


__all__ = ["SOURCES", "RowParamError", "row_list", "row_params"]
