from celery import shared_task

from . import services


@shared_task(name="core.notices_purge")
def notices_purge(older_than_days: int = 180) -> int:
    return services.notices_purge(older_than_days=older_than_days)
