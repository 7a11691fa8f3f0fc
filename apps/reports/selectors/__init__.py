"""The figures of the dashboard, the employer and centre portals and `/api/v1/reports/`.

Every figure is an aggregate query (see figures.py for the definitions); a whole set of figures
costs about fifteen queries whatever the number of rows. `rows.py` returns the rows behind each.
"""

from __future__ import annotations

from datetime import date

from apps.accounts.models import Role
from apps.centres.models import Centre, CentreAdmin, RegistrationStatus
from apps.core.models import Area
from apps.employers.models import Employer, EmployerAdmin
from apps.members.models import Union

from ..periods import Period, month_label
from . import figures as f
from .scopes import Kind, Scope

# What each kind of scope shows; the rest are None (e.g. a centre has no pilot units).
SECTIONS = {
    Kind.CITY: {"centres", "classes", "pilots", "mother_rooms", "care_classes", "budget"},
    Kind.EMPLOYER: {"pilots", "mother_rooms", "care_classes"},
    Kind.CENTRE: {"classes"},
}


def scope_figures(*, scope: Scope, period: Period) -> dict:
    """All figures of `scope` in `period`, as plain data (the API's JSON and the pages' input)."""
    shows = SECTIONS[scope.kind]
    children, enrolments_by_month = f.children_section(scope, period)
    served = f.served_by_month(scope, period)
    children["served"] = sum(served.values())
    subsidies = f.subsidy_section(scope, period, with_budget="budget" in shows)
    paid_by_month = {row["month"]: row["paid"] for row in subsidies["by_month"]}
    return {
        "scope": {"kind": str(scope.kind), "name": scope.label},
        "period_start": month_label(period.start),
        "period_end": month_label(period.end),
        "area": scope.area.pk if scope.area else None,
        "union": scope.union.pk if scope.union else None,
        "centres": f.centre_section(scope) if "centres" in shows else None,
        "classes": f.class_section(scope) if "classes" in shows else None,
        "programmes": f.programme_section(scope, period),
        "places": f.place_section(scope, period),
        "applications": f.application_section(scope, period),
        "children": children,
        "trend": [
            {
                "month": month,
                "enrolments": enrolments_by_month[month],
                "served": served.get(month, 0),
                "subsidy_paid": paid_by_month[month],
            }
            for month in map(month_label, period.months)
        ],
        "subsidies": subsidies,
        "pilots": f.pilot_section(scope) if "pilots" in shows else None,
        "mother_rooms": f.mother_room_section(scope) if "mother_rooms" in shows else None,
        "care_classes": f.care_class_section(scope) if "care_classes" in shows else None,
    }


def city_figures(
    *,
    period_start: date,
    period_end: date,
    area: Area | None = None,
    union: Union | None = None,
) -> dict:
    """The city's figures (for union staff), optionally of one area or one union."""
    return scope_figures(
        scope=Scope.city(area=area, union=union), period=Period(period_start, period_end)
    )


def employer_figures(*, employer: Employer, period_start: date, period_end: date) -> dict:
    """One employer's own figures: never another organisation's rows."""
    return scope_figures(
        scope=Scope.for_employer(employer), period=Period(period_start, period_end)
    )


def centre_figures(*, centre: Centre, period_start: date, period_end: date) -> dict:
    """One centre's own figures: never another organisation's rows."""
    return scope_figures(scope=Scope.for_centre(centre), period=Period(period_start, period_end))


def scope_for_user(user) -> Scope | None:
    """The scope a signed-in user may see without filters: the city for union staff, their own
    employer or centre for its admins (approved ones: suspending locks the admins out); None
    for anyone else."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.UNION_STAFF:
        return Scope.city()
    if user.role == Role.EMPLOYER_ADMIN:
        link = (
            EmployerAdmin.objects.select_related("employer")
            .filter(user=user, employer__status=RegistrationStatus.APPROVED)
            .first()
        )
        return Scope.for_employer(link.employer) if link else None
    if user.role == Role.CENTRE_ADMIN:
        link = (
            CentreAdmin.objects.select_related("centre")
            .filter(user=user, centre__status=RegistrationStatus.APPROVED)
            .first()
        )
        return Scope.for_centre(link.centre) if link else None
    return None


__all__ = [
    "Kind",
    "Scope",
    "centre_figures",
    "city_figures",
    "employer_figures",
    "scope_figures",
    "scope_for_user",
]
