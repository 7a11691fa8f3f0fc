"""A parent applies on a phone in a real browser: the price first, and a double tap sends once."""

import pytest
from django.conf import settings
from django.test import Client

from apps.admissions.models import Application
from apps.employers.pricing import format_month
from tests.admissions.factories import family, place, start_month
from tests.e2e.browser import no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            # English: the CI's fonts may lack Chinese, and the screenshots should be readable.
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )


def test_a_parent_sees_the_price_then_a_double_tap_creates_one_application(
    live_server, phone, screenshots
):
    setting = place()
    kin = family(setting.employer)
    sign_in(phone, live_server, kin.user)

    phone.goto(live_server.url + "/parent/apply/")
    phone.select_option("#id_child", str(kin.child.pk))
    phone.select_option("#id_programme", str(setting.programme.pk))
    phone.select_option("#id_centre", str(setting.centre.pk))
    phone.select_option("#id_age_class", setting.age_class)
    phone.select_option("#id_start_month", format_month(start_month()))
    phone.get_by_role("button", name="Show the price").click()

    assert phone.locator(".quote .fee").inner_text() == "900.00 yuan"
    assert no_horizontal_scroll(phone)
    screenshots.take(phone, "price-before-submitting")

    phone.locator("#submit-application").dblclick()
    phone.wait_for_url("**/parent/applications/*/")

    assert Application.objects.filter(child=kin.child).count() == 1
    assert phone.locator(".state").inner_text() == "place offered"
    assert no_horizontal_scroll(phone)
    screenshots.take(phone, "offered")
