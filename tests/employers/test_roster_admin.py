"""Admin pages for rosters: union staff import for any employer and correct entries."""

import pytest
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.employers.models import Employment, RosterEntry, RosterImport
from apps.employers.services import roster as services
from tests.employers.factories import EmployerFactory, EmploymentFactory
from tests.employers.roster_files import csv_upload, id_number, people, person
from tests.members.factories import MemberFactory
from tests.members.helpers import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff_client(client, union_staff):
    union_staff.language = "en"
    union_staff.save()
    client.force_login(union_staff)
    return client


def imported(employer, rows) -> RosterImport:
    created = services.roster_import_create(employer=employer, upload=csv_upload(rows), actor=None)
    return services.roster_import_run(roster_import_id=created.pk)


@pytest.mark.parametrize("model", ["rosterimport", "rosterentry"])
def test_changelist_and_search_open_for_union_staff(staff_client, employer, model):
    imported(employer, people(2))
    url = reverse(f"admin:employers_{model}_changelist")

    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "迁安"}).status_code == 200


def test_entries_are_found_by_exact_id_number_and_shown_masked(staff_client, employer):
    imported(employer, people(3))

    response = staff_client.get(
        reverse("admin:employers_rosterentry_changelist"), {"q": id_number(1)}
    )

    assert [e.full_name for e in response.context["cl"].result_list] == ["李建国"]
    number = id_number(1)
    assert f'<td class="field-masked_id_number">{number[:4]}**********{number[-4:]}</td>' in (
        response.text
    )


def test_import_and_entry_change_pages_open(staff_client, employer):
    roster_import = imported(employer, people(1))
    entry = RosterEntry.objects.get()

    assert (
        staff_client.get(
            reverse("admin:employers_rosterimport_change", args=[roster_import.pk])
        ).status_code
        == 200
    )
    page = staff_client.get(reverse("admin:employers_rosterentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert id_number(0) not in page.text
    assert staff_client.get(reverse("admin:employers_rosterentry_add")).status_code == 200


def test_staff_import_a_roster_for_any_employer(staff_client, union_staff):
    employer = EmployerFactory(status="pending")
    url = reverse("admin:employers_rosterimport_import")

    response = staff_client.post(
        url, {"employer": employer.pk, "file": csv_upload(people(2)), "mode": "full"}
    )

    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse(
        "admin:employers_rosterimport_change", args=[roster_import.pk]
    )
    assert (roster_import.status, roster_import.uploaded_by) == ("done", union_staff)
    assert RosterEntry.objects.filter(employer=employer).count() == 2


def test_the_employer_change_page_links_to_its_roster_import(staff_client, employer):
    page = staff_client.get(reverse("admin:employers_employer_change", args=[employer.pk]))

    import_url = reverse("admin:employers_rosterimport_import_for", args=[employer.pk])
    assert import_url in page.text
    response = staff_client.post(import_url, {"file": csv_upload(people(1)), "mode": "full"})
    assert response.status_code == 302
    assert RosterEntry.objects.get().employer == employer


def test_a_refused_import_shows_its_errors_in_the_admin(staff_client, employer):
    roster_import = imported(employer, [person(0, mobile="123")])

    page = staff_client.get(reverse("admin:employers_rosterimport_change", args=[roster_import.pk]))
    sheet = staff_client.get(
        reverse("admin:employers_rosterimport_errors", args=[roster_import.pk])
    )

    assert "手机号" in page.text
    assert "Enter a valid mainland mobile number" in page.text
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_correcting_an_entry_is_audited_without_its_values(staff_client, employer, union_staff):
    imported(employer, [person(0)])
    entry = RosterEntry.objects.get()
    url = reverse("admin:employers_rosterentry_change", args=[entry.pk])

    response = staff_client.post(
        url,
        {
            "full_name": "王秀英",
            "mobile": "13900000099",
            "department": "质检中心",
            "union_member": "on",
            "start_date": "2019-03-01",
            "status": "active",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.department, entry.mobile, entry.union_member) == ("质检中心", "13900000099", True)
    record = AuditRecord.objects.get(action="roster.entry_update")
    assert (record.actor, record.changes) == (
        union_staff,
        {"fields": ["department", "mobile", "union_member"]},
    )


def test_a_bad_correction_is_a_form_error_naming_the_field(staff_client, employer):
    imported(employer, [person(0)])
    entry = RosterEntry.objects.get()

    response = staff_client.post(
        reverse("admin:employers_rosterentry_change", args=[entry.pk]),
        {"full_name": "王秀英", "mobile": "123", "start_date": "2019-03-01", "status": "active"},
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["mobile"]
    entry.refresh_from_db()
    assert entry.mobile == "13900000000"


def test_adding_an_entry_by_hand_verifies_a_pending_employee(staff_client, employer):
    member = MemberFactory(full_name="李建国", id_number=id_number(1))
    employment = EmploymentFactory(member=member, employer=employer, status="pending")

    response = staff_client.post(
        reverse("admin:employers_rosterentry_add"),
        {
            "employer": employer.pk,
            "full_name": "李建国",
            "id_number_entry": id_number(1),
            "mobile": "13900000001",
            "start_date": "2018-01-01",
        },
    )

    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.status, employment.verified_by) == ("active", "roster")
    assert Employment.objects.count() == 1


def test_adding_someone_already_on_the_roster_is_refused(staff_client, employer):
    imported(employer, [person(1)])

    response = staff_client.post(
        reverse("admin:employers_rosterentry_add"),
        {
            "employer": employer.pk,
            "full_name": "李建国",
            "id_number_entry": id_number(1),
            "mobile": "13900000001",
            "start_date": "2018-01-01",
        },
    )

    assert list(response.context["adminform"].form.errors) == ["id_number_entry"]
    assert RosterEntry.objects.count() == 1


@pytest.mark.parametrize("model", ["rosterimport", "rosterentry"])
def test_admin_changelist_queries_do_not_grow(
    staff_client, employer, model, django_assert_max_num_queries
):
    def build(total: int) -> None:
        # One import of one more person each time: as many imports as entries.
        while RosterImport.objects.count() < total:
            count = RosterImport.objects.count()
            created = services.roster_import_create(
                employer=employer, upload=csv_upload([person(count)]), mode="additions", actor=None
            )
            services.roster_import_run(roster_import_id=created.pk)

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: staff_client.get(reverse(f"admin:employers_{model}_changelist")),
        max_queries=12,
        shown=lambda response: response.context["cl"].result_count,
    )
