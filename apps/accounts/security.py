"""Sign-in protection: an account locks after 5 failures in 15 minutes, an address after 20.

Locks live in PostgreSQL (LoginAttempt rows), so they hold across web processes and survive a
cache outage. A locked sign-in is refused before the password is checked, with the same words
whether or not the account exists.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.pii import pii_hash
from apps.core.ratelimit import client_ip
from apps.core.services import audit_record

from .models import LoginAttempt, User

logger = logging.getLogger(__name__)

LOCK_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20


class LoginRefused(DomainError):
    status_code = 400
    default_code = "invalid_credentials"


class LoginLocked(DomainError):
    status_code = 403
    default_code = "login_locked"


def username_hash(username: str) -> str:
    return pii_hash(username.strip().lower())


def _lock_end(times: list[datetime], limit: int) -> datetime | None:
    """The end of the latest lock: `limit` failures within the window lock from the last one."""
    end = None
    for last in range(limit - 1, len(times)):
        if times[last] - times[last - limit + 1] <= LOCK_WINDOW:
            end = times[last] + LOCK_DURATION
    return end


def login_locked_until(*, username: str, ip: str, now: datetime | None = None) -> datetime | None:
    """When the account or the address may try again, or None when neither is locked."""
    now = now or timezone.now()
    since = now - LOCK_WINDOW - LOCK_DURATION
    key = username_hash(username)
    reset = (
        LoginAttempt.objects.filter(username_hash=key, at__gte=since)
        .exclude(kind=LoginAttempt.Kind.FAILURE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = LoginAttempt.objects.filter(kind=LoginAttempt.Kind.FAILURE, at__gte=since)
    account = failures.filter(username_hash=key, at__gt=reset or since)
    address = failures.filter(ip_address=ip or None) if ip else failures.none()
    ends = [
        _lock_end(sorted(account.values_list("at", flat=True)), ACCOUNT_FAILURE_LIMIT),
        _lock_end(sorted(address.values_list("at", flat=True)), ADDRESS_FAILURE_LIMIT),
    ]
    ends = [end for end in ends if end and end > now]
    return max(ends) if ends else None


def _record(*, username: str, ip: str, user: User | None, kind: str) -> None:
    LoginAttempt.objects.create(
        user=user,
        username_hash=username_hash(username),
        ip_address=ip or None,
        kind=kind,
        at=timezone.now(),
    )


def authenticate_guarded(*, request, username: str, password: str) -> User:
    """Check the lock, then the password; every outcome is recorded and logged.

    Deliberately not atomic: a failure must stay recorded although the sign-in is refused.
    """
    ip = client_ip(request)
    if login_locked_until(username=username, ip=ip):
        logger.warning("sign-in refused: locked", extra={"ip": ip})
        raise LoginLocked(_("Too many failed sign-in attempts. Try again in 15 minutes."))
    user = authenticate(request, username=username, password=password)
    if user is None:
        account = User.objects.filter(username__iexact=username.strip()).first()
        _record(username=username, ip=ip, user=account, kind=LoginAttempt.Kind.FAILURE)
        logger.warning("sign-in failed", extra={"ip": ip, "user_id": getattr(account, "pk", None)})
        raise LoginRefused(_("The username or password is not correct."))
    _record(username=username, ip=ip, user=user, kind=LoginAttempt.Kind.SUCCESS)
    logger.info("sign-in succeeded", extra={"ip": ip, "user_id": user.pk})
    return user


@transaction.atomic
def login_unlock(*, user: User, actor: User) -> None:
    """Union staff lift an account's lock; later failures count afresh."""
    _record(username=user.get_username(), ip="", user=user, kind=LoginAttempt.Kind.UNLOCK)
    audit_record(actor=actor, action="user.unlock", target=user, from_state="locked", to_state="")


def locked_user_ids(*, now: datetime | None = None) -> set[int]:
    """Accounts locked now, for the admin's filter."""
    now = now or timezone.now()
    recent = (
        LoginAttempt.objects.filter(
            Q(kind=LoginAttempt.Kind.FAILURE), at__gte=now - LOCK_WINDOW - LOCK_DURATION
        )
        .exclude(user=None)
        .values_list("user_id", "user__username")
        .distinct()
    )
    return {
        user_id
        for user_id, username in recent
        if login_locked_until(username=username, ip="", now=now)
    }
