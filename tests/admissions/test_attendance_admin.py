from datetime import date

import pytest
from django.urls import reverse

from apps.admissions.models import Attendance
from apps.core.models import AuditRecord
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    URLCONF,
    attendance,
    english,
    enrolment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]

OCTOBER = date(2025, 10, 1)


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def _url(name, *args):
    return reverse(f"admin:admissions_attendance_{name}", args=args)


@pytest.mark.parametrize("count", [1, 30])
def test_changelist_lists_rows_in_constant_queries(
    staff_client, count, django_assert_max_num_queries
):
    for _ in range(count):
        attendance(enrolment(), OCTOBER)

    with django_assert_max_num_queries(12):
        response = staff_client.get(_url("changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_changelist_finds_a_row_by_child_name(staff_client):
    row = attendance(enrolment(), OCTOBER)
    attendance(enrolment(), OCTOBER)

    response = staff_client.get(_url("changelist"), {"q": row.enrolment.child.full_name})

    assert [r.pk for r in response.context["cl"].result_list] == [row.pk]


def test_add_page_reports_a_month_through_the_service(staff_client, union_staff):
    row = enrolment()

    response = staff_client.post(
        _url("add"),
        {"enrolment": row.pk, "month_text": "2025-10", "days_open": "21", "days_attended": "20"},
    )

    assert response.status_code == 302
    saved = Attendance.objects.get()
    assert (saved.month, saved.days_open, saved.days_attended) == (OCTOBER, 21, 20)
    assert AuditRecord.objects.get(action="attendance.report").actor == union_staff


def test_add_page_shows_the_services_refusal_on_the_field(staff_client):
    row = enrolment()

    response = staff_client.post(
        _url("add"),
        {"enrolment": row.pk, "month_text": "2025-10", "days_open": "21", "days_attended": "22"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "days_attended": ["Days attended (22) cannot exceed days open (21)."]
    }
    assert not Attendance.objects.exists()


def test_change_page_corrects_the_figures(staff_client):
    row = attendance(enrolment(), OCTOBER, days_open=21, days_attended=20)

    response = staff_client.post(_url("change", row.pk), {"days_open": "21", "days_attended": "18"})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.days_attended == 18
    assert AuditRecord.objects.get(action="attendance.correct").to_state == "18/21"


def test_used_month_is_read_only(staff_client):
    row = attendance(enrolment(), OCTOBER, days_open=21, days_attended=20, used_by_payout_run_id=2)

    staff_client.post(_url("change", row.pk), {"days_open": "21", "days_attended": "1"})

    row.refresh_from_db()
    assert row.days_attended == 20
    assert staff_client.get(_url("change", row.pk)).context["has_change_permission"] is False


def test_nothing_can_be_deleted(staff_client):
    row = attendance(enrolment(), OCTOBER)

    assert staff_client.get(_url("delete", row.pk)).status_code == 403
    assert Attendance.objects.filter(pk=row.pk).exists()
