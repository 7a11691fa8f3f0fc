"""Employer and parent sign-up: pages and API, approval and refusal, automatic verification."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.centres.models import RegistrationStatus
from apps.core.models import Area, AuditRecord, Notice
from apps.core.validators import make_credit_code
from apps.employers.models import Employer, EmployerAdmin, Employment
from apps.employers.services import roster as roster_services
from apps.employers.services.registry import employer_approve, employer_refuse
from apps.employers.services.signup import PRIVACY_NOTICE_VERSION
from apps.members.models import Member
from tests.employers.factories import EmployerFactory
from tests.employers.roster_files import csv_upload, id_number, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
User = get_user_model()
PASSWORD = "Qa-signup-2026!"
CREDIT_CODE = make_credit_code("91130283MA0HDWL01")


def employer_form(**changes) -> dict:
    return {
        "name": "迁安市顺达物流有限公司",
        "credit_code": CREDIT_CODE,
        "kind": "enterprise",
        "area": Area.objects.order_by("sort_order").first().pk,
        "address": "迁安市物流园区8号",
        "contact_name": "孙立新",
        "contact_phone": "0315-7688000",
        "username": "shunda_admin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def parent_form(employer, **changes) -> dict:
    return {
        "full_name": "李建国",
        "id_number": id_number(1),
        "mobile": "13803150011",
        "employer": employer.pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_notice": "on",
        **changes,
    }


def with_roster(employer, *rows) -> None:
    created = roster_services.roster_import_create(
        employer=employer, upload=csv_upload(list(rows)), actor=None
    )
    roster_services.roster_import_run(roster_import_id=created.pk)


# Employer sign-up


def test_employer_signup_creates_a_pending_employer_with_its_admin_signed_in(client, union_staff):
    response = client.post(reverse("employer_portal:signup"), employer_form())

    assert response.status_code == 302
    assert response["Location"] == "/employer/"
    employer = Employer.objects.get(credit_code=CREDIT_CODE)
    assert employer.status == RegistrationStatus.PENDING
    admin = EmployerAdmin.objects.select_related("user").get(employer=employer)
    assert (admin.user.username, admin.user.role, admin.user.full_name) == (
        "shunda_admin",
        "employer_admin",
        "孙立新",
    )
    assert client.get("/employer/").context["employer"] == employer
    notice = Notice.objects.get(recipient=union_staff)
    assert notice.link == f"/admin/employers/employer/{employer.pk}/change/"


def test_employer_signup_page_shows_the_pending_status(client):
    client.post(reverse("employer_portal:signup"), employer_form())

    response = client.get("/employer/")

    assert "Union staff are reviewing your sign-up" in response.text


def test_employer_signup_refuses_a_bad_credit_code_on_its_field_and_creates_nothing(client):
    response = client.post(
        reverse("employer_portal:signup"), employer_form(credit_code=CREDIT_CODE[:17] + "0")
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["credit_code"]
    assert "Unified social credit code: Enter a valid" in response.text
    assert not Employer.objects.exists()
    assert not User.objects.filter(username="shunda_admin").exists()


def test_employer_signup_refuses_a_registered_credit_code(client):
    EmployerFactory(credit_code=CREDIT_CODE)

    response = client.post(reverse("employer_portal:signup"), employer_form())

    assert response.context["form"].errors == {
        "credit_code": ["An employer with this unified social credit code is already registered."]
    }
    assert Employer.objects.count() == 1


def test_employer_signup_refuses_different_passwords_and_a_taken_user_name(client, union_staff):
    response = client.post(
        reverse("employer_portal:signup"),
        employer_form(username=union_staff.username, password2="something-else-1"),
    )

    assert set(response.context["form"].errors) == {"username", "password2"}
    assert not Employer.objects.exists()


def test_employer_signup_is_rate_limited_per_address(client, monkeypatch):
    # One fixed window for all eleven requests, even when the minute turns meanwhile.
    monkeypatch.setattr("apps.core.ratelimit.time", SimpleNamespace(time=lambda: 1.8e9))
    responses = [client.post(reverse("employer_portal:signup"), {"name": ""}) for _ in range(11)]

    assert [r.status_code for r in responses] == [400] * 10 + [429]


def test_employer_signup_api_creates_a_pending_employer(api_client):
    data = employer_form(password=PASSWORD)

    response = api_client.post(reverse("api-signup-employer"), data, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["username"], body["name"]) == (
        "pending",
        "shunda_admin",
        "迁安市顺达物流有限公司",
    )
    assert EmployerAdmin.objects.filter(employer_id=body["id"]).count() == 1


def test_employer_signup_api_names_the_field_at_fault(api_client):
    data = employer_form(password=PASSWORD, contact_phone="12")

    response = api_client.post(reverse("api-signup-employer"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["contact_phone"]
    assert not Employer.objects.exists()
    assert not User.objects.filter(username="shunda_admin").exists()


def test_approval_tells_the_admin_who_then_sees_the_employer_portal(client, union_staff):
    client.post(reverse("employer_portal:signup"), employer_form())
    employer = Employer.objects.get()
    admin = employer.admins.get().user
    admin.language = "en"  # notices come in the recipient's language
    admin.save()

    employer_approve(employer=employer, actor=union_staff)

    assert Notice.objects.filter(recipient=admin).values_list("title", flat=True).first() == (
        "迁安市顺达物流有限公司 has been approved"
    )
    page = client.get("/employer/")
    assert page.context["pending_count"] == 0
    assert reverse("employer_portal:roster-import-new") in page.text


def test_a_refused_signup_gets_the_reason_by_notice_and_on_the_home_page(client, union_staff):
    client.post(reverse("employer_portal:signup"), employer_form())
    employer = Employer.objects.get()
    admin = employer.admins.get().user
    admin.language = "en"
    admin.save()

    employer_refuse(employer=employer, reason="营业执照照片不清晰", actor=union_staff)

    notice = Notice.objects.get(recipient=admin)
    assert (notice.title, notice.body) == (
        "迁安市顺达物流有限公司 was not approved",
        "营业执照照片不清晰",
    )
    assert "营业执照照片不清晰" in client.get("/employer/").text


def test_the_roster_pages_wait_for_approval(client):
    client.post(reverse("employer_portal:signup"), employer_form())

    response = client.get(reverse("employer_portal:roster"))

    assert response.status_code == 302
    assert response["Location"] == "/employer/"


# Parent sign-up


def test_a_parent_on_the_roster_is_verified_at_once_with_union_membership(client, employer):
    with_roster(employer, person(1))  # row 1: union member

    response = client.post(reverse("parent_portal:signup"), parent_form(employer))

    assert response.status_code == 302
    assert response["Location"] == "/parent/"
    member = Member.objects.select_related("user").get()
    assert (member.user.username, member.user.role) == ("13803150011", "parent")
    employment = member.employments.get()
    assert (employment.status, employment.verified_by) == ("active", "roster")
    assert employment.department == "炼钢车间"
    assert (member.membership, member.union) == ("verified", employer.union)
    assert client.get("/parent/").context["member"] == member


def test_a_roster_row_not_marked_as_union_member_leaves_membership_as_claimed(client, employer):
    with_roster(employer, person(3))  # row 3: not a union member

    client.post(
        reverse("parent_portal:signup"),
        parent_form(employer, full_name="刘芳", id_number=id_number(3), union_member="on"),
    )

    member = Member.objects.get()
    assert member.employments.get().status == "active"
    assert member.membership == Member.Membership.CLAIMED


def test_a_parent_whose_name_differs_from_the_roster_waits_for_the_employer(
    client, employer, employer_admin_user
):
    with_roster(employer, person(1))

    client.post(reverse("parent_portal:signup"), parent_form(employer, full_name="李建军"))

    employment = Employment.objects.get(member__full_name="李建军")
    assert (employment.status, employment.verified_by) == ("pending", "")
    assert Member.objects.get().membership == Member.Membership.NONE
    assert Notice.objects.filter(
        recipient=employer_admin_user, link="/employer/employees/pending/"
    ).exists()


def test_a_parent_not_on_the_roster_waits_for_the_employer(client, employer):
    response = client.post(reverse("parent_portal:signup"), parent_form(employer))

    assert response.status_code == 302
    assert Employment.objects.get().status == "pending"


def test_parent_signup_refuses_a_registered_id_number_and_creates_nothing(client, employer):
    client.post(reverse("parent_portal:signup"), parent_form(employer))
    client.logout()

    response = client.post(
        reverse("parent_portal:signup"), parent_form(employer, mobile="13803150012")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "id_number": ["A member with this resident ID number is already registered."]
    }
    assert not User.objects.filter(username="13803150012").exists()


def test_parent_signup_refuses_a_mobile_number_with_an_account(client, employer):
    client.post(reverse("parent_portal:signup"), parent_form(employer))
    client.logout()

    response = client.post(
        reverse("parent_portal:signup"), parent_form(employer, id_number=id_number(2))
    )

    assert list(response.context["form"].errors) == ["mobile"]
    assert Member.objects.count() == 1


def test_parent_signup_needs_the_privacy_notice_accepted(client, employer):
    data = parent_form(employer)
    del data["privacy_notice"]

    response = client.post(reverse("parent_portal:signup"), data)

    assert list(response.context["form"].errors) == ["privacy_notice"]
    assert not Member.objects.exists()


def test_parent_signup_offers_only_approved_employers(client, employer):
    pending = EmployerFactory(status="pending")

    response = client.post(reverse("parent_portal:signup"), parent_form(pending))

    assert list(response.context["form"].errors) == ["employer"]
    assert employer in response.context["form"].fields["employer"].queryset
    assert pending not in response.context["form"].fields["employer"].queryset


def test_a_signed_in_parent_without_a_member_record_completes_it(client, parent_user, employer):
    client.force_login(parent_user)
    assert client.get("/parent/").context["needs_details"] is True
    data = parent_form(employer)
    del data["password1"], data["password2"]

    response = client.post(reverse("parent_portal:signup"), data)

    assert response.status_code == 302
    assert Member.objects.get().user == parent_user


def test_parent_signup_records_the_privacy_notice_version(client, employer):
    client.post(reverse("parent_portal:signup"), parent_form(employer))

    record = AuditRecord.objects.get(action="member.privacy_consent")
    assert record.to_state == PRIVACY_NOTICE_VERSION


def test_parent_signup_api_verifies_from_the_roster(api_client, employer):
    with_roster(employer, person(1))
    data = {**parent_form(employer), "password": PASSWORD}
    data["privacy_notice_version"] = PRIVACY_NOTICE_VERSION

    response = api_client.post(reverse("api-signup-parent"), data, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["employment_status"], body["membership"]) == (
        "13803150011",
        "active",
        "verified",
    )


def test_parent_signup_api_refuses_an_old_privacy_notice_version(api_client, employer):
    data = {**parent_form(employer), "password": PASSWORD, "privacy_notice_version": "2020-01"}

    response = api_client.post(reverse("api-signup-parent"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["privacy_notice"]
    assert not User.objects.filter(username="13803150011").exists()


def test_the_signup_employer_list_shows_approved_employers_by_name(api_client, employer):
    EmployerFactory(status="pending", name="待审单位")

    response = api_client.get(reverse("api-signup-employers"), {"search": "钢铁"})

    assert [e["name"] for e in response.json()["results"]] == [employer.name]
