import pytest

from tests.e2e.browser import no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_on_a_phone_reads_the_home_page_in_chinese(live_server, phone, screenshots):
    phone.goto(live_server.url + "/")

    assert phone.locator("h1").inner_text() == "迁安爱心托育"
    assert phone.get_by_role("link", name="职工与家长").is_visible()
    assert no_horizontal_scroll(phone)
    screenshots.take(phone, "home")


def test_the_language_switch_turns_the_page_to_english(live_server, phone):
    phone.goto(live_server.url + "/")

    phone.get_by_role("button", name="English").click()

    assert phone.get_by_role("link", name="Parents and workers").is_visible()
