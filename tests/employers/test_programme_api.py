"""GET /api/v1/programmes/ for parents: programmes open to them, centres by distance, free places
and quotes; and the quote endpoint."""

from datetime import date
from decimal import Decimal

import pytest

from apps.centres.models import Centre
from tests.centres.factories import CentreClassFactory, CentreFactory
from tests.centres.test_selectors import ORIGIN, centre_north_of_origin, haversine_km
from tests.employers.test_programme_factories import PlaceAgreementFactory, ProgrammeFactory
from tests.members.factories import ChildFactory
from tests.members.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


LIST = "/api/v1/programmes/"
MARCH = "start_month=2026-03"


@pytest.fixture
def parent_api(api_client, member):
    return login(api_client, member.user)


@pytest.fixture
def programme(employment):
    """An own-centre programme of the parent's employer: 85 %, 200 yuan per child."""
    return ProgrammeFactory(lead_employer=employment.employer, name="鑫达职工子女托育")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def offers_of(item: dict) -> dict:
    return {
        (centre["name"], offer["age_class"]): offer
        for centre in item["centres"]
        for offer in centre["offers"]
    }


def test_parent_sees_the_programme_with_free_places_and_the_quote(parent_api, programme):
    centre = CentreFactory(name="骏德幼儿园")
    CentreClassFactory(centre=centre, capacity=15, places_taken=3, monthly_price=Decimal("1800"))
    programme.centres.set([centre])

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    assert (item["name"], item["delivery_model"], item["organiser_name"]) == (
        "鑫达职工子女托育",
        "own_centre",
        programme.lead_employer.name,
    )
    [listed] = item["centres"]
    assert (listed["name"], listed["area_name"], listed["distance_km"]) == (
        "骏德幼儿园",
        "永顺街道",
        None,
    )
    [offer] = listed["offers"]
    assert (offer["age_class"], offer["free_places"], offer["several_prices"]) == (
        "toddler",
        12,
        False,
    )
    assert offer["quote"] == {
        "market_price": "1800.00",
        "parent_share_percent": "85.00",
        "parent_fee": "1530.00",
        "employer_part": "270.00",
        "subsidy": "200.00",
        "subsidy_basis": "per_child",
        "subsidy_funder": "employer",
        "net_monthly_cost": "1330.00",
        "subsidy_exceeds_fee": False,
        "payment_mode": None,
    }


def test_free_places_are_the_lesser_of_class_and_bought_places(parent_api, employment):
    centre_class = CentreClassFactory(capacity=15, places_taken=3)
    programme = ProgrammeFactory(
        delivery_model="co_built", lead_employer=employment.employer, centres=[centre_class.centre]
    )
    PlaceAgreementFactory(programme=programme, centre=centre_class.centre, places=5, places_taken=1)

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    assert offers_of(item)[(centre_class.centre.name, "toddler")]["free_places"] == 4


def test_full_classes_limit_bought_places(parent_api, employment):
    centre_class = CentreClassFactory(capacity=15, places_taken=13)
    programme = ProgrammeFactory(
        delivery_model="purchased", lead_employer=employment.employer, centres=[centre_class.centre]
    )
    PlaceAgreementFactory(programme=programme, centre=centre_class.centre, places=10)

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    assert offers_of(item)[(centre_class.centre.name, "toddler")]["free_places"] == 2


def test_agreements_outside_the_start_month_do_not_count(parent_api, employment):
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(
        delivery_model="purchased", lead_employer=employment.employer, centres=[centre_class.centre]
    )
    PlaceAgreementFactory(
        programme=programme, centre=centre_class.centre, places=4, end_month=date(2026, 2, 1)
    )
    PlaceAgreementFactory(
        programme=programme, centre=centre_class.centre, places=3, start_month=date(2026, 3, 1)
    )

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    assert offers_of(item)[(centre_class.centre.name, "toddler")]["free_places"] == 3


