from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.welfare.models import CollectiveContract
from apps.welfare.services.contracts import MAX_SIGNED_FILE_BYTES
from tests.employers.factories import EmployerFactory
from tests.welfare.conftest import client_for
from tests.welfare.factories import CollectiveContractFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/collective-contracts/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def body(**overrides) -> dict:
    start = timezone.localdate() - timedelta(days=10)
    return {
        "signed_on": start.isoformat(),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1000)).isoformat(),
        **overrides,
    }


def file_url(contract) -> str:
    return f"{LIST}{contract.pk}/file/"


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("employer_admin", ["own"]),
        ("other_employer_admin", ["other"]),
        ("union_staff", ["other", "own"]),
    ],
    indirect=["actor"],
)
def test_contract_list_is_scoped_to_the_employer(
    api_client, actor, expected, employer, other_employer
):
    CollectiveContractFactory(employer=employer, flexible_hours_terms="own")
    CollectiveContractFactory(employer=other_employer, flexible_hours_terms="other")

    response = client_for(api_client, actor).get(LIST)

    assert sorted(c["flexible_hours_terms"] for c in response.json()["results"]) == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("centre_admin", 403)],
    indirect=["actor"],
)
def test_contract_list_is_closed_to_other_roles(api_client, actor, expected):
    assert client_for(api_client, actor).get(LIST).status_code == expected


def test_another_employers_contract_is_not_found(api_client, employer_admin, other_employer):
    contract = CollectiveContractFactory(employer=other_employer)

    response = client_for(api_client, employer_admin).get(f"{LIST}{contract.pk}/")

    assert response.status_code == 404


def test_employer_admin_records_a_contract_for_their_own_employer(
    api_client, employer_admin, employer, other_employer
):
    response = client_for(api_client, employer_admin).post(
        LIST, body(employer=other_employer.pk), format="json"
    )

    assert response.status_code == 201
    contract = CollectiveContract.objects.get()
    assert (contract.employer_id, contract.maternity_leave_days) == (employer.pk, 158)
    assert response.json()["in_force"] is True


def test_union_staff_name_the_employer(api_client, union_staff):
    response = client_for(api_client, union_staff).post(LIST, body(), format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["employer"]


def test_leave_below_the_floor_is_a_field_error(api_client, employer_admin):
    response = client_for(api_client, employer_admin).post(
        LIST, body(maternity_leave_days=98), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "below_statutory_floor"
    assert list(response.json()["fields"]) == ["maternity_leave_days"]
    assert CollectiveContract.objects.count() == 0


def test_a_signed_pdf_is_stored_under_a_generated_name(api_client, employer_admin, storage):
    upload = SimpleUploadedFile("张三的合同 13812345678.pdf", PDF, content_type="text/plain")

    response = client_for(api_client, employer_admin).post(
        LIST, body(signed_file=upload), format="multipart"
    )

    contract = CollectiveContract.objects.get()
    assert response.status_code == 201
    assert contract.signed_file_type == "pdf"
    assert contract.signed_file.name.startswith("collective-contracts/")
    assert "张三" not in contract.signed_file.name
    assert default_storage.open(contract.signed_file.name).read() == PDF


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script>", b"GIF89a......"],
)
def test_a_file_that_is_not_pdf_or_image_is_refused_by_its_content(
    api_client, employer_admin, storage, content
):
    upload = SimpleUploadedFile("contract.pdf", content, content_type="application/pdf")

    response = client_for(api_client, employer_admin).post(
        LIST, body(signed_file=upload), format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["signed_file"]
    assert CollectiveContract.objects.count() == 0


def test_a_file_over_ten_megabytes_is_refused(api_client, employer_admin, storage):
    contract = CollectiveContractFactory(employer=employer_admin.employer_admin.employer)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_SIGNED_FILE_BYTES)

    response = client_for(api_client, employer_admin).post(
        file_url(contract), {"signed_file": upload}, format="multipart"
    )

    contract.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["signed_file"]
    assert not contract.signed_file


def test_replacing_the_file_deletes_the_old_one(
    api_client, employer_admin, storage, django_capture_on_commit_callbacks
):
    client = client_for(api_client, employer_admin)
    client.post(LIST, body(signed_file=SimpleUploadedFile("a.pdf", PDF)), format="multipart")
    contract = CollectiveContract.objects.get()
    old_name = contract.signed_file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            file_url(contract),
            {"signed_file": SimpleUploadedFile("b.png", PNG)},
            format="multipart",
        )

    contract.refresh_from_db()
    assert (response.status_code, contract.signed_file_type) == (200, "png")
    assert not default_storage.exists(old_name)
    assert default_storage.exists(contract.signed_file.name)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 401),
        ("parent", 403),
        ("other_employer_admin", 404),
        ("employer_admin", 200),
        ("union_staff", 200),
    ],
    indirect=["actor"],
)
def test_who_may_download_the_signed_file(api_client, actor, expected, employer, storage):
    contract = CollectiveContractFactory(employer=employer)
    contract.signed_file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))
    CollectiveContract.objects.filter(pk=contract.pk).update(signed_file_type="pdf")

    response = client_for(api_client, actor).get(file_url(contract))

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="collective-contract-{contract.pk}.pdf"'
        )
        assert b"".join(response.streaming_content) == PDF


