from decimal import Decimal

import pytest
from django.urls import reverse

from apps.subsidies.models import BankAccount
from tests.accounts.factories import PASSWORD
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BankAccountFactory, ProgrammeFactory, SchemeFactory, enrol

pytestmark = pytest.mark.django_db
NUMBER = "6217000315000012345"
FORM = {"bank_name": "中国工商银行迁安支行", "account_name": "陈晓红", "account_number": NUMBER}


def test_parent_enters_a_bank_account_and_sees_it_masked(client):
    member = MemberFactory()
    client.force_login(member.user)
    page = reverse("subsidies:parent-bank-account")

    empty = client.get(page)
    posted = client.post(page, FORM)
    shown = client.get(page)

    assert empty.status_code == 200
    assert "password" not in empty.context["form"].fields
    assert posted.status_code == 302
    assert BankAccount.objects.get().member == member
    assert "6217***********2345" in shown.content.decode()
    assert NUMBER not in shown.content.decode()


def test_changing_the_account_on_the_page_takes_the_password(client):
    member = MemberFactory()
    old = BankAccountFactory(member=member)
    client.force_login(member.user)
    page = reverse("subsidies:parent-bank-account")

    refused = client.post(page, {**FORM, "password": "wrong"})
    accepted = client.post(page, {**FORM, "password": PASSWORD})

    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["password"]
    assert accepted.status_code == 302
    old.refresh_from_db()
    assert old.is_current is False
    assert BankAccount.objects.get(is_current=True).account_number == NUMBER


def test_a_bad_number_is_shown_on_its_field(client):
    member = MemberFactory()
    client.force_login(member.user)

    response = client.post(
        reverse("subsidies:parent-bank-account"), {**FORM, "account_number": "12345"}
    )

    # The portal speaks Chinese: "Enter an account number of 12 to 30 digits; this one has 5."
    assert response.context["form"].errors == {
        "account_number": ["账号应为 12 至 30 位数字,当前为 5 位。"]
    }
    assert not BankAccount.objects.exists()


def test_centre_admin_enters_the_centres_account(client):
    admin = CentreAdminFactory()
    client.force_login(admin.user)

    response = client.post(
        reverse("subsidies:centre-bank-account"),
        {**FORM, "account_number": "13040160000000000001"},
    )

    assert response.status_code == 302
    assert BankAccount.objects.get().centre == admin.centre


def test_employer_admin_enters_the_employers_account(client):
    admin = EmployerAdminFactory()
    client.force_login(admin.user)

    response = client.post(
        reverse("subsidies:employer-bank-account"),
        {**FORM, "account_number": "13040170000000000001"},
    )

    assert response.status_code == 302
    assert BankAccount.objects.get().employer == admin.employer


def test_another_roles_bank_account_page_is_forbidden(client):
    client.force_login(MemberFactory().user)

    response = client.get(reverse("subsidies:centre-bank-account"))

    assert response.status_code == 403


def test_bank_account_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("subsidies:parent-bank-account"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_employer_costs_page_shows_the_estimate(client):
    admin = EmployerAdminFactory()
    programme = ProgrammeFactory(lead_employer=admin.employer)
    enrol(programme=programme, subsidy_amount=Decimal("200"))
    SchemeFactory(name="鑫达钢铁职工托育补贴", programmes=[programme])
    client.force_login(admin.user)

    response = client.get(reverse("subsidies:employer-costs"), {"month": "2026-10"})

    assert response.status_code == 200
    assert response.context["estimate"].total == Decimal("200.00")
    assert "鑫达钢铁职工托育补贴" in response.content.decode()


def test_employer_costs_page_is_for_employer_admins_only(client):
    client.force_login(CentreAdminFactory().user)

    response = client.get(reverse("subsidies:employer-costs"))

    assert response.status_code == 403
