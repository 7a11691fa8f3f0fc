"""Union staff console for applications and enrolments: read-only pages and the system actions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from apps.admissions.models import Application, Enrolment
from tests.admissions.factories import application, place

pytestmark = pytest.mark.django_db
State = Application.State


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.mark.parametrize("model", ["application", "enrolment"])
def test_changelist_and_search_answer(staff_client, model):
    row = application(place(), State.ENROLLED)
    url = reverse(f"admin:admissions_{model}_changelist")

    listed = staff_client.get(url)
    searched = staff_client.get(url, {"q": row.child.full_name})

    assert (listed.status_code, searched.status_code) == (200, 200)
    assert row.child.full_name in searched.content.decode()


@pytest.mark.parametrize("model", ["application", "enrolment"])
def test_records_are_viewable_but_not_added_or_changed(staff_client, model):
    row = application(place(), State.ENROLLED)
    target = row if model == "application" else Enrolment.objects.get(application=row)

    view = staff_client.get(reverse(f"admin:admissions_{model}_change", args=[target.pk]))
    add = staff_client.get(reverse(f"admin:admissions_{model}_add"))
    post = staff_client.post(
        reverse(f"admin:admissions_{model}_change", args=[target.pk]), {"state": "ended"}
    )

    assert (view.status_code, add.status_code, post.status_code) == (200, 403, 403)
    assert Application.objects.get(pk=row.pk).state == State.ENROLLED


def test_the_expire_action_expires_overdue_offers(staff_client):
    setting = place(capacity=1)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))

    staff_client.post(
        reverse("admin:admissions_application_changelist"),
        {"action": "expire_due_offers", "_selected_action": [overdue.pk]},
    )

    assert Application.objects.get(pk=overdue.pk).state == State.EXPIRED


def test_the_fill_action_offers_a_place_left_free_to_the_first_in_line(staff_client):
    setting = place(capacity=1)
    waiting = application(setting, State.WAITING)

    staff_client.post(
        reverse("admin:admissions_application_changelist"),
        {"action": "offer_free_places", "_selected_action": [waiting.pk]},
    )

    assert Application.objects.get(pk=waiting.pk).state == State.OFFERED
