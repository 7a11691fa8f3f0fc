"""The demo payout runs: one paid, one approved and one calculated, over the demo enrolments."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.models import AuditRecord
from apps.subsidies import demo_payouts
from apps.subsidies.models import PayoutLine, PayoutRun

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_makes_a_paid_an_approved_and_a_calculated_run_and_seeds_them_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    seeded = (PayoutRun.objects.count(), PayoutLine.objects.count(), AuditRecord.objects.count())

    demo_payouts.seed(stdout=StringIO())

    assert (
        PayoutRun.objects.count(),
        PayoutLine.objects.count(),
        AuditRecord.objects.count(),
    ) == seeded
    runs = PayoutRun.objects.order_by("period")
    assert [(run.kind, run.status) for run in runs] == [
        ("monthly", "paid"),
        ("monthly", "approved"),
        ("grant_round", "calculated"),
    ]
    paid = runs[0]
    assert paid.lines.filter(status=PayoutLine.Status.PAID).exists()
    assert not paid.lines.filter(status=PayoutLine.Status.UNMATCHED).exists()
    assert runs[1].approved_by.username == "union_staff2"
    assert runs[2].total_amount > 0
