import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_in_chinese_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert "迁安爱心托育" in response.text
    assert "职工" in response.text
    assert "Parents and workers" not in response.text


def test_home_page_is_in_english_after_the_switch(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")

    assert switched.status_code == 302
    assert response["Content-Language"] == "en"
    assert "Parents and workers" in response.text
    assert "职工" not in response.text


def test_an_english_browser_still_gets_chinese_until_it_switches(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "zh-hans"
