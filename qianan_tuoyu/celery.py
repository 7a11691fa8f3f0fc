"""Celery app: JSON only, late acks for tasks safe to repeat, time limits, a beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianan_tuoyu.settings")

app = Celery("qianan_tuoyu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=24 * 60 * 60,
    timezone="Asia/Shanghai",
    enable_utc=True,
    # A task that hangs must not hold a worker forever; chunks are sized to finish well inside.
    task_soft_time_limit=5 * 60,
    task_time_limit=6 * 60,
    # Tasks are written to be safe to repeat, so a lost worker means redelivery, not loss.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_transport_options={"visibility_timeout": 60 * 60},
    broker_connection_timeout=2,
    broker_connection_retry_on_startup=True,
    # A web request that enqueues while the broker is down must fail fast and say so.
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    },
    # Keep Django's JSON log configuration instead of Celery's plain-text one.
    worker_hijack_root_logger=False,
    beat_schedule={
        "purge-read-notices": {
            "task": "core.notices_purge",
            "schedule": crontab(hour=3, minute=15),
        },
        # Offers past their days to answer give their place to the next in line within minutes.
        "admissions-offers-expire": {"task": "admissions.offers_expire", "schedule": 300},
        "admissions-enrolments-age": {
            "task": "admissions.enrolments_age",
            "schedule": crontab(day_of_month=1, hour=0, minute=30),
        },
        "admissions-children-anonymise": {
            "task": "admissions.children_anonymise_due",
            "schedule": crontab(hour=3, minute=40),
        },
        "pilots-rounds-advance": {
            "task": "pilots.rounds_advance",
            "schedule": crontab(hour=0, minute=10),
        },
    },
)
app.autodiscover_tasks()
