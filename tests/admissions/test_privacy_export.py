import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditRecord, Notice
from apps.core.pii import set_sensitive
from apps.core.validators import make_id_number, normalize_id_number
from apps.members.models import Guardianship
from apps.members.services import child_add_guardian
from tests.accounts.factories import UserFactory
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    URLCONF,
    attendance,
    english,
    enrolment,
)
from tests.members.factories import ChildFactory, MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]

CHILD_ID = make_id_number(birth=date(2025, 3, 1), sequence=812)
MEMBER_ID = make_id_number(birth=date(1990, 5, 17), sequence=813)
OTHER_GUARDIAN_ID = make_id_number(birth=date(1989, 4, 2), sequence=815)


@pytest.fixture
def family():
    member = MemberFactory(id_number=MEMBER_ID, mobile="13912345678")
    child = ChildFactory(guardian=member, full_name="李沐阳")
    set_sensitive(child, "id_number", CHILD_ID, normalize=normalize_id_number)
    child.save()
    second = MemberFactory(id_number=OTHER_GUARDIAN_ID, full_name="李强")
    child_add_guardian(child=child, guardian=second, relation="father", actor=None)
    row = enrolment(child=child, start=date(2025, 9, 1))
    attendance(row, date(2025, 10, 1), days_open=22, days_attended=19)
    Notice.objects.create(recipient=member.user, title="录取通知", body="李沐阳已入托")
    return member, child, row


def _export(client, user):
    client.force_authenticate(user)
    return client.get(reverse("api-family-export"))


def test_export_gives_the_parent_their_own_data_in_full(api_client, family):
    member, child, _row = family

    body = _export(api_client, member.user).json()

    assert body["member"]["id_number"] == MEMBER_ID
    assert body["member"]["mobile"] == "13912345678"
    assert body["account"]["username"] == member.user.username
    assert [(c["id"], c["full_name"], c["id_number"]) for c in body["children"]] == [
        (child.pk, "李沐阳", CHILD_ID)
    ]
    assert [g["is_me"] for g in body["children"][0]["guardians"]] == [True, False]
    assert body["guardianships"] == [
        {"child_id": child.pk, "relation": "mother", "guardian": member.pk}
    ]
    assert [c["notice_version"] for c in body["consents"]] == ["2026-01"]


def test_export_lists_applications_enrolments_attendance_and_notices(api_client, family):
    member, child, row = family

    body = _export(api_client, member.user).json()

    assert [(a["id"], a["state"], a["applied_by_me"]) for a in body["applications"]] == [
        (row.application_id, "enrolled", True)
    ]
    assert [(e["id"], e["parent_fee"], e["start_date"]) for e in body["enrolments"]] == [
        (row.pk, "900.00", "2025-09-01")
    ]
    assert body["attendance"] == [
        {
            "enrolment_id": row.pk,
            "child_id": child.pk,
            "month": "2025-10",
            "days_open": 22,
            "days_attended": 19,
            "reported_at": body["attendance"][0]["reported_at"],
        }
    ]
    assert [(n["title"], n["body"]) for n in body["notices"]] == [("录取通知", "李沐阳已入托")]


def test_export_never_holds_the_other_guardians_numbers(api_client, family):
    member, _child, _row = family

    text = _export(api_client, member.user).content.decode()

    assert OTHER_GUARDIAN_ID not in text
    assert "李强" in text  # the co-guardian's name and relation, which the parent knows


def test_export_holds_nothing_of_another_family(api_client, family):
    _member, child, _row = family
    stranger = MemberFactory()

    body = _export(api_client, stranger.user).json()

    assert body["children"] == []
    assert body["applications"] == body["enrolments"] == body["attendance"] == []
    assert child.full_name not in json.dumps(body, ensure_ascii=False)


def test_export_of_a_parent_without_member_record_has_the_account_only(api_client):
    user = UserFactory(role="parent")

    body = _export(api_client, user).json()

    assert body["member"] is None
    assert body["children"] == []
    assert body["account"]["username"] == user.username


def test_export_is_audited_without_the_numbers(api_client, family):
    member, _child, _row = family

    _export(api_client, member.user)

    audit = AuditRecord.objects.get(action="family.export")
    assert (audit.actor_id, audit.target_id) == (member.user.pk, str(member.pk))
    assert MEMBER_ID not in json.dumps(audit.changes) + audit.reason


@pytest.mark.parametrize("role", ["centre_admin", "employer_admin", "union_staff", "reviewer"])
def test_export_refuses_every_other_role(api_client, role):
    assert _export(api_client, UserFactory(role=role)).status_code == 403


def test_export_refuses_a_visitor(api_client):
    assert api_client.get(reverse("api-family-export")).status_code == 401


def test_export_is_not_cached(api_client, family):
    assert _export(api_client, family[0].user)["Cache-Control"] == "private, no-store"


def test_export_query_count_does_not_grow_with_the_family(api_client, family):
    member, _child, _row = family

    def count():
        with CaptureQueriesContext(connection) as captured:
            _export(api_client, member.user)
        return len(captured)

    before = count()
    for _ in range(3):
        child = ChildFactory(guardian=member)
        attendance(enrolment(child=child), date(2025, 10, 1))

    assert count() == before


def test_privacy_page_offers_the_download(client, family):
    client.force_login(family[0].user)

    response = client.get(reverse("parent-privacy"))

    assert response.status_code == 200
    assert reverse("parent-privacy-export") in response.text
    assert response.context["retention_days"] == 365


def test_privacy_download_is_a_json_attachment_with_the_same_data(client, family):
    member, _child, _row = family
    client.force_login(member.user)

    response = client.get(reverse("parent-privacy-export"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="family-data-')
    assert json.loads(response.content)["children"][0]["id_number"] == CHILD_ID


def test_privacy_page_refuses_a_centre_admin(client):
    client.force_login(UserFactory(role="centre_admin"))

    assert client.get(reverse("parent-privacy")).status_code == 403
    assert client.get(reverse("parent-privacy-export")).status_code == 403


def test_guardianship_rows_of_other_members_are_not_listed(api_client, family):
    member, child, _row = family

    body = _export(api_client, member.user).json()

    assert len(body["guardianships"]) == 1
    assert Guardianship.objects.filter(child=child).count() == 2
