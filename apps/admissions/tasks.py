"""Admissions tasks: ids (or a month) in, one service each, safe to run twice.

Their beat entries are in qianan_tuoyu/celery.py."""

from celery import shared_task
from django.utils import timezone

from apps.employers.pricing import month_start, parse_month

from .services import ageing, applications, offers


@shared_task(name="admissions.offers_expire", acks_late=True, reject_on_worker_lost=True)
def offers_expire_task() -> dict:
    """Every few minutes: expire offers past their deadline (their places go to the next in
    line), offer places left free while someone waits, and flag applicants who left."""
    return {
        "expired": len(offers.offers_expire_due()),
        "offered": len(offers.queues_fill_free()),
        "flagged": len(applications.applications_flag_left()),
    }


@shared_task(name="admissions.offer_expire", acks_late=True, reject_on_worker_lost=True)
def offer_expire_task(application_id: int) -> bool:
    """Expire one offer if it is past its deadline; False when there was nothing to do."""
    return offers.offer_expire(application_id=application_id) is not None


@shared_task(name="admissions.enrolments_age", acks_late=True, reject_on_worker_lost=True)
def enrolments_age_task(month: str | None = None) -> dict:
    """On the first of the month (`month` as YYYY-MM, default this month): move children who
    outgrew their class up, or end them past the programme's oldest class."""
    day = parse_month(month) if month else month_start(timezone.localdate())
    result = ageing.enrolments_age(month=day)
    return {"moved": len(result.moved), "no_room": len(result.no_room), "ended": len(result.ended)}


# Celery's autodiscovery imports tasks.py only; the privacy task lives beside it.
from .tasks_privacy import children_anonymise_due  # noqa: E402, F401
