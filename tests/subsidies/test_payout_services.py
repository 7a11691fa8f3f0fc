"""A payout run's life through its services: start, chunks, final step, approval, cancellation,
resumption, carried lines and adjustments; an approved run refuses every change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.admissions.models import Attendance
from apps.core.models import AuditRecord
from apps.subsidies.models import Budget, PayoutLine, PayoutRun
from apps.subsidies.services import payout_calculation, payout_dispatch, payouts
from apps.subsidies.services.refusals import SubsidyError
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import PERIOD, account, attendance, compute, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal


@pytest.fixture
def paid_scheme():
    """A per-child subsidy of 200 with a 10,000 budget and three children enrolled all month."""
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programmes=[programme])
    BudgetFactory(scheme=scheme, amount=D("10000.00"))
    for _n in range(3):
        member = MemberFactory()
        account(member=member)
        attendance(enrol(programme=programme, applicant=member, start=date(2026, 1, 1)), 18)
    return scheme


def _budget(scheme) -> tuple:
    budget = Budget.objects.get(scheme=scheme)
    return budget.reserved, budget.committed


def test_starting_a_run_plans_its_chunks_and_fixes_its_schemes(paid_scheme):
    run = start(chunk_size=2)

    assert (run.status, run.chunks_total, run.chunks_done) == ("calculating", 2, 0)
    assert list(run.chunks.values_list("kind", flat=True)) == ["enrolments", "enrolments"]
    assert list(run.schemes.all()) == [paid_scheme]


def test_starting_the_same_period_again_returns_the_run_and_writes_no_second_set(paid_scheme):
    run = compute(start())

    again, created = payouts.payout_run_start(kind="monthly", period=PERIOD, actor=None)

    assert (again.pk, created) == (run.pk, False)
    assert PayoutLine.objects.count() == 3
    assert PayoutRun.objects.count() == 1


def test_a_period_that_has_not_begun_is_refused(paid_scheme):
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)

    with pytest.raises(SubsidyError) as refused:
        payouts.payout_run_start(kind="monthly", period=next_month, actor=None)

    assert refused.value.fields == {"period": [f"{next_month:%Y-%m} has not begun yet."]}
    assert PayoutRun.objects.count() == 0


def test_a_period_no_scheme_pays_is_refused():
    with pytest.raises(SubsidyError) as refused:
        payouts.payout_run_start(kind="grant_round", period=PERIOD, actor=None)

    assert refused.value.code == "no_scheme"
    assert PayoutRun.objects.count() == 0


def test_a_chunk_computed_twice_writes_its_lines_once_and_counts_once(paid_scheme):
    run = start()
    chunk = run.chunks.get()

    first = payout_calculation.payout_chunk_compute(chunk_id=chunk.pk)
    second = payout_calculation.payout_chunk_compute(chunk_id=chunk.pk)

    run.refresh_from_db()
    assert (first, second, run.chunks_done) == (3, 0, 1)
    assert PayoutLine.objects.count() == 3


def test_the_last_chunk_sends_the_final_step(paid_scheme, monkeypatch):
    sent = []
    monkeypatch.setattr(
        payout_dispatch, "send_finalize", lambda run_id, queue=None: sent.append(run_id)
    )
    run = start(chunk_size=2)
    first, last = run.chunks.order_by("number")

    payout_calculation.payout_chunk_compute(chunk_id=first.pk)
    assert sent == []
    payout_calculation.payout_chunk_compute(chunk_id=last.pk)
    assert sent == [run.pk]


def test_the_final_step_waits_for_every_chunk(paid_scheme):
    run = start(chunk_size=2)
    payout_calculation.payout_chunk_compute(chunk_id=run.chunks.order_by("number")[0].pk)

    assert payout_calculation.payout_run_finalize(run_id=run.pk) is False
    run.refresh_from_db()
    assert run.status == "calculating"


def test_a_calculated_run_has_its_totals_its_budget_reserved_and_its_attendance_locked(paid_scheme):
    run = compute(start())

    assert (run.status, run.total_amount, run.held_amount) == ("calculated", D("600.00"), D("0"))
    assert _budget(paid_scheme) == (D("600.00"), D("0.00"))
    assert set(Attendance.objects.values_list("used_by_payout_run_id", flat=True)) == {run.pk}
    assert AuditRecord.objects.filter(action="payout_run.calculate").count() == 1


def test_a_chunk_of_a_cancelled_run_writes_nothing(paid_scheme):
    run = start()
    PayoutRun.objects.filter(pk=run.pk).update(status="cancelled")

    assert payout_calculation.payout_chunk_compute(chunk_id=run.chunks.get().pk) == 0
    assert PayoutLine.objects.count() == 0


def test_the_starter_cannot_approve_their_own_run(paid_scheme, union_staff):
    run = compute(start(actor=union_staff))

    with pytest.raises(SubsidyError) as refused:
        payouts.payout_run_approve(run=run, actor=union_staff)

    assert (refused.value.status_code, refused.value.code) == (403, "four_eyes")
    assert refused.value.message == (
        f"You started payout run {run.pk}, so another union staff member must approve it."
    )
    run.refresh_from_db()
    assert (run.status, run.approved_by) == ("calculated", None)
    assert _budget(paid_scheme) == (D("600.00"), D("0.00"))


def test_approval_by_a_second_staff_member_commits_the_budget(
    paid_scheme, union_staff, union_staff2
):
    run = compute(start(actor=union_staff))

    payouts.payout_run_approve(run=run, actor=union_staff2)

    run.refresh_from_db()
    assert (run.status, run.approved_by) == ("approved", union_staff2)
    assert _budget(paid_scheme) == (D("0.00"), D("600.00"))


def test_cancelling_releases_the_budget_and_unlocks_the_attendance(paid_scheme, union_staff):
    run = compute(start())

    payouts.payout_run_cancel(run=run, actor=union_staff, reason="重新计算")

    run.refresh_from_db()
    assert run.status == "cancelled"
    assert _budget(paid_scheme) == (D("0.00"), D("0.00"))
    assert set(Attendance.objects.values_list("used_by_payout_run_id", flat=True)) == {None}
    assert AuditRecord.objects.get(action="payout_run.cancel").reason == "重新计算"


def test_cancelling_needs_a_reason(paid_scheme, union_staff):
    run = compute(start())

    with pytest.raises(SubsidyError) as refused:
        payouts.payout_run_cancel(run=run, actor=union_staff, reason=" ")

    assert refused.value.fields == {"reason": ["Give a reason."]}
    run.refresh_from_db()
    assert run.status == "calculated"


@pytest.fixture
def approved_run(paid_scheme, union_staff, union_staff2):
    run = compute(start(actor=union_staff))
    return payouts.payout_run_approve(run=run, actor=union_staff2)


@pytest.mark.parametrize(
    "change",
    [
        lambda run, user: payouts.payout_run_cancel(run=run, actor=user, reason="错误"),
        lambda run, user: payouts.payout_run_resume(run=run, actor=user),
        lambda run, user: payouts.payout_run_approve(run=run, actor=user),
    ],
    ids=["cancel", "resume", "approve again"],
)
def test_an_approved_run_refuses_every_change_through_the_services(
    approved_run, union_staff, change
):
    lines = sorted(PayoutLine.objects.values_list("id", "amount", "status"))

    with pytest.raises(SubsidyError) as refused:
        change(approved_run, union_staff)

    assert (refused.value.status_code, refused.value.code) == (409, "payout_run_locked")
    approved_run.refresh_from_db()
    assert approved_run.status == "approved"
    assert sorted(PayoutLine.objects.values_list("id", "amount", "status")) == lines


def test_an_approved_run_is_never_recomputed_by_a_late_chunk(approved_run):
    chunk = approved_run.chunks.get()
    chunk.done_at = None
    chunk.save()

    assert payout_calculation.payout_chunk_compute(chunk_id=chunk.pk) == 0
    assert payout_calculation.payout_run_finalize(run_id=approved_run.pk) is False
    assert PayoutLine.objects.filter(run=approved_run).count() == 3


def test_an_adjustment_cannot_be_added_to_an_approved_run(approved_run, union_staff):
    line = approved_run.lines.first()

    with pytest.raises(SubsidyError) as refused:
        payouts.payout_adjustment_add(
            run=approved_run, line=line, amount=D("-10.00"), actor=union_staff, reason="多付"
        )

    assert refused.value.code == "payout_run_locked"
    assert PayoutLine.objects.filter(adjusts__isnull=False).count() == 0


def test_a_correction_is_an_adjustment_line_in_a_later_run(approved_run, union_staff):
    line = approved_run.lines.order_by("id").first()
    november = compute(start(period=date(2026, 11, 1)))

    adjustment = payouts.payout_adjustment_add(
        run=november, line=line, amount=D("-20.00"), actor=union_staff, reason="多付二十元"
    )

    november.refresh_from_db()
    assert (adjustment.subject, adjustment.amount, adjustment.adjusts) == (
        f"adjust:{line.pk}",
        D("-20.00"),
        line,
    )
    assert november.total_amount == D("-20.00")
    line.refresh_from_db()
    assert line.amount == D("200.00")


def test_resuming_sends_only_the_chunks_not_done(paid_scheme, union_staff, monkeypatch):
    sent = []
    monkeypatch.setattr(payout_dispatch, "send_chunks", lambda ids, queue=None: sent.append(ids))
    run = start(chunk_size=1)
    done = run.chunks.order_by("number").first()
    payout_calculation.payout_chunk_compute(chunk_id=done.pk)

    payouts.payout_run_resume(run=run, actor=union_staff)

    assert sent[-1] == list(
        run.chunks.exclude(pk=done.pk).order_by("number").values_list("pk", flat=True)
    )
    assert AuditRecord.objects.filter(action="payout_run.resume").count() == 1


def test_a_run_without_progress_for_ten_minutes_is_stuck(paid_scheme):
    run = start()
    now = timezone.now()

    run.progressed_at = now - timedelta(minutes=9)
    assert payouts.is_stuck(run, now=now) is False
    run.progressed_at = now - timedelta(minutes=11)
    assert payouts.is_stuck(run, now=now) is True


def test_held_lines_are_carried_into_the_next_run_when_the_budget_allows(union_staff, union_staff2):
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programmes=[programme])
    budget = BudgetFactory(scheme=scheme, amount=D("200.00"))
    early, late = MemberFactory(), MemberFactory()
    for member, begun in ((early, date(2026, 1, 1)), (late, date(2026, 2, 1))):
        account(member=member)
        enrolment = enrol(
            programme=programme, applicant=member, start=begun, end=date(2026, 10, 31)
        )
        attendance(enrolment, 18)
    october = payouts.payout_run_approve(run=compute(start(actor=union_staff)), actor=union_staff2)
    held = october.lines.get(status="held_budget")
    Budget.objects.filter(pk=budget.pk).update(amount=D("400.00"))

    november = compute(start(period=date(2026, 11, 1), actor=union_staff))
    payouts.payout_run_approve(run=november, actor=union_staff2)

    assert held.member == late
    assert list(november.lines.values_list("subject", "amount", "status", "adjusts")) == [
        (f"line:{held.pk}", D("200.00"), "payable", held.pk)
    ]
    held.refresh_from_db()
    assert held.status == "carried"
