from datetime import date

import pytest
from django.urls import reverse

from apps.core.validators import make_id_number
from apps.members.models import Child, GuardianConsent
from tests.members.helpers import login

pytestmark = pytest.mark.django_db

LIST = "/api/v1/children/"
NEW_CHILD = {
    "full_name": "陈小雨",
    "birth_date": "2025-03-01",
    "sex": "F",
    "relation": "mother",
    "consent_notice_version": "2026-01",
}
REFUSED_ROLES = ["employer_admin", "centre_admin", "reviewer"]


def detail(child) -> str:
    return reverse("api-child-detail", args=[child.pk])


def test_children_urls_are_named(child):
    assert reverse("api-children-list") == LIST
    assert detail(child) == f"/api/v1/children/{child.pk}/"


def test_children_list_shows_a_parent_only_their_own_children(api_client, child, other_child):
    response = login(api_client, child.consent.guardian.user).get(LIST)

    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [child.pk]


def test_children_list_shows_union_staff_every_child(api_client, union_staff, child, other_child):
    response = login(api_client, union_staff).get(LIST)

    assert response.status_code == 200
    assert {c["id"] for c in response.json()["results"]} == {child.pk, other_child.pk}


def test_children_list_needs_sign_in(api_client):
    assert api_client.get(LIST).status_code == 401


@pytest.mark.parametrize("actor", REFUSED_ROLES, indirect=True)
def test_children_list_is_refused_to_organisation_roles(api_client, actor, child):
    response = login(api_client, actor).get(LIST)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("actor", REFUSED_ROLES, indirect=True)
def test_child_detail_is_refused_to_organisation_roles(api_client, actor, child):
    assert login(api_client, actor).get(detail(child)).status_code == 403


def test_child_detail_shows_the_parent_their_child_with_the_id_number_masked(api_client, member):
    number = make_id_number(birth=date(2025, 3, 1), sequence=11)
    login(api_client, member.user).post(LIST, {**NEW_CHILD, "id_number": number}, format="json")
    child = Child.objects.get()

    response = api_client.get(detail(child))

    assert response.status_code == 200
    body = response.json()
    assert body["id_number_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in response.content.decode()
    assert body["guardians"] == [
        {
            "member": member.pk,
            "full_name": member.full_name,
            "relation": "mother",
            "relation_label": body["guardians"][0]["relation_label"],
        }
    ]
    assert body["consent_notice_version"] == "2026-01"


def test_child_detail_of_another_family_is_not_found(api_client, member, other_child):
    response = login(api_client, member.user).get(detail(other_child))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_child_detail_is_shown_to_union_staff(api_client, union_staff, child):
    response = login(api_client, union_staff).get(detail(child))

    assert response.status_code == 200
    assert response.json()["full_name"] == child.full_name


def test_child_detail_needs_sign_in(api_client, child):
    assert api_client.get(detail(child)).status_code == 401


def test_children_post_stores_the_child_after_the_consent(api_client, member):
    response = login(api_client, member.user).post(LIST, NEW_CHILD, format="json")

    assert response.status_code == 201
    child = Child.objects.get()
    assert response.json()["id"] == child.pk
    assert (child.full_name, child.birth_date, child.sex) == ("陈小雨", date(2025, 3, 1), "F")
    consent = GuardianConsent.objects.get()
    assert (child.consent, consent.guardian, consent.notice_version) == (
        consent,
        member,
        "2026-01",
    )


@pytest.mark.parametrize("missing", ["consent_notice_version", "relation"])
def test_children_post_requires_consent_version_and_relation(api_client, member, missing):
    data = {k: v for k, v in NEW_CHILD.items() if k != missing}

    response = login(api_client, member.user).post(LIST, data, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [missing]
    assert not Child.objects.exists()
    assert not GuardianConsent.objects.exists()


def test_children_post_refuses_a_child_born_in_the_future(api_client, member):
    data = {**NEW_CHILD, "birth_date": "2999-01-01"}

    response = login(api_client, member.user).post(LIST, data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "birth_date_in_future"
    assert list(response.json()["fields"]) == ["birth_date"]
    assert not GuardianConsent.objects.exists()


def test_children_post_without_a_member_record_is_refused(api_client, parent_user):
    response = login(api_client, parent_user).post(LIST, NEW_CHILD, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "member_required"
    assert not GuardianConsent.objects.exists()


def test_children_post_is_refused_to_union_staff(api_client, union_staff):
    response = login(api_client, union_staff).post(LIST, NEW_CHILD, format="json")

    assert response.status_code == 403
    assert not Child.objects.exists()


@pytest.mark.parametrize("actor", REFUSED_ROLES, indirect=True)
def test_children_post_is_refused_to_organisation_roles(api_client, actor):
    response = login(api_client, actor).post(LIST, NEW_CHILD, format="json")

    assert response.status_code == 403
    assert not Child.objects.exists()
