"""Celery tasks: ids in, one service call, safe to run twice (results are replaced whole)."""

import logging

from celery import shared_task
from django.db import connection

from .errors import PilotError
from .services import round_evaluate, rounds_advance

logger = logging.getLogger(__name__)


class _QueryCounter:
    """Counts the SQL statements run on the default connection (for the benchmark figures)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@shared_task(name="pilots.evaluate_round", acks_late=True)
def evaluate_round(round_id: int) -> dict:
    counter = _QueryCounter()
    try:
        with connection.execute_wrapper(counter):
            summary = round_evaluate(round_id=round_id, actor=None)
    except PilotError as error:
        # A refusal (e.g. a sheet reopened meanwhile) is an answer, not a failure to retry.
        logger.warning("pilot round %s not evaluated: %s", round_id, error.code)
        return {
            "round": round_id,
            "status": "refused",
            "code": error.code,
            "message": error.message,
        }
    return {**summary, "status": "evaluated", "queries": counter.count}


@shared_task(name="pilots.rounds_advance", acks_late=True)
def advance_rounds() -> dict:
    return rounds_advance()
