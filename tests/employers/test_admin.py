import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from apps.core.models import AuditRecord, Notice
from apps.core.validators import make_credit_code
from apps.employers.models import Employer, EmployerAdmin
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerAdminFactory, EmployerFactory, EmploymentFactory

pytestmark = pytest.mark.django_db

MODELS = ["employer", "employeradmin", "employment"]
NO_INLINE = {"admins-TOTAL_FORMS": "0", "admins-INITIAL_FORMS": "0"}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def objects(employment):
    return {
        "employer": employment.employer,
        "employeradmin": employment.employer.admins.get(),
        "employment": employment,
    }


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:employers_{model}_{view}", args=args)


def employer_form(employer=None, **overrides) -> dict:
    data = {
        "name": "凯达工贸有限责任公司",
        "credit_code": make_credit_code("91130283MA0KADA00"),
        "kind": "enterprise",
        "address": "迁安市",
        "area": EmployerFactory.build().area.pk,
        "union": "",
        "contact_name": "",
        "contact_phone": "",
        **NO_INLINE,
    }
    if employer is not None:
        data.update(
            name=employer.name,
            credit_code=employer.credit_code,
            area=employer.area_id,
            union=employer.union_id,
            address=employer.address,
        )
    return {**data, **overrides}


def run_action(client, action: str, employers, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [e.pk for e in employers], **extra}
    return client.post(url("employer", "changelist"), data)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist"), {"q": "迁安"}).status_code == 200


@pytest.mark.parametrize("model", ["employer", "employeradmin"])
def test_add_page_opens_for_union_staff(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_page_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "change", objects[model].pk)).status_code == 200


def test_member_change_page_lists_the_members_employments(staff_client, employment):
    response = staff_client.get(reverse("admin:members_member_change", args=[employment.member_id]))

    assert response.status_code == 200
    assert "炼钢车间" in response.content.decode()


def test_employer_add_in_the_admin_goes_through_the_service(staff_client, union_staff):
    response = staff_client.post(url("employer", "add"), employer_form())

    assert response.status_code == 302
    employer = Employer.objects.get()
    assert (employer.name, employer.status) == ("凯达工贸有限责任公司", "pending")
    assert AuditRecord.objects.get(action="employer.create").actor == union_staff


def test_employer_add_with_an_invalid_credit_code_is_a_form_error(staff_client):
    response = staff_client.post(url("employer", "add"), employer_form(credit_code="91130283"))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["credit_code"]
    assert not Employer.objects.exists()


def test_employer_change_in_the_admin_is_audited(staff_client):
    employer = EmployerFactory()

    response = staff_client.post(
        url("employer", "change", employer.pk), employer_form(employer, address="新地址")
    )

    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.address == "新地址"
    assert AuditRecord.objects.get(action="employer.update").changes == {"fields": ["address"]}


def test_adding_an_admin_inline_goes_through_the_service(staff_client):
    employer = EmployerFactory()
    account = UserFactory(role="employer_admin")
    data = employer_form(
        employer, **{"admins-TOTAL_FORMS": "1", "admins-0-user": account.pk, "admins-0-id": ""}
    )
    data["admins-0-employer"] = employer.pk

    response = staff_client.post(url("employer", "change", employer.pk), data)

    assert response.status_code == 302
    assert EmployerAdmin.objects.get().user == account
    assert AuditRecord.objects.get(action="employer.admin_add").changes == {"user": account.pk}


def test_approve_action_approves_pending_employers(staff_client):
    employers = [EmployerFactory(status="pending"), EmployerFactory(status="pending")]

    response = run_action(staff_client, "approve", employers)

    assert response.status_code == 302
    assert set(Employer.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditRecord.objects.filter(action="employer.approve").count() == 2


def test_approve_action_reports_an_employer_it_cannot_approve(staff_client):
    employer = EmployerFactory(status="suspended")

    response = run_action(staff_client, "approve", [employer])

    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.status == "suspended"
    assert not AuditRecord.objects.exists()


def test_refuse_action_first_asks_for_a_reason(staff_client):
    employer = EmployerFactory(status="pending")

    response = run_action(staff_client, "refuse", [employer])

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    employer.refresh_from_db()
    assert employer.status == "pending"


def test_refuse_action_with_a_reason_refuses_and_notifies(staff_client):
    employer = EmployerFactory(status="pending")
    EmployerAdminFactory(employer=employer)

    response = run_action(staff_client, "refuse", [employer], apply="1", reason="材料不全")

    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.status == "refused"
    assert AuditRecord.objects.get(action="employer.refuse").reason == "材料不全"
    assert Notice.objects.get().body == "材料不全"


def test_refuse_action_without_a_reason_asks_again(staff_client):
    employer = EmployerFactory(status="pending")

    response = run_action(staff_client, "refuse", [employer], apply="1", reason="")

    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.status == "pending"


def test_suspend_action_with_a_reason_suspends(staff_client):
    employer = EmployerFactory(status="approved")

    run_action(staff_client, "suspend", [employer], apply="1", reason="停业整顿")

    employer.refresh_from_db()
    assert employer.status == "suspended"


def test_reinstate_action_reinstates(staff_client):
    employer = EmployerFactory(status="suspended")

    run_action(staff_client, "reinstate", [employer])

    employer.refresh_from_db()
    assert employer.status == "approved"


def test_employer_admin_link_added_in_the_admin_goes_through_the_service(staff_client):
    employer = EmployerFactory()
    account = UserFactory(role="employer_admin")

    response = staff_client.post(
        url("employeradmin", "add"), {"user": account.pk, "employer": employer.pk}
    )

    assert response.status_code == 302
    assert EmployerAdmin.objects.get().employer == employer
    assert AuditRecord.objects.filter(action="employer.admin_add").count() == 1


def test_employer_admin_link_removed_in_the_admin_is_audited(staff_client):
    link = EmployerAdminFactory()

    response = staff_client.post(url("employeradmin", "delete", link.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not EmployerAdmin.objects.exists()
    assert AuditRecord.objects.get(action="employer.admin_remove").changes == {"user": link.user_id}


def test_employment_confirm_action_confirms(staff_client, member, employer):
    employment = EmploymentFactory(member=member, employer=employer, status="pending")

    staff_client.post(
        url("employment", "changelist"),
        {"action": "confirm", helpers.ACTION_CHECKBOX_NAME: [employment.pk]},
    )

    employment.refresh_from_db()
    assert employment.status == "active"