def test_a_contract_without_a_file_has_nothing_to_download(api_client, union_staff):
    contract = CollectiveContractFactory()

    response = client_for(api_client, union_staff).get(file_url(contract))

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["expiring/", "missing/"])
@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("employer_admin", 403), ("union_staff", 200)],
    indirect=["actor"],
)
def test_only_union_staff_see_the_chase_lists(api_client, actor, expected, path):
    assert client_for(api_client, actor).get(LIST + path).status_code == expected


def test_expiring_endpoint_lists_a_contract_ending_in_ninety_days(api_client, union_staff):
    ends_on = timezone.localdate() + timedelta(days=90)
    contract = CollectiveContractFactory(signed_on=ends_on - timedelta(days=700), ends_on=ends_on)
    CollectiveContractFactory(
        signed_on=ends_on - timedelta(days=699), ends_on=ends_on + timedelta(days=1)
    )

    response = client_for(api_client, union_staff).get(LIST + "expiring/")

    assert [(c["id"], c["days_to_expiry"]) for c in response.json()["results"]] == [
        (contract.pk, 90)
    ]


def test_missing_endpoint_lists_employers_without_a_contract(api_client, union_staff):
    without = EmployerFactory(name="无合同单位")
    CollectiveContractFactory(employer=EmployerFactory(name="有合同单位"))

    response = client_for(api_client, union_staff).get(LIST + "missing/")

    assert [
        (e["id"], e["name"], e["last_contract_ended_on"]) for e in response.json()["results"]
    ] == [(without.pk, "无合同单位", None)]


def test_floors_are_readable_by_employer_admins(api_client, employer_admin):
    response = client_for(api_client, employer_admin).get("/api/v1/statutory-floors/")

    assert [(f["provision"], f["minimum"], f["national_minimum"]) for f in response.json()] == [
        ("maternity_leave_days", 158, 98),
        ("spouse_care_leave_days", 15, 0),
        ("nursing_minutes_per_day", 60, 60),
        ("nursing_until_months", 12, 12),
        ("parental_leave_days", 10, 0),
    ]


@pytest.mark.parametrize("path", ["", "expiring/", "missing/"])
@pytest.mark.parametrize("rows", [1, 30])
def test_contract_lists_query_count_does_not_grow_with_rows(
    api_client, union_staff, django_assert_max_num_queries, rows, path
):
    ends_on = timezone.localdate() + timedelta(days=30)
    for _ in range(rows):
        CollectiveContractFactory(signed_on=ends_on - timedelta(days=700), ends_on=ends_on)
        EmployerFactory()
    client = client_for(api_client, union_staff)

    with django_assert_max_num_queries(2):
        response = client.get(LIST + path, {"page_size": 50})

    assert response.json()["count"] == rows
