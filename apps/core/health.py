"""Reachability checks for the parts the portal needs, each answering within about a second."""

from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connections


def hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "down" for a health probe
        connections["default"].close_if_unusable_or_obsolete()
        return False


def broker_ok(url: str | None = None) -> bool:
    client = redis.Redis.from_url(
        url or settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
