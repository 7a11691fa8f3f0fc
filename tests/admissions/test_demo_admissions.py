"""The admissions demo: the report's 21 caring-childcare classes, applications in every resting
state and the last two months' attendance, all made through the services."""

import io
from datetime import date

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.admissions import demo
from apps.admissions.models import Application, Attendance, Enrolment
from apps.centres import demo as centres_demo
from apps.centres.models import CentreClass
from apps.employers import demo as employers_demo
from apps.employers.pricing import month_start
from apps.members import demo as members_demo

pytestmark = pytest.mark.django_db

# employment_confirmed only lasts inside a move, so it is never a resting state.
RESTING_STATES = set(Application.State.values) - {"employment_confirmed"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demos this one builds on, then this one: seeded once for the module (the demo takes
    a while) in a transaction rolled back at the end; each test runs in a savepoint inside."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        for module in (accounts_demo, members_demo, centres_demo, employers_demo, demo):
            module.seed(stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _last_two_months() -> list[date]:
    this_month = month_start(timezone.localdate())
    return [demo._months_before(this_month, 2), demo._months_before(this_month, 1)]


def test_demo_enrols_children_in_the_reports_21_caring_childcare_classes(seeded):
    classes = demo.caring_classes()

    assert classes.count() == 21
    assert set(classes.values_list("age_class", flat=True)) <= set(demo.CHILDCARE_AGE_CLASSES)
    assert "caring-childcare classes: 21" in seeded


def test_demo_has_applications_in_every_resting_state(seeded):
    assert set(Application.objects.values_list("state", flat=True)) == RESTING_STATES


def test_demo_reports_attendance_for_every_enrolment_in_the_last_two_months(seeded):
    months = _last_two_months()
    enrolments = Enrolment.objects.filter(start_date__lte=months[0])

    reported = Attendance.objects.filter(month__in=months)
    assert reported.count() == 2 * enrolments.count()
    assert not reported.filter(days_attended__gt=F("days_open")).exists()
    assert enrolments.filter(status="ended").count() == 1


def test_demo_keeps_the_place_counters_equal_to_the_places_held(seeded):
    held = Application.objects.filter(state__in=Application.HOLDING_STATES).count()

    assert CentreClass.objects.aggregate(taken=Sum("places_taken"))["taken"] == held


def test_demo_parent_has_an_enrolled_child_with_attendance(seeded):
    enrolment = Enrolment.objects.get(child__guardians__user__username="parent")

    assert enrolment.status == "active"
    assert sorted(enrolment.attendance.values_list("month", flat=True)) == _last_two_months()


def test_running_the_admissions_demo_twice_adds_nothing(seeded):
    counts = (Application.objects.count(), Enrolment.objects.count(), Attendance.objects.count())

    demo.seed(stdout=io.StringIO())

    assert (
        Application.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    ) == counts
