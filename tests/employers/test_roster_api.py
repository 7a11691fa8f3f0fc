"""Roster API: upload and progress, the masked roster, employees awaiting confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import Notice
from apps.employers.models import Employment, RosterEntry, RosterImport
from apps.employers.services import roster as services
from tests.employers.factories import EmploymentFactory
from tests.employers.roster_files import csv_upload, id_number, people, person
from tests.members.factories import MemberFactory
from tests.members.helpers import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def admin_client(api_client, employer_admin_user):
    employer_admin_user.language = "en"
    employer_admin_user.save()
    api_client.force_authenticate(employer_admin_user)
    return api_client


def upload_url(employer) -> str:
    return reverse("api-employer-roster-imports", args=[employer.pk])


def test_roster_urls_are_named(employer):
    assert upload_url(employer) == f"/api/v1/employers/{employer.pk}/roster-imports/"
    assert reverse("api-roster-import-detail", args=[7]) == "/api/v1/roster-imports/7/"
    assert reverse("api-employer-roster", args=[employer.pk]).endswith("/roster/")
    assert reverse("api-employment-confirm", args=[3]) == "/api/v1/employments/3/confirm/"


def test_a_small_upload_is_imported_at_once(admin_client, employer):
    response = admin_client.post(
        upload_url(employer), {"file": csv_upload(people(2)), "mode": "full"}, format="multipart"
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("status", "rows_total", "rows_done", "created_count")} == {
        "status": "done",
        "rows_total": 2,
        "rows_done": 2,
        "created_count": 2,
    }
    assert body["errors"] == []
    assert RosterEntry.objects.filter(employer=employer).count() == 2


def test_an_upload_with_a_bad_row_reports_it_and_imports_nothing(admin_client, employer):
    upload = csv_upload([person(1), person(2, mobile="")])

    response = admin_client.post(upload_url(employer), {"file": upload}, format="multipart")

    assert response.status_code == 201
    assert response.json()["status"] == "failed"
    assert response.json()["errors"] == [
        {"row": 3, "column": "手机号", "reason": "This cell is empty."}
    ]
    assert RosterEntry.objects.count() == 0


def test_an_oversized_upload_is_refused_on_the_file_field(admin_client, employer):
    upload = SimpleUploadedFile("big.csv", b"1" * (5 * 1024 * 1024 + 1))

    response = admin_client.post(upload_url(employer), {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["The file is larger than 5 MB."]}
    assert RosterImport.objects.count() == 0


def test_an_upload_without_a_file_names_the_field(admin_client, employer):
    response = admin_client.post(upload_url(employer), {"mode": "full"}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]


def test_a_large_upload_is_accepted_and_queued(
    admin_client, employer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_MAX_BYTES", 10)
    monkeypatch.setattr(
        "apps.employers.tasks.roster_import_task.apply_async", lambda args, kwargs: None
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            upload_url(employer), {"file": csv_upload(people(3))}, format="multipart"
        )

    assert response.status_code == 202
    assert response.json()["status"] == "queued"


def test_the_progress_endpoint_reports_rows_done_of_rows_total(admin_client, employer):
    roster_import = RosterImport.objects.create(
        employer=employer, original_name="r.csv", status="running", rows_total=900, rows_done=300
    )

    response = admin_client.get(reverse("api-roster-import-detail", args=[roster_import.pk]))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["rows_done"], body["rows_total"]) == ("running", 300, 900)


def test_the_roster_shows_id_and_mobile_numbers_masked(admin_client, employer):
    services.roster_import_run(
        roster_import_id=services.roster_import_create(
            employer=employer, upload=csv_upload([person(1)]), actor=None
        ).pk
    )

    response = admin_client.get(reverse("api-employer-roster", args=[employer.pk]))

    entry = response.json()["results"][0]
    number = id_number(1)
    assert entry["id_number_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert entry["mobile_masked"] == "139****0001"
    assert number not in response.text
    assert "13900000001" not in response.text


def test_the_roster_filters_by_status_and_search(admin_client, employer):
    services.roster_import_run(
        roster_import_id=services.roster_import_create(
            employer=employer, upload=csv_upload(people(3)), actor=None
        ).pk
    )
    RosterEntry.objects.filter(full_name="张伟").update(status="left")
    url = reverse("api-employer-roster", args=[employer.pk])

    left = admin_client.get(url, {"status": "left"}).json()["results"]
    found = admin_client.get(url, {"search": "李"}).json()["results"]

    assert [e["full_name"] for e in left] == ["张伟"]
    assert [e["full_name"] for e in found] == ["李建国"]


def test_the_roster_list_runs_the_same_queries_for_1_and_30_rows(
    admin_client, employer, django_assert_max_num_queries
):
    url = reverse("api-employer-roster", args=[employer.pk])

    def build(total: int) -> None:
        have = RosterEntry.objects.count()
        services.roster_import_run(
            roster_import_id=services.roster_import_create(
                employer=employer, upload=csv_upload(people(total - have, have)),
                mode="additions", actor=None,
            ).pk
        )  # fmt: skip

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: admin_client.get(url, {"page_size": 50}),
        max_queries=6,
        shown=lambda response: response.json()["count"],
    )


def test_pending_employees_are_listed_with_whether_the_roster_knows_them(admin_client, employer):
    services.roster_import_run(
        roster_import_id=services.roster_import_create(
            employer=employer, upload=csv_upload([person(1)]), actor=None
        ).pk
    )
    renamed = MemberFactory(full_name="李建军", id_number=id_number(1))
    stranger = MemberFactory(full_name="孙悟空")
    EmploymentFactory(member=renamed, employer=employer, status="pending")
    EmploymentFactory(member=stranger, employer=employer, status="pending")
    EmploymentFactory(employer=employer)  # already active: not listed

    response = admin_client.get(reverse("api-employer-pending-employees", args=[employer.pk]))

    assert [(e["full_name"], e["on_roster"]) for e in response.json()["results"]] == [
        ("李建军", True),
        ("孙悟空", False),
    ]


def test_the_pending_list_runs_the_same_queries_for_1_and_30_rows(
    admin_client, employer, django_assert_max_num_queries
):
    made = []

    def build(total: int) -> None:
        while len(made) < total:
            made.append(EmploymentFactory(employer=employer, status="pending"))

    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        build=build,
        fetch=lambda: admin_client.get(
            reverse("api-employer-pending-employees", args=[employer.pk]), {"page_size": 50}
        ),
        max_queries=6,
        shown=lambda response: response.json()["count"],
    )


def test_confirming_makes_the_employment_active_and_tells_the_member(admin_client, employer):
    employment = EmploymentFactory(employer=employer, status="pending", verified_by="")

    response = admin_client.post(reverse("api-employment-confirm", args=[employment.pk]))

    assert response.status_code == 200
    employment.refresh_from_db()
    assert (employment.status, employment.verified_by) == ("active", "employer")
    assert Notice.objects.filter(recipient=employment.member.user).count() == 1


def test_refusing_needs_a_reason_and_keeps_it(admin_client, employer):
    employment = EmploymentFactory(employer=employer, status="pending", verified_by="")
    url = reverse("api-employment-refuse", args=[employment.pk])

    empty = admin_client.post(url, {}, format="json")
    refused = admin_client.post(url, {"reason": "查无此人"}, format="json")

    assert empty.status_code == 400
    assert list(empty.json()["fields"]) == ["reason"]
    assert refused.status_code == 200
    employment.refresh_from_db()
    assert (employment.status, employment.refusal_reason) == ("refused", "查无此人")


def test_an_admin_cannot_confirm_another_employers_employee(admin_client, other_employer, employer):
    employment = EmploymentFactory(employer=other_employer, status="pending", verified_by="")

    response = admin_client.post(reverse("api-employment-confirm", args=[employment.pk]))

    assert response.status_code == 404
    employment.refresh_from_db()
    assert employment.status == Employment.Status.PENDING
