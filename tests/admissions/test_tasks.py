"""The periodic tasks call the services and are safe to run twice."""

from datetime import timedelta

import pytest

from apps.admissions.models import Application
from apps.admissions.tasks import offer_expire_task, offers_expire_task
from apps.centres.models import CentreClass
from apps.employers.models import Employment
from tests.admissions.factories import application, place

pytestmark = pytest.mark.django_db
State = Application.State


def test_the_periodic_task_expires_overdue_offers_and_a_second_run_does_nothing():
    setting = place(capacity=1)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))

    first, second = offers_expire_task(), offers_expire_task()

    assert (first["expired"], second["expired"]) == (1, 0)
    assert Application.objects.get(pk=overdue.pk).state == State.EXPIRED


def test_the_periodic_task_offers_a_place_freed_by_a_capacity_increase():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    waiting = application(setting, State.WAITING)
    CentreClass.objects.filter(pk=setting.centre_class.pk).update(capacity=2)

    assert offers_expire_task()["offered"] == 1
    assert Application.objects.get(pk=waiting.pk).state == State.OFFERED


def test_the_periodic_task_flags_applicants_who_left_the_employer_once():
    setting = place(capacity=1)
    row = application(setting, State.WAITING)
    Employment.objects.filter(member=row.applicant).update(status=Employment.Status.LEFT)

    first, second = offers_expire_task(), offers_expire_task()

    assert (first["flagged"], second["flagged"]) == (1, 0)
    assert Application.objects.get(pk=row.pk).employment_left_flag is True


def test_the_one_offer_task_reports_whether_it_expired_anything():
    setting = place(capacity=1)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))

    assert (offer_expire_task(overdue.pk), offer_expire_task(overdue.pk)) == (True, False)
