"""Applying costs a fixed, small number of queries whatever the outcome: the API and the form
each write the application once, in the state its moves end in, with one INSERT for its audit
records and one for its notices (see the limits below)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application
from apps.core.models import AuditRecord
from apps.employers.models import Employment
from tests.admissions.factories import application, family, place, start_month

pytestmark = pytest.mark.django_db
State = Application.State

# In a test, the request's transaction shows as SAVEPOINT/RELEASE where a live request has
# BEGIN/COMMIT (both counted), and the audit records' content type is read (a live process
# has it cached) where a live request reads its token: the counts are the live ones, which
# `benchmark admissions` reports and issue 6 asks to be at most 15. One of each count is the
# Idempotency-Key's response, kept after the work.
API_LIMITS = {State.OFFERED: 15, State.WAITING: 13, State.SUBMITTED: 13}
# The form adds the session, its user and the form's three choice lists.
FORM_LIMITS = {State.OFFERED: 21, State.WAITING: 20}


def setting_for(outcome: str):
    if outcome == "offered_bought":
        return place(bought=5)
    setting = place(capacity=2)
    if outcome == "waiting":
        application(setting, State.OFFERED)
        application(setting, State.ENROLLED)
    return setting


def body(setting, kin) -> dict:
    return {
        "child": kin.child.pk,
        "programme": setting.programme.pk,
        "centre": setting.centre.pk,
        "age_class": setting.age_class,
        "start_month": f"{start_month():%Y-%m}",
    }


def api_apply(setting, kin, key="key-1"):
    client = APIClient()
    client.force_authenticate(kin.user)
    url = reverse("api-application-list")
    return client.post(url, body(setting, kin), format="json", HTTP_IDEMPOTENCY_KEY=key)


# (outcome, how the applicant's employment is known, state reached)
OUTCOMES = [
    ("offered", Employment.VerifiedBy.ROSTER, State.OFFERED),
    ("offered_bought", Employment.VerifiedBy.ROSTER, State.OFFERED),
    ("waiting", Employment.VerifiedBy.ROSTER, State.WAITING),
    ("offered", Employment.VerifiedBy.EMPLOYER, State.SUBMITTED),
]


@pytest.mark.parametrize(("outcome", "verified_by", "state"), OUTCOMES)
def test_applying_through_the_api_costs_at_most_the_limit_of_queries(
    django_assert_max_num_queries, outcome, verified_by, state
):
    setting = setting_for(outcome)
    kin = family(setting.employer, verified_by=verified_by)

    with django_assert_max_num_queries(API_LIMITS[state]):
        response = api_apply(setting, kin)

    assert (response.status_code, response.data["state"]) == (201, state)


@pytest.mark.parametrize(("outcome", "verified_by", "state"), OUTCOMES)
def test_the_api_answers_an_application_exactly_as_reading_it_back_would(
    outcome, verified_by, state
):
    setting = setting_for(outcome)
    kin = family(setting.employer, verified_by=verified_by)

    created = api_apply(setting, kin)
    client = APIClient()
    client.force_authenticate(kin.user)
    read = client.get(reverse("api-application-detail", kwargs={"pk": created.data["id"]}))

    assert created.status_code == 201
    assert created.json() == read.json()


def test_joining_the_waiting_list_says_the_place_in_line_as_the_list_does():
    setting = setting_for("waiting")
    first, second = family(setting.employer), family(setting.employer)

    answers = [api_apply(setting, kin).data["place_in_line"] for kin in (first, second)]

    assert answers == [1, 2]


def test_the_moves_of_an_application_offered_at_once_are_each_audited():
    setting = setting_for("offered")
    kin = family(setting.employer)

    created = api_apply(setting, kin)

    moves = AuditRecord.objects.filter(target_id=str(created.data["id"])).order_by("id")
    assert list(moves.values_list("action", "from_state", "to_state", "actor_label")) == [
        ("application.submitted", "", State.SUBMITTED, kin.user.username),
        ("application.employment_confirmed", State.SUBMITTED, State.EMPLOYMENT_CONFIRMED, "system"),
        ("application.offered", State.EMPLOYMENT_CONFIRMED, State.OFFERED, "system"),
    ]


@pytest.mark.parametrize("outcome", ["offered", "waiting"])
def test_applying_on_the_parent_form_costs_at_most_the_limit_of_queries(
    client, django_assert_max_num_queries, outcome
):
    setting = setting_for(outcome)
    kin = family(setting.employer)
    client.force_login(kin.user)
    data = body(setting, kin) | {"step": "submit", "token": "page-token-1"}

    state = State.OFFERED if outcome == "offered" else State.WAITING

    with django_assert_max_num_queries(FORM_LIMITS[state]):
        response = client.post(reverse("admissions:parent-apply"), data)

    assert response.status_code == 302
    assert Application.objects.get(child=kin.child).state == state


def test_the_query_count_of_applying_does_not_grow_with_the_waiting_list():
    setting = setting_for("waiting")
    spent = []
    for waiting in (0, 20):
        for _ in range(waiting):
            application(setting, State.WAITING)
        kin = family(setting.employer)
        with CaptureQueriesContext(connection) as captured:
            api_apply(setting, kin, key=f"key-{waiting}")
        spent.append(len(captured))

    assert spent[0] == spent[1]
