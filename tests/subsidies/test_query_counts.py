"""Scheme, budget and bank-account lists and admin changelists: as many queries for 30 rows as
for 1."""

import itertools

import pytest
from django.urls import reverse

from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import MemberFactory
from tests.members.helpers import assert_queries_do_not_grow, login, top_up
from tests.subsidies.factories import (
    BankAccountFactory,
    BudgetFactory,
    ProgrammeFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db


def api_count(response) -> int:
    return response.json()["count"]


def _scheme_with_programmes(**kwargs):
    return SchemeFactory(programmes=[ProgrammeFactory(), ProgrammeFactory()], **kwargs)


def test_scheme_list_queries_do_not_grow_for_union_staff(
    api_client, union_staff, django_assert_max_num_queries
):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(_scheme_with_programmes, 30),
        fetch=lambda: api.get(reverse("api-scheme-list")),
        max_queries=3,
        shown=api_count,
    )


def test_scheme_list_queries_do_not_grow_for_an_employer_admin(
    api_client, django_assert_max_num_queries
):
    admin = EmployerAdminFactory()
    api = login(api_client, admin.user)

    def covering_theirs():
        SchemeFactory(
            kind="unit_grant",
            programmes=[ProgrammeFactory(lead_employer=admin.employer), ProgrammeFactory()],
        )

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(covering_theirs, 30),
        fetch=lambda: api.get(reverse("api-scheme-list")),
        max_queries=3,
        shown=api_count,
    )


def test_budget_list_queries_do_not_grow(api_client, union_staff, django_assert_max_num_queries):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(BudgetFactory, 30),
        fetch=lambda: api.get(reverse("api-budget-list")),
        max_queries=2,
        shown=api_count,
    )


OWNER_KINDS = itertools.cycle(["member", "centre", "employer"])


def _any_owner_account():
    kind = next(OWNER_KINDS)
    if kind == "member":
        return BankAccountFactory()
    if kind == "centre":
        return BankAccountFactory(member=None, centre=CentreAdminFactory().centre)
    return BankAccountFactory(member=None, employer=EmployerAdminFactory().employer)


def test_bank_account_list_queries_do_not_grow_for_union_staff(
    api_client, union_staff, django_assert_max_num_queries
):
    api = login(api_client, union_staff)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(_any_owner_account, 30),
        fetch=lambda: api.get(reverse("api-bank-account-list")),
        max_queries=2,
        shown=api_count,
    )


def test_bank_account_list_queries_do_not_grow_for_a_parent(
    api_client, django_assert_max_num_queries
):
    member = MemberFactory()
    api = login(api_client, member.user)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=top_up(BankAccountFactory, 30, member=member, is_current=False),
        fetch=lambda: api.get(reverse("api-bank-account-list")),
        max_queries=2,
        shown=api_count,
    )


ADMIN_LISTS = {
    "subsidyscheme": (_scheme_with_programmes, 10),
    "budget": (BudgetFactory, 11),
    "bankaccount": (_any_owner_account, 10),
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
        fetch=lambda: client.get(reverse(f"admin:subsidies_{model}_changelist")),
        max_queries=max_queries,
    )
