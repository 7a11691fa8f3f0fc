"""Growing up: the monthly run moves children who outgrew their class, or ends them."""

from datetime import date
from decimal import Decimal

import pytest

from apps.admissions.models import Application, Enrolment
from apps.admissions.services.ageing import enrolments_age, last_day
from apps.admissions.tasks import enrolments_age_task
from apps.centres.models import AgeClass, CentreClass
from apps.core.models import Notice
from apps.employers.models import PlaceAgreement
from apps.employers.pricing import format_month
from tests.admissions.factories import (
    PlaceAgreementFactory,
    application,
    as_seen,
    centre_admin,
    family,
    place,
    start_month,
)
from tests.centres.factories import CentreClassFactory

pytestmark = pytest.mark.django_db
State = Application.State


def older_class(setting, capacity=20):
    return CentreClassFactory(
        centre=setting.centre,
        age_class=AgeClass.OLDER_TODDLER,
        capacity=capacity,
        monthly_price=Decimal("1600.00"),
    )


def enrolled_toddler(setting, months_old=24):
    row = application(setting, State.ENROLLED, kin=family(setting.employer, months_old=months_old))
    return row, Enrolment.objects.get(application=row)


def taken(centre_class) -> int:
    return CentreClass.objects.get(pk=centre_class.pk).places_taken


def test_a_child_turning_24_months_moves_to_the_older_toddler_class_when_it_has_room():
    setting = place(capacity=1)
    older = older_class(setting)
    row, enrolment = enrolled_toddler(setting)

    result = enrolments_age(month=start_month())

    enrolment.refresh_from_db()
    row.refresh_from_db()
    assert result.moved == [enrolment.pk]
    assert (enrolment.centre_class_id, row.centre_class_id, row.age_class) == (
        older.pk,
        older.pk,
        AgeClass.OLDER_TODDLER,
    )
    assert (taken(setting.centre_class), taken(older)) == (0, 1)
    assert enrolment.market_price == Decimal("1800.00")  # the snapshot stays


def test_a_child_stays_and_the_centre_admin_is_told_once_when_the_next_class_is_full():
    setting = place(capacity=1)
    older = older_class(setting, capacity=1)
    CentreClass.objects.filter(pk=older.pk).update(places_taken=1)
    admin = centre_admin(setting.centre)
    row, enrolment = enrolled_toddler(setting)

    first = enrolments_age(month=start_month())
    second = enrolments_age(month=start_month())

    enrolment.refresh_from_db()
    assert (first.no_room, second.no_room) == ([enrolment.pk], [enrolment.pk])
    assert enrolment.centre_class_id == setting.centre_class.pk
    assert (taken(setting.centre_class), taken(older)) == (1, 1)
    assert list(Notice.objects.filter(recipient=admin).values_list("title", flat=True)) == [
        as_seen("No room to move %(child)s up", child=row.child.full_name)
    ]


def test_a_child_past_the_programmes_oldest_class_is_ended_at_the_end_of_the_month():
    setting = place(capacity=1)
    row, enrolment = enrolled_toddler(setting)
    waiting = application(setting, State.WAITING)
    month = start_month()

    result = enrolments_age(month=month)

    enrolment.refresh_from_db()
    assert result.ended == [enrolment.pk]
    assert (enrolment.status, enrolment.end_date) == (Enrolment.Status.ENDED, last_day(month))
    assert Application.objects.get(pk=row.pk).state == State.ENDED
    assert Application.objects.get(pk=waiting.pk).state == State.OFFERED


def test_a_child_who_still_fits_the_class_is_left_alone():
    setting = place(capacity=1)
    older_class(setting)
    _row, enrolment = enrolled_toddler(setting, months_old=23)

    result = enrolments_age(month=start_month())

    assert (result.moved, result.no_room, result.ended) == ([], [], [])
    assert Enrolment.objects.get(pk=enrolment.pk).centre_class_id == setting.centre_class.pk


def test_running_the_month_twice_moves_the_child_once():
    setting = place(capacity=1)
    older = older_class(setting)
    enrolled_toddler(setting)

    enrolments_age(month=start_month())
    again = enrolments_age(month=start_month())

    assert (again.moved, taken(older), taken(setting.centre_class)) == ([], 1, 0)


def test_moving_up_takes_a_bought_place_of_the_next_age_class_and_gives_the_old_one_back():
    setting = place(capacity=1, bought=1)
    older = older_class(setting)
    bought_older = PlaceAgreementFactory(
        programme=setting.programme,
        centre=setting.centre,
        age_class=AgeClass.OLDER_TODDLER,
        places=1,
    )
    _row, enrolment = enrolled_toddler(setting)

    enrolments_age(month=start_month())

    enrolment.refresh_from_db()
    assert (enrolment.centre_class_id, enrolment.place_agreement_id) == (older.pk, bought_older.pk)
    assert [
        PlaceAgreement.objects.get(pk=pk).places_taken
        for pk in (setting.agreement.pk, bought_older.pk)
    ] == [0, 1]


def test_a_kindergarten_child_turning_four_moves_to_the_middle_class():
    setting = place(age_class=AgeClass.KG_SMALL, capacity=25)
    middle = CentreClassFactory(
        centre=setting.centre, age_class=AgeClass.KG_MIDDLE, capacity=30, monthly_price=1500
    )
    row = application(setting, State.ENROLLED, kin=family(setting.employer, months_old=48))

    enrolments_age(month=start_month())

    assert Enrolment.objects.get(application=row).centre_class_id == middle.pk


def test_the_monthly_task_takes_the_month_as_text():
    setting = place(capacity=1)
    older_class(setting)
    enrolled_toddler(setting)

    assert enrolments_age_task(format_month(start_month())) == {
        "moved": 1,
        "no_room": 0,
        "ended": 0,
    }


def test_last_day_of_february_in_a_leap_year():
    assert last_day(date(2028, 2, 1)) == date(2028, 2, 29)
