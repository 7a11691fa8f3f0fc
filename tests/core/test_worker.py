from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import Notice
from apps.core.tasks import notices_purge
from tests.accounts.factories import UserFactory


@pytest.mark.worker
def test_real_worker_runs_a_task_against_the_database_and_returns_its_result(celery_worker):
    worker = celery_worker()
    user = UserFactory()
    long_ago = timezone.now() - timedelta(days=400)
    old = Notice.objects.create(recipient=user, title="old", read_at=long_ago)
    Notice.objects.create(recipient=user, title="unread")

    result = notices_purge.apply_async(kwargs={"older_than_days": 180}, queue=worker.queue)

    assert result.get(timeout=30) == 1
    assert list(Notice.objects.values_list("title", flat=True)) == ["unread"]
    assert not Notice.objects.filter(pk=old.pk).exists()
