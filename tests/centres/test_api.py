from decimal import Decimal

import pytest
from django.urls import reverse

from apps.centres.models import Centre
from apps.core.models import Area, AuditRecord
from tests.centres.factories import CentreClassFactory, CentreFactory, FederationFactory

pytestmark = pytest.mark.django_db

DIRECTORY_KEYS = {
    "id",
    "name",
    "address",
    "area",
    "area_name",
    "latitude",
    "longitude",
    "contact_phone",
    "offers_welfare_childcare",
    "classes",
    "distance_km",
}
MANAGED_KEYS = DIRECTORY_KEYS | {
    "credit_code",
    "operator",
    "filing_number",
    "filing_status",
    "filing_status_label",
    "federation",
    "federation_name",
    "federation_staff_count",
    "status",
    "status_label",
    "created_at",
}
DIRECTORY_ROLES = ["parent", "employer_admin", "reviewer"]


def centre_url(centre, action=""):
    return f"/api/v1/centres/{centre.pk}/" + (f"{action}/" if action else "")


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


# URL names


def test_url_names_are_prefixed_api(centre):
    assert reverse("api-centre-list") == "/api/v1/centres/"
    assert reverse("api-centre-detail", args=[centre.pk]) == centre_url(centre)
    assert reverse("api-centre-class-list", args=[centre.pk]) == centre_url(centre, "classes")
    assert reverse("api-centre-out-of-ratio") == "/api/v1/centres/out-of-ratio/"
    assert reverse("api-centre-class-detail", args=[7]) == "/api/v1/centre-classes/7/"
    for action in ("approve", "refuse", "suspend", "reinstate"):
        assert reverse(f"api-centre-{action}", args=[centre.pk]) == centre_url(centre, action)


# Listing centres


def test_anonymous_listing_gets_401(api_client):
    assert api_client.get("/api/v1/centres/").status_code == 401


@pytest.mark.parametrize("who", DIRECTORY_ROLES)
def test_directory_roles_list_approved_centres_with_public_fields_only(acting, centre, who):
    pending = CentreFactory(status="pending")

    response = acting(who).get("/api/v1/centres/")

    assert response.status_code == 200
    assert pending.pk not in ids(response)
    assert centre.pk in ids(response)
    assert all(set(item) == DIRECTORY_KEYS for item in response.json()["results"])


def test_centre_admin_lists_only_their_own_centre_with_its_registration(acting, centre):
    Centre.objects.filter(pk=centre.pk).update(status="pending")

    response = acting("own_centre_admin").get("/api/v1/centres/")

    assert ids(response) == [centre.pk]
    assert set(response.json()["results"][0]) == MANAGED_KEYS
    assert response.json()["results"][0]["status"] == "pending"


def test_union_staff_list_every_centre(acting, centre, other_centre):
    refused = CentreFactory(status="refused")

    response = acting("union_staff").get("/api/v1/centres/")

    assert sorted(ids(response)) == sorted([centre.pk, other_centre.pk, refused.pk])


def test_directory_entry_shows_location_and_open_classes(acting, centre):
    CentreClassFactory(
        centre=centre, name="托小一班", capacity=15, monthly_price=Decimal("1800"), staffed=3
    )
    CentreClassFactory(centre=centre, name="已关闭", is_active=False)
    Centre.objects.filter(pk=centre.pk).update(offers_welfare_childcare=True)

    [item] = [
        i
        for i in acting("parent").get("/api/v1/centres/").json()["results"]
        if i["id"] == centre.pk
    ]

    assert item["latitude"] == "40.011800"
    assert item["longitude"] == "118.701200"
    assert (item["area_name"], item["offers_welfare_childcare"]) == ("永顺街道", True)
    assert item["distance_km"] is None
    [klass] = item["classes"]
    assert (klass["name"], klass["age_class"], klass["capacity"]) == ("托小一班", "toddler", 15)
    assert (klass["monthly_price"], klass["caregivers_count"], klass["within_ratio"]) == (
        "1800.00",
        3,
        True,
    )


def test_distance_search_lists_nearest_first_with_distances(acting, centre, other_centre):
    Centre.objects.filter(pk=centre.pk).update(latitude="40.018000", longitude="118.700000")
    Centre.objects.filter(pk=other_centre.pk).update(latitude="40.009000", longitude="118.700000")
    CentreFactory(latitude="40.050000", longitude="118.700000")  # 5.6 km away

    response = acting("parent").get("/api/v1/centres/?lat=40&lng=118.7&radius_km=3")

    assert ids(response) == [other_centre.pk, centre.pk]
    assert [i["distance_km"] for i in response.json()["results"]] == [1.001, 2.002]


