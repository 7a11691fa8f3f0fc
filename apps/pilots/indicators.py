"""Indicators computed from the portal's own data, shown to reviewers beside the evidence.

For a set of employers at once, in a fixed handful of queries: classes within the national
staff ratios at the centres the employer runs or buys places from, places used against places
bought, monthly attendance reported on time, and whether welfare childcare is offered.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, DateTimeField, Func, Q

from apps.admissions.models import Attendance
from apps.centres.models import Centre, CentreClass
from apps.centres.selectors import classes_out_of_ratio
from apps.employers.models import PlaceAgreement, Programme

# A month's attendance is on time when reported by the end of this day of the next month.
ATTENDANCE_DUE_DAY = 5
ATTENDANCE_WINDOW_MONTHS = 12


class AttendanceDeadline(Func):
    """Start of day ATTENDANCE_DUE_DAY + 1 of the month after `month`, in Shanghai time."""

    template = (
        "((%(expressions)s + interval '1 month' + interval '%(days)s days')::timestamp "
        "AT TIME ZONE 'Asia/Shanghai')"
    )
    output_field = DateTimeField()

    def __init__(self, expression, **extra):
        super().__init__(expression, days=int(ATTENDANCE_DUE_DAY), **extra)


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _centres_by_employer(employer_ids, on: date):
    centres: dict[int, set[int]] = defaultdict(set)
    places: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    led = Programme.centres.through.objects.filter(
        programme__lead_employer_id__in=employer_ids,
        programme__status=Programme.Status.APPROVED,
    ).values_list("programme__lead_employer_id", "centre_id")
    for employer_id, centre_id in led:
        centres[employer_id].add(centre_id)
    month = _month_start(on)
    agreements = PlaceAgreement.objects.filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month),
        buyer_employer_id__in=employer_ids,
        start_month__lte=month,
    ).values_list("buyer_employer_id", "centre_id", "places", "places_taken")
    for employer_id, centre_id, bought, taken in agreements:
        centres[employer_id].add(centre_id)
        places[employer_id][0] += bought
        places[employer_id][1] += taken
    return centres, places


def _class_counts(centre_ids: set[int]):
    open_classes = dict(
        CentreClass.objects.filter(centre_id__in=centre_ids, is_active=True)
        .values("centre_id")
        .annotate(n=Count("id"))
        .values_list("centre_id", "n")
    )
    out_of_ratio: dict[int, int] = defaultdict(int)
    for centre_id in classes_out_of_ratio(
        centres=Centre.objects.filter(pk__in=centre_ids)
    ).values_list("centre_id", flat=True):
        out_of_ratio[centre_id] += 1
    welfare = set(
        Centre.objects.filter(pk__in=centre_ids, offers_welfare_childcare=True).values_list(
            "pk", flat=True
        )
    )
    return open_classes, out_of_ratio, welfare


def _attendance(employer_ids, on: date) -> dict[int, tuple[int, int]]:
    rows = (
        Attendance.objects.filter(
            enrolment__employer_id__in=employer_ids,
            month__gte=_month_start(on, ATTENDANCE_WINDOW_MONTHS),
            month__lt=_month_start(on),
        )
        .values("enrolment__employer_id")
        .annotate(
            reports=Count("id"),
            on_time=Count("id", filter=Q(reported_at__lt=AttendanceDeadline("month"))),
        )
        .values_list("enrolment__employer_id", "reports", "on_time")
    )
    return {employer_id: (reports, on_time) for employer_id, reports, on_time in rows}


def indicators_for(employer_ids, *, on: date) -> dict[int, dict]:
    """{employer id: indicators} for the given employers, as of `on`; JSON-ready."""
    employer_ids = list(employer_ids)
    centres, places = _centres_by_employer(employer_ids, on)
    all_centres = set().union(*centres.values()) if centres else set()
    open_classes, out_of_ratio, welfare = _class_counts(all_centres)
    attendance = _attendance(employer_ids, on)
    result = {}
    for employer_id in employer_ids:
        own = centres.get(employer_id, set())
        classes = sum(open_classes.get(c, 0) for c in own)
        reports, on_time = attendance.get(employer_id, (0, 0))
        result[employer_id] = {
            "computed_on": on.isoformat(),
            "centres": len(own),
            "classes": classes,
            "classes_within_ratio": classes - sum(out_of_ratio.get(c, 0) for c in own),
            "places_bought": places[employer_id][0] if employer_id in places else 0,
            "places_taken": places[employer_id][1] if employer_id in places else 0,
            "attendance_reports": reports,
            "attendance_on_time": on_time,
            "welfare_childcare": bool(own & welfare),
        }
    return result


def runs_caring_childcare(employer) -> bool:
    """Leads an approved programme or buys places in one: what makes an employer eligible."""
    approved = Programme.Status.APPROVED
    return (
        Programme.objects.filter(lead_employer=employer, status=approved).exists()
        or PlaceAgreement.objects.filter(
            buyer_employer=employer, programme__status=approved
        ).exists()
    )
