"""Admin pages for programmes and place agreements: they open, and every write uses services."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.employers.models import PlaceAgreement, Programme
from tests.centres.factories import CentreClassFactory, CentreFactory
from tests.employers.factories import EmployerFactory
from tests.employers.test_programme_factories import PlaceAgreementFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


MODELS = ["programme", "placeagreement"]


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def agreement():
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(centres=[centre_class.centre], name="迁安爱心托育")
    return PlaceAgreementFactory(programme=programme, centre=centre_class.centre)


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:employers_{model}_{view}", args=args)


def objects(agreement) -> dict:
    return {"programme": agreement.programme, "placeagreement": agreement}


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_search_open(staff_client, agreement, model):
    assert staff_client.get(url(model, "changelist")).status_code == 200
    assert staff_client.get(url(model, "changelist"), {"q": "迁安"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_add_and_change_pages_open(staff_client, agreement, model):
    assert staff_client.get(url(model, "add")).status_code == 200
    assert staff_client.get(url(model, "change", objects(agreement)[model].pk)).status_code == 200


def test_changelist_filters_by_model_status_and_funder(staff_client, agreement):
    query = {"delivery_model": "own_centre", "status": "approved", "subsidy_funder": "employer"}

    response = staff_client.get(url("programme", "changelist"), query)

    assert response.context["cl"].result_count == 1


def test_adding_a_programme_goes_through_the_service(staff_client):
    centre = CentreFactory()
    lead = EmployerFactory()
    data = {
        "name": "凯达工贸职工子女半价入园",
        "delivery_model": "purchased",
        "lead_employer": lead.pk,
        "centres": [centre.pk],
        "parent_share_percent": "50",
        "subsidy_amount": "0",
        "subsidy_basis": "per_child",
        "subsidy_funder": "employer",
        "offer_days": "7",
        "start_date": "2026-01-01",
        "place_agreements-TOTAL_FORMS": "0",
        "place_agreements-INITIAL_FORMS": "0",
    }

    response = staff_client.post(url("programme", "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get()
    assert (programme.status, list(programme.centres.all())) == ("draft", [centre])
    assert AuditRecord.objects.get().action == "programme.create"


def test_admin_form_shows_the_services_refusal(staff_client):
    data = {
        "name": "联合会福利托育",
        "delivery_model": "federation",
        "parent_share_percent": "80",
        "subsidy_amount": "0",
        "subsidy_basis": "per_child",
        "subsidy_funder": "union",
        "offer_days": "7",
        "start_date": "2026-01-01",
        "centres": [CentreFactory().pk],
        "place_agreements-TOTAL_FORMS": "0",
        "place_agreements-INITIAL_FORMS": "0",
    }

    response = staff_client.post(url("programme", "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["federation"] == [
        "A federation programme needs its union federation."
    ]
    assert Programme.objects.count() == 0


def run_action(client, action: str, programmes, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [p.pk for p in programmes], **extra}
    return client.post(url("programme", "changelist"), data)


def test_approve_action_approves_submitted_programmes(staff_client):
    programme = ProgrammeFactory(status="submitted")

    run_action(staff_client, "approve", [programme])

    programme.refresh_from_db()
    assert programme.status == "approved"


def test_refuse_action_asks_for_a_reason_then_refuses(staff_client):
    programme = ProgrammeFactory(status="submitted")

    asked = run_action(staff_client, "refuse", [programme])
    run_action(staff_client, "refuse", [programme], apply="1", reason="未列明托育机构")

    programme.refresh_from_db()
    assert asked.status_code == 200
    assert programme.status == "refused"
    assert AuditRecord.objects.get().reason == "未列明托育机构"


def test_suspend_action_leaves_a_draft_unchanged(staff_client):
    programme = ProgrammeFactory(status="draft")

    run_action(staff_client, "suspend", [programme], apply="1", reason="整改")

    programme.refresh_from_db()
    assert programme.status == "draft"


def test_adding_an_agreement_beyond_capacity_shows_the_reason(staff_client, agreement):
    data = {
        "programme": agreement.programme_id,
        "centre": agreement.centre_id,
        "age_class": "toddler",
        "places": "11",
        "start_month": "2026-03-01",
        "payment_mode": "per_child",
    }

    response = staff_client.post(url("placeagreement", "add"), data)

    assert response.status_code == 200
    assert "places" in response.context["adminform"].form.errors
    assert PlaceAgreement.objects.count() == 1


def test_changing_an_agreements_places_goes_through_the_service(staff_client, agreement):
    data = {"places": "8", "end_month": "", "agreed_monthly_price": ""}

    response = staff_client.post(url("placeagreement", "change", agreement.pk), data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.places == 8
    assert AuditRecord.objects.get().action == "place_agreement.update"


def test_agreement_admin_adds_per_place_agreements_with_a_price(staff_client, agreement):
    data = {
        "programme": agreement.programme_id,
        "centre": agreement.centre_id,
        "age_class": "toddler",
        "places": "4",
        "start_month": "2026-03-15",
        "payment_mode": "per_place",
        "agreed_monthly_price": "700",
    }

    response = staff_client.post(url("placeagreement", "add"), data)

    assert response.status_code == 302
    created = PlaceAgreement.objects.latest("id")
    assert (created.start_month.day, created.agreed_monthly_price) == (1, Decimal("700.00"))
