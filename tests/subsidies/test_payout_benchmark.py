"""`manage.py benchmark payouts`: seeds a population into its own database, runs the payout on a
real worker, checks the floor's lines are the run's, and prints one JSON line of figures."""

import json

import pytest
from django.conf import settings

from tests.core.test_benchmark import database_exists, run_benchmark

FIGURES = {
    "children",
    "lines",
    "chunks",
    "seconds",
    "floor_seconds",
    "ratio_to_floor",
    "naive_seconds",
    "speedup_vs_naive",
    "peak_rss_mb",
    "worker_peak_rss_mb",
}


@pytest.mark.slow
@pytest.mark.worker
def test_the_payout_benchmark_prints_its_figures_in_one_json_line(django_db_blocker):
    result = run_benchmark(
        "payouts", "--children", "400", "--chunk-size", "100", "--naive-sample", "40"
    )

    assert result.returncode == 0, result.stderr[-2000:]
    [line] = result.stdout.splitlines()
    figures = json.loads(line)
    assert set(figures) == FIGURES
    assert figures["children"] == 400
    # A child brings a subsidy line and an employer-part line (a worker's second child only
    # the latter): more lines than children.
    assert figures["lines"] > figures["children"]
    assert figures["chunks"] >= 4
    assert figures["seconds"] > 0 and figures["floor_seconds"] > 0
    assert figures["worker_peak_rss_mb"] > 10
    bench = f"{settings.DATABASES['default']['NAME']}_bench"
    assert not database_exists(bench, django_db_blocker)
