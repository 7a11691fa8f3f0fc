"""Evidence files: checked by content and size, stored privately under generated names, and
served only to union staff, the unit's admins and the reviewers assigned to it."""

import hashlib
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import Role
from apps.pilots import services
from apps.pilots.demo import _png
from apps.pilots.errors import PilotError
from apps.pilots.models import Evidence, RubricItem
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerAdminFactory
from tests.pilots.factories import apply, assign, open_round, reviewer, start_scoring

pytestmark = pytest.mark.django_db

PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ZIP = b"PK\x03\x04" + b"\x00" * 60 + b"PK\x05\x06" + b"\x00" * 18
MB = 1024 * 1024


def upload_evidence(pilot_round, item, content: bytes, *, name="证据.png", application=None):
    application = application or apply(pilot_round)
    return services.evidence_add(
        application=application,
        item=item,
        upload=SimpleUploadedFile(name, content, content_type="image/png"),
        actor=None,
    )


@pytest.fixture
def pilot_round():
    return open_round()


@pytest.fixture
def item(pilot_round):
    return RubricItem.objects.filter(round=pilot_round).first()


@pytest.mark.parametrize(
    ("content", "kind", "extension"),
    [(PNG, "image/png", "png"), (JPEG, "image/jpeg", "jpg"), (PDF, "application/pdf", "pdf")],
    ids=["png", "jpeg", "pdf"],
)
def test_an_image_or_pdf_is_stored_under_a_generated_name_with_its_checked_type(
    pilot_round, item, content, kind, extension
):
    evidence = upload_evidence(pilot_round, item, content, name="../../etc/机构照片.exe")

    assert re.fullmatch(
        rf"pilots/evidence/{pilot_round.pk}/[0-9a-f]{{32}}\.{extension}", evidence.file.name
    )
    assert (evidence.content_type, evidence.size) == (kind, len(content))
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.original_name == "机构照片.exe"  # kept as data, without its path
    assert default_storage.open(evidence.file.name).read() == content


def _refused(pilot_round, item, content, name, message):
    with pytest.raises(PilotError) as refusal:
        upload_evidence(pilot_round, item, content, name=name)

    assert refusal.value.fields == {"file": [message]}
    assert not Evidence.objects.exists()
    assert not default_storage.exists(f"pilots/evidence/{pilot_round.pk}")


def test_an_archive_named_like_an_image_is_refused(pilot_round, item):
    message = "Archives are not accepted; upload each image or PDF on its own."
    _refused(pilot_round, item, ZIP, "photo.png", message)


def test_an_image_with_an_archive_appended_is_refused(pilot_round, item):
    message = "Archives are not accepted; upload each image or PDF on its own."
    _refused(pilot_round, item, PNG + ZIP, "photo.png", message)


def test_a_file_of_another_type_named_like_a_pdf_is_refused(pilot_round, item):
    message = "Only JPEG or PNG images and PDF documents are accepted."
    _refused(pilot_round, item, b"<html><script>alert(1)</script>", "report.pdf", message)


def test_a_file_over_10_mb_is_refused(pilot_round, item):
    content = PDF + b"\x00" * (10 * MB + 1 - len(PDF))
    _refused(pilot_round, item, content, "big.pdf", "The file is 10.0 MB; the limit is 10 MB.")


def test_a_file_of_exactly_10_mb_is_accepted(pilot_round, item):
    evidence = upload_evidence(pilot_round, item, PDF + b"\x00" * (10 * MB - len(PDF)))

    assert evidence.size == 10 * MB


def test_evidence_cannot_be_added_once_scoring_opens(pilot_round, item):
    application = apply(pilot_round)
    start_scoring(pilot_round)

    with pytest.raises(PilotError) as refusal:
        upload_evidence(pilot_round, item, PNG, application=application)

    assert refusal.value.status_code == 409
    assert not Evidence.objects.exists()


