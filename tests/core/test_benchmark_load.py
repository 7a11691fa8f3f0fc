"""`manage.py benchmark load`: gunicorn driven by concurrent parents, then bare /healthz."""

import importlib

import pytest
from django.apps import apps
from django.conf import global_settings

from apps.core.benchmarks import load
from apps.core.management.commands.benchmark import discover

KEYS = {"clients", "seconds", "requests", "rps", "p50_ms", "p95_ms", "errors", "healthz_rps"}


def test_the_load_benchmark_is_registered_with_its_options():
    flags = [flag for flag, _kwargs in discover()["load"].arguments]

    assert {"--clients", "--seconds"} <= set(flags)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_reports_the_issue_figures_without_errors(settings):
    # The gunicorn child checks passwords with the project's hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    # Transactional tests empty every table, the areas of the data migration included.
    importlib.import_module("apps.core.migrations.0002_load_areas").load_areas(apps, None)

    figures = load(clients=2, seconds=2, think_ms=100, workers=1, threads=2)

    assert set(figures) >= KEYS, figures
    assert figures["clients"] == 2
    assert figures["errors"] == 0, figures.get("error_samples")
    assert figures["healthz_errors"] == 0, figures.get("error_samples")
    assert figures["saturated_errors"] == 0, figures.get("error_samples")
    assert figures["saturated_rps"] > 0
    assert figures["requests"] > 0
    assert figures["rps"] > 0
    assert figures["healthz_rps"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]
