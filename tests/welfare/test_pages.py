from decimal import Decimal

import pytest

from apps.core.models import Area
from apps.welfare.models import MotherRoom
from tests.employers.factories import EmployerFactory
from tests.welfare.factories import ORIGIN, MotherRoomFactory

pytestmark = pytest.mark.django_db

PAGE = "/mother-rooms/"


def shown(response) -> list[str]:
    return [room.name for room in response.context["rooms"]]


def test_room_finder_answers_a_visitor_in_chinese(client):
    MotherRoomFactory(name="政务服务中心小屋", opening_hours="每日 8:00–20:00")

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "爱心妈妈小屋" in response.text
    assert "政务服务中心小屋" in response.text
    assert "每日 8:00–20:00" in response.text


def test_room_finder_shows_no_enterprise_room_and_no_personal_data(client, union_staff):
    employer = EmployerFactory(
        name="迁安某企业", contact_name="王秀英", contact_phone="13812345678"
    )
    union_staff.full_name = "李建国"
    union_staff.save()
    MotherRoomFactory(
        name="公共小屋", host_employer=employer, host_union=None, proposed_by=union_staff
    )
    MotherRoomFactory(name="企业内部小屋", version=MotherRoom.Version.ENTERPRISE)

    response = client.get(PAGE)

    assert shown(response) == ["公共小屋"]
    assert "迁安某企业" in response.text
    for hidden in ["企业内部小屋", "王秀英", "13812345678", "李建国"]:
        assert hidden not in response.text


def test_room_finder_filters_by_area_and_function(client):
    first, second = Area.objects.order_by("sort_order")[:2]
    MotherRoomFactory(name="first feeding", area=first)
    MotherRoomFactory(name="second feeding", area=second)
    MotherRoomFactory(name="second health", area=second, offers_health=True)

    response = client.get(PAGE, {"area": second.pk, "function": "health"})

    assert shown(response) == ["second health"]


def test_room_finder_filters_by_distance_nearest_first(client):
    lat, lng = ORIGIN
    MotherRoomFactory(name="far", latitude=lat + Decimal("0.040000"))
    MotherRoomFactory(name="near", latitude=lat + Decimal("0.004497"))

    response = client.get(PAGE, {"lat": lat, "lng": lng, "radius_km": "3"})

    assert shown(response) == ["near"]
    assert "0.5 km" in response.text


def test_a_radius_without_a_location_is_a_form_error(client):
    MotherRoomFactory(name="room")

    response = client.get(PAGE, {"radius_km": "3"})

    assert response.context["form"].errors["radius_km"]
    assert shown(response) == ["room"]


def test_room_finder_uses_no_external_script(client):
    response = client.get(PAGE)

    assert "navigator.geolocation" in response.text
    assert "<script src" not in response.text


@pytest.mark.parametrize("rows", [1, 30])
def test_room_finder_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    MotherRoomFactory.create_batch(rows)

    with django_assert_num_queries(3):  # the area choices, the count, the page of rooms
        response = client.get(PAGE, {"lat": ORIGIN[0], "lng": ORIGIN[1]})

    assert response.context["page"].paginator.count == rows
