import re

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password-reset/"
NEW_PASSWORD = "Qianan-new-pass-2026"


def reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_password_reset(client):
    assert URL in client.get("/accounts/login/").content.decode()


def test_asking_for_a_reset_emails_a_link_to_the_account(client, mailoutbox):
    UserFactory(username="wang", email="wang@example.cn")

    response = client.post(URL, {"email": "wang@example.cn"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert [message.to for message in mailoutbox] == [["wang@example.cn"]]
    assert "/accounts/password-reset/" in mailoutbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, mailoutbox):
    response = client.post(URL, {"email": "nobody@example.cn"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mailoutbox == []


def test_the_link_sets_a_new_password_once(client, mailoutbox):
    user = UserFactory(username="wang", email="wang@example.cn")
    client.post(URL, {"email": "wang@example.cn"})
    link = reset_link(mailoutbox[0])

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_the_reset_page_is_in_chinese(client):
    assert "重置密码" in client.get(URL).content.decode()


def test_asking_for_resets_is_rate_limited(client, mailoutbox):
    statuses = [client.post(URL, {"email": "nobody@example.cn"}).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
