from datetime import date

import pytest
from django.urls import reverse

from apps.admissions.models import Attendance
from tests.accounts.factories import UserFactory
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


@pytest.fixture
def centre_class():
    return CentreClassFactory()


@pytest.fixture
def signed_in(client, centre_class):
    client.force_login(centre_admin_for(centre_class.centre))
    return client


def _class_url(centre_class, month="2025-10"):
    return reverse("centre-attendance-class", args=[centre_class.pk, month])


def _figures():
    return sorted(Attendance.objects.values_list("enrolment_id", "days_open", "days_attended"))


def test_overview_counts_children_reported_per_class(signed_in, centre_class):
    first, _second = (enrolment(centre_class=centre_class) for _ in range(2))
    attendance(first, OCTOBER)

    response = signed_in.get(reverse("centre-attendance"), {"month": "2025-10"})

    assert response.status_code == 200
    assert [(c.pk, c.running, c.reported) for c in response.context["classes"]] == [
        (centre_class.pk, 2, 1)
    ]
    assert "1 of 2 children reported" in response.text


def test_overview_refuses_a_parent(client):
    client.force_login(UserFactory(role="parent"))

    assert client.get(reverse("centre-attendance")).status_code == 403


def test_overview_sends_a_visitor_to_sign_in(client):
    response = client.get(reverse("centre-attendance"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_class_form_has_a_row_per_enrolment_of_the_month_prefilled(signed_in, centre_class):
    reported = enrolment(centre_class=centre_class)
    fresh = enrolment(centre_class=centre_class)
    enrolment(centre_class=centre_class, start=date(2025, 11, 1))  # not yet in October
    attendance(reported, OCTOBER, days_open=21, days_attended=17)

    response = signed_in.get(_class_url(centre_class))

    rows = {row.enrolment.pk: row for row in response.context["rows"]}
    assert sorted(rows) == sorted([reported.pk, fresh.pk])
    assert rows[reported.pk].form["days_attended"].value() == 17
    assert rows[fresh.pk].form["days_attended"].value() is None


def test_class_form_of_another_centres_class_is_404(signed_in):
    assert signed_in.get(_class_url(CentreClassFactory())).status_code == 404


def test_class_form_saves_every_row_with_the_class_wide_days_open(signed_in, centre_class):
    first, second = (enrolment(centre_class=centre_class) for _ in range(2))

    response = signed_in.post(
        _class_url(centre_class),
        {
            "all-days_open": "21",
            f"e{first.pk}-days_attended": "20",
            f"e{second.pk}-days_open": "19",
            f"e{second.pk}-days_attended": "15",
        },
    )

    assert response.status_code == 302
    assert _figures() == [(first.pk, 21, 20), (second.pk, 19, 15)]


def test_class_form_saves_nothing_and_marks_the_wrong_row(signed_in, centre_class):
    first, second = (enrolment(centre_class=centre_class) for _ in range(2))

    response = signed_in.post(
        _class_url(centre_class),
        {
            "all-days_open": "21",
            f"e{first.pk}-days_attended": "20",
            f"e{second.pk}-days_attended": "22",
        },
    )

    assert response.status_code == 400
    rows = {row.enrolment.pk: row for row in response.context["rows"]}
    assert rows[first.pk].form.errors == {}
    assert rows[second.pk].form.errors == {
        "days_attended": ["Days attended (22) cannot exceed days open (21)."]
    }
    assert _figures() == []


def test_class_form_asks_for_days_open_when_none_is_given(signed_in, centre_class):
    row = enrolment(centre_class=centre_class)

    response = signed_in.post(_class_url(centre_class), {f"e{row.pk}-days_attended": "5"})

    assert response.context["rows"][0].form.errors == {
        "days_open": ["Enter the days open, here or for the whole class."]
    }
    assert _figures() == []


def test_class_form_keeps_a_used_month_read_only(signed_in, centre_class):
    locked, open_row = (enrolment(centre_class=centre_class) for _ in range(2))
    attendance(locked, OCTOBER, days_open=21, days_attended=17, used_by_payout_run_id=9)

    response = signed_in.post(
        _class_url(centre_class),
        {
            f"e{locked.pk}-days_open": "21",
            f"e{locked.pk}-days_attended": "3",
            f"e{open_row.pk}-days_open": "21",
            f"e{open_row.pk}-days_attended": "21",
        },
    )

    assert response.status_code == 302
    assert _figures() == [(locked.pk, 21, 17), (open_row.pk, 21, 21)]


def test_class_form_with_a_badly_written_month_is_404(signed_in, centre_class):
    assert signed_in.get(_class_url(centre_class, "2025-13")).status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_class_form_query_count_does_not_grow_with_rows(
    signed_in, centre_class, count, django_assert_max_num_queries
):
    for _ in range(count):
        attendance(enrolment(centre_class=centre_class), OCTOBER)

    with django_assert_max_num_queries(8):
        response = signed_in.get(_class_url(centre_class))

    assert len(response.context["rows"]) == count
