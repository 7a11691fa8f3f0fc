from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.admissions.models import Application
from apps.admissions.services.privacy import ANONYMISED_NAME, children_anonymise_due
from apps.admissions.tasks_privacy import children_anonymise_due as anonymise_task
from apps.core.models import AuditRecord, Notice
from apps.core.pii import set_sensitive
from apps.core.validators import make_id_number, normalize_id_number
from apps.members.models import Child
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    attendance,
    english,
    enrolment,
    programme,
)
from tests.members.factories import ChildFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CHILD_ID = make_id_number(birth=date(2024, 5, 20), sequence=411)


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _child_who_left(days_ago: int = 400, *, paid: bool = True) -> Child:
    """A child whose only enrolment ended `days_ago` days ago, its months paid out if `paid`."""
    child = ChildFactory(full_name="李沐阳", birth_date=date(2024, 5, 20))
    set_sensitive(child, "id_number", CHILD_ID, normalize=normalize_id_number)
    child.save()
    end = _ago(days_ago)
    row = enrolment(child=child, start=end.replace(day=1) - timedelta(days=60), end=end)
    attendance(row, end.replace(day=1), used_by_payout_run_id=1 if paid else None)
    return child


def test_child_past_retention_is_anonymised():
    child = _child_who_left()

    assert children_anonymise_due() == 1

    child.refresh_from_db()
    assert (child.full_name, child.birth_date, child.id_number, child.id_number_hash) == (
        ANONYMISED_NAME,
        date(2024, 5, 1),
        "",
        "",
    )
    assert child.anonymised_at is not None
    assert child.sex == "F"  # kept for the statistics


def test_anonymisation_rewrites_the_childs_history_rows():
    child = _child_who_left()

    children_anonymise_due()

    assert set(child.history.values_list("full_name", "birth_date")) == {
        (ANONYMISED_NAME, date(2024, 5, 1))
    }


def test_anonymisation_removes_the_name_from_the_guardians_notices():
    child = _child_who_left()
    guardian = child.guardianships.get().guardian
    Notice.objects.create(recipient=guardian.user, title="李沐阳的名额", body="李沐阳已入托。")
    untouched = Notice.objects.create(recipient=guardian.user, title="其他通知", body="无")

    children_anonymise_due()

    assert list(Notice.objects.exclude(pk=untouched.pk).values_list("title", "body")) == [
        ("已匿名的名额", "已匿名已入托。")
    ]


def test_anonymisation_is_audited_without_the_name():
    child = _child_who_left()

    children_anonymise_due()

    audit = AuditRecord.objects.get(action="child.anonymise")
    assert (audit.target_id, audit.to_state, audit.actor_id) == (str(child.pk), "anonymised", None)
    assert audit.changes["fields"] == ["full_name", "birth_date", "id_number"]
    assert "李沐阳" not in str(audit.changes) + audit.reason


def test_second_run_anonymises_nobody_and_audits_nothing():
    _child_who_left()
    children_anonymise_due()

    assert children_anonymise_due() == 0
    assert AuditRecord.objects.filter(action="child.anonymise").count() == 1


def test_child_whose_enrolment_ended_within_retention_is_kept():
    child = _child_who_left(days_ago=365)

    assert children_anonymise_due() == 0
    child.refresh_from_db()
    assert (child.full_name, child.anonymised_at) == ("李沐阳", None)


def test_retention_follows_the_setting(settings):
    settings.CHILD_DATA_RETENTION_DAYS = 30
    _child_who_left(days_ago=31)

    assert children_anonymise_due() == 1


def test_child_with_a_month_not_yet_paid_out_is_kept():
    child = _child_who_left(paid=False)

    assert children_anonymise_due() == 0
    child.refresh_from_db()
    assert child.full_name == "李沐阳"


def test_child_with_an_open_application_is_kept():
    child = _child_who_left()
    Application.objects.create(
        child=child,
        applicant=child.guardianships.get().guardian,
        programme=programme(),
        centre=child.enrolments.get().centre,
        age_class="older_toddler",
        start_month=date(2026, 9, 1),
        state=Application.State.WAITING,
    )

    assert children_anonymise_due() == 0


def test_child_with_a_running_enrolment_is_kept():
    child = _child_who_left()
    enrolment(child=child, start=_ago(30))

    assert children_anonymise_due() == 0


def test_child_who_never_enrolled_is_kept():
    ChildFactory()

    assert children_anonymise_due() == 0


def test_daily_task_anonymises_and_is_safe_to_run_twice():
    _child_who_left()

    assert anonymise_task.apply().get() == 1
    assert anonymise_task.apply().get() == 0
