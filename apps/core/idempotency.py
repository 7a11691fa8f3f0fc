"""Make a POST safe to retry: the first response under an `Idempotency-Key` is kept and replayed.

The response is inserted after the work, in the same transaction. A concurrent request with the
same key blocks on the unique index until the first commits, then undoes its own work and
replays the first response; if the first rolled back (a refusal), the second goes on as if it
were the first. Only successes are kept, so a refused request can be corrected and sent again
with the same key.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
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


RECORD = """
INSERT INTO core_idempotencyrecord (user_id, key, fingerprint, status_code, response, created_at)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (user_id, key) DO NOTHING RETURNING id
"""


class _KeyTaken(Exception):
    """Another request with the key committed first: this one's work is undone, then replayed."""


def _record(*, user, key: str, print_: str, status: int, body: Any) -> bool:
    """Keep the response under (user, key); False when the key already has one.

    `ON CONFLICT DO NOTHING` waits for a concurrent holder of the key like a plain INSERT would,
    without the savepoint (two more queries) that catching an IntegrityError would need.
    """
    response = json.dumps(body, cls=DjangoJSONEncoder)
    with connection.cursor() as cursor:
        cursor.execute(RECORD, [user.pk, key, print_, status, response, timezone.now()])
        return cursor.fetchone() is not None


def run_once(
    *, user, key: str, print_: str, action: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `action` (returning status and JSON-able body) at most once per (user, key).

    Returns (status, body, replayed). Raises DomainError 422 for a key reused with another request.

    The response is recorded after the work, in its transaction: one query on the way that
    matters. A retry runs the work again, and it is undone when the key turns out to be
    taken, or when it fails (it usually does: the application exists, the move was made) and
    the key has a response; either way the first response is replayed.
    """
    key = _check_key(key)
    try:
        with transaction.atomic():
            status, body = action()
            if not _record(user=user, key=key, print_=print_, status=status, body=body):
                raise _KeyTaken
        return status, body, False
    except Exception:
        # Read after the rollback: the transaction of a failed statement takes no more queries.
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            raise
    return (*_replay(record, print_), True)


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
