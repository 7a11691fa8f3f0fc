"""Enqueue Celery work only after the transaction that created it has committed."""

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    # A worker that picks the task up before the commit would not see the rows it is about.
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
