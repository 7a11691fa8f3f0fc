"""The dashboard, its lists of rows and the employer's and centre's figure pages."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Sum

from apps.accounts.models import Role
from apps.core.models import Area
from tests.accounts.factories import UserFactory
from tests.admissions.factories import PlaceAgreementFactory
from tests.centres.factories import CentreAdminFactory, CentreFactory
from tests.employers.factories import EmployerAdminFactory
from tests.reports.builders import QUERY, caring_centre, world

pytestmark = pytest.mark.django_db

# How each headline figure follows from the rows its link lists.
FROM_ROWS = {
    "federation_staff": lambda rows: rows.aggregate(n=Sum("federation_staff_count"))["n"],
    "class_places_free": lambda rows: sum(row.places_free for row in rows),
    "places_bought": lambda rows: rows.aggregate(n=Sum("places"))["n"],
    "places_used": lambda rows: rows.aggregate(n=Sum("places_taken"))["n"],
    "places_vacant": lambda rows: sum(row.places_free for row in rows),
    "median_waiting_days": None,  # a median, checked in test_figures
    "children_enrolled": lambda rows: len({row.child_id for row in rows}),
    "subsidy_paid": lambda rows: rows.aggregate(n=Sum("amount"))["n"],
    "budget": lambda rows: rows.aggregate(n=Sum("amount"))["n"],
    "pilot_units": lambda rows: len({row.application.employer_id for row in rows}),
    "care_classes": lambda rows: rows.count(),
}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def cards(response) -> list:
    return [card for section in response.context["sections"] for card in section.cards]


def test_every_headline_figure_links_to_the_rows_it_counts(staff_client):
    world(3)

    response = staff_client.get("/dashboard/", QUERY)

    assert response.status_code == 200
    found = cards(response)
    assert len(found) == 19
    for card in found:
        rows_page = staff_client.get(card.link)
        assert rows_page.status_code == 200, card.key
        rows = rows_page.context["page"].paginator.object_list
        count = FROM_ROWS.get(card.key, lambda rows: rows.count())
        if count is not None:
            assert Decimal(card.value) == Decimal(count(rows)), card.key


def test_links_keep_the_dashboards_filters(staff_client):
    area = Area.objects.order_by("sort_order").first()

    response = staff_client.get("/dashboard/", {**QUERY, "area": area.pk})

    link = next(card.link for card in cards(response) if card.key == "places_bought")
    assert urlsplit(link).path == "/dashboard/rows/place-agreements/"
    assert parse_qs(urlsplit(link).query) == {
        "period_start": ["2025-01"],
        "period_end": ["2025-06"],
        "area": [str(area.pk)],
    }


def test_a_table_cell_lists_exactly_its_rows(staff_client):
    setting = caring_centre()
    PlaceAgreementFactory(programme=setting.programme, centre=setting.centre, places=6)
    PlaceAgreementFactory(programme=setting.programme, places=2)

    response = staff_client.get("/dashboard/", QUERY)

    vacancy = next(t["table"] for t in response.context["tables"] if t["table"].key == "vacancy")
    first = vacancy.rows[0]
    assert (first[0].value, first[3].value) == (setting.centre.name, 6)
    rows = staff_client.get(first[3].link).context["page"].paginator.object_list
    assert [a.centre_id for a in rows] == [setting.centre.pk]


def test_the_dashboard_draws_each_chart_with_a_table_beside_it(staff_client):
    world(1)

    response = staff_client.get("/dashboard/", QUERY)

    html = response.content.decode()
    charted = [t for t in response.context["tables"] if t["chart"]]
    assert [t["table"].key for t in charted] == ["trend", "programmes", "vacancy"]
    for item in charted:
        assert f'data-chart="{item["chart_id"]}"' in html
        assert f'<script id="{item["chart_id"]}" type="application/json">' in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "cdn" not in html.lower()
    trend = charted[0]
    assert '<th scope="col" class="num">服务人次</th>' in html
    assert '<td data-label="服务人次" class="num">' in html
    months = trend["chart"]["xAxis"]["data"]
    assert months == [row[0].value for row in trend["table"].rows]


def test_bad_filters_show_the_reason_with_a_400(staff_client):
    response = staff_client.get("/dashboard/", {"period_start": "2025-13"})

    assert response.status_code == 400
    assert response.context["errors"].keys() == {"period_start"}


def test_a_rows_page_refuses_a_value_its_filter_cannot_take(staff_client):
    response = staff_client.get("/dashboard/rows/applications/", {**QUERY, "state": "lost"})

    assert response.status_code == 400
    assert response.context["errors"].keys() == {"state"}


def test_an_unknown_list_of_rows_is_not_found(staff_client):
    assert staff_client.get("/dashboard/rows/salaries/").status_code == 404


def test_rows_are_paged(staff_client):
    setting = caring_centre()
    for _ in range(51):
        PlaceAgreementFactory(programme=setting.programme, centre=setting.centre, places=1)

    first = staff_client.get("/dashboard/rows/place-agreements/", QUERY)
    second = staff_client.get("/dashboard/rows/place-agreements/", {**QUERY, "page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 1)
    assert '<th scope="col">购买</th>' in first.content.decode()
    assert '<td data-label="购买" class="">1</td>' in second.content.decode()


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/rows/programmes/", "/dashboard/export/trend.xlsx"]
)
def test_staff_pages_send_a_visitor_to_sign_in_and_refuse_other_roles(client, path):
    assert client.get(path).status_code == 302

    client.force_login(UserFactory(role=Role.EMPLOYER_ADMIN))
    assert client.get(path).status_code == 403


def test_an_employer_admin_sees_only_their_employers_figures(client):
    own, other = caring_centre(), caring_centre()
    PlaceAgreementFactory(programme=own.programme, centre=own.centre, places=4)
    PlaceAgreementFactory(programme=other.programme, centre=other.centre, places=9)
    client.force_login(EmployerAdminFactory(employer=own.employer).user)

    response = client.get("/employer/figures/", QUERY)

    assert response.status_code == 200
    values = {card.key: card.value for card in cards(response)}
    assert values["places_bought"] == 4
    assert "federation_centres" not in values
    assert all(card.link is None for card in cards(response))
    assert own.employer.name in response.content.decode()
    assert other.employer.name not in response.content.decode()


def test_a_centre_admin_sees_only_their_centres_figures(client):
    own = caring_centre()
    PlaceAgreementFactory(programme=own.programme, centre=own.centre, places=4)
    PlaceAgreementFactory(programme=own.programme, centre=CentreFactory(), places=9)
    client.force_login(CentreAdminFactory(centre=own.centre).user)

    response = client.get("/centre/figures/", QUERY)

    values = {card.key: card.value for card in cards(response)}
    assert (values["places_bought"], values["caring_classes"]) == (4, 1)
    assert "pilot_units" not in values


@pytest.mark.parametrize(
    ("path", "role"),
    [("/employer/figures/", Role.CENTRE_ADMIN), ("/centre/figures/", Role.UNION_STAFF)],
)
def test_the_organisation_pages_refuse_other_roles(client, path, role):
    client.force_login(UserFactory(role=role))

    assert client.get(path).status_code == 403


def test_an_employer_admin_of_a_pending_employer_is_refused(client):
    client.force_login(EmployerAdminFactory(employer__status="pending").user)

    assert client.get("/employer/figures/").status_code == 403


def _sum(field):
    return lambda rows: rows.aggregate(n=Sum(field))["n"] or 0


# How a table cell follows from its rows, by table and column (the rest: the number of rows).
CELL_FROM_ROWS = {
    ("trend", 3): _sum("amount"),
    ("subsidies", 2): _sum("amount"),
    ("subsidies", 3): _sum("amount"),
    ("funders", 1): _sum("amount"),
    ("vacancy", 1): _sum("places"),
    ("vacancy", 2): _sum("places_taken"),
    ("vacancy", 3): lambda rows: sum(row.places_free for row in rows),
    ("pilots", 2): lambda rows: len({row.application.employer_id for row in rows}),
}


def test_every_table_cell_links_to_the_rows_it_counts(staff_client):
    world(2)

    response = staff_client.get("/dashboard/", QUERY)

    checked = 0
    for item in response.context["tables"]:
        table = item["table"]
        for row in table.rows:
            for column, cell in enumerate(row):
                if cell.link is None:
                    continue
                rows = staff_client.get(cell.link).context["page"].paginator.object_list
                if table.key == "care-classes" and row is table.rows[-1]:
                    expected = rows.aggregate(n=Sum("enrolled"))["n"] or 0
                else:
                    expected = CELL_FROM_ROWS.get((table.key, column), lambda r: r.count())(rows)
                assert Decimal(cell.value) == Decimal(expected), (table.key, column, cell.link)
                checked += 1
    assert checked > 60
