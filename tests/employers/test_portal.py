"""Employer and parent portal pages: homes, confirming employees, roster pages, children."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import Notice
from apps.employers.models import Employment, RosterEntry, RosterImport
from apps.employers.services import roster as roster_services
from apps.employers.services.signup import PRIVACY_NOTICE_VERSION
from apps.members.models import Child, GuardianConsent
from tests.employers.factories import EmployerFactory, EmploymentFactory
from tests.employers.roster_files import csv_upload, id_number, people, person
from tests.members.factories import ChildFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def admin_page(client, employer_admin_user, employer):
    employer_admin_user.language = "en"  # imports report errors in the uploader's language
    employer_admin_user.save()
    client.force_login(employer_admin_user)
    return client


@pytest.fixture
def parent_page(client, parent_user, member):
    client.force_login(parent_user)
    return client


def test_the_employer_portal_greets_a_visitor_with_sign_in_and_sign_up(client):
    response = client.get("/employer/")

    assert response.status_code == 200
    assert reverse("employer_portal:signup") in response.text


def test_the_employer_portal_refuses_other_roles(client, parent_user):
    client.force_login(parent_user)

    assert client.get("/employer/").status_code == 403
    assert client.get(reverse("employer_portal:roster")).status_code == 403


def test_the_employer_home_counts_waiting_employees(admin_page, employer):
    EmploymentFactory(employer=employer, status="pending")

    response = admin_page.get("/employer/")

    assert response.context["pending_count"] == 1
    assert "1 person waits for you to confirm they work here." in response.text


def test_the_approved_employer_home_links_to_programmes_and_application_confirmations(
    admin_page, employer
):
    response = admin_page.get("/employer/")

    assert f'href="{reverse("programmes:employer-list")}"><h2>Our programmes</h2>' in response.text
    confirmations = reverse("admissions:employer-confirmations")
    assert f'href="{confirmations}"><h2>Employment confirmations</h2>' in response.text


def test_the_pending_page_lists_waiting_people_masked(admin_page, employer, member):
    EmploymentFactory(member=member, employer=employer, status="pending", verified_by="")

    response = admin_page.get(reverse("employer_portal:pending"))

    assert member.full_name in response.text
    assert member.id_number_masked in response.text
    assert member.id_number not in response.text
    assert "data-once" in response.text


def test_confirming_on_the_page_verifies_the_employment(admin_page, employer, member):
    employment = EmploymentFactory(member=member, employer=employer, status="pending")

    response = admin_page.post(reverse("employer_portal:employment-confirm", args=[employment.pk]))

    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.status, employment.verified_by) == ("active", "employer")


def test_refusing_on_the_page_needs_a_reason_and_tells_the_parent(admin_page, employer, member):
    member.user.language = "en"
    member.user.save()
    employment = EmploymentFactory(member=member, employer=employer, status="pending")
    url = reverse("employer_portal:employment-refuse", args=[employment.pk])

    admin_page.post(url, {"reason": ""})
    employment.refresh_from_db()
    assert employment.status == "pending"

    admin_page.post(url, {"reason": "本单位无此职工"})

    employment.refresh_from_db()
    assert (employment.status, employment.refusal_reason) == ("refused", "本单位无此职工")
    notice = Notice.objects.get(recipient=member.user)
    assert notice.body == "本单位无此职工"


def test_an_admin_cannot_decide_for_another_employer(admin_page, other_employer):
    employment = EmploymentFactory(employer=other_employer, status="pending")

    response = admin_page.post(reverse("employer_portal:employment-confirm", args=[employment.pk]))

    assert response.status_code == 404
    employment.refresh_from_db()
    assert employment.status == Employment.Status.PENDING


def test_the_roster_page_shows_id_numbers_masked(admin_page, employer):
    roster_services.roster_import_run(
        roster_import_id=roster_services.roster_import_create(
            employer=employer, upload=csv_upload(people(2)), actor=None
        ).pk
    )

    response = admin_page.get(reverse("employer_portal:roster"), {"q": "王"})

    assert [e.full_name for e in response.context["page"].object_list] == ["王秀英"]
    assert id_number(0) not in response.text
    assert id_number(0)[:4] + "**********" + id_number(0)[-4:] in response.text


def test_uploading_a_roster_on_the_page_shows_the_outcome(admin_page, employer):
    response = admin_page.post(
        reverse("employer_portal:roster-import-new"),
        {"file": csv_upload(people(3)), "mode": "full"},
    )

    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse("employer_portal:roster-import", args=[roster_import.pk])
    page = admin_page.get(response["Location"])
    assert "3 rows imported: 3 added, 0 changed, 0 marked as left." in page.text
    assert RosterEntry.objects.filter(employer=employer).count() == 3


def test_an_upload_without_a_file_names_the_field(admin_page):
    response = admin_page.post(reverse("employer_portal:roster-import-new"), {"mode": "full"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert "Roster file: This field is required." in response.text


def test_a_refused_upload_lists_its_errors_and_offers_them_as_a_sheet(admin_page, employer):
    bad_number = id_number(1)[:17] + "0"
    admin_page.post(
        reverse("employer_portal:roster-import-new"),
        {"file": csv_upload([person(0), person(1, id_number=bad_number)]), "mode": "full"},
    )
    roster_import = RosterImport.objects.get()

    page = admin_page.get(reverse("employer_portal:roster-import", args=[roster_import.pk]))
    sheet = admin_page.get(reverse("employer_portal:roster-import-errors", args=[roster_import.pk]))

    assert "Nothing was imported" in page.text
    assert bad_number not in page.text
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("Row", "Column", "Reason"),
        (3, "身份证号", "Enter a valid resident ID number: the check digit does not match."),
    ]
    assert RosterEntry.objects.count() == 0


def test_a_running_import_page_polls_the_progress_endpoint(admin_page, employer):
    roster_import = RosterImport.objects.create(
        employer=employer, original_name="r.xlsx", status="running", rows_total=8000, rows_done=500
    )

    page = admin_page.get(reverse("employer_portal:roster-import", args=[roster_import.pk]))

    assert reverse("api-roster-import-detail", args=[roster_import.pk]) in page.text
    assert '<progress id="import-progress" max="8000" value="500"' in page.text


def test_another_employers_import_is_not_found(admin_page, other_employer):
    roster_import = RosterImport.objects.create(employer=other_employer, original_name="r.csv")

    page = admin_page.get(reverse("employer_portal:roster-import", args=[roster_import.pk]))

    assert page.status_code == 404


def test_the_template_download_has_the_columns_in_order(client):
    response = client.get(reverse("employer_portal:roster-template"))

    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header == ("姓名", "身份证号", "手机号", "部门", "工会会员", "入职日期")


# Parent portal


def test_the_parent_portal_greets_a_visitor_with_sign_up(client):
    response = client.get("/parent/")

    assert reverse("parent_portal:signup") in response.text


def test_the_parent_home_shows_verification_employment_membership_and_children(
    parent_page, member, employer, child, other_child
):
    EmploymentFactory(member=member, employer=employer)

    response = parent_page.get("/parent/")

    assert response.context["member"] == member
    assert [e.employer for e in response.context["employments"]] == [employer]
    assert response.context["children"] == [child]
    assert other_child.full_name not in response.text
    assert member.id_number_masked in response.text
    assert 'href="/parent/programmes/"' in response.text


def test_adding_a_child_records_the_guardians_consent_and_notice_version(parent_page, member):
    response = parent_page.post(
        reverse("parent_portal:child-add"),
        {
            "full_name": "李沐阳",
            "birth_date": "2024-05-20",
            "sex": "M",
            "relation": "mother",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    child = Child.objects.get()
    assert (child.full_name, child.consent.guardian, child.consent.notice_version) == (
        "李沐阳",
        member,
        PRIVACY_NOTICE_VERSION,
    )


def test_a_child_is_not_stored_without_consent(parent_page):
    response = parent_page.post(
        reverse("parent_portal:child-add"),
        {"full_name": "李沐阳", "birth_date": "2024-05-20", "sex": "M", "relation": "mother"},
    )

    assert response.status_code == 400
    assert list(response.context["child_form"].errors) == ["consent"]
    assert not Child.objects.exists()
    assert not GuardianConsent.objects.exists()


def test_a_child_too_old_is_refused_on_the_birth_date(parent_page):
    response = parent_page.post(
        reverse("parent_portal:child-add"),
        {
            "full_name": "李沐阳",
            "birth_date": "2010-05-20",
            "sex": "M",
            "relation": "mother",
            "consent": "on",
        },
    )

    assert list(response.context["child_form"].errors) == ["birth_date"]
    assert not GuardianConsent.objects.exists()


def test_a_parent_can_claim_another_employer(parent_page, member, employer):
    second = EmployerFactory()

    response = parent_page.post(reverse("parent_portal:employment-add"), {"employer": second.pk})

    assert response.status_code == 302
    assert member.employments.get(employer=second).status == "pending"


def test_the_parent_home_is_only_for_parents(client, employer_admin_user):
    client.force_login(employer_admin_user)

    assert client.get("/parent/").status_code == 403


def test_a_child_of_another_family_never_shows(parent_page, other_member):
    ChildFactory(guardian=other_member, full_name="赵一诺")

    assert "赵一诺" not in parent_page.get("/parent/").text
