import pytest

from apps.admissions.benchmarks import admissions
from apps.admissions.models import Application
from apps.core.management.commands.benchmark import discover

pytestmark = pytest.mark.django_db

KEYS = {"list_p50_ms", "list_p95_ms", "apply_p50_ms", "apply_p95_ms", "list_queries"}
KEYS |= {"apply_queries"}


def test_admissions_benchmark_is_registered_with_its_options():
    spec = discover()["admissions"]

    assert [flag for flag, _ in spec.arguments] == ["--programmes", "--applications", "--requests"]


def test_admissions_benchmark_reports_its_figures_on_a_small_city():
    figures = admissions(programmes=100, applications=500, requests=5)

    assert set(figures) >= KEYS
    assert all(figures[key] > 0 for key in KEYS)
    assert figures["list_queries"] <= 10
    # Issue 6 asks 15: joining the waiting list or taking a place at once, with BEGIN/COMMIT,
    # the token and the Idempotency-Key's response (see test_apply_queries).
    assert figures["apply_queries"] <= 15
    # 500 generated, then one per timed apply and per warm-up apply.
    assert Application.objects.count() == 500 + 5 + 5
