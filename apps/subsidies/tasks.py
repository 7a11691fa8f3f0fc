"""Celery tasks of the payout runs. Ids in, safe to repeat (a repeated or late delivery finds
its chunk done or its run moved on and does nothing), acknowledged only when finished."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import payout_calculation

# A chunk of a few thousand enrolments takes well under a second; the limits keep a stuck one
# far below a tenth of the broker's one-hour visibility timeout.
CHUNK_LIMITS = {"soft_time_limit": 120, "time_limit": 150}
# Transient database trouble (a restart, a deadlock victim) is retried; anything else is a bug
# to see, and the run shows as stuck until union staff resume it.
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 5,
}


def _queue(task) -> str | None:
    """The queue this message came from, so the run's next tasks follow it there."""
    return (task.request.delivery_info or {}).get("routing_key") or None


@shared_task(
    name="subsidies.payout_chunk",
    bind=True,
    # Nobody waits on these results; storing none also keeps sending free of the result store.
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    **CHUNK_LIMITS,
    **RETRY,
)
def payout_chunk_task(self, chunk_id: int) -> int:
    return payout_calculation.payout_chunk_compute(chunk_id=chunk_id, queue=_queue(self))


@shared_task(
    name="subsidies.payout_finalize",
    bind=True,
    # Nobody waits on these results; storing none also keeps sending free of the result store.
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    **CHUNK_LIMITS,
    **RETRY,
)
def payout_finalize_task(self, run_id: int) -> bool:
    return payout_calculation.payout_run_finalize(run_id=run_id)
