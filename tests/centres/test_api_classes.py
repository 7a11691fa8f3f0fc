from decimal import Decimal

import pytest

from apps.centres.models import Centre, CentreClass
from apps.core.models import AuditRecord
from tests.centres.factories import CaregiverFactory, CentreClassFactory, CentreFactory

pytestmark = pytest.mark.django_db

NEW_CLASS = {
    "name": "托大一班",
    "age_class": "older_toddler",
    "capacity": 20,
    "monthly_price": "1650.50",
}


def classes_url(centre) -> str:
    return f"/api/v1/centres/{centre.pk}/classes/"


def class_url(centre_class) -> str:
    return f"/api/v1/centre-classes/{centre_class.pk}/"


# A centre's classes

LIST_STATUS = {
    "anonymous": 401,
    "parent": 200,
    "employer_admin": 200,
    "reviewer": 200,
    "own_centre_admin": 200,
    "other_centre_admin": 404,
    "union_staff": 200,
}
WRITE_STATUS = {
    "anonymous": 401,
    "parent": 403,
    "employer_admin": 403,
    "reviewer": 403,
    "own_centre_admin": 201,
    "other_centre_admin": 404,
    "union_staff": 201,
}


@pytest.mark.parametrize(("who", "status"), LIST_STATUS.items())
def test_class_list_per_role(acting, centre, who, status):
    CentreClassFactory(centre=centre)

    assert acting(who).get(classes_url(centre)).status_code == status


@pytest.mark.parametrize(("who", "status"), WRITE_STATUS.items())
def test_class_creation_per_role(acting, centre, who, status):
    response = acting(who).post(classes_url(centre), NEW_CLASS, format="json")

    assert response.status_code == status
    assert CentreClass.objects.filter(centre=centre).count() == (1 if status == 201 else 0)


def test_created_class_comes_back_with_its_ratio(acting, centre):
    caregiver = CaregiverFactory(centre=centre)

    response = acting("own_centre_admin").post(
        classes_url(centre), {**NEW_CLASS, "caregivers": [caregiver.pk]}, format="json"
    )

    body = response.json()
    assert (body["name"], body["capacity"], body["monthly_price"]) == ("托大一班", 20, "1650.50")
    assert (body["caregivers_count"], body["caregivers_needed"], body["within_ratio"]) == (
        1,
        3,
        False,
    )


