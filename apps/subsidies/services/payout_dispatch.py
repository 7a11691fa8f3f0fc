"""Sending a run's Celery tasks, only after the transaction that created their work commits.

Only ids travel in the messages. `queue` keeps a run's follow-up tasks on the queue its chunks
came from (None: the default queue).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction


def _options(queue: str | None) -> dict:
    return {"queue": queue} if queue else {}


def send_chunks(chunk_ids: Iterable[int], *, queue: str | None = None) -> None:
    from ..tasks import payout_chunk_task

    ids = list(chunk_ids)

    def send() -> None:
        for chunk_id in ids:
            payout_chunk_task.apply_async(args=[chunk_id], **_options(queue))

    # robust: should the broker fail between the check and the commit, the run is left
    # calculating with its chunks unsent, shown as stuck and resumed with one button.
    transaction.on_commit(send, robust=True)


def send_finalize(run_id: int, *, queue: str | None = None) -> None:
    from ..tasks import payout_finalize_task

    transaction.on_commit(
        lambda: payout_finalize_task.apply_async(args=[run_id], **_options(queue)), robust=True
    )
