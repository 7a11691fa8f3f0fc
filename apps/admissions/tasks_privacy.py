"""Daily privacy work: anonymise children whose data is past its retention period."""

from celery import shared_task

from .services import privacy


@shared_task(name="admissions.children_anonymise_due")
def children_anonymise_due() -> int:
    """Idempotent: a second run finds nobody left to anonymise and returns 0."""
    return privacy.children_anonymise_due()
