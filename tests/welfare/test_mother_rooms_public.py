from decimal import Decimal

import pytest

from apps.core.models import Area
from apps.welfare.models import MotherRoom
from tests.employers.factories import EmployerFactory
from tests.welfare.factories import ORIGIN, MotherRoomFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/mother-rooms/"
LAT, LNG = ORIGIN


def names(response) -> list[str]:
    return [room["name"] for room in response.json()["results"]]


def north(km_as_degrees: str) -> Decimal:
    return LAT + Decimal(km_as_degrees)


@pytest.fixture
def rooms_around_origin(db):
    """0.5 km, 1.000 km (to the metre) and 1.002 km due north of the origin."""
    return {
        "inside": MotherRoomFactory(name="inside", latitude=north("0.004497")),
        "on": MotherRoomFactory(name="on", latitude=north("0.008993")),
        "outside": MotherRoomFactory(name="outside", latitude=north("0.009011")),
    }


def test_radius_keeps_rooms_inside_and_on_the_circle_nearest_first(api_client, rooms_around_origin):
    response = api_client.get(URL, {"lat": LAT, "lng": LNG, "radius_km": "1"})

    assert response.status_code == 200
    assert [(r["name"], r["distance_km"]) for r in response.json()["results"]] == [
        ("inside", 0.5),
        ("on", 1.0),
    ]


def test_a_point_without_radius_orders_every_room_by_distance(api_client, rooms_around_origin):
    response = api_client.get(URL, {"lat": LAT, "lng": LNG})

    assert [(r["name"], r["distance_km"]) for r in response.json()["results"]] == [
        ("inside", 0.5),
        ("on", 1.0),
        ("outside", 1.002),
    ]


def test_distance_east_west_shrinks_with_the_cosine_of_latitude(api_client):
    # At 40°N one degree of longitude is 111.19493 × cos 40° = 85.181 km.
    MotherRoomFactory(name="east", longitude=LNG + Decimal("0.011740"))

    response = api_client.get(URL, {"lat": LAT, "lng": LNG})

    assert response.json()["results"][0]["distance_km"] == 1.0


def test_without_a_point_distance_is_null(api_client):
    MotherRoomFactory(name="room")

    response = api_client.get(URL)

    assert response.json()["results"][0]["distance_km"] is None


def test_area_filter_keeps_only_that_area(api_client):
    first, second = Area.objects.order_by("sort_order")[:2]
    MotherRoomFactory(name="in first", area=first)
    MotherRoomFactory(name="in second", area=second)

    response = api_client.get(URL, {"area": second.pk})

    assert names(response) == ["in second"]


def test_function_filter_needs_every_function_asked_for(api_client):
    MotherRoomFactory(name="feeding only")
    MotherRoomFactory(name="feeding and health", offers_health=True)
    MotherRoomFactory(name="all three", offers_health=True, offers_early_education=True)

    response = api_client.get(URL + "?function=health&function=early_education")

    assert names(response) == ["all three"]


def test_public_list_shows_no_enterprise_room(api_client):
    MotherRoomFactory(name="public room")
    MotherRoomFactory(name="enterprise room", version=MotherRoom.Version.ENTERPRISE)

    response = api_client.get(URL)

    assert names(response) == ["public room"]


@pytest.mark.parametrize("status", ["proposed", "refused", "withdrawn"])
def test_public_list_shows_only_approved_rooms(api_client, status):
    MotherRoomFactory(name="approved")
    MotherRoomFactory(name=status, status=status, level="", recognised_on=None)

    assert names(api_client.get(URL)) == ["approved"]


def test_public_room_output_holds_no_personal_data(api_client, union_staff):
    employer = EmployerFactory(
        name="迁安某企业", contact_name="王秀英", contact_phone="13812345678"
    )
    union_staff.full_name = "李建国"
    union_staff.save()
    MotherRoomFactory(name="room", host_employer=employer, host_union=None, proposed_by=union_staff)

    response = api_client.get(URL)

    room = response.json()["results"][0]
    assert room["host"] == "迁安某企业"
    assert set(room) == {
        "id", "name", "host", "level", "level_label", "recognised_on", "address", "area",
        "area_name", "floor_area_m2", "latitude", "longitude", "opening_hours", "functions",
        "function_labels", "distance_km",
    }  # fmt: skip
    assert "王秀英" not in response.text
    assert "13812345678" not in response.text
    assert "李建国" not in response.text


def test_detail_of_an_enterprise_room_is_not_found(api_client):
    room = MotherRoomFactory(version=MotherRoom.Version.ENTERPRISE)

    response = api_client.get(f"{URL}{room.pk}/")

    assert response.status_code == 404


def test_detail_of_a_public_room_answers_anyone(api_client):
    room = MotherRoomFactory(name="room")

    response = api_client.get(f"{URL}{room.pk}/")

    assert response.status_code == 200
    assert response.json()["name"] == "room"


def test_public_list_is_read_only(api_client):
    response = api_client.post(URL, {"name": "x"}, format="json")

    assert response.status_code == 405
    assert MotherRoom.objects.count() == 0


def test_public_list_ignores_a_stale_token(api_client):
    MotherRoomFactory(name="room")
    api_client.credentials(HTTP_AUTHORIZATION="Token no-such-token")

    response = api_client.get(URL)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": "40.0"}, "lng"),
        ({"lng": "118.7"}, "lat"),
        ({"radius_km": "2"}, "radius_km"),
        ({"lat": "60.0", "lng": "118.7"}, "lat"),
        ({"function": "sauna"}, "function"),
        ({"lat": "40.0", "lng": "118.7", "radius_km": "0"}, "radius_km"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(api_client, query, field):
    response = api_client.get(URL, query)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_a_wgs84_point_is_converted_before_measuring(api_client):
    # GCJ-02 shifts the WGS-84 origin by about 530 m here; the room sits at the shifted point.
    MotherRoomFactory(name="room", latitude=Decimal("40.001232"), longitude=Decimal("118.706034"))

    gcj = api_client.get(URL, {"lat": LAT, "lng": LNG, "radius_km": "0.1"})
    wgs = api_client.get(URL, {"lat": LAT, "lng": LNG, "radius_km": "0.1", "datum": "wgs84"})

    assert names(gcj) == []
    assert names(wgs) == ["room"]


@pytest.mark.parametrize("rows", [1, 30])
def test_public_list_query_count_does_not_grow_with_rows(
    api_client, django_assert_max_num_queries, rows
):
    MotherRoomFactory.create_batch(rows)

    with django_assert_max_num_queries(2):
        response = api_client.get(URL, {"lat": LAT, "lng": LNG, "page_size": 50})

    assert response.json()["count"] == rows
