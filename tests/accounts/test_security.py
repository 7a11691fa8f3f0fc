import logging
import time
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.middleware import RENEWED_AT
from apps.accounts.models import LoginAttempt, Role
from apps.accounts.services import user_set_active
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多,请 15 分钟后再试。"  # what a user sees: Chinese by default
_addresses = count(1)


@pytest.fixture
def ip():
    """A fresh address per test, so the shared rate-limit counters never collide."""
    return f"10.{next(_addresses) % 250}.{int(time.time()) % 250}.{next(_addresses) % 250}"


def _login(client, username, password, ip):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_five_failures_lock_the_account_even_for_the_right_password(client, ip):
    UserFactory(username="wang", language="en")
    for _ in range(5):
        _login(client, "wang", "wrong", ip)

    response = _login(client, "wang", PASSWORD, ip)

    assert "_auth_user_id" not in client.session
    assert _errors(response) == [LOCKED]


def test_four_failures_do_not_lock(client, ip):
    UserFactory(username="wang")
    for _ in range(4):
        _login(client, "wang", "wrong", ip)

    _login(client, "wang", PASSWORD, ip)

    assert "_auth_user_id" in client.session


def test_a_lock_for_an_unknown_name_reads_the_same_as_for_a_real_account(ip):
    UserFactory(username="real")
    real, ghost = Client(), Client()
    for _ in range(5):
        _login(real, "real", "wrong", ip)
        _login(ghost, "nobody-here", "wrong", ip + "0")

    real_errors = _errors(_login(real, "real", "x", ip))
    ghost_errors = _errors(_login(ghost, "nobody-here", "x", ip + "0"))

    assert real_errors == ghost_errors


def test_the_lock_ends_fifteen_minutes_after_the_fifth_failure(client, ip):
    UserFactory(username="wang")
    for _ in range(5):
        _login(client, "wang", "wrong", ip)
    LoginAttempt.objects.update(at=timezone.now() - timedelta(minutes=15, seconds=1))

    _login(client, "wang", PASSWORD, ip)

    assert "_auth_user_id" in client.session


def test_a_success_starts_the_count_afresh(client, ip):
    UserFactory(username="wang")
    for _ in range(4):
        _login(client, "wang", "wrong", ip)
    _login(Client(), "wang", PASSWORD, ip)
    for _ in range(4):
        _login(client, "wang", "wrong", ip)

    _login(client, "wang", PASSWORD, ip)

    assert "_auth_user_id" in client.session


def test_twenty_failures_from_one_address_lock_the_address(client, ip):
    UserFactory(username="innocent")
    for n in range(20):
        _login(client, f"guess{n}", "wrong", ip)

    locked = _login(client, "innocent", PASSWORD, ip)
    elsewhere = _login(Client(), "innocent", PASSWORD, ip + "9")

    assert "_auth_user_id" not in client.session
    assert _errors(locked)
    assert elsewhere.status_code == 302


def test_union_staff_unlock_an_account_from_the_admin(client, ip):
    user = UserFactory(username="wang")
    for _ in range(5):
        _login(Client(), "wang", "wrong", ip)
    client.force_login(UserFactory(role=Role.UNION_STAFF))

    client.post(
        "/admin/accounts/user/", {"action": "unlock_sign_in", "_selected_action": [user.pk]}
    )
    response = _login(Client(), "wang", PASSWORD, ip)

    assert response.status_code == 302


def test_the_admin_lists_locked_accounts(client, ip):
    UserFactory(username="wang")
    UserFactory(username="fine")
    for _ in range(5):
        _login(Client(), "wang", "wrong", ip)
    client.force_login(UserFactory(role=Role.UNION_STAFF, username="boss"))

    response = client.get("/admin/accounts/user/?locked=yes")

    assert [u.username for u in response.context["cl"].result_list] == ["wang"]


def test_the_token_endpoint_obeys_the_same_lock(ip):
    UserFactory(username="wang")
    api = APIClient(REMOTE_ADDR=ip)
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "wang", "password": "wrong"}, format="json")

    response = api.post(
        "/api/v1/auth/token/", {"username": "wang", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "login_locked"


def test_sign_in_posts_are_rate_limited_per_address(client, ip):
    statuses = [_login(client, f"n{n}", "x", ip).status_code for n in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_token_requests_are_rate_limited_per_address(ip):
    api = APIClient(REMOTE_ADDR=ip)
    statuses = [
        api.post("/api/v1/auth/token/", {"username": f"n{n}", "password": "x"}).status_code
        for n in range(31)
    ]

    # The 20 failures also lock the address (403) before the rate limit bites at the 31st.
    assert statuses == [400] * 20 + [403] * 10 + [429]


def test_sign_in_gives_the_session_a_new_id(client, ip):
    UserFactory(username="wang")
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key

    _login(client, "wang", PASSWORD, ip)

    assert client.session.session_key != before


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_after_thirty_idle_minutes(client):
    client.force_login(UserFactory())

    client.get("/")

    left = _session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29, seconds=50) <= left <= timedelta(minutes=30)


def test_an_active_session_is_renewed_once_a_minute_not_on_every_request(client):
    client.force_login(UserFactory())
    client.get("/")
    session = client.session
    session[RENEWED_AT] = int(time.time()) - 30
    session.save()
    # Ten minutes left, as if the session had been idle for twenty.
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )

    client.get("/")  # half a minute after the last renewal: not saved again
    assert _session_row(client).expire_date - timezone.now() <= timedelta(minutes=10)

    session = client.session
    session[RENEWED_AT] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )
    client.get("/")  # more than a minute after: renewed to a full half hour

    assert _session_row(client).expire_date - timezone.now() > timedelta(minutes=29)


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client):
    client.force_login(UserFactory(role=Role.UNION_STAFF))
    session = client.session
    session["login_at"] = int(time.time()) - 12 * 3600 - 1
    session.save()

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_suspended_user_is_signed_out_at_once_on_pages_and_api(client):
    user = UserFactory(role=Role.UNION_STAFF)
    client.force_login(user)
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
    ).json()["token"]

    user_set_active(user=user, active=False, actor=UserFactory(role=Role.UNION_STAFF))

    assert client.get("/dashboard/").status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_sign_in_and_failures_are_logged_without_the_password(client, caplog, ip):
    UserFactory(username="wang")
    with caplog.at_level(logging.INFO, logger="apps.accounts.security"):
        _login(client, "wang", "wrong-secret", ip)
        _login(client, "wang", PASSWORD, ip)

    events = [r.getMessage() for r in caplog.records if r.name == "apps.accounts.security"]
    assert events == ["sign-in failed", "sign-in succeeded"]
    assert all("wrong-secret" not in r.getMessage() + str(vars(r)) for r in caplog.records)


def test_a_refused_api_call_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="apps.core.api"):
        APIClient().get("/api/v1/auth/me/")

    refusals = [r for r in caplog.records if r.name == "apps.core.api"]
    assert [(r.getMessage(), r.status) for r in refusals] == [("access refused", 401)]


def test_forms_refuse_a_post_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
