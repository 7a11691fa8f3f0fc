"""Starting a payout run while the broker is down is refused at once, leaving nothing behind."""

from datetime import date

import pytest

from apps.core.models import AuditRecord
from apps.subsidies.models import PayoutRun
from apps.subsidies.services.payouts import payout_run_start
from apps.subsidies.services.refusals import SubsidyError
from tests.conftest import free_port
from tests.subsidies.test_payout_support import payable_scheme

pytestmark = pytest.mark.django_db


def test_starting_a_run_with_the_queue_unreachable_is_refused_and_writes_nothing(
    settings, union_staff
):
    payable_scheme()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    with pytest.raises(SubsidyError) as refused:
        payout_run_start(kind=PayoutRun.Kind.MONTHLY, period=date(2026, 10, 1), actor=union_staff)

    assert refused.value.status_code == 503
    assert "稍后再试" in refused.value.message or "try again" in refused.value.message
    assert not PayoutRun.objects.exists()
    assert not AuditRecord.objects.filter(action="payout_run.start").exists()


def test_the_api_answers_503_naming_the_queue(settings, api_client, union_staff):
    payable_scheme()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    api_client.force_authenticate(union_staff)

    response = api_client.post("/api/v1/payout-runs/", {"period": "2026-10"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "queue_unavailable"
    assert not PayoutRun.objects.exists()