def test_programme_that_bought_nothing_for_an_age_class_offers_none_of_it(parent_api, employment):
    centre = CentreFactory()
    CentreClassFactory(centre=centre, age_class="toddler")
    CentreClassFactory(centre=centre, age_class="older_toddler", capacity=20)
    programme = ProgrammeFactory(
        delivery_model="co_built", lead_employer=employment.employer, centres=[centre]
    )
    PlaceAgreementFactory(programme=programme, centre=centre, age_class="older_toddler")

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    assert list(offers_of(item)) == [(centre.name, "older_toddler")]


def test_several_prices_quote_the_lowest_class_with_a_free_place(parent_api, programme):
    centre = CentreFactory()
    CentreClassFactory(centre=centre, capacity=15, places_taken=15, monthly_price=Decimal("1600"))
    CentreClassFactory(centre=centre, capacity=15, places_taken=2, monthly_price=Decimal("2000"))
    CentreClassFactory(centre=centre, capacity=15, places_taken=0, monthly_price=Decimal("2200"))
    programme.centres.set([centre])

    [item] = results(parent_api.get(f"{LIST}?{MARCH}"))

    offer = offers_of(item)[(centre.name, "toddler")]
    assert (offer["market_price"], offer["several_prices"], offer["free_places"]) == (
        "2000.00",
        True,
        28,
    )
    assert offer["quote"]["parent_fee"] == "1700.00"


def test_parent_sees_no_programme_of_another_employer(parent_api, employment):
    ProgrammeFactory(centres=[CentreFactory()])

    assert results(parent_api.get(f"{LIST}?{MARCH}")) == []


def test_unapproved_centres_are_not_listed_to_parents(parent_api, programme):
    programme.centres.set([CentreFactory(status="suspended")])

    assert results(parent_api.get(f"{LIST}?{MARCH}")) == []


# Distance


def test_distance_search_lists_centres_inside_the_radius_nearest_first(parent_api, employment):
    near, far = centre_north_of_origin(1.0), centre_north_of_origin(2.5)
    outside = centre_north_of_origin(3.5)
    closer = ProgrammeFactory(lead_employer=employment.employer, centres=[near, outside])
    further = ProgrammeFactory(lead_employer=employment.employer, centres=[far, near])
    ProgrammeFactory(lead_employer=employment.employer, centres=[outside])

    items = results(parent_api.get(f"{LIST}?{MARCH}&lat={ORIGIN[0]}&lng={ORIGIN[1]}"))

    assert [i["id"] for i in items] == sorted([closer.pk, further.pk])
    by_id = {i["id"]: [(c["id"], c["distance_km"]) for c in i["centres"]] for i in items}
    assert by_id[closer.pk] == [(near.pk, 1.0)]
    assert by_id[further.pk] == [(near.pk, 1.0), (far.pk, 2.5)]


def test_programme_with_the_nearest_centre_comes_first(parent_api, employment):
    second = ProgrammeFactory(
        lead_employer=employment.employer, name="甲", centres=[centre_north_of_origin(2.0)]
    )
    first = ProgrammeFactory(
        lead_employer=employment.employer, name="乙", centres=[centre_north_of_origin(0.5)]
    )

    items = results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7&radius_km=3"))

    assert [i["id"] for i in items] == [first.pk, second.pk]


def test_centre_exactly_on_the_radius_is_inside(parent_api, programme):
    on_edge = centre_north_of_origin(3)
    programme.centres.set([on_edge])
    radius = haversine_km(*ORIGIN, float(on_edge.latitude), float(on_edge.longitude))

    items = results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7&radius_km={radius!r}"))

    assert [c["id"] for c in items[0]["centres"]] == [on_edge.pk]


def test_centre_just_beyond_the_radius_is_outside(parent_api, programme):
    on_edge = centre_north_of_origin(3)
    programme.centres.set([on_edge])
    radius = haversine_km(*ORIGIN, float(on_edge.latitude), float(on_edge.longitude)) - 0.001

    assert results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7&radius_km={radius!r}")) == []


