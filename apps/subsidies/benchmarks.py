"""`manage.py benchmark payouts --children 100000`: a monthly payout run on a real Celery worker,
against the floor (the same SQL as one INSERT ... SELECT per statement over all ids, in one
transaction) and against a naive per-child ORM loop (measured on a sample, scaled)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from apps.admissions.models import Attendance, Enrolment
from apps.core.management.commands.benchmark import benchmark, database_url

from . import rules
from .models import BankAccount, PayoutLine, PayoutRun
from .services.payout_calculation import CHUNK_SIZE
from .services.payout_population import seed_population
from .services.payout_sql import chunk_statements, month_params
from .services.payouts import payout_run_start

ROOT = Path(__file__).resolve().parent.parent.parent
ALL_IDS = {"first_id": 0, "last_id": 2**62}


class Worker:
    """A `celery worker` process (concurrency 1) on its own queue, against this database."""

    def __init__(self) -> None:
        from qianan_tuoyu.celery import app

        self.app, self.queue = app, f"bench-{uuid.uuid4().hex[:8]}"
        self.node = f"{self.queue}@localhost"
        command = [str(Path(sys.executable).parent / "celery"), "-A", "qianan_tuoyu", "worker"]
        command += ["-Q", self.queue, "-n", self.node, "--concurrency=1", "--loglevel=WARNING"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        env = {**os.environ, "DATABASE_URL": database_url()}
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's celery, fixed arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not self.app.control.ping(destination=[self.node], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise CommandError("the benchmark's Celery worker did not start")

    def tree_peak_mb(self) -> float:
        """Peak resident memory of the worker and its pool processes (their VmHWM), in MB."""
        pids, total = _descendants(self.process.pid), 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        return round(total / 1024, 1)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _run_on_worker(period, chunk_size: int) -> tuple[PayoutRun, float, float]:
    worker = Worker()
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], worker.tree_peak_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        sampler.start()
        started = time.perf_counter()
        run, _created = payout_run_start(
            kind="monthly", period=period, actor=None, chunk_size=chunk_size, queue=worker.queue
        )
        while run.status == PayoutRun.Status.CALCULATING:
            time.sleep(0.02)
            run.refresh_from_db(fields=["status", "chunks_done"])
        seconds = time.perf_counter() - started
        peak[0] = max(peak[0], worker.tree_peak_mb())
    finally:
        done.set()
        worker.stop()
    return run, seconds, peak[0]


def _scratch_run(run: PayoutRun) -> PayoutRun:
    """A cancelled run with the same schemes, to write comparison lines under (rolled back)."""
    scratch = PayoutRun.objects.create(kind=run.kind, period=run.period, status="cancelled")
    scratch.schemes.set(run.schemes.all())
    return scratch


DIFFERENCE_SQL = """
WITH a AS (SELECT scheme_id, subject, amount, status FROM subsidies_payoutline
           WHERE run_id = %(a)s),
     b AS (SELECT scheme_id, subject, amount, status FROM subsidies_payoutline
           WHERE run_id = %(b)s)
