"""Employer list endpoints and admin changelists run as many queries for 30 rows as for 1."""

import pytest
from django.urls import reverse

from tests.employers.factories import EmployerAdminFactory, EmployerFactory, EmploymentFactory
from tests.members.helpers import assert_queries_do_not_grow, login, top_up

pytestmark = pytest.mark.django_db


def api_count(response) -> int:
    return response.json()["count"]


def test_employer_list_queries_do_not_grow_for_union_staff(
    api_client, union_staff, django_assert_max_num_queries
):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(EmployerFactory, 30),
        fetch=lambda: api.get(reverse("api-employers-list")),
        max_queries=2,
        shown=api_count,
    )


def test_employer_list_queries_do_not_grow_for_a_parent(
    api_client, member, django_assert_max_num_queries
):
    api = login(api_client, member.user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(EmploymentFactory, 30, member=member),
        fetch=lambda: api.get(reverse("api-employers-list")),
        max_queries=2,
        shown=api_count,
    )


def test_employee_list_queries_do_not_grow(
    api_client, employer_admin_user, employer, django_assert_max_num_queries
):
    api = login(api_client, employer_admin_user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(EmploymentFactory, 30, employer=employer),
        fetch=lambda: api.get(reverse("api-employer-employees", args=[employer.pk])),
        max_queries=3,
        shown=api_count,
    )


ADMIN_LISTS = {
    "employer": (EmployerFactory, 11),
    "employeradmin": (EmployerAdminFactory, 10),
    "employment": (EmploymentFactory, 10),
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
        fetch=lambda: client.get(reverse(f"admin:employers_{model}_changelist")),
        max_queries=max_queries,
        shown=lambda response: response.context["cl"].result_count,
    )
