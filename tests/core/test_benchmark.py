"""`manage.py benchmark NAME`: one JSON line on stdout, in a database of its own, dropped after."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from apps.core.management.commands.benchmark import discover, peak_rss_mb
from tests.conftest import ROOT, subprocess_env


def run_benchmark(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "benchmark", *args],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def database_exists(name: str, blocker) -> bool:
    with blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_benchmarks_are_found_in_the_apps_with_their_options():
    benchmarks = discover()

    assert "roster_import" in benchmarks
    assert [flag for flag, _kwargs in benchmarks["roster_import"].arguments] == ["--rows"]


def test_peak_rss_is_reported_in_megabytes():
    assert 10 < peak_rss_mb() < 4096


@pytest.mark.slow
def test_roster_import_benchmark_prints_one_json_line_and_drops_its_database(django_db_blocker):
    result = run_benchmark("roster_import", "--rows", "40")

    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert set(figures) == {"rows", "seconds", "peak_rss_mb"}
    assert figures["rows"] == 40
    assert 0 < figures["seconds"] < 10
    assert figures["peak_rss_mb"] > 10
    bench = f"{settings.DATABASES['default']['NAME']}_bench"
    assert not database_exists(bench, django_db_blocker)


def test_an_unknown_benchmark_is_refused_with_the_known_names():
    result = run_benchmark("no_such_thing")

    assert result.returncode != 0
    assert result.stdout == ""
    assert "roster_import" in result.stderr
