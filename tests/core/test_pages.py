import pytest

from apps.accounts.models import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/employer/",
    "/centre/",
    "/parent/",
    "/mother-rooms/",
    "/pilots/",
    "/accounts/login/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_answers_a_visitor(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/dashboard/", "/reviewer/"])
def test_private_page_sends_a_visitor_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize(
    ("path", "allowed", "refused"),
    [
        ("/dashboard/", Role.UNION_STAFF, Role.PARENT),
        ("/reviewer/", Role.REVIEWER, Role.CENTRE_ADMIN),
    ],
)
def test_private_page_answers_only_its_role(client, path, allowed, refused):
    client.force_login(UserFactory(role=refused))
    assert client.get(path).status_code == 403

    client.force_login(UserFactory(role=allowed))
    assert client.get(path).status_code == 200


def test_a_database_failure_on_a_page_is_a_503_not_a_500(client):
    from django.db import OperationalError

    from apps.core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = client.get("/").wsgi_request

    response = middleware.process_exception(request, OperationalError("server closed"))

    assert response.status_code == 503
