"""Fixed-window rate limits in the shared cache, for sign-up, sign-in and password reset.

They fail open: when Redis is down the portal keeps serving (the account lockout, which lives
in PostgreSQL, still guards passwords), and the outage is logged.
"""

import logging
import time
from functools import wraps

import redis
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

from .pii import pii_hash

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    # Only behind our own proxy is X-Forwarded-For trusted: its last entry is the one the proxy
    # appended. Without a proxy anyone could set the header and dodge every per-address limit.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, *, limit: int, period: int) -> tuple[bool, int]:
    """Count one request; returns (over the limit, seconds until the window ends)."""
    window = int(time.time() // period)
    cache_key = f"{settings.RATELIMIT_KEY_PREFIX}:{scope}:{pii_hash(key)}:{window}"
    try:
        count = 1 if cache.add(cache_key, 1, period + 5) else cache.incr(cache_key)
    except (redis.RedisError, ValueError):
        logger.warning("rate limit cache unavailable; allowing", extra={"scope": scope})
        return False, 0
    return count > limit, (window + 1) * period - int(time.time())


def rate_limit(scope: str, *, limit: int, period: int = 60, methods=("POST",)):
    """Page-view decorator: over the limit, answer 429 with a page saying when to retry."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limited, retry_after = hit(scope, client_ip(request), limit=limit, period=period)
                if limited:
                    logger.warning("rate limited", extra={"scope": scope})
                    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ScopeRateThrottle(BaseThrottle):
    """DRF throttle on the same counters: set `throttle_scope` and `throttle_limit` on the view."""

    period = 60

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        scope = getattr(view, "throttle_scope", view.__class__.__name__)
        limit = getattr(view, "throttle_limit", 10)
        limited, self._wait = hit(scope, client_ip(request), limit=limit, period=self.period)
        return not limited

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class PerUserScopeRateThrottle(ScopeRateThrottle):
    """Counted per signed-in account, not per address: a factory's workers share one address,
    and a password guessed from many addresses is still one account's."""

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        scope = getattr(view, "throttle_scope", view.__class__.__name__)
        limit = getattr(view, "throttle_limit", 10)
        limited, self._wait = hit(scope, f"user:{request.user.pk}", limit=limit, period=self.period)
        return not limited
