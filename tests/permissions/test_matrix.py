import importlib
import pkgutil

import pytest
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

import tests.permissions
from tests.permissions.matrix import ROLES, Case
from tests.permissions.walk import api_endpoints, api_views
from tests.permissions.world import build_world


def _all_cases() -> list[Case]:
    cases = []
    for module in pkgutil.iter_modules(tests.permissions.__path__):
        if module.name.startswith("cases_"):
            cases += importlib.import_module(f"tests.permissions.{module.name}").CASES
    return cases


CASES = _all_cases()


def test_every_api_endpoint_and_method_has_a_permission_case():
    endpoints = set(api_endpoints())
    covered = {(case.url_name, case.method) for case in CASES}

    assert sorted(endpoints - covered) == [], "endpoints without a case in tests/permissions"
    assert sorted(covered - endpoints) == [], "cases for endpoints that do not exist"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), case.url_name


def test_every_api_view_declares_its_permission_classes():
    from rest_framework.settings import api_settings

    default = api_settings.DEFAULT_PERMISSION_CLASSES
    undeclared = [
        route
        for route, view in api_views()
        if view is not None
        and "permission_classes" not in vars(view)
        and not any(
            "permission_classes" in vars(base)
            for base in view.__mro__[1:-1]
            if base.__module__.startswith("apps.")
        )
    ]
    assert undeclared == [], "API views relying on the default permission classes"
    assert default  # the default stays IsAuthenticated as a safety net
    assert AllowAny not in default


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c.method}:{c.url_name}{':' + c.label if c.label else ''}"
)
def test_endpoint_answers_each_role_as_specified(case: Case):
    world = build_world()
    failures = []
    for role in ROLES:
        client = APIClient()
        if world.users[role] is not None:
            client.force_authenticate(world.users[role])
        for side in case.sides:
            url = reverse(case.url_name, kwargs=case.kwargs(world, side) if case.kwargs else None)
            body = case.data(world, side) if case.data else {}
            response = getattr(client, case.method)(url, body, format="json")
            expected = case.status_for(role, side)
            if response.status_code != expected:
                failures.append(f"{role} side {side}: {response.status_code} != {expected}")
    assert failures == []
