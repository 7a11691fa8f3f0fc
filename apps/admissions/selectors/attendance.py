"""Attendance reads, scoped to the asking user: a centre admin sees their own centre's
enrolments and figures, union staff every centre's, everybody else nothing."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.accounts.models import Role
from apps.centres.models import CentreClass
from apps.employers.pricing import next_month

from ..models import Attendance, Enrolment


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def overlapping(month: date, prefix: str = "") -> Q:
    """Enrolments that were running on at least one day of `month` (a first day)."""
    return Q(**{f"{prefix}start_date__lt": next_month(month)}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": month})
    )


def attendance_enrolment_list(*, user) -> QuerySet[Enrolment]:
    """Enrolments the user may report attendance for: their centre's, or all for union staff."""
    enrolments = Enrolment.objects.select_related("child", "centre", "centre_class")
    role = _role(user)
    if role == Role.UNION_STAFF:
        return enrolments
    if role == Role.CENTRE_ADMIN:
        return enrolments.filter(centre__admins__user=user)
    return enrolments.none()


def attendance_list(
    *, user, month: date | None = None, centre_id: int | None = None
) -> QuerySet[Attendance]:
    """Reported months the user may see, newest first, narrowed by month and centre if given."""
    rows = Attendance.objects.select_related(
        "enrolment__child", "enrolment__centre", "enrolment__centre_class", "reported_by"
    )
    role = _role(user)
    if role == Role.CENTRE_ADMIN:
        rows = rows.filter(enrolment__centre__admins__user=user)
    elif role != Role.UNION_STAFF:
        return rows.none()
    if month is not None:
        rows = rows.filter(month=month)
    if centre_id is not None:
        rows = rows.filter(enrolment__centre_id=centre_id)
    return rows.order_by("-month", "enrolment__centre_id", "enrolment_id")


def attendance_class_list(*, user) -> QuerySet[CentreClass]:
    """Classes whose attendance the user may report (a centre admin's own centre's)."""
    classes = CentreClass.objects.select_related("centre")
    role = _role(user)
    if role == Role.UNION_STAFF:
        pass
    elif role == Role.CENTRE_ADMIN:
        classes = classes.filter(centre__admins__user=user)
    else:
        return classes.none()
    return classes.order_by("centre__name", "centre_id", "age_class", "name", "id")


def class_month_enrolments(*, user, centre_class: CentreClass, month: date) -> list[Enrolment]:
    """The class's enrolments running in `month`, each with `.reported` (that month's row or
    None): the rows of the whole-class form, in name order."""
    month_rows = Attendance.objects.filter(month=month)
    enrolments = (
        attendance_enrolment_list(user=user)
        .filter(overlapping(month), centre_class=centre_class)
        .prefetch_related(Prefetch("attendance", queryset=month_rows, to_attr="month_rows"))
        .order_by("child__full_name", "id")
    )
    result = list(enrolments)
    for enrolment in result:
        enrolment.reported = enrolment.month_rows[0] if enrolment.month_rows else None
    return result


def centre_month_enrolments(*, user, month: date) -> list[Enrolment]:
    """Every enrolment the user may report for that runs in `month`, with `.reported` set:
    the rows of the downloadable spreadsheet."""
    month_rows = Attendance.objects.filter(month=month)
    enrolments = (
        attendance_enrolment_list(user=user)
        .filter(overlapping(month))
        .prefetch_related(Prefetch("attendance", queryset=month_rows, to_attr="month_rows"))
        .order_by("centre__name", "centre_class__name", "child__full_name", "id")
    )
    result = list(enrolments)
    for enrolment in result:
        enrolment.reported = enrolment.month_rows[0] if enrolment.month_rows else None
    return result


def attendance_class_overview(*, user, month: date) -> QuerySet[CentreClass]:
    """The user's classes, each with `running` (enrolments in `month`) and `reported` (of those,
    how many have that month's figures), for the portal's overview."""
    return attendance_class_list(user=user).annotate(
        running=Count("enrolments", filter=overlapping(month, "enrolments__"), distinct=True),
        reported=Count(
            "enrolments__attendance", filter=Q(enrolments__attendance__month=month), distinct=True
        ),
    )
