import re

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from apps.core.api import exception_handler
from apps.core.errors import DomainError
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_json_credentials(api_client):
    user = UserFactory(username="amy")

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "amy", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["token"] == user.auth_token.key


def test_token_is_issued_for_form_credentials(api_client):
    UserFactory(username="bob")

    response = api_client.post("/api/v1/auth/token/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_token_authenticates_later_requests(api_client):
    user = UserFactory(username="cai")
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "cai", "password": PASSWORD}, format="json"
    ).json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/auth/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "cai"
    assert response.json()["id"] == user.pk


def test_wrong_password_gets_the_error_shape(api_client):
    UserFactory(username="dan")

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "dan", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid_credentials"
    assert body["message"]


def test_missing_field_is_named(api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "x"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]


def test_anonymous_request_gets_401_in_the_error_shape(api_client):
    response = api_client.get("/api/v1/auth/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["fields"] == {}


def test_domain_error_renders_code_message_and_fields():
    class Refusing(APIView):
        permission_classes = []

        def get(self, request):
            raise DomainError.for_field("start_month", "Too early.", code="too_early")

    response = Refusing.as_view()(APIRequestFactory().get("/"))

    assert response.status_code == 400
    assert response.data == {
        "code": "too_early",
        "message": "Too early.",
        "fields": {"start_month": ["Too early."]},
    }


def test_nested_validation_errors_are_flattened_to_dotted_names():
    class Child(serializers.Serializer):
        name = serializers.CharField()

    class Parent(serializers.Serializer):
        child = Child()

    serializer = Parent(data={"child": {}})
    serializer.is_valid()
    response = exception_handler(serializers.ValidationError(serializer.errors), {})

    assert response.status_code == 400
    assert list(response.data["fields"]) == ["child.name"]


def test_schema_is_served(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert "/api/v1/auth/token/" in response.json()["paths"]


def test_api_docs_page_references_no_other_host(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", response.text)
    urls += re.findall(r"""https?://[^\s"'<>)]+""", response.text)
    assert urls, "the docs page should load its assets"
    assert all(not re.match(r"^(https?:)?//", url) for url in urls), urls


def test_options_describes_an_endpoint_that_picks_its_serializer_per_role(api_client, union_staff):
    api_client.force_authenticate(union_staff)

    response = api_client.options("/api/v1/programmes/?lat=-90&lng=-180&radius_km=0")

    assert response.status_code == 200
    assert response.json()["name"]
