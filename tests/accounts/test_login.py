import pytest

from apps.accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "portal"),
    [
        (Role.UNION_STAFF, "/dashboard/"),
        (Role.EMPLOYER_ADMIN, "/employer/"),
        (Role.CENTRE_ADMIN, "/centre/"),
        (Role.PARENT, "/parent/"),
        (Role.REVIEWER, "/reviewer/"),
    ],
)
def test_sign_in_leads_each_role_to_its_portal(client, role, portal):
    UserFactory(username="someone", role=role)

    response = client.post(
        "/accounts/login/", {"username": "someone", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == portal
    assert response.status_code == 200


def test_wrong_password_shows_a_form_error(client):
    UserFactory(username="someone")

    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_djangos_hasher(settings):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = UserFactory()

    assert user.password.startswith("pbkdf2_sha256$")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/core/area/",
        "/admin/core/area/?q=街道",
        "/admin/core/area/add/",
        "/admin/core/auditrecord/",
        "/admin/core/notice/",
        "/admin/accounts/user/",
        "/admin/accounts/user/?q=staff",
        "/admin/accounts/user/add/",
    ],
)
def test_union_staff_can_use_the_admin_pages(client, url):
    client.force_login(UserFactory(role=Role.UNION_STAFF))

    assert client.get(url).status_code == 200


def test_union_staff_can_open_an_area_to_change_it(client):
    from apps.core.models import Area

    client.force_login(UserFactory(role=Role.UNION_STAFF))

    assert client.get(f"/admin/core/area/{Area.objects.first().pk}/change/").status_code == 200


def test_a_parent_cannot_use_the_admin(client):
    client.force_login(UserFactory(role=Role.PARENT))

    assert client.get("/admin/core/area/").status_code == 302
