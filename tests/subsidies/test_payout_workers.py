"""Payout runs on real connections and real Celery workers: repeated deliveries, several workers,
and a worker killed in the middle of a run."""

import time
from datetime import date

import pytest

from apps.subsidies.models import PayoutChunk, PayoutLine, PayoutRun
from apps.subsidies.services import payout_calculation, payout_dispatch, payouts
from apps.subsidies.services.payout_population import seed_population
from tests.subsidies.test_payout_support import PERIOD, compute, in_threads, line_snapshot

DB = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_sending(monkeypatch):
    monkeypatch.setattr(payout_dispatch, "send_chunks", lambda *args, **kwargs: None)
    monkeypatch.setattr(payout_dispatch, "send_finalize", lambda *args, **kwargs: None)


def _reference() -> tuple[list, tuple]:
    """The lines and totals of an uninterrupted run computed in this process, then cancelled so
    the period can be run again on the workers."""
    run, _created = payouts.payout_run_start(kind="monthly", period=PERIOD, actor=None, send=False)
    run = compute(run)
    expected = (line_snapshot(run), (run.total_amount, run.held_amount))
    payouts.payout_run_cancel(run=run, actor=None, reason="reference run")
    return expected


def _wait_until(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _chunks_computed(worker, run: PayoutRun) -> int:
    """How many of the run's chunks this worker computed, from its log (one JSON line each)."""
    lines = worker.log_path.read_text(errors="replace").splitlines()
    return sum(
        1 for line in lines if '"payout chunk computed"' in line and f'"run": {run.pk},' in line
    )


def _calculated(run: PayoutRun) -> bool:
    run.refresh_from_db()
    return run.status == PayoutRun.Status.CALCULATED


@DB
def test_the_same_chunk_delivered_three_times_at_once_writes_its_lines_once(no_sending):
    seed_population(children=60, period=PERIOD, tag="thrice")
    run, _created = payouts.payout_run_start(kind="monthly", period=PERIOD, actor=None)
    chunk = run.chunks.get(kind="enrolments")

    written = in_threads(lambda: payout_calculation.payout_chunk_compute(chunk_id=chunk.pk), 3)

    run.refresh_from_db()
    assert sorted(written) == [0, 0, PayoutLine.objects.filter(run=run).count()]
    assert run.chunks_done == 1
    assert PayoutChunk.objects.get(pk=chunk.pk).lines == max(written)


@DB
def test_starting_the_same_period_twice_at_once_makes_one_run(no_sending):
    seed_population(children=20, period=PERIOD, tag="twice")

    def begin():
        run, _created = payouts.payout_run_start(kind="monthly", period=PERIOD, actor=None)
        return run.pk

    first, second = in_threads(begin, 2)

    assert first == second
    assert PayoutRun.objects.count() == 1


@pytest.mark.worker
@DB
def test_two_real_workers_compute_the_same_lines_as_one_process(celery_worker):
    seed_population(children=800, period=PERIOD, tag="pair")
    expected = _reference()
    queue = "payouts-pair"
    workers = [celery_worker(queue=queue), celery_worker(queue=queue)]

    run, _created = payouts.payout_run_start(
        kind="monthly", period=PERIOD, actor=None, chunk_size=50, queue=queue
    )
    _wait_until(lambda: _calculated(run))

    assert (line_snapshot(run), (run.total_amount, run.held_amount)) == expected
    assert len(set(run.chunks.values_list("done_at", flat=True))) == run.chunks_total
    computed = [_chunks_computed(worker, run) for worker in workers]
    assert min(computed) > 0, f"one worker did all the chunks: {computed}"
    assert sum(computed) == run.chunks_total


@pytest.mark.worker
@DB
def test_a_worker_killed_mid_run_is_resumed_to_exactly_the_uninterrupted_totals(celery_worker):
    seed_population(children=1500, period=PERIOD, tag="killed")
    expected = _reference()
    queue = "payouts-killed"
    worker = celery_worker(queue=queue)
    run, _created = payouts.payout_run_start(
        kind="monthly", period=PERIOD, actor=None, chunk_size=50, queue=queue
    )

    _wait_until(lambda: PayoutRun.objects.get(pk=run.pk).chunks_done >= 3)
    worker.stop(kill=True)
    run.refresh_from_db()
    assert run.status == "calculating"
    assert 3 <= run.chunks_done < run.chunks_total

    celery_worker(queue=queue)
    payouts.payout_run_resume(run=run, actor=None, queue=queue)
    _wait_until(lambda: _calculated(run))

    assert (line_snapshot(run), (run.total_amount, run.held_amount)) == expected
    lines = PayoutLine.objects.filter(run=run)
    assert lines.count() == lines.values("scheme", "subject").distinct().count()
    assert run.chunks_done == run.chunks_total == run.chunks.filter(done_at__isnull=False).count()


@pytest.mark.worker
@DB
def test_run_payouts_wait_follows_a_run_on_a_real_worker_to_the_end(celery_worker):
    from io import StringIO

    from django.core.management import call_command

    seed_population(children=200, period=date(2026, 10, 1), tag="command")
    celery_worker(queue="payouts-command")
    out = StringIO()

    call_command(
        "run_payouts", "--period", "2026-10", "--wait", "--queue", "payouts-command", stdout=out
    )

    run = PayoutRun.objects.get()
    assert run.status == "calculated"
    assert out.getvalue().splitlines()[-1] == (
        f"Payout run {run.pk} (monthly 2026-10): calculated, {run.chunks_total}/"
        f"{run.chunks_total} chunks, payable {run.total_amount}, held {run.held_amount}."
    )
