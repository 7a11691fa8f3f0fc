"""Programme pages: the parent's finder, the employer's programmes and places, the centre's free
places and union staff's city figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.employers.models import PlaceAgreement, Programme
from tests.centres.factories import CentreAdminFactory, CentreClassFactory, CentreFactory
from tests.employers.test_programme_factories import PlaceAgreementFactory, ProgrammeFactory
from tests.members.factories import ChildFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


PARENT_PAGE = reverse("programmes:parent-list")


@pytest.fixture
def parent_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def employer_client(client, employer_admin_user, employer):
    client.force_login(employer_admin_user)
    return client


@pytest.fixture
def junde(employment):
    """骏德幼儿园 in the parent's employer's own-centre programme: 100 %, 200 yuan per worker."""
    centre = CentreFactory(name="骏德幼儿园")
    CentreClassFactory(
        centre=centre, age_class="older_toddler", capacity=20, monthly_price=Decimal("1200")
    )
    ProgrammeFactory(
        lead_employer=employment.employer,
        name="鑫达职工子女托育",
        parent_share_percent=Decimal("100"),
        subsidy_basis="per_worker",
        centres=[centre],
    )
    return centre


def text(response) -> str:
    return response.content.decode()


def test_parent_page_shows_the_programme_centre_and_monthly_cost(parent_client, junde):
    response = parent_client.get(PARENT_PAGE, {"start_month": "2026-03"})

    assert response.status_code == 200
    page = text(response)
    assert "鑫达职工子女托育" in page and "骏德幼儿园" in page
    assert "1200.00" in page and "1000.00" in page  # fee, then fee minus the 200 subsidy


def test_parent_page_links_each_offer_to_the_apply_form_with_the_place_chosen(parent_client, junde):
    programme = Programme.objects.get(name="鑫达职工子女托育")

    page = text(parent_client.get(PARENT_PAGE, {"start_month": "2026-03"}))

    apply = f"/parent/apply/?programme={programme.pk}&amp;centre={junde.pk}&amp;age_class="
    assert f'<a class="button" href="{apply}older_toddler">Apply for a place</a>' in page
    assert "<strong>1200.00 yuan</strong> (100%)" in page  # the fee, in yuan


def test_parent_page_without_a_search_lists_next_months_programmes(parent_client, junde):
    response = parent_client.get(PARENT_PAGE)

    assert response.context["page"].paginator.count == 1


def test_parent_page_explains_a_child_too_young_for_the_month(parent_client, member, junde):
    child = ChildFactory(guardian=member, birth_date=date(2025, 12, 1), full_name="小雨")

    response = parent_client.get(PARENT_PAGE, {"child": child.pk, "start_month": "2026-03"})

    assert response.context["form"].errors["child"] == [
        "小雨 is 3 months old then: programmes take children aged 6 months to 6 years."
    ]
    assert response.context["page"] is None


def test_parent_page_offers_only_the_parents_own_children(parent_client, other_child, junde):
    response = parent_client.get(PARENT_PAGE, {"child": other_child.pk})

    assert "child" in response.context["form"].errors


def test_parent_page_needs_signing_in(client):
    response = client.get(PARENT_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_parent_page_is_refused_to_an_employer_admin(employer_client):
    assert employer_client.get(PARENT_PAGE).status_code == 403


# Employer pages


def programme_form(centre, **overrides) -> dict:
    return {
        "name": "鑫达钢铁职工子女托育",
        "delivery_model": "own_centre",
        "centres": [centre.pk],
        "parent_share_percent": "100",
        "subsidy_amount": "200",
        "subsidy_basis": "per_worker",
        "subsidy_funder": "employer",
        "offer_days": "7",
        "start_date": "2026-01-01",
        **overrides,
    }


def test_employer_registers_a_draft_from_the_form(employer_client, employer):
    centre = CentreFactory()

    response = employer_client.post(reverse("programmes:employer-create"), programme_form(centre))

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:employer-detail", args=[programme.pk])
    assert (programme.lead_employer, programme.status) == (employer, "draft")


def test_employer_form_shows_the_services_refusal_on_its_field(employer_client):
    data = programme_form(CentreFactory(), end_date="2025-12-31")

    response = employer_client.post(reverse("programmes:employer-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date cannot be before the start date."
    ]
    assert Programme.objects.count() == 0


def test_employer_lists_its_programmes(employer_client, employer):
    ProgrammeFactory(lead_employer=employer, name="我们的项目")
    ProgrammeFactory(name="别人的项目")

    page = text(employer_client.get(reverse("programmes:employer-list")))

    assert "我们的项目" in page and "别人的项目" not in page


def test_employer_edits_then_submits_a_draft(employer_client, employer):
    centre = CentreFactory()
    programme = ProgrammeFactory(lead_employer=employer, status="draft", centres=[centre])

    edit = employer_client.post(
        reverse("programmes:employer-edit", args=[programme.pk]),
        programme_form(centre, parent_share_percent="90"),
    )
    submit = employer_client.post(reverse("programmes:employer-submit", args=[programme.pk]))

    programme.refresh_from_db()
    assert (edit.status_code, submit.status_code) == (302, 302)
    assert (programme.parent_share_percent, programme.status) == (Decimal("90.00"), "submitted")


def test_approved_programme_cannot_be_edited(employer_client, employer):
    programme = ProgrammeFactory(lead_employer=employer)

    response = employer_client.get(reverse("programmes:employer-edit", args=[programme.pk]))

    assert response.status_code == 302


def test_employer_detail_shows_what_bought_places_cost(employer_client, employer):
    centre_class = CentreClassFactory(monthly_price=Decimal("1650"))
    programme = ProgrammeFactory(
        lead_employer=employer, delivery_model="purchased", centres=[centre_class.centre]
    )
    PlaceAgreementFactory(
        programme=programme,
        centre=centre_class.centre,
        places=6,
        payment_mode="per_place",
        agreed_monthly_price=Decimal("700"),
    )
    PlaceAgreementFactory(programme=programme, centre=centre_class.centre, places=4, places_taken=2)

    response = employer_client.get(reverse("programmes:employer-detail", args=[programme.pk]))

    costs = sorted(a.monthly_cost for a in response.context["agreements"])
    # per bought place: 6 × 700.00; per enrolled child: 2 × (1650.00 − 1402.50)
    assert costs == [Decimal("495.00"), Decimal("4200.00")]
    assert response.context["monthly_total"] == Decimal("4695.00")


def test_employer_buys_places_from_the_detail_page(employer_client, employer):
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre])
    url = reverse("programmes:employer-agreement-create", args=[programme.pk])
    data = {
        "centre": centre_class.centre_id,
        "age_class": "toddler",
        "places": "5",
        "start_month": "2026-03",
        "payment_mode": "per_child",
    }

    response = employer_client.post(url, data)

    assert response.status_code == 302
    assert PlaceAgreement.objects.get().start_month == date(2026, 3, 1)


def test_buying_beyond_capacity_shows_the_reason_on_places(employer_client, employer):
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre])
    data = {
        "centre": centre_class.centre_id,
        "age_class": "toddler",
        "places": "16",
        "start_month": "2026-03",
        "payment_mode": "per_child",
    }

    response = employer_client.post(
        reverse("programmes:employer-agreement-create", args=[programme.pk]), data
    )

    assert response.status_code == 400
    assert "places" in response.context["agreement_form"].errors
    assert PlaceAgreement.objects.count() == 0


def test_another_employers_programme_is_not_found(employer_client):
    other = ProgrammeFactory()

    response = employer_client.get(reverse("programmes:employer-detail", args=[other.pk]))

    assert response.status_code == 404


# Centre and union staff pages


def test_centre_sees_free_places_per_class(client):
    centre_class = CentreClassFactory(name="托小一班", capacity=15, places_taken=4)
    client.force_login(CentreAdminFactory(centre=centre_class.centre).user)

    response = client.get(reverse("programmes:centre-places"))

    [row] = response.context["summary"].centres
    assert [(c.name, c.places_free) for c in row.classes] == [("托小一班", 11)]


def test_union_staff_see_the_city_places_page(client, union_staff):
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(centres=[centre_class.centre])
    PlaceAgreementFactory(programme=programme, centre=centre_class.centre, places=5)
    client.force_login(union_staff)

    response = client.get(reverse("programmes:dashboard-places"), {"month": "2026-03"})

    assert response.status_code == 200
    totals = response.context["summary"].totals
    assert (totals.capacity, totals.bought, totals.bought_free) == (15, 5, 5)


@pytest.mark.parametrize("name", ["programmes:centre-places", "programmes:dashboard-places"])
def test_places_pages_are_refused_to_parents(parent_client, name):
    assert parent_client.get(reverse(name)).status_code == 403
