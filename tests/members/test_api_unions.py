import pytest
from django.urls import reverse

from tests.members.factories import UnionFactory
from tests.members.helpers import ACTORS, login

pytestmark = pytest.mark.django_db

SIGNED_IN = [name for name in ACTORS if name != "anonymous"]


def test_union_list_needs_sign_in(api_client):
    response = api_client.get(reverse("api-unions-list"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("actor", SIGNED_IN, indirect=True)
def test_union_list_is_open_to_every_signed_in_role(api_client, actor):
    parent = UnionFactory(name="迁安市总工会", kind="city_federation")
    UnionFactory(name="钢铁集团工会", parent=parent)

    response = login(api_client, actor).get(reverse("api-unions-list"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    grassroots = next(u for u in body["results"] if u["name"] == "钢铁集团工会")
    assert (grassroots["kind"], grassroots["parent"], grassroots["parent_name"]) == (
        "grassroots",
        parent.pk,
        "迁安市总工会",
    )


def test_union_detail_returns_the_union(api_client, parent_user):
    union = UnionFactory(name="托育行业工会联合会", kind="industry_federation")

    response = login(api_client, parent_user).get(reverse("api-union-detail", args=[union.pk]))

    assert response.status_code == 200
    assert response.json()["name"] == "托育行业工会联合会"


def test_union_detail_of_an_inactive_union_is_not_found_for_a_parent(api_client, parent_user):
    union = UnionFactory(is_active=False)

    response = login(api_client, parent_user).get(reverse("api-union-detail", args=[union.pk]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_union_detail_of_an_inactive_union_is_shown_to_union_staff(api_client, union_staff):
    union = UnionFactory(is_active=False)

    response = login(api_client, union_staff).get(reverse("api-union-detail", args=[union.pk]))

    assert response.status_code == 200
    assert response.json()["is_active"] is False
