"""With the broker unreachable the portal keeps serving, and starting a payout run says clearly
that the run is queued or refused: never a bare 500 (issue 13).

The portal runs under gunicorn in a subprocess whose CELERY_BROKER_URL and REDIS_URL point at a
closed port, as in production when Redis is down; the data is committed so that it can see it.
"""

import json
import time
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from apps.subsidies.models import PayoutRun
from tests.conftest import free_port
from tests.subsidies.test_payout_support import payable_scheme

pytestmark = pytest.mark.django_db(transaction=True)


def _request(url: str, *, token: str | None = None, body: dict | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=45) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def broker_down_portal(portal_server):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    return portal_server(REDIS_URL=closed, CELERY_BROKER_URL=closed)


def test_the_api_still_answers_reads_with_the_broker_unreachable(broker_down_portal, parent_user):
    token = Token.objects.create(user=parent_user).key

    status, body = _request(f"{broker_down_portal}/api/v1/auth/me/", token=token)

    assert status == 200, body[:500]
    assert json.loads(body)["username"] == parent_user.username


def test_starting_a_payout_run_with_the_broker_unreachable_is_not_a_500(
    broker_down_portal, union_staff
):
    payable_scheme()
    token = Token.objects.create(user=union_staff).key

    started = time.monotonic()
    status, body = _request(
        f"{broker_down_portal}/api/v1/payout-runs/", token=token, body={"period": "2026-10"}
    )
    seconds = time.monotonic() - started

    assert status != 500, body[body.find(b'class="exception_value"') :][:600].decode()
    assert status in (201, 202, 503), body[:500]
    assert seconds < 5  # fails fast (task_publish_retry_policy), not after the proxy gave up
    answer = json.loads(body)
    if status == 503:  # refused: nothing is left behind that would block a later start
        assert answer.get("detail") or answer.get("message"), answer
        assert not PayoutRun.objects.exclude(status=PayoutRun.Status.CANCELLED).exists()
    else:  # queued: the run exists, and says it is waiting to be calculated
        run = PayoutRun.objects.get()
        assert answer["id"] == run.pk
        assert answer["status"] == PayoutRun.Status.CALCULATING
