"""The evaluation on a real Celery worker process, and the benchmark's own worker."""

import json
from functools import partial

import pytest
from django.core.management import call_command

from apps.core.models import Area
from apps.pilots.benchmarks import run
from apps.pilots.models import EvaluationRound, UnitResult
from apps.pilots.tasks import evaluate_round
from tests.pilots.factories import scored_unit, scoring_round, sheet

pytestmark = [pytest.mark.worker, pytest.mark.slow]


@pytest.fixture(autouse=True)
def area(transactional_db):
    # An earlier transactional test's flush may have emptied the areas the migration loaded.
    return Area.objects.get_or_create(
        code="JD01", defaults={"name": "永顺街道", "kind": "subdistrict", "sort_order": 1}
    )[0]


def test_evaluate_pilots_waits_for_the_result_from_a_real_worker(
    celery_worker, monkeypatch, capsys
):
    worker = celery_worker()
    monkeypatch.setattr(
        evaluate_round, "apply_async", partial(evaluate_round.apply_async, queue=worker.queue)
    )
    pilot_round = scoring_round(places=1)
    top = scored_unit(pilot_round, [sheet(9, 9, 9, 9, 4)] * 3)
    second = scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 5)

    call_command("evaluate_pilots", "--round", str(pilot_round.pk), "--wait", "--timeout", "60")

    printed = json.loads(capsys.readouterr().out)
    assert {k: printed[k] for k in ("status", "units", "recommended")} == {
        "status": "evaluated",
        "units": 2,
        "recommended": 1,
    }
    assert EvaluationRound.objects.get(pk=pilot_round.pk).status == "evaluated"
    assert list(
        UnitResult.objects.filter(round=pilot_round).values_list("application", "rank")
    ) == [
        (top.pk, 1),
        (second.pk, 2),
    ]


def test_the_benchmark_evaluates_on_its_own_worker_and_reports_its_figures(transactional_db):
    figures = run({"units": 12, "reviewers": 5})

    assert set(figures) == {"units", "reviewers", "items", "seconds", "queries", "peak_rss_mb"}
    assert (figures["units"], figures["reviewers"], figures["items"]) == (12, 5, 20)
    assert 0 < figures["seconds"] < 30
    assert 0 < figures["queries"] <= 20
    assert figures["peak_rss_mb"] > 10
