"""Listing programmes runs the same few queries for 1 programme as for 30, each with several
centres, classes and place agreements (at most 10, pinned)."""

from datetime import date

import pytest
from django.urls import reverse

from apps.employers.models import Programme
from tests.centres.factories import CentreAdminFactory, CentreClassFactory, CentreFactory
from tests.employers.test_programme_factories import PlaceAgreementFactory, ProgrammeFactory
from tests.members.factories import ChildFactory
from tests.members.helpers import assert_queries_do_not_grow, login

pytestmark = pytest.mark.django_db

CENTRES_PER_PROGRAMME = 3
# The ceiling is 10; the pins below are what the code does today, so a new query shows.
# Parent: member, child, count, page, centres, class figures, agreements.
PARENT_QUERIES = 7
# Others: count, page, employers, centres.
MANAGER_QUERIES = 4
# Centres, classes, bought places, programmes and places by model, by funder.
PLACES_QUERIES = 7


def api_count(response) -> int:
    return response.json()["count"]


def programme_builder(**programme_kwargs):
    """`build(total)` for assert_queries_do_not_grow: programmes with three centres each, two
    classes per centre and an agreement at the first centre."""
    made: list = []

    def build(total: int) -> None:
        while len(made) < total:
            centres = [CentreFactory() for _ in range(CENTRES_PER_PROGRAMME)]
            for centre in centres:
                CentreClassFactory(centre=centre, age_class="toddler")
                CentreClassFactory(centre=centre, age_class="older_toddler", capacity=20)
            programme = ProgrammeFactory(centres=centres, **programme_kwargs)
            PlaceAgreementFactory(programme=programme, centre=centres[0])
            made.append(programme)

    return build


@pytest.fixture
def verified_member(member):
    """Federation programmes are open to them, so every programme built is listed."""
    member.membership = "verified"
    member.save(update_fields=["membership"])
    return member


def test_parent_listing_with_location_and_child_queries_do_not_grow(
    api_client, verified_member, django_assert_max_num_queries
):
    child = ChildFactory(guardian=verified_member, birth_date=date(2025, 1, 10))
    api = login(api_client, verified_member.user)
    url = (
        f"{reverse('api-programme-list')}?start_month=2026-03&lat=40.01&lng=118.7&child={child.pk}"
    )

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(federation_run=True),
        fetch=lambda: api.get(url),
        max_queries=PARENT_QUERIES,
        shown=api_count,
    )


def test_parent_listing_without_filters_queries_do_not_grow(
    api_client, verified_member, django_assert_max_num_queries
):
    api = login(api_client, verified_member.user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(federation_run=True),
        fetch=lambda: api.get(f"{reverse('api-programme-list')}?start_month=2026-03"),
        max_queries=PARENT_QUERIES - 1,  # no child to look up
        shown=api_count,
    )


@pytest.mark.parametrize("role", ["union_staff", "centre_admin"])
def test_manager_listing_queries_do_not_grow(
    api_client, union_staff, django_assert_max_num_queries, role
):
    build = programme_builder()
    user = union_staff
    if role == "centre_admin":
        centre = CentreFactory()
        user = CentreAdminFactory(centre=centre).user
        inner = build

        def build(total: int) -> None:
            inner(total)
            for programme in Programme.objects.all():
                programme.centres.add(centre)

    api = login(api_client, user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: api.get(reverse("api-programme-list")),
        max_queries=MANAGER_QUERIES,
        shown=api_count,
    )


def test_city_places_queries_do_not_grow(api_client, union_staff, django_assert_max_num_queries):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(),
        fetch=lambda: api.get(reverse("api-places")),
        max_queries=PLACES_QUERIES,
    )


@pytest.mark.parametrize(("model", "max_queries"), [("programme", 10), ("placeagreement", 10)])
def test_admin_changelist_queries_do_not_grow(
    client, union_staff, django_assert_max_num_queries, model, max_queries
):
    client.force_login(union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(),
        fetch=lambda: client.get(reverse(f"admin:employers_{model}_changelist")),
        max_queries=max_queries,
    )


def test_employer_admin_listing_queries_do_not_grow(
    api_client, employer, employer_admin_user, django_assert_max_num_queries
):
    api = login(api_client, employer_admin_user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(lead_employer=employer),
        fetch=lambda: api.get(reverse("api-programme-list")),
        max_queries=MANAGER_QUERIES,
        shown=api_count,
    )


# Pages: the same listing, rendered. Every page also reads the session and the user: two
# queries that are not the listing's (the session is renewed at most once a minute, here by
# the warming fetch).
SESSION_QUERIES = 2


def test_parent_page_queries_do_not_grow(client, verified_member, django_assert_max_num_queries):
    child = ChildFactory(guardian=verified_member, birth_date=date(2025, 1, 10))
    client.force_login(verified_member.user)
    url = reverse("programmes:parent-list")
    query = {"start_month": "2026-03", "lat": "40.01", "lng": "118.7", "child": child.pk}

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=programme_builder(federation_run=True),
        fetch=lambda: client.get(url, query),
        max_queries=PARENT_QUERIES + 1 + SESSION_QUERIES,  # + the area filter's choices
    )


def test_employer_programmes_page_queries_do_not_grow(
    client, employer, employer_admin_user, django_assert_max_num_queries
):
    client.force_login(employer_admin_user)
    led = programme_builder(lead_employer=employer)
    listed = programme_builder(employers=[employer])

    def build(total: int) -> None:
        led(total)
        listed(total)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: client.get(reverse("programmes:employer-list")),
        max_queries=10,
    )
