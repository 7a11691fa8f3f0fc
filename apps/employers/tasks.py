from celery import shared_task

from .services import roster as roster_services


@shared_task(
    name="employers.roster_import", ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def roster_import_task(roster_import_id: int) -> str:
    """Check and apply one roster import. Only the id travels in the message (no ID numbers);
    running it twice is harmless: a finished import is left alone, a half-done one restarts."""
    return roster_services.roster_import_run(roster_import_id=roster_import_id).status
