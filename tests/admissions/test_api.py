"""The applications API: applying with the quote first, the moves as actions, each role's view."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application, Enrolment
from apps.employers.models import Employment
from apps.employers.pricing import format_month
from tests.admissions.factories import (
    application,
    as_seen,
    centre_admin,
    employer_admin,
    family,
    place,
    start_month,
)

pytestmark = pytest.mark.django_db
State = Application.State


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(setting, kin, **overrides) -> dict:
    return {
        "child": kin.child.pk,
        "programme": setting.programme.pk,
        "centre": setting.centre.pk,
        "age_class": setting.age_class,
        "start_month": format_month(start_month()),
    } | overrides


def test_the_quote_shows_the_monthly_price_before_applying():
    setting = place(parent_share_percent=Decimal("50"), subsidy_amount=Decimal("200"))
    kin = family(setting.employer)
    query = body(setting, kin)

    response = client_for(kin.user).get(reverse("api-application-quote"), query)

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("market_price", "parent_fee", "subsidy")} == {
        "market_price": "1800.00",
        "parent_fee": "900.00",
        "subsidy": "200.00",
    }
    assert response.json()["free_places"] == 15


def test_applying_answers_201_with_the_application_and_its_place_in_the_process():
    setting = place()
    kin = family(setting.employer)

    response = client_for(kin.user).post(
        reverse("api-application-list"), body(setting, kin), format="json"
    )

    assert response.status_code == 201
    assert (response.json()["state"], response.json()["child_name"]) == (
        State.OFFERED,
        kin.child.full_name,
    )


def test_a_refused_application_names_the_field_in_the_error():
    setting = place()
    kin = family(setting.employer, months_old=30)

    response = client_for(kin.user).post(
        reverse("api-application-list"), body(setting, kin), format="json"
    )

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == (
        "age_mismatch",
        ["age_class"],
    )


def test_another_familys_child_is_refused_as_not_found_in_the_child_field():
    setting = place()
    kin, other = family(setting.employer), family(setting.employer)

    response = client_for(kin.user).post(
        reverse("api-application-list"), body(setting, other), format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"child": [as_seen("Choose one of your own children.")]}
    assert Application.objects.count() == 0


def test_same_idempotency_key_twice_creates_one_application_and_returns_the_same_response():
    setting = place()
    kin = family(setting.employer)
    client = client_for(kin.user)
    url = reverse("api-application-list")

    first = client.post(url, body(setting, kin), format="json", HTTP_IDEMPOTENCY_KEY="tap-1")
    second = client.post(url, body(setting, kin), format="json", HTTP_IDEMPOTENCY_KEY="tap-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


def test_same_idempotency_key_with_a_different_body_is_refused_with_422():
    setting = place(capacity=3)
    kin = family(setting.employer)
    sibling = family(setting.employer, member=kin.member)
    client = client_for(kin.user)
    url = reverse("api-application-list")
    client.post(url, body(setting, kin), format="json", HTTP_IDEMPOTENCY_KEY="tap-2")

    response = client.post(url, body(setting, sibling), format="json", HTTP_IDEMPOTENCY_KEY="tap-2")

    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")
    assert Application.objects.count() == 1


def test_a_refused_request_can_be_corrected_and_resent_with_the_same_key():
    setting = place()
    kin = family(setting.employer)
    client = client_for(kin.user)
    url = reverse("api-application-list")
    client.post(
        url, body(setting, kin, age_class="infant"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )

    response = client.post(url, body(setting, kin), format="json", HTTP_IDEMPOTENCY_KEY="k-3")

    assert response.status_code == 201


def test_the_same_key_of_two_users_are_two_requests():
    setting = place()
    kin, other = family(setting.employer), family(setting.employer)
    url = reverse("api-application-list")

    for someone in (kin, other):
        client_for(someone.user).post(
            url, body(setting, someone), format="json", HTTP_IDEMPOTENCY_KEY="same"
        )

    assert Application.objects.count() == 2


def test_accepting_returns_the_enrolment_with_its_price():
    setting = place()
    row = application(setting, State.OFFERED)

    response = client_for(row.applicant.user).post(
        reverse("api-application-accept", kwargs={"pk": row.pk})
    )

    assert response.status_code == 200
    assert (
        response.json()["application"]["state"],
        response.json()["enrolment"]["parent_fee"],
    ) == (
        State.ENROLLED,
        "900.00",
    )


def test_declining_and_withdrawing_are_the_parents_moves():
    setting = place(capacity=2)
    offered, waiting = application(setting, State.OFFERED), application(setting, State.WAITING)

    declined = client_for(offered.applicant.user).post(
        reverse("api-application-decline", kwargs={"pk": offered.pk}), {"reason": "搬家"}
    )
    withdrawn = client_for(waiting.applicant.user).post(
        reverse("api-application-withdraw", kwargs={"pk": waiting.pk})
    )

    assert (declined.json()["state"], withdrawn.json()["state"]) == (
        State.DECLINED,
        State.WITHDRAWN,
    )


def test_the_employer_admin_confirms_employment_and_the_application_is_offered():
    setting = place()
    row = application(
        setting,
        State.SUBMITTED,
        kin=family(setting.employer, verified_by=Employment.VerifiedBy.EMPLOYER),
    )

    response = client_for(employer_admin(setting.employer)).post(
        reverse("api-application-confirm-employment", kwargs={"pk": row.pk})
    )

    assert (response.status_code, response.json()["state"]) == (200, State.OFFERED)


def test_rejecting_without_a_reason_is_refused_naming_the_reason():
    setting = place()
    row = application(setting, State.WAITING)

    response = client_for(centre_admin(setting.centre)).post(
        reverse("api-application-reject", kwargs={"pk": row.pk}), {}
    )

    assert (response.status_code, list(response.json()["fields"])) == (400, ["reason"])
    assert Application.objects.get(pk=row.pk).state == State.WAITING


def test_the_centre_admins_offer_without_a_free_place_is_a_409_saying_so():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    row = application(setting, State.WAITING)

    response = client_for(centre_admin(setting.centre)).post(
        reverse("api-application-offer", kwargs={"pk": row.pk})
    )

    assert (response.status_code, response.json()["code"]) == (409, "no_place")


def test_the_centre_ends_an_enrolment_with_an_end_date():
    setting = place()
    row = application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=row)

    response = client_for(centre_admin(setting.centre)).post(
        reverse("api-enrolment-end", kwargs={"pk": enrolment.pk}),
        {"end_date": start_month().isoformat()},
    )

    assert (response.status_code, response.json()["status"]) == (200, "ended")


def test_each_family_sees_its_place_in_line():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    rows = [application(setting, State.WAITING) for _ in range(3)]

    places = [
        client_for(row.applicant.user)
        .get(reverse("api-application-detail", kwargs={"pk": row.pk}))
        .json()["place_in_line"]
        for row in rows
    ]

    assert places == [1, 2, 3]


def test_the_centre_sees_its_whole_waiting_list_in_order():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    later = application(setting, State.WAITING, priority_rank=99)
    first = application(setting, State.WAITING, priority_rank=0)

    response = client_for(centre_admin(setting.centre)).get(reverse("api-application-waiting-list"))

    assert [(r["id"], r["place_in_line"]) for r in response.json()["results"]] == [
        (first.pk, 1),
        (later.pk, 2),
    ]
