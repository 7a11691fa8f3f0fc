"""List endpoints and admin changelists run as many queries for 30 rows as for 1."""

import pytest
from django.urls import reverse

from tests.members.factories import (
    ChildFactory,
    GuardianConsentFactory,
    MemberFactory,
    UnionFactory,
)
from tests.members.helpers import assert_queries_do_not_grow, login, top_up

pytestmark = pytest.mark.django_db


def api_count(response) -> int:
    return response.json()["count"]


def changelist_count(response) -> int:
    return response.context["cl"].result_count


def test_union_list_queries_do_not_grow(api_client, parent_user, django_assert_max_num_queries):
    parent = UnionFactory(kind="city_federation")
    api = login(api_client, parent_user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(UnionFactory, 30, parent=parent),
        fetch=lambda: api.get(reverse("api-unions-list")),
        max_queries=2,
        shown=lambda response: api_count(response) - 1,
    )


def test_children_list_queries_do_not_grow_for_a_parent(
    api_client, member, django_assert_max_num_queries
):
    api = login(api_client, member.user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(ChildFactory, 30, guardian=member),
        fetch=lambda: api.get(reverse("api-children-list")),
        max_queries=3,
        shown=api_count,
    )


def test_children_list_queries_do_not_grow_for_union_staff(
    api_client, union_staff, django_assert_max_num_queries
):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(ChildFactory, 30),
        fetch=lambda: api.get(reverse("api-children-list")),
        max_queries=3,
        shown=api_count,
    )


ADMIN_LISTS = {
    "union": (UnionFactory, 11),
    "member": (MemberFactory, 11),
    "guardianconsent": (GuardianConsentFactory, 11),
    "child": (ChildFactory, 11),
}


@pytest.mark.parametrize("model", sorted(ADMIN_LISTS))
def test_admin_changelist_queries_do_not_grow(
    client, union_staff, django_assert_max_num_queries, model
):
    factory, max_queries = ADMIN_LISTS[model]
    client.force_login(union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(factory, 30),
        fetch=lambda: client.get(reverse(f"admin:members_{model}_changelist")),
        max_queries=max_queries,
        shown=changelist_count,
    )


def test_guardianship_changelist_queries_do_not_grow(
    client, union_staff, django_assert_max_num_queries
):
    client.force_login(union_staff)
    made: list = []

    def build(total: int) -> None:
        while len(made) < total:
            made.append(ChildFactory())

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: client.get(reverse("admin:members_guardianship_changelist")),
        max_queries=10,
        shown=changelist_count,
    )
