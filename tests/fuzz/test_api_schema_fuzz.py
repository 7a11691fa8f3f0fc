"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis): each
generated request is sent as a parent, an employer admin, a centre admin and union staff;
whatever the input, no 5xx and no response outside the schema."""

import importlib
import pkgutil

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

import tests.permissions
from qianan_tuoyu.wsgi import application
from tests.permissions.world import build_world

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

ROLES = ["parent", "employer_admin", "centre_admin", "union_staff"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _load_world_extensions() -> None:
    # The cases modules register the later apps' objects (programmes, runs, rounds) in the world.
    for module in pkgutil.iter_modules(tests.permissions.__path__):
        if module.name.startswith("cases_"):
            importlib.import_module(f"tests.permissions.{module.name}")


# Built once at collection: the schema is generated from the URL conf, without the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
fuzz_settings = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def keep_test_connection():
    # Called in-process, the WSGI handler's request signals would close the test transaction's
    # connection; Django's own test client disconnects them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(keep_test_connection) -> dict[str, str]:
    _load_world_extensions()
    world = build_world()
    return {role: Token.objects.create(user=world.users[role]).key for role in ROLES}


@schema.parametrize()
@fuzz_settings
def test_the_api_answers_every_role_within_its_schema_and_without_a_server_error(case, tokens):
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
