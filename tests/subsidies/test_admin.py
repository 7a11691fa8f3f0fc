from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.subsidies.models import BankAccount, Budget, SubsidyScheme
from tests.subsidies.factories import (
    BankAccountFactory,
    BudgetFactory,
    ProgrammeFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db
NUMBER = "6217000315000012345"


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:subsidies_{model}_{view}", args=args)


def scheme_form(**overrides) -> dict:
    return {
        "name": "光彩学前教育集团教职工子女入托补贴",
        "kind": "monthly_subsidy",
        "funder": "employer",
        "prorate_by_days": "on",
        "hold_without_attendance": "on",
        "zero_attendance_pays_nothing": "on",
        "grant_base_amount": "0",
        "grant_per_child_amount": "0",
        "grant_cap": "70000",
        "valid_from": "2026-01-01",
        "is_active": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("model", "make"),
    [("subsidyscheme", SchemeFactory), ("budget", BudgetFactory), ("bankaccount", None)],
)
def test_admin_changelist_search_and_change_pages_open(staff_client, model, make):
    obj = make() if make else BankAccountFactory(account_number=NUMBER)

    assert staff_client.get(url(model, "changelist")).status_code == 200
    assert staff_client.get(url(model, "changelist"), {"q": "补贴"}).status_code == 200
    assert staff_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", ["subsidyscheme", "budget"])
def test_admin_add_pages_open(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


def test_bank_accounts_have_no_add_page(staff_client):
    assert staff_client.get(url("bankaccount", "add")).status_code == 403


def test_admin_adds_a_scheme_through_the_service(staff_client):
    programme = ProgrammeFactory()

    response = staff_client.post(
        url("subsidyscheme", "add"), scheme_form(programmes=[programme.pk])
    )

    assert response.status_code == 302
    scheme = SubsidyScheme.objects.get()
    assert list(scheme.programmes.all()) == [programme]
    assert AuditRecord.objects.filter(action="scheme.create", target_id=str(scheme.pk)).exists()


def test_admin_shows_a_scheme_refusal_on_its_field(staff_client):
    response = staff_client.post(
        url("subsidyscheme", "add"), scheme_form(kind="unit_grant", funder="city")
    )

    assert response.status_code == 200
    assert "grant_base_amount" in response.context["adminform"].form.errors
    assert not SubsidyScheme.objects.exists()


def test_admin_changes_a_scheme_through_the_service(staff_client):
    scheme = SchemeFactory(name="旧名称")

    response = staff_client.post(
        url("subsidyscheme", "change", scheme.pk), scheme_form(name="新名称")
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "新名称"
    assert AuditRecord.objects.get(action="scheme.update").changes["name"] == ["旧名称", "新名称"]


def test_admin_adds_a_budget(staff_client):
    scheme = SchemeFactory()

    response = staff_client.post(
        url("budget", "add"), {"scheme": scheme.pk, "year": "2026", "amount": "720000"}
    )

    assert response.status_code == 302
    assert Budget.objects.get().amount == Decimal("720000.00")


def test_admin_raising_a_budget_asks_for_a_reason(staff_client):
    budget = BudgetFactory(amount=Decimal("1000"))

    refused = staff_client.post(url("budget", "change", budget.pk), {"amount": "2000"})
    raised = staff_client.post(
        url("budget", "change", budget.pk), {"amount": "2000", "reason": "追加"}
    )

    assert "reason" in refused.context["adminform"].form.errors
    assert raised.status_code == 302
    budget.refresh_from_db()
    assert budget.amount == Decimal("2000.00")
    assert AuditRecord.objects.get(action="budget.raise").reason == "追加"


def test_admin_finds_an_account_by_its_whole_number_and_never_shows_it(staff_client):
    wanted = BankAccountFactory(account_number=NUMBER)
    BankAccountFactory()

    listed = staff_client.get(url("bankaccount", "changelist"), {"q": "6217 0003 1500 0012 345"})
    change = staff_client.get(url("bankaccount", "change", wanted.pk))

    assert list(listed.context["cl"].result_list) == [wanted]
    for response in (listed, change):
        assert NUMBER not in response.content.decode()
    assert "6217***********2345" in change.content.decode()


def test_admin_checks_an_account_from_its_page(staff_client, union_staff):
    account = BankAccountFactory()

    response = staff_client.post(url("bankaccount", "change", account.pk), {"decision": "check"})

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.status, account.checked_by) == ("checked", union_staff)


def test_admin_rejects_selected_accounts_with_a_reason(staff_client):
    accounts = [BankAccountFactory(), BankAccountFactory()]
    data = {
        "action": "mark_rejected",
        helpers.ACTION_CHECKBOX_NAME: [a.pk for a in accounts],
        "apply": "1",
        "reason": "户名不符",
    }

    response = staff_client.post(url("bankaccount", "changelist"), data)

    assert response.status_code == 302
    assert set(BankAccount.objects.values_list("status", "rejection_reason")) == {
        ("rejected", "户名不符")
    }


def test_admin_check_action_reports_a_refused_row_and_checks_the_others(staff_client):
    pending, rejected = BankAccountFactory(), BankAccountFactory(status="rejected")
    data = {
        "action": "mark_checked",
        helpers.ACTION_CHECKBOX_NAME: [pending.pk, rejected.pk],
    }

    staff_client.post(url("bankaccount", "changelist"), data)

    pending.refresh_from_db()
    rejected.refresh_from_db()
    assert (pending.status, rejected.status) == ("checked", "rejected")
