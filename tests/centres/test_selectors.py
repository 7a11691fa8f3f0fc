import math
from decimal import Decimal

import pytest

from apps.accounts.models import Role
from apps.centres.models import Centre, RegistrationStatus
from apps.centres.selectors import (
    centre_class_list,
    centre_list,
    centres_near,
)
from apps.core.geo import EARTH_RADIUS_KM
from tests.accounts.factories import UserFactory
from tests.centres.factories import CentreAdminFactory, CentreClassFactory, CentreFactory

pytestmark = pytest.mark.django_db

ORIGIN = (40.0, 118.7)  # GCJ-02, central Qian'an
KM_PER_DEGREE_LATITUDE = EARTH_RADIUS_KM * math.pi / 180  # 111.195080 km on the mean sphere


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))


def centre_north_of_origin(km: float, **kwargs) -> Centre:
    latitude = Decimal(str(round(ORIGIN[0] + km / KM_PER_DEGREE_LATITUDE, 6)))
    return CentreFactory(latitude=latitude, longitude=Decimal("118.700000"), **kwargs)


def near(radius_km=3):
    return centres_near(
        queryset=Centre.objects.all(), latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=radius_km
    )


def test_distance_of_one_degree_of_latitude_is_the_sphere_arc():
    CentreFactory(latitude=Decimal("41.000000"), longitude=Decimal("118.700000"))

    [centre] = near(radius_km=200)

    assert centre.distance_km == pytest.approx(111.195080, abs=1e-6)


def test_distance_matches_haversine_computed_in_python():
    centre = CentreFactory(latitude=Decimal("40.012345"), longitude=Decimal("118.723456"))

    [found] = near()

    expected = haversine_km(*ORIGIN, float(centre.latitude), float(centre.longitude))
    assert found.distance_km == pytest.approx(expected, abs=1e-9)
    assert found.distance_km == pytest.approx(2.423955, abs=1e-6)


def test_centres_inside_the_radius_are_found_and_those_outside_are_not():
    inside = centre_north_of_origin(2.5)
    centre_north_of_origin(3.5)

    assert [c.pk for c in near()] == [inside.pk]


def test_centre_exactly_on_the_radius_counts_as_inside():
    # The radius is the distance Python computes for the stored point; PostgreSQL may differ in
    # the last bits, which the selector's 1 mm tolerance absorbs.
    on_edge = centre_north_of_origin(3)
    radius = haversine_km(*ORIGIN, float(on_edge.latitude), float(on_edge.longitude))

    assert [c.pk for c in near(radius_km=radius)] == [on_edge.pk]


def test_centre_one_metre_beyond_the_radius_is_left_out():
    on_edge = centre_north_of_origin(3)
    radius = haversine_km(*ORIGIN, float(on_edge.latitude), float(on_edge.longitude))

    assert list(near(radius_km=radius - 0.001)) == []


def test_nearest_centre_comes_first_and_ties_go_by_id():
    far = centre_north_of_origin(2.9)
    tied_first = centre_north_of_origin(1.2)
    tied_second = centre_north_of_origin(1.2)
    nearest = centre_north_of_origin(0.4)

    assert [c.pk for c in near()] == [nearest.pk, tied_first.pk, tied_second.pk, far.pk]


def test_distance_search_keeps_the_callers_scope():
    centre_north_of_origin(1, status=RegistrationStatus.PENDING)
    approved = centre_north_of_origin(2)

    centres = centres_near(
        queryset=centre_list(user=UserFactory(role=Role.PARENT)),
        latitude=ORIGIN[0],
        longitude=ORIGIN[1],
    )

    assert [c.pk for c in centres] == [approved.pk]


@pytest.mark.parametrize("role", [Role.PARENT, Role.EMPLOYER_ADMIN, Role.REVIEWER])
def test_directory_roles_see_approved_centres_only(role):
    approved = CentreFactory()
    for status in ("pending", "refused", "suspended"):
        CentreFactory(status=status)

    assert [c.pk for c in centre_list(user=UserFactory(role=role))] == [approved.pk]


def test_union_staff_see_every_centre():
    centres = [CentreFactory(status=s) for s in ("pending", "approved", "refused", "suspended")]

    found = centre_list(user=UserFactory(role=Role.UNION_STAFF))

    assert sorted(c.pk for c in found) == sorted(c.pk for c in centres)


def test_centre_admin_sees_only_their_own_centre_whatever_its_status():
    link = CentreAdminFactory(centre=CentreFactory(status="pending"))
    CentreFactory()

    assert [c.pk for c in centre_list(user=link.user)] == [link.centre_id]


def test_directory_shows_open_classes_only():
    open_class = CentreClassFactory()
    CentreClassFactory(centre=open_class.centre, is_active=False)

    classes = centre_class_list(user=UserFactory(role=Role.PARENT))

    assert [c.pk for c in classes] == [open_class.pk]


def test_centre_admin_sees_their_closed_classes_too():
    link = CentreAdminFactory()
    closed = CentreClassFactory(centre=link.centre, is_active=False)
    CentreClassFactory()

    assert [c.pk for c in centre_class_list(user=link.user)] == [closed.pk]
