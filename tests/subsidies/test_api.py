from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.subsidies.models import BankAccount, SubsidyScheme
from tests.accounts.factories import PASSWORD
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import (
    BankAccountFactory,
    BudgetFactory,
    ProgrammeFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db
NUMBER = "6217000315000012345"


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# Schemes


def test_union_staff_create_a_unit_grant_with_money_as_strings(api_client, union_staff):
    programme = ProgrammeFactory()
    body = {
        "name": "迁安市爱心托育用人单位资金补贴",
        "kind": "unit_grant",
        "funder": "city",
        "programmes": [programme.pk],
        "grant_base_amount": "20000.00",
        "grant_per_child_amount": "1000.00",
        "grant_cap": "70000.00",
        "valid_from": "2026-01-01",
    }

    response = _as(api_client, union_staff).post(reverse("api-scheme-list"), body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert (data["kind"], data["funder"], data["grant_cap"], data["grant_base_amount"]) == (
        "unit_grant",
        "city",
        "70000.00",
        "20000.00",
    )
    assert data["programmes"] == [{"id": programme.pk, "name": programme.name}]
    assert (data["prorate_by_days"], data["hold_without_attendance"]) == (True, True)


def test_a_grant_cap_above_70000_is_a_400_naming_the_field(api_client, union_staff):
    body = {
        "name": "超额补贴",
        "kind": "unit_grant",
        "funder": "city",
        "grant_base_amount": "20000.00",
        "grant_cap": "80000.00",
        "valid_from": "2026-01-01",
    }

    response = _as(api_client, union_staff).post(reverse("api-scheme-list"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["grant_cap"]
    assert not SubsidyScheme.objects.exists()


def test_union_staff_change_a_schemes_rules(api_client, union_staff):
    scheme = SchemeFactory()

    response = _as(api_client, union_staff).patch(
        reverse("api-scheme-detail", args=[scheme.pk]),
        {"zero_attendance_pays_nothing": False, "valid_until": "2026-12-31"},
        format="json",
    )

    assert response.status_code == 200
    scheme.refresh_from_db()
    assert (scheme.zero_attendance_pays_nothing, scheme.valid_until) == (
        False,
        date(2026, 12, 31),
    )


def test_employer_admin_sees_only_schemes_covering_their_programmes(api_client):
    admin = EmployerAdminFactory()
    own, other = ProgrammeFactory(lead_employer=admin.employer), ProgrammeFactory()
    shared = SchemeFactory(kind="unit_grant", funder="city", programmes=[own, other])
    SchemeFactory(programmes=[other])

    response = _as(api_client, admin.user).get(reverse("api-scheme-list"))

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [shared.pk]
    # The other employer's programme is not shown to them.
    assert results[0]["programmes"] == [{"id": own.pk, "name": own.name}]


# Budgets


def test_union_staff_open_and_raise_a_budget(api_client, union_staff):
    scheme = SchemeFactory()
    client = _as(api_client, union_staff)

    created = client.post(
        reverse("api-budget-list"),
        {"scheme": scheme.pk, "year": 2026, "amount": "720000.00"},
        format="json",
    )
    raised = client.post(
        reverse("api-budget-raise", args=[created.json()["id"]]),
        {"amount": "800000.00", "reason": "职工人数增加"},
        format="json",
    )

    assert created.status_code == 201
    assert raised.status_code == 200
    assert {k: raised.json()[k] for k in ("amount", "reserved", "committed", "available")} == {
        "amount": "800000.00",
        "reserved": "0.00",
        "committed": "0.00",
        "available": "800000.00",
    }


def test_raising_below_what_runs_hold_is_a_400_on_amount(api_client, union_staff):
    budget = BudgetFactory(amount=Decimal("1000"), reserved=Decimal("600"))

    response = _as(api_client, union_staff).post(
        reverse("api-budget-raise", args=[budget.pk]),
        {"amount": "500.00", "reason": "核减"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "below_commitments"
    assert list(response.json()["fields"]) == ["amount"]
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")


def test_budget_list_filters_by_year(api_client, union_staff):
    scheme = SchemeFactory()
    BudgetFactory(scheme=scheme, year=2025)
    this_year = BudgetFactory(scheme=scheme, year=2026)

    response = _as(api_client, union_staff).get(reverse("api-budget-list"), {"year": 2026})

    assert [row["id"] for row in response.json()["results"]] == [this_year.pk]


# Bank accounts


def _account_body(**extra):
    return {
        "bank_name": "中国工商银行迁安支行",
        "account_name": "陈晓红",
        "account_number": NUMBER,
        **extra,
    }


def test_parent_enters_an_account_and_gets_it_back_masked(api_client):
    member = MemberFactory()

    response = _as(api_client, member.user).post(
        reverse("api-bank-account-list"), _account_body(), format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert NUMBER not in response.content.decode()
    assert (data["account_number_masked"], data["status"], data["owner_kind"]) == (
        "6217***********2345",
        "pending",
        "member",
    )
    assert data["owner_name"] == member.full_name


def test_changing_an_account_without_the_password_is_a_400_on_password(api_client):
    member = MemberFactory()
    BankAccountFactory(member=member)

    response = _as(api_client, member.user).post(
        reverse("api-bank-account-list"), _account_body(), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]
    assert BankAccount.objects.count() == 1


def test_changing_an_account_with_the_password_replaces_it(api_client):
    member = MemberFactory()
    old = BankAccountFactory(member=member)

    response = _as(api_client, member.user).post(
        reverse("api-bank-account-list"), _account_body(password=PASSWORD), format="json"
    )

    assert response.status_code == 201
    old.refresh_from_db()
    assert old.is_current is False


def test_centre_admin_enters_the_centres_account(api_client):
    admin = CentreAdminFactory()

    response = _as(api_client, admin.user).post(
        reverse("api-bank-account-list"),
        _account_body(account_number="13040160000000000001"),
        format="json",
    )

    assert response.status_code == 201
    assert BankAccount.objects.get().centre == admin.centre


def test_a_parent_lists_only_their_own_accounts(api_client):
    mine = BankAccountFactory()
    BankAccountFactory()

    response = _as(api_client, mine.member.user).get(reverse("api-bank-account-list"))

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_union_staff_list_pending_accounts_and_check_one(api_client, union_staff):
    pending = BankAccountFactory()
    BankAccountFactory(status="checked")
    client = _as(api_client, union_staff)

    listed = client.get(reverse("api-bank-account-list"), {"status": "pending"})
    checked = client.post(reverse("api-bank-account-check", args=[pending.pk]))

    assert [row["id"] for row in listed.json()["results"]] == [pending.pk]
    assert checked.status_code == 200
    assert checked.json()["status"] == "checked"


def test_union_staff_reject_with_a_reason(api_client, union_staff):
    account = BankAccountFactory()

    response = _as(api_client, union_staff).post(
        reverse("api-bank-account-reject", args=[account.pk]),
        {"reason": "户名不符"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == (
        "rejected",
        "户名不符",
    )


def test_checking_a_rejected_account_is_a_409(api_client, union_staff):
    account = BankAccountFactory(status="rejected")

    response = _as(api_client, union_staff).post(
        reverse("api-bank-account-check", args=[account.pk])
    )

    assert response.status_code == 409
    account.refresh_from_db()
    assert account.status == "rejected"
