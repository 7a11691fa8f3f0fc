"""Budgets are never exceeded: lines the budget cannot cover are held in a stated order (latest
enrolment start first, then highest id), also when two runs finish or are approved at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from apps.subsidies.models import Budget, PayoutLine, PayoutRun
from apps.subsidies.services import payout_calculation, payout_dispatch, payouts
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import (
    PERIOD,
    account,
    attendance,
    compute,
    in_threads,
    start,
)

D = Decimal


pytestmark = pytest.mark.usefixtures("english")
SEPTEMBER = date(2026, 9, 1)


def _enrolments(programme, starts: list[date]) -> list:
    rows = []
    for begun in starts:
        member = MemberFactory()
        account(member=member)
        enrolment = enrol(
            programme=programme, applicant=member, start=begun, subsidy_amount=D("100.00")
        )
        attendance(enrolment, 18)
        attendance(enrolment, 18, month=SEPTEMBER)
        rows.append(enrolment)
    return rows


def _scheme_with(amount: str, starts: list[date]):
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programmes=[programme])
    budget = BudgetFactory(scheme=scheme, amount=D(amount))
    return scheme, budget, _enrolments(programme, starts)


def _held(run) -> list[str]:
    return sorted(run.lines.filter(status="held_budget").values_list("subject", flat=True))


EARLY, LATE = date(2025, 9, 1), date(2026, 3, 1)


@pytest.mark.django_db
def test_lines_worth_110_percent_of_the_budget_hold_the_latest_start_first():
    # 11 lines of 100 = 1,100 against 1,000: the one that started last is held.
    _scheme, budget, rows = _scheme_with("1000.00", [EARLY] * 9 + [LATE, EARLY])

    run = compute(start())

    budget.refresh_from_db()
    assert _held(run) == [f"enrolment:{rows[9].pk}"]
    assert (run.total_amount, run.held_amount) == (D("1000.00"), D("100.00"))
    assert (budget.reserved, budget.committed, budget.amount) == (D("1000.00"), D("0"), D("1000"))


@pytest.mark.django_db
def test_among_equal_starts_the_highest_enrolment_id_is_held_next():
    _scheme, budget, rows = _scheme_with("950.00", [EARLY] * 9 + [LATE, EARLY])

    run = compute(start())

    budget.refresh_from_db()
    assert _held(run) == sorted([f"enrolment:{rows[9].pk}", f"enrolment:{rows[10].pk}"])
    assert budget.reserved == D("900.00")


@pytest.mark.django_db
def test_a_scheme_without_a_budget_for_the_year_holds_every_line():
    programme = ProgrammeFactory()
    SchemeFactory(programmes=[programme])
    _enrolments(programme, [EARLY, EARLY])

    run = compute(start())

    assert (run.total_amount, run.held_amount) == (D("0.00"), D("200.00"))
    assert list(run.lines.values_list("status", flat=True)) == ["held_budget", "held_budget"]


def _computed_not_final(period) -> PayoutRun:
    run = start(period=period)
    for chunk in run.chunks.all():
        payout_calculation.payout_chunk_compute(chunk_id=chunk.pk)
    return run


def _payable(run) -> Decimal:
    return run.lines.filter(status="payable").aggregate(total=Sum("amount"))["total"] or D(0)


@pytest.fixture
def no_sending(monkeypatch):
    monkeypatch.setattr(payout_dispatch, "send_chunks", lambda *args, **kwargs: None)
    monkeypatch.setattr(payout_dispatch, "send_finalize", lambda *args, **kwargs: None)


@pytest.mark.django_db(transaction=True)
def test_two_runs_finalised_concurrently_reserve_no_more_than_the_budget(no_sending):
    _scheme, budget, _rows = _scheme_with("1000.00", [EARLY] * 6)
    # September and October each owe 600 from one 1,000 budget: whichever finishes second
    # can only reserve 400, holding its two latest-starting lines.
    runs = [_computed_not_final(SEPTEMBER), _computed_not_final(PERIOD)]
    pending = iter(runs)

    def finalize():
        return payout_calculation.payout_run_finalize(run_id=next(pending).pk)

    assert in_threads(finalize, 2) == [True, True]

    budget.refresh_from_db()
    payable = [_payable(run) for run in runs]
    assert sorted(payable) == [D("400.00"), D("600.00")]
    assert budget.reserved == sum(payable) == D("1000.00")
    assert PayoutLine.objects.filter(status="held_budget").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_approved_at_once_commit_exactly_what_they_reserved(no_sending):
    _scheme, budget, _rows = _scheme_with("1000.00", [EARLY] * 6)
    starter, approver = UserFactory(role="union_staff"), UserFactory(role="union_staff")
    runs = []
    for period in (SEPTEMBER, PERIOD):
        run, _created = payouts.payout_run_start(kind="monthly", period=period, actor=starter)
        runs.append(compute(run))
    pending = iter(runs)

    def approve():
        return payouts.payout_run_approve(run=next(pending), actor=approver).status

    assert in_threads(approve, 2) == ["approved", "approved"]

    budget.refresh_from_db()
    assert (budget.reserved, budget.committed) == (D("0.00"), D("1000.00"))
    assert budget.committed <= budget.amount
    assert Budget.objects.get(pk=budget.pk).available == D("0.00")