def test_distance_search_defaults_to_three_km(acting, centre, other_centre):
    Centre.objects.filter(pk=centre.pk).update(latitude="40.030000", longitude="118.700000")
    Centre.objects.filter(pk=other_centre.pk).update(latitude="40.026000", longitude="118.700000")

    response = acting("parent").get("/api/v1/centres/?lat=40&lng=118.7")

    assert ids(response) == [other_centre.pk]  # 2.891 km in, 3.336 km out


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lat=abc&lng=118.7", "lat"),
        ("lat=91&lng=118.7", "lat"),
        ("lat=40&lng=118.7&radius_km=-1", "radius_km"),
        ("lat=40&lng=118.7&radius_km=0", "radius_km"),
        ("lat=40&lng=118.7&radius_km=51", "radius_km"),
        ("lat=40&lng=118.7&radius_km=nan", "radius_km"),
        ("lat=40", "lng"),
        ("lng=118.7", "lat"),
        ("radius_km=2", "lat"),
        ("area=x", "area"),
        ("welfare=maybe", "welfare"),
    ],
)
def test_bad_list_parameter_gets_400_naming_it(acting, query, field):
    response = acting("parent").get(f"/api/v1/centres/?{query}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_list_filters_by_area(acting, centre, other_centre):
    area = Area.objects.get(code="JD02")
    Centre.objects.filter(pk=other_centre.pk).update(area=area)

    response = acting("parent").get(f"/api/v1/centres/?area={area.pk}")

    assert ids(response) == [other_centre.pk]


@pytest.mark.parametrize(("value", "expected"), [("true", "welfare"), ("false", "plain")])
def test_list_filters_by_welfare_childcare(acting, centre, other_centre, value, expected):
    Centre.objects.filter(pk=centre.pk).update(offers_welfare_childcare=True)

    response = acting("parent").get(f"/api/v1/centres/?welfare={value}")

    assert ids(response) == [{"welfare": centre, "plain": other_centre}[expected].pk]


# One centre

DETAIL_STATUS = {
    "anonymous": 401,
    "parent": 200,
    "employer_admin": 200,
    "reviewer": 200,
    "own_centre_admin": 200,
    "other_centre_admin": 404,
    "union_staff": 200,
}


@pytest.mark.parametrize(("who", "status"), DETAIL_STATUS.items())
def test_centre_detail_per_role(acting, centre, who, status):
    assert acting(who).get(centre_url(centre)).status_code == status


@pytest.mark.parametrize("who", DIRECTORY_ROLES)
def test_pending_centre_is_not_found_for_directory_roles(acting, who):
    pending = CentreFactory(status="pending")

    assert acting(who).get(centre_url(pending)).status_code == 404


def test_detail_shows_each_class_ratio(acting, centre):
    CentreClassFactory(centre=centre, name="乳儿班", age_class="infant", capacity=10, staffed=3)

    response = acting("own_centre_admin").get(centre_url(centre), HTTP_ACCEPT_LANGUAGE="en")

    [klass] = response.json()["classes"]

    assert klass["age_class_label"] == "乳儿班(6–12 个月)"
    assert (klass["caregivers_count"], klass["caregivers_needed"], klass["within_ratio"]) == (
        3,
        4,
        False,
    )


PATCH_STATUS = {
    "anonymous": 401,
    "parent": 403,
    "employer_admin": 403,
    "reviewer": 403,
    "own_centre_admin": 200,
    "other_centre_admin": 404,
    "union_staff": 200,
}


@pytest.mark.parametrize(("who", "status"), PATCH_STATUS.items())
def test_centre_update_per_role(acting, centre, who, status):
    response = acting(who).patch(
        centre_url(centre), {"contact_phone": "0315-5600000"}, format="json"
    )

    assert response.status_code == status
    expected = "0315-5600000" if status == 200 else ""
    assert Centre.objects.get(pk=centre.pk).contact_phone == expected


def test_centre_admin_updates_filing_and_address(acting, centre):
    response = acting("own_centre_admin").patch(
        centre_url(centre),
        {"filing_status": "filed", "filing_number": "冀托备130283-001", "address": "新地址1号"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["filing_status"] == "filed"
    centre.refresh_from_db()
    assert (centre.filing_number, centre.address) == ("冀托备130283-001", "新地址1号")
    assert AuditRecord.objects.get().actor.role == "centre_admin"


@pytest.mark.parametrize("field", ["name", "offers_welfare_childcare", "federation_staff_count"])
def test_centre_admin_cannot_change_union_staff_fields(acting, centre, field):
    value = {"name": "新名字", "offers_welfare_childcare": True, "federation_staff_count": 3}[field]

    response = acting("own_centre_admin").patch(centre_url(centre), {field: value}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert Centre.objects.get(pk=centre.pk).name == "永顺爱心托育中心"
    assert AuditRecord.objects.count() == 0


def test_union_staff_change_the_name_and_welfare_flag(acting, centre):
    response = acting("union_staff").patch(
        centre_url(centre), {"name": "永顺托育", "offers_welfare_childcare": True}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["offers_welfare_childcare"]) == (
        "永顺托育",
        True,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitude": "60.000000"}, "latitude"),
        ({"credit_code": "X"}, "credit_code"),
        ({"area": 999999}, "area"),
        ({"filing_status": "filed"}, "filing_number"),
    ],
)
def test_bad_centre_update_gets_400_naming_the_field(acting, centre, body, field):
    response = acting("union_staff").patch(centre_url(centre), body, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert AuditRecord.objects.count() == 0


def test_union_staff_record_federation_membership(acting, centre):
    federation = FederationFactory()

    response = acting("union_staff").patch(
        centre_url(centre),
        {"federation": federation.pk, "federation_staff_count": 12},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["federation_name"], response.json()["federation_staff_count"]) == (
        federation.name,
        12,
    )
