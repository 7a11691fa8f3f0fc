import pytest
from django.urls import reverse

from apps.core.models import AuditRecord
from tests.accounts.factories import PASSWORD
from tests.members.helpers import ACTORS, login

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/me/"


def test_member_me_url_is_named():
    assert reverse("api-member-me") == URL


def test_member_me_shows_the_id_number_masked_only(api_client, member):
    response = login(api_client, member.user).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["id_number_masked"] == member.id_number[:4] + "*" * 10 + member.id_number[-4:]
    assert member.id_number not in response.content.decode()
    assert (body["full_name"], body["mobile"], body["membership"]) == (
        member.full_name,
        member.mobile,
        "none",
    )


def test_member_me_without_a_member_record_is_not_found(api_client, parent_user):
    response = login(api_client, parent_user).get(URL)

    assert response.status_code == 404


def test_member_me_needs_sign_in(api_client):
    assert api_client.get(URL).status_code == 401


@pytest.mark.parametrize(
    "actor", [a for a in ACTORS if a not in {"anonymous", "parent", "other_parent"}], indirect=True
)
def test_member_me_is_refused_to_other_roles(api_client, actor):
    response = login(api_client, actor).get(URL)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_member_me_patch_changes_the_mobile_number(api_client, member):
    response = login(api_client, member.user).patch(
        URL, {"mobile": "138 0013 8000", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["mobile"] == "13800138000"
    member.refresh_from_db()
    assert member.mobile == "13800138000"
    assert AuditRecord.objects.filter(action="member.mobile_change").count() == 1


def test_member_me_patch_refuses_an_invalid_mobile_number(api_client, member):
    before = member.mobile

    response = login(api_client, member.user).patch(
        URL, {"mobile": "12345", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["mobile"]
    member.refresh_from_db()
    assert member.mobile == before


def test_member_me_patch_refuses_changing_the_id_number(api_client, member):
    before = (member.id_number, member.mobile)

    response = login(api_client, member.user).patch(
        URL,
        {"mobile": "13800138000", "password": PASSWORD, "id_number": "11010519491231002X"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["id_number"]
    member.refresh_from_db()
    assert (member.id_number, member.mobile) == before


def test_member_me_patch_changes_only_the_callers_record(api_client, member, other_member):
    before = other_member.mobile

    login(api_client, member.user).patch(
        URL, {"mobile": "13800138000", "password": PASSWORD}, format="json"
    )

    other_member.refresh_from_db()
    assert other_member.mobile == before


@pytest.mark.parametrize("password", ["", "wrong-password"])
def test_member_me_patch_without_the_password_again_changes_nothing(api_client, member, password):
    before = member.mobile

    response = login(api_client, member.user).patch(
        URL, {"mobile": "13800138000", "password": password}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]
    member.refresh_from_db()
    assert member.mobile == before
    assert not AuditRecord.objects.filter(action="member.mobile_change").exists()


def test_member_me_patch_says_the_password_is_needed_in_chinese(api_client, member):
    response = login(api_client, member.user).patch(
        URL, {"mobile": "13800138000", "password": "wrong-password"}, format="json"
    )

    assert response.json()["fields"]["password"] == ["请再次输入密码以更换手机号码。"]


def test_member_me_patch_guesses_are_rate_limited(api_client, member):
    client = login(api_client, member.user)
    statuses = [
        client.patch(URL, {"mobile": "13800138000", "password": "guess"}, format="json").status_code
        for _ in range(11)
    ]

    assert statuses == [400] * 10 + [429]
