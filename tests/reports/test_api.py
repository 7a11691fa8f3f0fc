"""`GET /api/v1/reports/`: the dashboard's figures as JSON, scoped to the caller."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.core.models import Area
from apps.reports.selectors import city_figures
from apps.reports.serializers import ReportFiguresOutput
from tests.accounts.factories import UserFactory
from tests.admissions.factories import PlaceAgreementFactory
from tests.centres.factories import CentreAdminFactory, CentreFactory
from tests.employers.factories import EmployerAdminFactory
from tests.reports.builders import PERIOD, QUERY, caring_centre

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def get(api_client, user, **params):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.get(URL, {**QUERY, **params})


def bought(setting, places: int) -> None:
    PlaceAgreementFactory(programme=setting.programme, centre=setting.centre, places=places)


def test_the_url_is_named_for_the_api():
    assert reverse("api-reports") == URL


def test_union_staff_get_the_citys_figures_as_the_dashboard_counts_them(api_client, union_staff):
    bought(caring_centre(), 7)

    response = get(api_client, union_staff)

    assert response.status_code == 200
    expected = city_figures(period_start=PERIOD.start, period_end=PERIOD.end)
    assert response.json() == ReportFiguresOutput(expected).data
    assert response.json()["places"]["bought"] == 7
    assert response.json()["scope"] == {"kind": "city", "name": ""}
    assert [m["month"] for m in response.json()["trend"]][::5] == ["2025-01", "2025-06"]


def test_union_staff_narrow_the_city_to_one_area(api_client, union_staff):
    here, there = Area.objects.order_by("sort_order")[:2]
    bought(caring_centre(centre=CentreFactory(area=here)), 3)
    bought(caring_centre(centre=CentreFactory(area=there)), 5)

    response = get(api_client, union_staff, area=there.pk)

    assert (response.json()["area"], response.json()["places"]["bought"]) == (there.pk, 5)


def test_an_employer_admin_gets_their_own_employers_figures_whatever_the_filters(api_client):
    own, other = caring_centre(), caring_centre()
    bought(own, 4)
    bought(other, 6)
    admin = EmployerAdminFactory(employer=own.employer).user

    response = get(api_client, admin, area=other.centre.area_id)

    assert response.status_code == 200
    assert response.json()["scope"] == {"kind": "employer", "name": own.employer.name}
    assert response.json()["places"]["bought"] == 4
    assert response.json()["area"] is None
    assert response.json()["centres"] is None


def test_a_centre_admin_gets_their_own_centres_figures(api_client):
    own, other = caring_centre(), caring_centre()
    bought(own, 4)
    bought(other, 6)
    admin = CentreAdminFactory(centre=own.centre).user

    response = get(api_client, admin)

    assert response.json()["scope"] == {"kind": "centre", "name": own.centre.name}
    assert response.json()["places"]["bought"] == 4
    assert response.json()["pilots"] is None


def test_an_admin_of_a_suspended_employer_is_refused(api_client):
    admin = EmployerAdminFactory(employer__status="suspended").user

    response = get(api_client, admin)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), (Role.PARENT, 403), (Role.REVIEWER, 403)],
)
def test_other_callers_are_refused(api_client, role, status):
    user = UserFactory(role=role) if role else None

    assert get(api_client, user).status_code == status


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period_start": "2025-13"}, "period_start"),
        ({"period_start": "March"}, "period_start"),
        ({"period_end": "2024-12"}, "period_end"),
        ({"period_start": "2020-01", "period_end": "2023-01"}, "period_end"),
        ({"area": "abc"}, "area"),
        ({"area": "99999999999"}, "area"),
        ({"area": "2147483000"}, "area"),
        ({"union": "0"}, "union"),
    ],
)
def test_invalid_filters_are_a_400_naming_the_field(api_client, union_staff, params, field):
    response = get(api_client, union_staff, **params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_money_is_a_decimal_string(api_client, union_staff):
    response = get(api_client, union_staff)

    assert response.json()["subsidies"]["paid"] == str(Decimal("0.00"))
