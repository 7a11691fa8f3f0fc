"""Starting a payout run while the broker is down is refused at once, leaving nothing behind."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.models import AuditRecord
from apps.subsidies.models import PayoutRun
from apps.subsidies.services.payouts import payout_run_start
from apps.subsidies.services.refusals import SubsidyError
from tests.conftest import free_port
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import account, attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def payable_scheme():
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programmes=[programme])
    BudgetFactory(scheme=scheme, amount=Decimal("10000.00"))
    member = MemberFactory()
    account(member=member, account_number="6217000315000012345")
    attendance(enrol(programme=programme, applicant=member, subsidy_amount=Decimal("200.00")), 18)
    return scheme


def test_starting_a_run_with_the_queue_unreachable_is_refused_and_writes_nothing(
    settings, payable_scheme, union_staff
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    with pytest.raises(SubsidyError) as refused:
        payout_run_start(kind=PayoutRun.Kind.MONTHLY, period=date(2026, 10, 1), actor=union_staff)

    assert refused.value.status_code == 503
    assert "稍后再试" in refused.value.message or "try again" in refused.value.message
    assert not PayoutRun.objects.exists()
    assert not AuditRecord.objects.filter(action="payout_run.start").exists()


def test_the_api_answers_503_naming_the_queue(settings, api_client, payable_scheme, union_staff):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    api_client.force_authenticate(union_staff)

    response = api_client.post("/api/v1/payout-runs/", {"period": "2026-10"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "queue_unavailable"
    assert not PayoutRun.objects.exists()