def test_default_radius_is_three_km(parent_api, programme):
    inside, outside = centre_north_of_origin(2.9), centre_north_of_origin(3.1)
    programme.centres.set([inside, outside])

    [item] = results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7"))

    assert [c["id"] for c in item["centres"]] == [inside.pk]


def test_phone_position_in_wgs84_is_converted_before_the_search(parent_api, programme):
    # A WGS-84 fix in Qian'an lies about 500 m from the same spot's GCJ-02 coordinates.
    centre = CentreFactory(latitude=Decimal("40.001232"), longitude=Decimal("118.706034"))
    programme.centres.set([centre])

    gcj = results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7&radius_km=0.1"))
    wgs = results(parent_api.get(f"{LIST}?{MARCH}&lat=40&lng=118.7&radius_km=0.1&datum=wgs84"))

    assert (gcj, [c["id"] for c in wgs[0]["centres"]]) == ([], [centre.pk])


def test_area_filter_keeps_the_centres_of_that_area(parent_api, programme):
    here = CentreFactory()
    elsewhere = CentreFactory(area=here.area.__class__.objects.exclude(pk=here.area_id).first())
    programme.centres.set([here, elsewhere])

    [item] = results(parent_api.get(f"{LIST}?{MARCH}&area={here.area_id}"))

    assert [c["id"] for c in item["centres"]] == [here.pk]


# The child's age class


def test_child_narrows_offers_to_the_childs_age_class(parent_api, member, programme):
    centre = CentreFactory()
    CentreClassFactory(centre=centre, age_class="toddler")
    CentreClassFactory(centre=centre, age_class="kg_small", capacity=25)
    programme.centres.set([centre])
    child = ChildFactory(guardian=member, birth_date=date(2025, 1, 10))  # 13 months in March

    [item] = results(parent_api.get(f"{LIST}?{MARCH}&child={child.pk}"))

    assert list(offers_of(item)) == [(centre.name, "toddler")]


def test_child_of_another_family_is_refused(parent_api, other_child, programme):
    response = parent_api.get(f"{LIST}?{MARCH}&child={other_child.pk}")

    assert response.status_code == 400
    assert response.json()["fields"] == {"child": ["Choose one of your children."]}


