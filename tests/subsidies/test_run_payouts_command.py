"""`manage.py run_payouts --period YYYY-MM [--wait]`: starts the period's run, or resumes its
unfinished run instead of starting another."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditRecord
from apps.subsidies.models import PayoutRun
from apps.subsidies.services import payout_dispatch
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def sent(monkeypatch):
    chunks = []
    monkeypatch.setattr(payout_dispatch, "send_chunks", lambda ids, queue=None: chunks.append(ids))
    monkeypatch.setattr(payout_dispatch, "send_finalize", lambda run_id, queue=None: None)
    programme = ProgrammeFactory()
    BudgetFactory(scheme=SchemeFactory(programmes=[programme]), amount=Decimal("1000.00"))
    enrol(programme=programme)
    return chunks


def _run(*args) -> str:
    out = StringIO()
    call_command("run_payouts", *args, stdout=out)
    return out.getvalue()


def test_the_command_starts_the_period_and_reports_it(sent):
    output = _run("--period", "2026-10")

    run = PayoutRun.objects.get()
    assert output.splitlines() == [
        f"Started payout run {run.pk}.",
        f"Payout run {run.pk} (monthly 2026-10): calculating, 0/1 chunks, payable 0.00, held 0.00.",
    ]
    assert len(sent) == 1


def test_running_it_again_resumes_the_unfinished_run_instead_of_starting_another(sent):
    _run("--period", "2026-10")

    output = _run("--period", "2026-10")

    run = PayoutRun.objects.get()
    assert output.splitlines()[0] == f"Resuming payout run {run.pk}."
    assert sent == [[run.chunks.get().pk], [run.chunks.get().pk]]
    assert AuditRecord.objects.filter(action="payout_run.resume").count() == 1


def test_the_starter_named_with_user_is_recorded(sent, union_staff):
    _run("--period", "2026-10", "--user", union_staff.username)

    assert PayoutRun.objects.get().started_by == union_staff


def test_a_malformed_period_is_refused_in_one_line(sent):
    with pytest.raises(CommandError, match=r"^--period: give the month as YYYY-MM, e.g. 2026-10.$"):
        _run("--period", "October")

    assert PayoutRun.objects.count() == 0


def test_an_unknown_user_is_refused(sent, parent_user):
    with pytest.raises(CommandError, match="no union staff account named"):
        _run("--period", "2026-10", "--user", parent_user.username)

    assert PayoutRun.objects.count() == 0