def test_class_above_the_national_maximum_gets_400_naming_capacity(acting, centre):
    response = acting("own_centre_admin").post(
        classes_url(centre), {**NEW_CLASS, "age_class": "toddler", "capacity": 16}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["capacity"]
    assert CentreClass.objects.count() == 0


def test_class_with_another_centres_caregiver_is_not_created(acting, centre, other_centre):
    stranger = CaregiverFactory(centre=other_centre)

    response = acting("own_centre_admin").post(
        classes_url(centre), {**NEW_CLASS, "caregivers": [stranger.pk]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["caregivers"]
    assert (CentreClass.objects.count(), AuditRecord.objects.count()) == (0, 0)


# One class

CLASS_PATCH_STATUS = {**WRITE_STATUS, "own_centre_admin": 200, "union_staff": 200}


@pytest.mark.parametrize(("who", "status"), CLASS_PATCH_STATUS.items())
def test_class_update_per_role(acting, centre, who, status):
    centre_class = CentreClassFactory(centre=centre, monthly_price=Decimal("1800.00"))

    response = acting(who).patch(class_url(centre_class), {"monthly_price": "1700"}, format="json")

    assert response.status_code == status
    expected = Decimal("1700.00") if status == 200 else Decimal("1800.00")
    assert CentreClass.objects.get(pk=centre_class.pk).monthly_price == expected


def test_class_update_assigns_caregivers(acting, centre):
    centre_class = CentreClassFactory(centre=centre, capacity=15)
    caregivers = CaregiverFactory.create_batch(3, centre=centre)

    response = acting("own_centre_admin").patch(
        class_url(centre_class), {"caregivers": [c.pk for c in caregivers]}, format="json"
    )

    assert (response.json()["caregivers_count"], response.json()["within_ratio"]) == (3, True)
    assert set(centre_class.caregivers.all()) == set(caregivers)


def test_class_update_with_unknown_caregiver_gets_400(acting, centre, other_centre):
    centre_class = CentreClassFactory(centre=centre)
    stranger = CaregiverFactory(centre=other_centre)

    response = acting("own_centre_admin").patch(
        class_url(centre_class),
        {"caregivers": [stranger.pk]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["caregivers"] == [f"本机构中未找到保育人员 #{stranger.pk}。"]


def test_closed_class_is_not_found_for_a_parent(acting, centre):
    closed = CentreClassFactory(centre=centre, is_active=False)

    assert acting("parent").get(class_url(closed)).status_code == 404


# Classes out of ratio

OUT_OF_RATIO_STATUS = {
    "anonymous": 401,
    "parent": 403,
    "employer_admin": 403,
    "reviewer": 403,
    "own_centre_admin": 200,
    "union_staff": 200,
}


@pytest.mark.parametrize(("who", "status"), OUT_OF_RATIO_STATUS.items())
def test_out_of_ratio_list_per_role(acting, who, status):
    assert acting(who).get("/api/v1/centres/out-of-ratio/").status_code == status


def test_centre_admin_sees_only_their_classes_out_of_ratio(acting, centre, other_centre):
    mine = CentreClassFactory(centre=centre, staffed=2)
    CentreClassFactory(centre=other_centre, staffed=2)

    response = acting("own_centre_admin").get("/api/v1/centres/out-of-ratio/")

    [row] = response.json()["results"]
    assert (row["id"], row["centre_name"], row["caregivers_count"], row["caregivers_needed"]) == (
        mine.pk,
        "永顺爱心托育中心",
        2,
        3,
    )


def test_union_staff_see_every_class_out_of_ratio(acting, centre, other_centre):
    classes = [CentreClassFactory(centre=c, staffed=1) for c in (centre, other_centre)]
    CentreClassFactory(centre=centre, staffed=3)

    response = acting("union_staff").get("/api/v1/centres/out-of-ratio/")

    assert sorted(r["id"] for r in response.json()["results"]) == sorted(c.pk for c in classes)


# Approval actions

TRANSITION_STATUS = {
    "anonymous": 401,
    "parent": 403,
    "employer_admin": 403,
    "reviewer": 403,
    "own_centre_admin": 403,
    "other_centre_admin": 403,
    "union_staff": 200,
}


@pytest.mark.parametrize(("who", "status"), TRANSITION_STATUS.items())
def test_approval_per_role(acting, centre, who, status):
    Centre.objects.filter(pk=centre.pk).update(status="pending")

    response = acting(who).post(f"/api/v1/centres/{centre.pk}/approve/")

    assert response.status_code == status
    expected = "approved" if status == 200 else "pending"
    assert Centre.objects.get(pk=centre.pk).status == expected


def test_suspension_with_a_reason_is_recorded(acting, centre):
    response = acting("union_staff").post(
        f"/api/v1/centres/{centre.pk}/suspend/", {"reason": "师资不足"}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "suspended")
    assert AuditRecord.objects.get().reason == "师资不足"


def test_refusal_without_a_reason_gets_400_naming_reason(acting, centre):
    Centre.objects.filter(pk=centre.pk).update(status="pending")

    response = acting("union_staff").post(f"/api/v1/centres/{centre.pk}/refuse/")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    assert Centre.objects.get(pk=centre.pk).status == "pending"


def test_move_outside_the_state_table_gets_409(acting, centre):
    response = acting("union_staff").post(f"/api/v1/centres/{centre.pk}/reinstate/")

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert Centre.objects.get(pk=centre.pk).status == "approved"


def test_action_on_a_missing_centre_gets_404(acting):
    assert acting("union_staff").post("/api/v1/centres/999999/approve/").status_code == 404


# Query counts do not grow with the rows


def _grow_centres(n):
    for _ in range(n):
        CentreClassFactory(centre=CentreFactory(), staffed=1)


@pytest.mark.parametrize(("who", "expected"), [("union_staff", 3), ("parent", 3)])
def test_centre_list_queries_do_not_grow_with_rows(acting, count_queries, who, expected):
    client = acting(who)
    url = "/api/v1/centres/?page_size=50"
    with_few = count_queries(lambda: client.get(url))
    _grow_centres(30)

    with_many = count_queries(lambda: client.get(url))

    assert (with_few, with_many) == (expected, expected)
    assert len(client.get(url).json()["results"]) == 32


def test_distance_search_queries_do_not_grow_with_rows(acting, count_queries):
    client = acting("parent")
    url = "/api/v1/centres/?lat=40.01&lng=118.7&radius_km=5&page_size=50"
    with_few = count_queries(lambda: client.get(url))
    _grow_centres(30)

    assert (with_few, count_queries(lambda: client.get(url))) == (3, 3)


def test_class_list_queries_do_not_grow_with_rows(acting, centre, count_queries):
    client = acting("parent")
    CentreClassFactory(centre=centre, staffed=1)
    with_one = count_queries(lambda: client.get(classes_url(centre) + "?page_size=50"))
    for _ in range(29):
        CentreClassFactory(centre=centre, staffed=2)

    with_thirty = count_queries(lambda: client.get(classes_url(centre) + "?page_size=50"))

    assert (with_one, with_thirty) == (3, 3)


def test_out_of_ratio_queries_do_not_grow_with_rows(acting, centre, count_queries):
    client = acting("union_staff")
    CentreClassFactory(centre=centre, staffed=0)
    with_one = count_queries(lambda: client.get("/api/v1/centres/out-of-ratio/?page_size=50"))
    _grow_centres(29)

    with_thirty = count_queries(lambda: client.get("/api/v1/centres/out-of-ratio/?page_size=50"))

    assert (with_one, with_thirty) == (2, 2)
