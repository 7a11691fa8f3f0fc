"""An employer's or a centre's figures hold their own rows only; the city's filters narrow."""

from datetime import date
from itertools import count
from types import SimpleNamespace

import pytest

from apps.core.models import Area
from apps.reports.selectors import centre_figures, city_figures, employer_figures
from tests.admissions.factories import PlaceAgreementFactory
from tests.centres.factories import CentreFactory, FederationFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import UnionFactory
from tests.reports.builders import (
    BEFORE,
    INSIDE,
    PERIOD,
    application,
    at,
    attendance,
    caring_centre,
    enrolment,
    offer,
    payout_line,
    payout_run,
    pilot_result,
    published_round,
)
from tests.subsidies.factories import SchemeFactory
from tests.welfare.factories import CareClassFactory, MotherRoomFactory

pytestmark = pytest.mark.django_db
PERIOD_ARGS = {"period_start": PERIOD.start, "period_end": PERIOD.end}
YEARS = count(2001)


def activity(setting: SimpleNamespace, size: int, *, pilot_round=None) -> None:
    """`size` of everything for the setting's employer at the setting's centre."""
    employer, centre = setting.employer, setting.centre
    PlaceAgreementFactory(programme=setting.programme, centre=centre, places=10 * size)
    for _ in range(size):
        application(setting)
        attendance(enrolment(setting, start=BEFORE), date(2025, 2, 1), 12)
    offer(application(setting), at(INSIDE))
    payout_line(
        payout_run(date(2025, 2, 1)),
        SchemeFactory(),
        f"{100 * size}.00",
        centre=centre,
        employer=employer,
    )
    MotherRoomFactory(host_employer=employer, host_union=None)
    CareClassFactory(organiser_union=None, organiser_employer=employer, first_session=False)
    pilot_result(pilot_round or published_round(next(YEARS)), employer)


def test_an_employers_figures_count_its_own_rows():
    own = caring_centre()
    activity(own, 2)

    found = employer_figures(employer=own.employer, **PERIOD_ARGS)

    assert found["scope"] == {"kind": "employer", "name": own.employer.name}
    assert found["programmes"]["total"] == 1
    assert (found["places"]["bought"], found["applications"]["submitted"]) == (20, 3)
    assert (found["children"]["enrolled"], found["children"]["served"]) == (2, 2)
    assert found["subsidies"]["paid"] == 200
    assert found["subsidies"]["budget"] is None
    assert (found["mother_rooms"]["total"], found["care_classes"]["total"]) == (1, 1)
    assert found["pilots"]["units"] == 1
    assert (found["centres"], found["classes"]) == (None, None)


def test_an_employers_figures_never_include_another_organisations_rows():
    own = caring_centre()
    pilot_round = published_round(2024)
    activity(own, 1, pilot_round=pilot_round)
    before = employer_figures(employer=own.employer, **PERIOD_ARGS)

    # Another employer at the same centre, and in the same programme's centre list.
    other = caring_centre(centre=own.centre)
    activity(other, 3, pilot_round=pilot_round)
    activity(caring_centre(), 2)

    assert employer_figures(employer=own.employer, **PERIOD_ARGS) == before
    assert city_figures(**PERIOD_ARGS)["places"]["bought"] == 10 + 30 + 20


def test_a_centres_figures_never_include_another_centres_rows():
    own = caring_centre()
    activity(own, 1)
    before = centre_figures(centre=own.centre, **PERIOD_ARGS)

    # The same employer and programme at a second centre, and a stranger elsewhere.
    second = caring_centre(employer=own.employer, centre=CentreFactory())
    own.programme.centres.add(second.centre)
    activity(SimpleNamespace(**{**vars(second), "programme": own.programme}), 3)
    activity(caring_centre(), 2)

    after = centre_figures(centre=own.centre, **PERIOD_ARGS)
    assert after == before
    assert after["scope"] == {"kind": "centre", "name": own.centre.name}
    assert (after["places"]["bought"], after["classes"]["caring_classes"]) == (10, 1)
    assert (after["pilots"], after["mother_rooms"], after["care_classes"]) == (None, None, None)


def test_the_city_filtered_by_area_counts_only_that_areas_centres():
    here, there = Area.objects.order_by("sort_order")[:2]
    near = caring_centre(centre=CentreFactory(area=here))
    far = caring_centre(centre=CentreFactory(area=there))
    activity(near, 1)
    activity(far, 2)

    found = city_figures(area=there, **PERIOD_ARGS)

    assert found["area"] == there.pk
    assert found["places"]["bought"] == 20
    assert found["children"]["enrolled"] == 2
    assert found["programmes"]["total"] == 1
    assert found["subsidies"]["paid"] == 200


def test_the_city_filtered_by_union_counts_its_federation_and_its_employers():
    federation, grassroots = FederationFactory(), UnionFactory()
    in_federation = CentreFactory(federation=federation, federation_staff_count=4)
    CentreFactory(federation=FederationFactory(), federation_staff_count=9)
    member_employer = caring_centre(employer=EmployerFactory(union=grassroots))
    activity(member_employer, 2)
    activity(caring_centre(), 1)

    by_federation = city_figures(union=federation, **PERIOD_ARGS)
    by_grassroots = city_figures(union=grassroots, **PERIOD_ARGS)

    assert by_federation["centres"]["federation_centres"] == 1
    assert by_federation["centres"]["federation_staff"] == in_federation.federation_staff_count
    assert by_grassroots["places"]["bought"] == 20
    assert by_grassroots["applications"]["submitted"] == 3
    assert by_grassroots["mother_rooms"]["total"] == 1