def test_child_too_young_in_the_start_month_is_refused(parent_api, member, programme):
    child = ChildFactory(guardian=member, birth_date=date(2025, 10, 1), full_name="小雨")

    response = parent_api.get(f"{LIST}?{MARCH}&child={child.pk}")

    assert response.status_code == 400
    assert response.json()["fields"]["child"] == [
        "小雨 is 5 months old in 2026-03: programmes take children aged 6 months to 6 years."
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start_month=2026-3", "start_month"),
        ("start_month=March", "start_month"),
        ("lat=40", "lng"),
        ("radius_km=2", "lat"),
        ("lat=40&lng=118.7&radius_km=0", "radius_km"),
        ("lat=40&lng=118.7&radius_km=51", "radius_km"),
        ("lat=91&lng=118.7", "lat"),
        ("child=abc", "child"),
        ("datum=bd09&lat=40&lng=118.7", "datum"),
        ("delivery_model=lottery", "delivery_model"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(parent_api, programme, query, field):
    response = parent_api.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_start_month_defaults_to_next_month(parent_api, programme, monkeypatch):
    from apps.employers.selectors import programmes as selectors

    monkeypatch.setattr(selectors, "default_start_month", lambda: date(2023, 12, 1))
    programme.centres.set([CentreFactory()])

    assert results(parent_api.get(LIST)) == []  # the programme starts in 2024


# The quote endpoint


def quote_url(programme, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"start_month": "2026-03", **params}.items())
    return f"{LIST}{programme.pk}/quote/?{query}"


def test_quote_for_a_centre_and_age_class(parent_api, programme):
    centre_class = CentreClassFactory(capacity=15, places_taken=5, monthly_price=Decimal("1650"))
    programme.centres.set([centre_class.centre])

    response = parent_api.get(
        quote_url(programme, centre=centre_class.centre_id, age_class="toddler")
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["parent_fee"], body["employer_part"], body["net_monthly_cost"]) == (
        "1402.50",
        "247.50",
        "1202.50",
    )
    assert (body["free_places"], body["start_month"], body["per_place_price"]) == (
        10,
        "2026-03",
        None,
    )


def test_quote_for_a_child_picks_the_childs_age_class(parent_api, member, programme):
    centre = CentreFactory()
    CentreClassFactory(
        centre=centre, age_class="older_toddler", capacity=20, monthly_price=Decimal("1200")
    )
    programme.centres.set([centre])
    child = ChildFactory(guardian=member, birth_date=date(2023, 9, 1))  # 30 months in March

    body = parent_api.get(quote_url(programme, centre=centre.pk, child=child.pk)).json()

    assert (body["age_class"], body["market_price"], body["parent_fee"]) == (
        "older_toddler",
        "1200.00",
        "1020.00",
    )


def test_per_place_price_is_shown_to_the_employer_not_the_parent(
    parent_api, api_client, employer_admin_user, employment
):
    centre_class = CentreClassFactory(monthly_price=Decimal("1400"))
    programme = ProgrammeFactory(
        delivery_model="purchased",
        lead_employer=employment.employer,
        parent_share_percent=Decimal("50"),
        centres=[centre_class.centre],
    )
    PlaceAgreementFactory(
        programme=programme,
        centre=centre_class.centre,
        payment_mode="per_place",
        agreed_monthly_price=Decimal("700"),
    )
    url = quote_url(programme, centre=centre_class.centre_id, age_class="toddler")

    as_parent = parent_api.get(url).json()
    as_employer = login(api_client, employer_admin_user).get(url).json()

    assert (as_parent["payment_mode"], as_parent["per_place_price"]) == ("per_place", None)
    assert as_employer["per_place_price"] == "700.00"
    assert as_employer["employer_part"] == as_parent["employer_part"] == "700.00"


def test_quote_refuses_a_centre_outside_the_programme(parent_api, programme):
    response = parent_api.get(quote_url(programme, centre=CentreFactory().pk, age_class="toddler"))

    assert response.status_code == 400
    assert response.json()["fields"] == {"centre": ["Choose one of the programme's centres."]}


def test_quote_refuses_an_age_class_the_centre_does_not_offer(parent_api, programme):
    centre = CentreFactory(name="蓝祥托育中心")
    CentreClassFactory(centre=centre)
    programme.centres.set([centre])

    response = parent_api.get(quote_url(programme, centre=centre.pk, age_class="infant"))

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "age_class": ["The programme offers no place of this age class at 蓝祥托育中心 in 2026-03."]
    }


def test_quote_needs_an_age_class_or_a_child(parent_api, programme):
    response = parent_api.get(quote_url(programme, centre=1))

    assert response.status_code == 400
    assert response.json()["fields"] == {"age_class": ["Choose an age class or a child."]}


def test_quote_of_a_programme_not_open_to_the_parent_is_not_found(parent_api):
    other = ProgrammeFactory(centres=[CentreFactory()])

    response = parent_api.get(quote_url(other, centre=other.centres.get().pk, age_class="toddler"))

    assert response.status_code == 404


def test_centre_moved_out_of_the_directory_is_not_quoted_to_parents(parent_api, programme):
    centre_class = CentreClassFactory()
    programme.centres.set([centre_class.centre])
    Centre.objects.filter(pk=centre_class.centre_id).update(status="suspended")

    response = parent_api.get(
        quote_url(programme, centre=centre_class.centre_id, age_class="toddler")
    )

    assert response.status_code == 400
