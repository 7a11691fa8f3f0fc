"""Query counts are pinned: exact on small data, the same with 1 and with 30 rows behind every
figure, and the whole dashboard within 30 queries. A change to a pinned count is a decision:
update the number here and say why."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reports.selectors.rows import SOURCES
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.reports.builders import QUERY, world

pytestmark = pytest.mark.django_db
DASHBOARD_MOST = 30
# Measured on the small world: session and user, the figures, the filters' choices.
DASHBOARD_QUERIES = 19
API_QUERIES = 15


def queries(client, path: str, params=QUERY) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(captured)


def counts(client, paths: list[str]) -> dict[str, int]:
    return {path: queries(client, path) for path in paths}


def test_the_dashboard_and_its_rows_cost_the_same_queries_with_1_and_30_rows(client, union_staff):
    client.force_login(union_staff)
    paths = ["/dashboard/", *[f"/dashboard/rows/{figure}/" for figure in SOURCES]]
    world(1)
    queries(client, "/dashboard/")  # warm per-process caches
    with_one = counts(client, paths)

    world(29)

    assert counts(client, paths) == with_one
    assert with_one["/dashboard/"] == DASHBOARD_QUERIES <= DASHBOARD_MOST


def test_the_api_costs_the_same_queries_with_1_and_30_rows(api_client, union_staff):
    api_client.force_authenticate(union_staff)
    world(1)
    with_one = queries(api_client, "/api/v1/reports/")

    world(29)

    assert queries(api_client, "/api/v1/reports/") == with_one == API_QUERIES


@pytest.mark.parametrize(("path", "pinned"), [("/employer/figures/", 15), ("/centre/figures/", 12)])
def test_the_organisation_pages_cost_the_same_queries_with_1_and_30_rows(client, path, pinned):
    first = world(1)
    centre = first.settings[0].centre
    if path.startswith("/employer/"):
        client.force_login(EmployerAdminFactory(employer=first.employer).user)
    else:
        client.force_login(CentreAdminFactory(centre=centre).user)
    queries(client, path)
    with_one = queries(client, path)

    world(29, employer=first.employer, centre=centre)

    assert queries(client, path) == with_one == pinned
