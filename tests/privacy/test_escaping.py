"""Names are typed by the public: one holding HTML or script must show as text on every page
each role can open, never run as markup."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.permissions.test_matrix import build_world

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ROLES = ["parent", "employer_admin", "centre_admin", "union_staff", "reviewer"]
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "static/", "healthz", "accounts/logout")


def page_routes() -> list[str]:
    """Every portal page without a path parameter, straight from the URL resolver."""
    routes = []

    def walk(patterns, route: str) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
            elif "<" not in here and "(?P" not in here:
                routes.append("/" + re.sub(r"^\^|\$$", "", here))

    walk(get_resolver().url_patterns, "")
    return sorted(
        {r for r in routes if not r.lstrip("/").startswith(SKIPPED_PREFIXES) and "." not in r}
    )


def names_with_script(world) -> None:
    for thing in (world.employer_a, world.centre_a, world.member_a, world.child_a):
        thing.full_name = thing.name = f"{SCRIPT}名称"
        thing.save()
    world.class_a.name = f"{SCRIPT}班"
    world.class_a.save()
    for user in world.users.values():
        if user is not None:
            user.full_name = f"{SCRIPT}用户"
            user.save()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_a_name_with_script_as_text(role):
    world = build_world()
    names_with_script(world)
    client = Client()
    client.force_login(world.users[role])
    opened, showing_the_name = [], []

    for route in page_routes():
        response = client.get(route)
        assert response.status_code < 500, route
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            opened.append(route)
            html = response.content.decode()
            assert SCRIPT not in html, route
            if "&lt;script&gt;" in html:
                showing_the_name.append(route)

    assert len(opened) >= 3  # the role's own portal pages were really looked at
    assert showing_the_name  # and at least one of them shows the name, escaped
