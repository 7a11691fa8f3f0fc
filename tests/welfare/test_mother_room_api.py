import pytest
from django.utils import timezone

from apps.welfare.checklist import load_checklist
from apps.welfare.models import MotherRoom
from tests.members.factories import UnionFactory
from tests.welfare.conftest import client_for
from tests.welfare.factories import MotherRoomFactory, first_area

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/mother-rooms/proposals/"


def proposal(**overrides) -> dict:
    return {
        "name": "新建小屋",
        "version": "enterprise",
        "address": "迁安市兴安街道1号",
        "area": first_area().pk,
        "floor_area_m2": "12.0",
        "latitude": "40.000000",
        "longitude": "118.700000",
        "opening_hours": "周一至周五 8:30–17:30",
        "functions": ["feeding", "health"],
        **overrides,
    }


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 401),
        ("parent", 403),
        ("centre_admin", 403),
        ("employer_admin", 201),
        ("union_staff", 201),
    ],
    indirect=["actor"],
)
def test_who_may_propose_a_room(api_client, actor, expected):
    body = proposal(host_union=UnionFactory().pk)

    response = client_for(api_client, actor).post(PROPOSALS, body, format="json")

    assert response.status_code == expected
    assert MotherRoom.objects.count() == (1 if expected == 201 else 0)


def test_employer_admin_proposes_for_their_own_employer_only(
    api_client, employer_admin, employer, other_employer
):
    body = proposal(host_employer=other_employer.pk)

    response = client_for(api_client, employer_admin).post(PROPOSALS, body, format="json")

    room = MotherRoom.objects.get()
    assert response.status_code == 201
    assert (room.host_employer_id, room.status) == (employer.pk, "proposed")
    assert response.json()["functions"] == ["health", "feeding"]


def test_union_staff_must_name_a_host(api_client, union_staff):
    response = client_for(api_client, union_staff).post(PROPOSALS, proposal(), format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["host_union"]


def test_small_room_is_refused_on_its_field(api_client, employer_admin):
    body = proposal(floor_area_m2="8.0")

    response = client_for(api_client, employer_admin).post(PROPOSALS, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["floor_area_m2"]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("employer_admin", ["own"]),
        ("other_employer_admin", ["other"]),
        ("union_staff", ["other", "own", "union"]),
    ],
    indirect=["actor"],
)
def test_managed_rooms_are_scoped_to_the_host(
    api_client, actor, expected, employer, other_employer
):
    MotherRoomFactory(name="own", host_employer=employer, host_union=None)
    MotherRoomFactory(name="other", host_employer=other_employer, host_union=None)
    MotherRoomFactory(name="union")

    response = client_for(api_client, actor).get(PROPOSALS)

    assert sorted(room["name"] for room in response.json()["results"]) == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("centre_admin", 403)],
    indirect=["actor"],
)
def test_managed_rooms_are_closed_to_other_roles(api_client, actor, expected):
    MotherRoomFactory(name="union")

    response = client_for(api_client, actor).get(PROPOSALS)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 401),
        ("parent", 403),
        ("employer_admin", 403),
        ("union_staff", 200),
    ],
    indirect=["actor"],
)
def test_only_union_staff_approve(api_client, actor, expected, employer):
    room = MotherRoomFactory(
        host_employer=employer, host_union=None, status="proposed", level="", recognised_on=None
    )

    response = client_for(api_client, actor).post(
        f"/api/v1/mother-rooms/{room.pk}/approve/", {"level": "tangshan"}, format="json"
    )

    room.refresh_from_db()
    assert response.status_code == expected
    assert room.status == ("approved" if expected == 200 else "proposed")


def test_approval_defaults_to_qianan_level_today(api_client, union_staff):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    response = client_for(api_client, union_staff).post(
        f"/api/v1/mother-rooms/{room.pk}/approve/", {}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["level"], response.json()["recognised_on"]) == (
        "qianan",
        timezone.localdate().isoformat(),
    )


def test_approving_a_missing_room_is_not_found(api_client, union_staff):
    response = client_for(api_client, union_staff).post(
        "/api/v1/mother-rooms/999999/approve/", {}, format="json"
    )

    assert response.status_code == 404


def test_refusal_records_the_reason(api_client, union_staff):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    response = client_for(api_client, union_staff).post(
        f"/api/v1/mother-rooms/{room.pk}/refuse/", {"reason": "面积不足"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["refusal_reason"]) == ("refused", "面积不足")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("employer_admin", 403), ("union_staff", 200)],
    indirect=["actor"],
)
def test_only_union_staff_set_a_level(api_client, actor, expected):
    room = MotherRoomFactory(level="tangshan")

    response = client_for(api_client, actor).post(
        f"/api/v1/mother-rooms/{room.pk}/level/",
        {"level": "hebei", "recognised_on": "2024-05-01"},
        format="json",
    )

    room.refresh_from_db()
    assert response.status_code == expected
    assert room.level == ("hebei" if expected == 200 else "tangshan")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("employer_admin", 403), ("union_staff", 201)],
    indirect=["actor"],
)
def test_only_union_staff_record_inspections(api_client, actor, expected):
    room = MotherRoomFactory(level="hebei")
    results = {item.code: True for item in load_checklist().ticked_items}
    results["privacy"] = False

    response = client_for(api_client, actor).post(
        f"/api/v1/mother-rooms/{room.pk}/inspections/",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "measured_area_m2": "12.0",
            "results": results,
        },
        format="json",
    )

    room.refresh_from_db()
    assert response.status_code == expected
    assert room.status == ("withdrawn" if expected == 201 else "approved")


def test_union_staff_read_a_rooms_inspections(api_client, union_staff):
    room = MotherRoomFactory(level="hebei")
    results = {item.code: True for item in load_checklist().ticked_items}
    client = client_for(api_client, union_staff)
    client.post(
        f"/api/v1/mother-rooms/{room.pk}/inspections/",
        {"inspected_on": "2024-06-01", "measured_area_m2": "12.0", "results": results},
        format="json",
    )

    response = client.get(f"/api/v1/mother-rooms/{room.pk}/inspections/")

    assert response.status_code == 200
    assert [(i["inspected_on"], i["outcome"]) for i in response.json()["results"]] == [
        ("2024-06-01", "kept")
    ]


@pytest.mark.parametrize("rows", [1, 30])
def test_managed_room_list_query_count_does_not_grow_with_rows(
    api_client, employer_admin, employer, django_assert_max_num_queries, rows
):
    MotherRoomFactory.create_batch(rows, host_employer=employer, host_union=None)
    client = client_for(api_client, employer_admin)

    with django_assert_max_num_queries(3):
        response = client.get(PROPOSALS, {"page_size": 50})

    assert response.json()["count"] == rows
