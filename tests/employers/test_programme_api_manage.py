"""The programme API for organisers, centres and union staff: scopes, registration, the state
table, place agreements and places across the city."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.models import AuditRecord
from apps.employers.models import PlaceAgreement, Programme
from tests.accounts.factories import UserFactory
from tests.centres.factories import (
    CentreAdminFactory,
    CentreClassFactory,
    CentreFactory,
    FederationFactory,
)
from tests.employers.factories import EmployerFactory
from tests.employers.test_programme_factories import PlaceAgreementFactory, ProgrammeFactory
from tests.members.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


LIST = "/api/v1/programmes/"


@pytest.fixture
def employer_api(api_client, employer_admin_user, employer):
    return login(api_client, employer_admin_user)


@pytest.fixture
def staff_api(api_client, union_staff):
    return login(api_client, union_staff)


@pytest.fixture
def centre_class():
    return CentreClassFactory(capacity=15, monthly_price=Decimal("1800"))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def registration(centre, **overrides) -> dict:
    return {
        "name": "鑫达钢铁职工子女托育",
        "delivery_model": "own_centre",
        "centres": [centre.pk],
        "parent_share_percent": "100",
        "subsidy_amount": "200",
        "subsidy_basis": "per_worker",
        "subsidy_funder": "employer",
        "offer_days": 7,
        "start_date": "2026-01-01",
        **overrides,
    }


# Scopes


def test_employer_admin_lists_programmes_it_runs_or_is_listed_on(employer_api, employer):
    led = ProgrammeFactory(lead_employer=employer, status="draft")
    listed = ProgrammeFactory(delivery_model="co_built", employers=[employer])
    ProgrammeFactory()

    assert sorted(ids(employer_api.get(LIST))) == sorted([led.pk, listed.pk])


def test_union_staff_list_every_programme_with_status(staff_api):
    programmes = [ProgrammeFactory(status=s) for s in ("draft", "submitted", "approved")]

    response = staff_api.get(LIST)

    assert sorted(ids(response)) == sorted(p.pk for p in programmes)
    assert {i["status"] for i in response.json()["results"]} == {"draft", "submitted", "approved"}


def test_centre_admin_lists_submitted_programmes_at_their_centre(api_client, centre_class):
    admin = CentreAdminFactory(centre=centre_class.centre).user
    shown = ProgrammeFactory(status="submitted", centres=[centre_class.centre])
    ProgrammeFactory(status="draft", centres=[centre_class.centre])
    ProgrammeFactory(centres=[CentreFactory()])

    assert ids(login(api_client, admin).get(LIST)) == [shown.pk]


def test_reviewer_is_not_allowed(api_client):
    assert login(api_client, UserFactory(role="reviewer")).get(LIST).status_code == 403


def test_detail_of_another_employers_programme_is_not_found(employer_api):
    other = ProgrammeFactory()

    assert employer_api.get(f"{LIST}{other.pk}/").status_code == 404


def test_manage_output_lists_organiser_employers_and_centres(staff_api, centre_class):
    shop = EmployerFactory(kind="tenant_business", name="美居瓷砖店")
    programme = ProgrammeFactory(
        delivery_model="co_built", employers=[shop], centres=[centre_class.centre]
    )

    body = staff_api.get(f"{LIST}{programme.pk}/").json()

    assert body["lead_employer_name"] == programme.lead_employer.name
    assert body["employers"] == [{"id": shop.pk, "name": "美居瓷砖店"}]
    assert body["centres"] == [{"id": centre_class.centre_id, "name": centre_class.centre.name}]
    assert (body["parent_share_percent"], body["subsidy_amount"]) == ("85.00", "200.00")


# Registration


def test_employer_admin_registers_a_draft_for_their_own_employer(
    employer_api, employer, employer_admin_user, centre_class
):
    response = employer_api.post(LIST, registration(centre_class.centre), format="json")

    assert response.status_code == 201, response.json()
    programme = Programme.objects.get(pk=response.json()["id"])
    assert (programme.lead_employer, programme.status, programme.registered_by) == (
        employer,
        "draft",
        employer_admin_user,
    )


def test_employer_admin_cannot_register_for_another_employer(employer_api, centre_class):
    other = EmployerFactory()

    response = employer_api.post(
        LIST, registration(centre_class.centre, lead_employer=other.pk), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["lead_employer"]
    assert Programme.objects.count() == 0


def test_employer_admin_cannot_register_a_federation_programme(employer_api, centre_class):
    body = registration(
        centre_class.centre, delivery_model="federation", federation=FederationFactory().pk
    )

    response = employer_api.post(LIST, body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "delivery_model": ["Only union staff register a federation programme."]
    }


def test_union_staff_register_a_federation_programme(staff_api):
    welfare = CentreFactory(offers_welfare_childcare=True)
    federation = FederationFactory()
    body = registration(
        welfare,
        delivery_model="federation",
        federation=federation.pk,
        subsidy_funder="union",
        subsidy_basis="per_child",
    )

    response = staff_api.post(LIST, body, format="json")

    assert response.status_code == 201, response.json()
    assert (response.json()["federation"], response.json()["lead_employer"]) == (
        federation.pk,
        None,
    )


def test_registration_refusal_names_the_field_and_saves_nothing(employer_api, centre_class):
    body = registration(centre_class.centre, start_date="2026-01-01", end_date="2025-01-01")

    response = employer_api.post(LIST, body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "end_date": ["The end date cannot be before the start date."]
    }
    assert Programme.objects.count() == 0


def test_patch_changes_a_draft(employer_api, employer):
    programme = ProgrammeFactory(lead_employer=employer, status="draft")

    response = employer_api.patch(
        f"{LIST}{programme.pk}/", {"parent_share_percent": "90"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["parent_share_percent"] == "90.00"


def test_patch_of_an_approved_programme_is_a_conflict(employer_api, employer):
    programme = ProgrammeFactory(lead_employer=employer)

    response = employer_api.patch(f"{LIST}{programme.pk}/", {"name": "改名"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    programme.refresh_from_db()
    assert programme.name != "改名"


def test_listed_employer_cannot_patch_the_leads_programme(employer_api, employer):
    programme = ProgrammeFactory(status="draft", employers=[employer])

    assert employer_api.patch(f"{LIST}{programme.pk}/", {}, format="json").status_code == 404


# State table


def test_submit_approve_suspend_and_end_through_the_api(
    employer_api, api_client, employer, union_staff, centre_class
):
    programme = ProgrammeFactory(
        lead_employer=employer, status="draft", centres=[centre_class.centre]
    )
    url = f"{LIST}{programme.pk}"

    assert employer_api.post(f"{url}/submit/").json()["status"] == "submitted"
    staff = login(api_client.__class__(), union_staff)
    assert staff.post(f"{url}/approve/").json()["status"] == "approved"
    assert staff.post(f"{url}/suspend/", {"reason": "整改"}, format="json").json()["status"] == (
        "suspended"
    )
    assert employer_api.post(f"{url}/end/").json()["status"] == "ended"


def test_refuse_without_a_reason_is_refused(staff_api):
    programme = ProgrammeFactory(status="submitted")

    response = staff_api.post(f"{LIST}{programme.pk}/refuse/", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    programme.refresh_from_db()
    assert programme.status == "submitted"


def test_employer_admin_cannot_approve(employer_api, employer):
    programme = ProgrammeFactory(lead_employer=employer, status="submitted")

    assert employer_api.post(f"{LIST}{programme.pk}/approve/").status_code == 403
    programme.refresh_from_db()
    assert programme.status == "submitted"


def test_approving_twice_is_a_conflict(staff_api):
    programme = ProgrammeFactory(status="approved")

    response = staff_api.post(f"{LIST}{programme.pk}/approve/")

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


# Place agreements


def agreements_url(programme) -> str:
    return f"{LIST}{programme.pk}/place-agreements/"


def test_employer_buys_places_paid_per_bought_place(employer_api, employer, centre_class):
    programme = ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre])
    body = {
        "centre": centre_class.centre_id,
        "age_class": "toddler",
        "places": 6,
        "start_month": "2026-03",
        "end_month": "2026-12",
        "payment_mode": "per_place",
        "agreed_monthly_price": "700",
    }

    response = employer_api.post(agreements_url(programme), body, format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["start_month"], created["end_month"], created["places_free"]) == (
        "2026-03",
        "2026-12",
        6,
    )
    assert (created["agreed_monthly_price"], created["bought_places_monthly_cost"]) == (
        "700.00",
        "4200.00",
    )
    assert created["buyer_name"] == employer.name


def test_buying_beyond_capacity_is_refused_naming_places(employer_api, employer, centre_class):
    programme = ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre])
    body = {
        "centre": centre_class.centre_id,
        "age_class": "toddler",
        "places": 16,
        "start_month": "2026-03",
        "payment_mode": "per_child",
    }

    response = employer_api.post(agreements_url(programme), body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "no_capacity")
    assert list(response.json()["fields"]) == ["places"]
    assert PlaceAgreement.objects.count() == 0


def test_bad_month_is_refused_naming_the_field(employer_api, employer, centre_class):
    programme = ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre])
    body = {
        "centre": centre_class.centre_id,
        "age_class": "toddler",
        "places": 1,
        "start_month": "2026-3-1",
        "payment_mode": "per_child",
    }

    response = employer_api.post(agreements_url(programme), body, format="json")

    assert response.json()["fields"] == {"start_month": ["Enter a month as YYYY-MM."]}


def test_centre_admin_sees_only_agreements_at_their_centre(api_client, centre_class):
    programme = ProgrammeFactory(centres=[centre_class.centre, CentreFactory()])
    mine = PlaceAgreementFactory(programme=programme, centre=centre_class.centre)
    PlaceAgreementFactory(
        programme=programme, centre=programme.centres.exclude(pk=centre_class.centre_id).get()
    )
    admin = CentreAdminFactory(centre=centre_class.centre).user

    assert ids(login(api_client, admin).get(agreements_url(programme))) == [mine.pk]


def test_listed_employer_does_not_see_what_the_lead_paid(employer_api, employer):
    programme = ProgrammeFactory(delivery_model="co_built", employers=[employer])
    PlaceAgreementFactory(programme=programme)

    assert employer_api.get(agreements_url(programme)).status_code == 404


# Places


def test_union_staff_see_places_bought_used_and_free_across_the_city(staff_api, centre_class):
    CentreClassFactory(centre=centre_class.centre, capacity=10, places_taken=4)
    own = ProgrammeFactory(centres=[centre_class.centre])
    federation = ProgrammeFactory(federation_run=True, centres=[centre_class.centre])
    PlaceAgreementFactory(programme=own, centre=centre_class.centre, places=5, places_taken=2)
    PlaceAgreementFactory(programme=federation, centre=centre_class.centre, places=3)
    PlaceAgreementFactory(
        programme=own, centre=centre_class.centre, places=9, start_month=date(2027, 1, 1)
    )

    body = staff_api.get("/api/v1/places/?month=2026-03").json()

    assert body["month"] == "2026-03"
    assert body["totals"] == {
        "capacity": 25,
        "taken": 4,
        "free": 21,
        "bought": 8,
        "bought_used": 2,
        "bought_free": 6,
    }
    by_model = {
        g["key"]: (g["programmes"], g["places_bought"], g["places_used"]) for g in body["by_model"]
    }
    assert by_model == {
        "own_centre": (1, 5, 2),
        "co_built": (0, 0, 0),
        "purchased": (0, 0, 0),
        "federation": (1, 3, 0),
    }
    by_funder = {g["key"]: g["programmes"] for g in body["by_funder"]}
    assert by_funder == {"employer": 1, "union": 1, "city": 0}


def test_centre_admin_sees_the_free_places_of_each_class(api_client, centre_class):
    CentreClassFactory(centre=centre_class.centre, name="托小二班", capacity=10, places_taken=4)
    CentreClassFactory(capacity=15)  # another centre
    admin = CentreAdminFactory(centre=centre_class.centre).user

    body = login(api_client, admin).get("/api/v1/places/").json()

    [centre] = body["centres"]
    assert centre["id"] == centre_class.centre_id
    free = {
        c["name"]: (c["capacity"], c["places_taken"], c["places_free"]) for c in centre["classes"]
    }
    assert free == {centre_class.name: (15, 0, 15), "托小二班": (10, 4, 6)}


def test_places_refuse_a_bad_month(staff_api):
    response = staff_api.get("/api/v1/places/?month=2026-13")

    assert response.json()["fields"] == {"month": ["Enter a month as YYYY-MM."]}


def test_audit_records_name_no_person_details(staff_api):
    programme = ProgrammeFactory(status="submitted")

    staff_api.post(
        f"{LIST}{programme.pk}/refuse/", {"reason": "联系人 13900001111 不对"}, format="json"
    )

    assert "13900001111" not in AuditRecord.objects.get().reason
