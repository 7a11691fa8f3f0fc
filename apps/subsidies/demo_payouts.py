"""Demo payout runs over the demo enrolments, made through the services: the month before last
paid (approved by a second staff member, exported, and the bank's return imported), last month
approved, and this month's unit-grant round calculated. Idempotent: a period that has a live run
is only moved on to the state it should have. The subsidies demo (demo.py) calls `seed` last,
so `seed_demo` makes these runs.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import User
from apps.core.spreadsheets import write_xlsx

from .models import PayoutRun
from .services import payout_bank, payout_calculation, payouts

Status = PayoutRun.Status
ORDER = [Status.CALCULATING, Status.CALCULATED, Status.APPROVED, Status.EXPORTED, Status.PAID]


def _months_back(month: date, months: int) -> date:
    for _n in range(months):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _computed(kind: str, period: date, starter) -> PayoutRun | None:
    if not payouts.applicable_schemes(kind, period).exists():
        return None
    run, _created = payouts.payout_run_start(kind=kind, period=period, actor=starter, send=False)
    for chunk_id in run.chunks.filter(done_at__isnull=True).values_list("pk", flat=True):
        payout_calculation.payout_chunk_compute(chunk_id=chunk_id)
    payout_calculation.payout_run_finalize(run_id=run.pk)
    run.refresh_from_db()
    return run


def _bank_return(run: PayoutRun, actor) -> None:
    """The bank paid every row it was sent."""
    rows = [
        [group["reference"], group["amount"]]
        for funder in payout_bank.funders(run)
        for group in payout_bank.sheet_groups(run, funder)
    ]
    upload = SimpleUploadedFile("回单.xlsx", write_xlsx(["明细编号", "金额"], rows))
    payout_bank.payout_run_bank_return(run=run, upload=upload, actor=actor)


def _advance(run: PayoutRun, target: str, starter, approver) -> PayoutRun:
    if ORDER.index(run.status) < ORDER.index(Status.APPROVED) <= ORDER.index(target):
        run = payouts.payout_run_approve(run=run, actor=approver)
    if ORDER.index(run.status) < ORDER.index(Status.EXPORTED) <= ORDER.index(target):
        run = payouts.payout_run_export(run=run, actor=starter)
    if ORDER.index(run.status) < ORDER.index(Status.PAID) <= ORDER.index(target):
        _bank_return(run, starter)
        run.refresh_from_db()
    return run


def seed(*, stdout) -> None:
    starter = User.objects.filter(username="union_staff").first()
    approver = User.objects.filter(username="union_staff2").first()
    if starter is None or approver is None:
        stdout.write("  payout runs skipped: the demo staff accounts are missing")
        return
    this_month = timezone.localdate().replace(day=1)
    plan = [
        (PayoutRun.Kind.MONTHLY, _months_back(this_month, 2), Status.PAID),
        (PayoutRun.Kind.MONTHLY, _months_back(this_month, 1), Status.APPROVED),
        (PayoutRun.Kind.GRANT_ROUND, this_month, Status.CALCULATED),
    ]
    made = []
    for kind, period, target in plan:
        run = _computed(kind, period, starter)
        if run is None:
            stdout.write(f"  {kind} {period:%Y-%m}: no scheme pays it (run the subsidies demo)")
            continue
        run = _advance(run, target, starter, approver)
        made.append(f"{run.get_kind_display()} {period:%Y-%m} {run.status} ({run.total_amount})")
    stdout.write(f"  payout runs: {'; '.join(made)}")
