"""`benchmark pilots`: evaluate 1,000 units × 5 reviewers × 20 items on a real Celery worker.

Builds the round in the database the benchmark runs against (a separate one), starts
`celery -A qianan_tuoyu worker` as a subprocess on its own queue against that database, times
the evaluation from enqueue to result, and reads the worker process tree's peak RSS (VmHWM).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.management.commands.benchmark import benchmark, database_url
from apps.core.models import Area
from apps.employers.models import Employer

from .models import Application, EvaluationRound, ItemScore, Level, ReviewerAssignment, RubricItem
from .services import (
    evaluation_problems,
    round_create,
    round_open_applications,
    round_open_scoring,
)

DEFAULTS = {"units": 1000, "reviewers": 5, "seed": 2026}
WORKER_READY_SECONDS = 60
RESULT_TIMEOUT_SECONDS = 300


def _build(units: int, reviewers: int, seed: int) -> EvaluationRound:
    """A round in scoring with every sheet submitted, written in bulk (setup is not timed)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    tag = uuid.uuid4().hex[:6].upper()
    area = Area.objects.order_by("sort_order").first() or Area.objects.create(
        code="BENCH", name="基准测试区域", kind=Area.Kind.TOWN
    )
    with transaction.atomic():
        employers = Employer.objects.bulk_create(
            Employer(
                name=f"基准单位{tag}-{n}",
                credit_code=f"B{tag}{n:011d}"[:18],
                kind=Employer.Kind.ENTERPRISE,
                address="迁安市",
                area=area,
                status="approved",
            )
            for n in range(units)
        )
        accounts = User.objects.bulk_create(
            User(username=f"bench-{tag}-{n}", role=Role.REVIEWER, password=make_password(None))
            for n in range(reviewers)
        )
        taken = set(
            EvaluationRound.objects.filter(level=Level.QIANAN).values_list("year", flat=True)
        )
        year = next(y for y in range(2000, 2101) if y not in taken)
        pilot_round = round_create(
            actor=None,
            year=year,
            level=Level.QIANAN,
            places=max(1, units // 100),
            title=f"benchmark {tag}",
            applications_open_on=today - timedelta(days=60),
            applications_close_on=today - timedelta(days=30),
            scoring_opens_on=today - timedelta(days=29),
            scoring_closes_on=today,
        )
        round_open_applications(round=pilot_round, actor=None)
        applications = Application.objects.bulk_create(
            Application(round=pilot_round, employer=employer) for employer in employers
        )
        sheets = ReviewerAssignment.objects.bulk_create(
            ReviewerAssignment(application=application, reviewer=reviewer)
            for application in applications
            for reviewer in accounts
        )
        pilot_round = round_open_scoring(round=pilot_round, actor=None)
        items = list(RubricItem.objects.filter(round=pilot_round))
        ItemScore.objects.bulk_create(
            (
                ItemScore(
                    assignment=sheet,
                    item=item,
                    score=Decimal(rng.randint(0, int(item.max_score * 2))) / 2,
                )
                for sheet in sheets
                for item in items
            ),
            batch_size=5000,
        )
        ReviewerAssignment.objects.filter(application__round=pilot_round).update(
            submitted_at=timezone.now()
        )
    return pilot_round


def _tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _peak_rss_mb(pid: int) -> float:
    """Sum of each process's high-water resident set (VmHWM): an upper bound on the tree's."""
    total_kb = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


class _Worker:
    def __init__(self, queue: str):
        from qianan_tuoyu.celery import app

        self.app, self.queue = app, queue
        self.node = f"bench-{uuid.uuid4().hex[:8]}@localhost"
        env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}
        celery = str(Path(sys.executable).parent / "celery")
        # The command line is built here from our own constants and a generated queue name.
        self.process = subprocess.Popen(  # noqa: S603
            [
                celery,
                *("-A", "qianan_tuoyu", "worker", "-Q", queue, "-n", self.node),
                *("--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the benchmark worker exited before answering a ping")
            if self.app.control.ping(destination=[self.node], timeout=0.5):
                return
        raise RuntimeError("the benchmark worker did not answer a ping")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run(options: dict) -> dict:
    """Build the data, evaluate on a real worker, return the figures the issue names."""
    from .tasks import evaluate_round

    options = {**DEFAULTS, **{k: v for k, v in (options or {}).items() if v is not None}}
    units, reviewers = int(options["units"]), int(options["reviewers"])
    pilot_round = _build(units, reviewers, int(options["seed"]))
    problem = evaluation_problems(pilot_round)
    if problem is not None:
        raise RuntimeError(problem.message)
    worker = _Worker(queue=f"bench-{uuid.uuid4().hex[:8]}")
    try:
        worker.wait_ready()
        started = time.perf_counter()
        result = evaluate_round.apply_async(args=[pilot_round.pk], queue=worker.queue)
        summary = result.get(timeout=RESULT_TIMEOUT_SECONDS)
        seconds = time.perf_counter() - started
        peak = _peak_rss_mb(worker.process.pid)
    finally:
        worker.stop()
    if summary.get("status") != "evaluated":
        raise RuntimeError(f"evaluation refused: {summary.get('message')}")
    return {
        "units": summary["units"],
        "reviewers": reviewers,
        "items": RubricItem.objects.filter(round=pilot_round).count(),
        "seconds": round(seconds, 3),
        "queries": summary["queries"],
        "peak_rss_mb": peak,
    }


@benchmark(
    "pilots",
    help="Evaluate a round of 1,000 units × 5 reviewers × 20 items on a real Celery worker.",
    arguments=[
        ("--units", {"type": int, "default": DEFAULTS["units"], "help": "units in the round"}),
        ("--reviewers", {"type": int, "default": DEFAULTS["reviewers"], "help": "per unit"}),
        ("--seed", {"type": int, "default": DEFAULTS["seed"], "help": "for the random scores"}),
    ],
)
def pilots(*, units: int, reviewers: int, seed: int, **options) -> dict:
    return run({"units": units, "reviewers": reviewers, "seed": seed})