SELECT count(*) FROM ((TABLE a EXCEPT TABLE b) UNION ALL (TABLE b EXCEPT TABLE a)) difference
"""


def _floor(run: PayoutRun) -> float:
    """The same statements, each once over every id, in one transaction, with the same unique
    and foreign-key checks; checked to give the very lines the run gave, then rolled back."""
    with transaction.atomic():
        scratch = _scratch_run(run)
        params = {"run": scratch.pk, "run_kind": run.kind, "grant_limit": rules.UNIT_GRANT_LIMIT}
        params |= {**month_params(run.period), **ALL_IDS}
        with connection.cursor() as cursor:
            # The run's chunks commit, so they pay the deferred foreign-key checks; the floor,
            # rolled back, would skip them: check each row as it is written instead.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            for chunk_kind in ("enrolments", "agreements", "carried"):
                for scheme_kind, sql in chunk_statements(chunk_kind):
                    cursor.execute(sql, {**params, "kind": scheme_kind})
            seconds = time.perf_counter() - started
            cursor.execute(DIFFERENCE_SQL, {"a": run.pk, "b": scratch.pk})
            differences = cursor.fetchone()[0]
        transaction.set_rollback(True)
    if differences:
        raise CommandError(f"the floor's lines differ from the run's in {differences} places")
    return seconds


def _naive_line(run, scheme, enrolment, attendance, account) -> PayoutLine:
    amount = enrolment.employer_part if scheme.kind == "employer_fee_part" else None
    due = rules.monthly_subsidy_due(
        amount if amount is not None else enrolment.subsidy_amount,
        period=run.period,
        start=enrolment.start_date,
        end=enrolment.end_date,
        days_attended=attendance.days_attended if attendance else None,
        prorate=scheme.prorate_by_days,
        hold_without_attendance=scheme.hold_without_attendance,
        zero_attendance_pays_nothing=scheme.zero_attendance_pays_nothing,
    )
    status = due.status if due.status != "payable" or account else "held_account"
    return PayoutLine(
        run=run,
        scheme=scheme,
        subject=f"enrolment:{enrolment.pk}",
        enrolment=enrolment,
        payee_kind="parent",
        member_id=enrolment.application.applicant_id,
        centre_id=enrolment.centre_id,
        bank_account=account,
        funder=scheme.funder,
        amount=due.amount,
        days_enrolled=due.days_enrolled,
        days_in_month=due.days_in_month,
        status=status,
        starts_on=enrolment.start_date,
    )


def _naive(run: PayoutRun, sample: int) -> float:
    """What a per-child loop costs: a few ORM queries and one INSERT per child and scheme."""
    with transaction.atomic():
        scratch = _scratch_run(run)
        first, last = month_params(run.period)["first_day"], month_params(run.period)["last_day"]
        ids = list(
            Enrolment.objects.filter(start_date__lte=last)
            .exclude(end_date__lt=first)
            .order_by("pk")
            .values_list("pk", flat=True)[:sample]
        )
        started = time.perf_counter()
        for enrolment_id in ids:
            enrolment = Enrolment.objects.select_related("application").get(pk=enrolment_id)
            attendance = Attendance.objects.filter(enrolment=enrolment, month=first).first()
            account = BankAccount.objects.filter(
                member_id=enrolment.application.applicant_id, is_current=True, status="checked"
            ).first()
            for scheme in scratch.schemes.filter(programmes=enrolment.programme_id):
                _naive_line(scratch, scheme, enrolment, attendance, account).save()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


@benchmark(
    "payouts",
    help="A monthly payout run on a real worker, against the SQL floor and a naive ORM loop.",
    arguments=[
        ("--children", {"type": int, "default": 100_000, "help": "children enrolled"}),
        ("--chunk-size", {"type": int, "default": CHUNK_SIZE, "help": "enrolments per chunk"}),
        ("--naive-sample", {"type": int, "default": 2000, "help": "children timed naively"}),
    ],
)
def payouts(*, children: int, chunk_size: int, naive_sample: int) -> dict:
    period = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    seed_population(children=children, period=period)
    run, seconds, peak = _run_on_worker(period, chunk_size)
    if run.status != PayoutRun.Status.CALCULATED:
        raise CommandError(f"the run ended {run.status}")
    floor = _floor(run)
    sample = min(naive_sample, children)
    naive = _naive(run, sample) * children / sample
    return {
        "children": children,
        "lines": run.lines.count(),
        "chunks": run.chunks_total,
        "seconds": round(seconds, 2),
        "floor_seconds": round(floor, 2),
        "ratio_to_floor": round(seconds / floor, 2),
        "naive_seconds": round(naive, 1),
        "speedup_vs_naive": round(naive / seconds, 1),
        "peak_rss_mb": peak,
        "worker_peak_rss_mb": peak,
    }
