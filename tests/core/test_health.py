import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_part_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_it_cannot_be_reached(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}


def _get(url: str) -> tuple[int, float, bytes]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, time.monotonic() - started, response.read()
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, error.read()


def test_pages_still_serve_quickly_with_the_broker_unreachable(portal_server):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    base = portal_server(REDIS_URL=closed, CELERY_BROKER_URL=closed)

    status, _, body = _get(f"{base}/healthz")
    assert status == 503
    assert b'"broker": "down"' in body
    for path in ["/", "/accounts/login/", "/parent/"]:
        status, seconds, _ = _get(f"{base}{path}")
        assert status == 200, path
        assert seconds < 2, (path, seconds)
