"""The dashboard benchmark builds consistent data and reports its three figures (run small)."""

import pytest

from apps.admissions.models import Enrolment
from apps.reports.benchmarks import dashboard

pytestmark = pytest.mark.django_db


def test_the_dashboard_benchmark_reports_enrolments_time_and_queries():
    figures = dashboard(enrolments=40, runs=2)

    assert set(figures) == {"enrolments", "median_ms", "queries"}
    assert figures["enrolments"] == Enrolment.objects.count() == 40
    assert Enrolment.objects.filter(status="active").count() == 10
    assert 0 < figures["queries"] <= 30
    assert figures["median_ms"] > 0