def test_the_unit_uploads_evidence_for_its_own_application_through_the_api(
    pilot_round, item, api_client, unit_admin, employer
):
    application = apply(pilot_round, employer)
    api_client.force_authenticate(unit_admin)

    response = api_client.post(
        reverse("api-pilot-application-evidence", args=[application.pk]),
        {"item": item.pk, "file": SimpleUploadedFile("plan.png", PNG), "description": "平面图"},
        format="multipart",
    )

    assert response.status_code == 201
    evidence = Evidence.objects.get()
    assert response.json()["file_url"] == f"/api/v1/pilot-rounds/evidence/{evidence.pk}/file/"
    assert (evidence.application, evidence.description) == (application, "平面图")


def test_another_unit_cannot_upload_to_an_application_not_its_own(
    pilot_round, item, api_client, other_unit_admin, employer
):
    application = apply(pilot_round, employer)
    api_client.force_authenticate(other_unit_admin)

    response = api_client.post(
        reverse("api-pilot-application-evidence", args=[application.pk]),
        {"item": item.pk, "file": SimpleUploadedFile("plan.png", PNG)},
        format="multipart",
    )

    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_the_api_refuses_a_disguised_file_naming_the_field(
    pilot_round, item, api_client, unit_admin, employer
):
    application = apply(pilot_round, employer)
    api_client.force_authenticate(unit_admin)

    response = api_client.post(
        reverse("api-pilot-application-evidence", args=[application.pk]),
        {"item": item.pk, "file": SimpleUploadedFile("plan.png", ZIP)},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "file_refused"
    assert list(response.json()["fields"]) == ["file"]


@pytest.fixture
def served(pilot_round, item, employer):
    application = apply(pilot_round, employer)
    evidence = upload_evidence(pilot_round, item, PNG, application=application)
    assigned = reviewer()
    assign(application, assigned)
    return evidence, assigned


def _users(employer, assigned):
    return {
        "union staff": UserFactory(role=Role.UNION_STAFF),
        "the unit's admin": EmployerAdminFactory(employer=employer).user,
        "the assigned reviewer": assigned,
        "another reviewer": reviewer(),
        "another unit's admin": EmployerAdminFactory().user,
        "a parent": UserFactory(role=Role.PARENT),
        "a centre admin": UserFactory(role=Role.CENTRE_ADMIN),
    }


ALLOWED = {"union staff", "the unit's admin", "the assigned reviewer"}


@pytest.mark.parametrize(
    "who",
    [
        "union staff",
        "the unit's admin",
        "the assigned reviewer",
        "another reviewer",
        "another unit's admin",
        "a parent",
        "a centre admin",
    ],
)
def test_the_file_page_serves_only_those_allowed(client, served, employer, who):
    evidence, assigned = served
    client.force_login(_users(employer, assigned)[who])

    response = client.get(reverse("pilots:evidence-file", args=[evidence.pk]))

    if who in ALLOWED:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 404


def test_the_file_page_sends_a_visitor_to_sign_in(client, served):
    evidence, _assigned = served

    response = client.get(reverse("pilots:evidence-file", args=[evidence.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_pdf_is_served_as_a_download(client, pilot_round, item, union_staff):
    evidence = upload_evidence(pilot_round, item, PDF, name="制度.pdf")
    client.force_login(union_staff)

    response = client.get(reverse("pilots:evidence-file", args=[evidence.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_unit_removes_evidence_while_open_and_the_file_goes_too(
    pilot_round, item, api_client, unit_admin, employer, django_capture_on_commit_callbacks
):
    evidence = upload_evidence(pilot_round, item, PNG, application=apply(pilot_round, employer))
    api_client.force_authenticate(unit_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(reverse("api-pilot-evidence-detail", args=[evidence.pk]))

    assert response.status_code == 204
    assert not Evidence.objects.exists()
    assert not default_storage.exists(evidence.file.name)
