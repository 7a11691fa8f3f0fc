"""Make a POST safe to retry: the first response under an `Idempotency-Key` is kept and replayed.

The record is inserted before the work, in the same transaction. A concurrent request with the
same key blocks on the unique index until the first commits, then replays its response; if the
first rolled back (a refusal), the second runs as if it were the first. Only successes are kept,
so a refused request can be corrected and sent again with the same key.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 200
KEY_REUSED = "idempotency_key_reused"
REPLAY_HEADER = "Idempotent-Replayed"
# Long enough to cover any client's retries; records are then purged.
RETENTION = timedelta(days=2)


def fingerprint(*, method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise DomainError.for_field(
            HEADER,
            _("The Idempotency-Key header must be 1 to %(max)d characters.")
            % {"max": KEY_MAX_LENGTH},
        )
    return key


def _replay(record: IdempotencyRecord, print_: str) -> tuple[int, Any]:
    if record.fingerprint != print_:
        message = _("This Idempotency-Key was already used for a different request; use a new key.")
        raise DomainError(message, code=KEY_REUSED, fields={HEADER: [message]}, status_code=422)
    return record.status_code, record.response


def run_once(
    *, user, key: str, print_: str, action: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `action` (returning status and JSON-able body) at most once per (user, key).

    Returns (status, body, replayed). Raises DomainError 422 for a key reused with another request.
    """
    key = _check_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, fingerprint=print_, status_code=0, response={}
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=user, key=key)
            return (*_replay(record, print_), True)
        status, body = action()
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
    return status, body, False


def idempotent_response(request, action: Callable[[], Any]):
    """For a DRF view: run `action` (returning a Response) once per Idempotency-Key header.

    Without the header the action simply runs. Replays carry `Idempotent-Replayed: true`.
    """
    from rest_framework.response import Response

    key = request.headers.get(HEADER)
    if key is None:
        return action()
    print_ = fingerprint(method=request.method, path=request.path, body=request.data)

    def run() -> tuple[int, Any]:
        response = action()
        # Round-trip through JSON so the replay is byte-for-byte what the first caller got.
        body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
        return response.status_code, body

    status, body, replayed = run_once(user=request.user, key=key, print_=print_, action=run)
    response = Response(body, status=status)
    if replayed:
        response[REPLAY_HEADER] = "true"
    return response


def idempotency_records_purge(*, older_than: timedelta = RETENTION) -> int:
    deleted, _counts = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
