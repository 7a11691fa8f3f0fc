"""The dashboard on a 375 px phone: no horizontal scrolling, charts drawn beside their tables."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.e2e.browser import no_horizontal_scroll
from tests.reports.builders import world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, role: str) -> None:
    client = Client()
    client.force_login(UserFactory(role=role))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_union_staff_read_the_dashboard_on_a_phone(live_server, phone, screenshots):
    world(3)
    signed_in(phone, live_server, "union_staff")

    phone.goto(f"{live_server.url}/dashboard/?period_start=2025-01&period_end=2025-06")

    assert phone.locator("h1").inner_text() == "爱心托育数据看板"
    phone.wait_for_selector("[data-chart] svg")
    assert phone.locator("[data-chart] svg").count() == 3
    assert no_horizontal_scroll(phone)
    wide_tables = phone.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
    )
    assert wide_tables == 0
    screenshots.take(phone, "dashboard")
    phone.locator("[data-figure=places_bought]").click()
    phone.wait_for_url("**/dashboard/rows/place-agreements/**")
    assert no_horizontal_scroll(phone)
    screenshots.take(phone, "rows")
