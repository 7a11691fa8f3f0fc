from datetime import date

import pytest
from django.urls import reverse

from apps.admissions.models import Attendance
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    URLCONF,
    attendance,
    centre_admin_for,
    english,
    enrolment,
)
from tests.centres.factories import CentreClassFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]

OCTOBER = date(2025, 10, 1)


def _url(name="api-attendance-list"):
    return reverse(name)


@pytest.fixture
def reported(api_client):
    """One centre admin, two enrolments at their centre, one enrolment elsewhere."""
    centre_class = CentreClassFactory()
    own = [enrolment(centre_class=centre_class) for _ in range(2)]
    elsewhere = enrolment()
    admin = centre_admin_for(centre_class.centre)
    rows = [attendance(e, OCTOBER) for e in [*own, elsewhere]]
    api_client.force_authenticate(admin)
    return api_client, own, elsewhere, rows


def test_post_reports_a_month_with_201(api_client):
    row = enrolment()
    api_client.force_authenticate(centre_admin_for(row.centre))

    response = api_client.post(
        _url(),
        {"enrolment": row.pk, "month": "2025-10", "days_open": 22, "days_attended": 20},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("enrolment", "month", "days_open", "days_attended", "locked")} == {
        "enrolment": row.pk,
        "month": "2025-10",
        "days_open": 22,
        "days_attended": 20,
        "locked": False,
    }
    assert body["child_name"] == row.child.full_name


def test_post_again_corrects_the_month_with_200(api_client):
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=20)
    api_client.force_authenticate(centre_admin_for(row.centre))

    response = api_client.post(
        _url(),
        {"enrolment": row.pk, "month": "2025-10", "days_open": 22, "days_attended": 18},
        format="json",
    )

    assert response.status_code == 200
    assert Attendance.objects.get().days_attended == 18


def test_post_on_a_used_month_is_refused_with_attendance_locked(api_client):
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=20, used_by_payout_run_id=5)
    api_client.force_authenticate(centre_admin_for(row.centre))

    response = api_client.post(
        _url(),
        {"enrolment": row.pk, "month": "2025-10", "days_open": 22, "days_attended": 18},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "attendance_locked"
    assert response.json()["message"] == (
        "The attendance for 2025-10 was used by payout run 5 and can no longer be corrected."
    )
    assert Attendance.objects.get().days_attended == 20


def test_post_with_a_badly_written_month_names_the_field(api_client):
    row = enrolment()
    api_client.force_authenticate(centre_admin_for(row.centre))

    response = api_client.post(
        _url(),
        {"enrolment": row.pk, "month": "2025/10/03", "days_open": 22, "days_attended": 18},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"month": ["Give the month as YYYY-MM."]}
    assert not Attendance.objects.exists()


def test_post_for_another_centres_enrolment_is_refused_as_unknown(api_client):
    row = enrolment()
    api_client.force_authenticate(centre_admin_for(CentreClassFactory().centre))

    response = api_client.post(
        _url(),
        {"enrolment": row.pk, "month": "2025-10", "days_open": 22, "days_attended": 18},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "enrolment": [f"There is no enrolment {row.pk} that you can report for."]
    }
    assert not Attendance.objects.exists()


def test_list_shows_a_centre_admin_only_their_centre(reported):
    client, own, _elsewhere, _rows = reported

    response = client.get(_url())

    assert response.status_code == 200
    assert sorted(r["enrolment"] for r in response.json()["results"]) == sorted(e.pk for e in own)


def test_list_shows_union_staff_every_centre(reported, union_staff):
    client, *_ = reported
    client.force_authenticate(union_staff)

    assert client.get(_url()).json()["count"] == 3


def test_list_filters_by_month_and_centre(api_client, union_staff):
    first, second = enrolment(), enrolment()
    attendance(first, OCTOBER)
    attendance(first, date(2025, 11, 1))
    attendance(second, OCTOBER)
    api_client.force_authenticate(union_staff)

    response = api_client.get(_url(), {"month": "2025-10", "centre": first.centre_id})

    assert [(r["enrolment"], r["month"]) for r in response.json()["results"]] == [
        (first.pk, "2025-10")
    ]


def test_list_with_a_bad_month_filter_is_a_400(api_client, union_staff):
    api_client.force_authenticate(union_staff)

    response = api_client.get(_url(), {"month": "October"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"month": ["Give the month as YYYY-MM."]}


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_does_not_grow_with_rows(
    api_client, union_staff, count, django_assert_max_num_queries
):
    centre_class = CentreClassFactory(capacity=15)
    for n in range(count):
        attendance(enrolment(centre_class=centre_class if n < 10 else None), OCTOBER)
    api_client.force_authenticate(union_staff)

    with django_assert_max_num_queries(4):
        response = api_client.get(_url())

    assert response.json()["count"] == count


def test_bulk_saves_a_whole_class(api_client):
    centre_class = CentreClassFactory()
    rows = [enrolment(centre_class=centre_class) for _ in range(3)]
    api_client.force_authenticate(centre_admin_for(centre_class.centre))
    body = {
        "rows": [
            {"enrolment": e.pk, "month": "2025-10", "days_open": 22, "days_attended": 20 - n}
            for n, e in enumerate(rows)
        ]
    }

    response = api_client.post(_url("api-attendance-bulk"), body, format="json")

    assert response.status_code == 200
    assert response.json() == {"created": 3, "corrected": 0, "unchanged": 0}
    assert sorted(Attendance.objects.values_list("days_attended", flat=True)) == [18, 19, 20]


def test_bulk_saves_nothing_and_names_each_wrong_row(api_client):
    centre_class = CentreClassFactory()
    rows = [enrolment(centre_class=centre_class) for _ in range(3)]
    api_client.force_authenticate(centre_admin_for(centre_class.centre))
    body = {
        "rows": [
            {"enrolment": rows[0].pk, "month": "2025-10", "days_open": 22, "days_attended": 20},
            {"enrolment": rows[1].pk, "month": "2025-10", "days_open": 22, "days_attended": 23},
            {"enrolment": rows[2].pk, "month": "2025-10", "days_open": 32, "days_attended": 0},
        ]
    }

    response = api_client.post(_url("api-attendance-bulk"), body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "rows.2.days_open": ["Ensure this value is less than or equal to 31."]
    }
    assert not Attendance.objects.exists()


def test_bulk_reports_every_domain_problem_at_once(api_client):
    centre_class = CentreClassFactory()
    rows = [enrolment(centre_class=centre_class) for _ in range(2)]
    api_client.force_authenticate(centre_admin_for(centre_class.centre))
    body = {
        "rows": [
            {"enrolment": rows[0].pk, "month": "2025-11", "days_open": 31, "days_attended": 0},
            {"enrolment": rows[1].pk, "month": "2025-10", "days_open": 22, "days_attended": 23},
        ]
    }

    response = api_client.post(_url("api-attendance-bulk"), body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "rows.0.days_open": ["Days open must be between 0 and 30, the days in 2025-11."],
        "rows.1.days_attended": ["Days attended (23) cannot exceed days open (22)."],
    }
    assert not Attendance.objects.exists()
