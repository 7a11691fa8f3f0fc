"""Indicators from the portal's data, for all of a round's units in a fixed number of queries."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.admissions.models import Application as AdmissionApplication
from apps.admissions.models import Attendance, Enrolment
from apps.employers.models import PlaceAgreement, Programme
from apps.pilots.indicators import indicators_for
from apps.pilots.services import round_open_scoring
from tests.centres.factories import CentreClassFactory, CentreFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory
from tests.pilots.factories import apply, open_round

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 15)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _programme(employer, centres) -> Programme:
    programme = Programme.objects.create(
        name="职工托育",
        delivery_model=Programme.DeliveryModel.OWN_CENTRE,
        lead_employer=employer,
        parent_share_percent=50,
        start_date=date(2025, 1, 1),
        status=Programme.Status.APPROVED,
    )
    programme.centres.set(centres)
    return programme


def _enrolment(programme, centre_class, employer) -> Enrolment:
    member = MemberFactory()
    child = ChildFactory(guardian=member)
    application = AdmissionApplication.objects.create(
        child=child,
        applicant=member,
        employer=employer,
        programme=programme,
        centre=centre_class.centre,
        age_class=centre_class.age_class,
        start_month=date(2025, 1, 1),
        state="ended",
    )
    zero = Decimal(0)
    return Enrolment.objects.create(
        application=application,
        child=child,
        programme=programme,
        centre=centre_class.centre,
        centre_class=centre_class,
        employer=employer,
        start_date=date(2025, 1, 1),
        market_price=Decimal(1800),
        parent_share_percent=Decimal(50),
        parent_fee=Decimal(900),
        employer_part=Decimal(900),
        subsidy_amount=zero,
        subsidy_basis="per_child",
        subsidy_funder="employer",
    )


def _attendance(enrolment, month: date, reported: datetime) -> None:
    row = Attendance.objects.create(
        enrolment=enrolment, month=month, days_open=21, days_attended=20
    )
    # reported_at is auto_now: set the historical moment with an UPDATE.
    Attendance.objects.filter(pk=row.pk).update(reported_at=reported.replace(tzinfo=SHANGHAI))


@pytest.fixture
def unit():
    employer = EmployerFactory()
    own = CentreFactory()
    CentreClassFactory(centre=own, capacity=15, staffed=3)  # toddlers 1:5 → 3 needed
    short = CentreClassFactory(centre=own, capacity=15, staffed=1)
    CentreClassFactory(centre=own, capacity=15, staffed=0, is_active=False)  # closed: ignored
    bought = CentreFactory(offers_welfare_childcare=True)
    CentreClassFactory(centre=bought, capacity=10, staffed=2)
    programme = _programme(employer, [own])
    agreement = {"programme": programme, "buyer_employer": employer, "age_class": "toddler"}
    PlaceAgreement.objects.create(
        **agreement,
        centre=bought,
        places=10,
        places_taken=7,
        start_month=date(2025, 9, 1),
        payment_mode="per_child",
    )
    PlaceAgreement.objects.create(  # ended last year: not counted
        **agreement,
        centre=bought,
        places=5,
        places_taken=5,
        start_month=date(2024, 1, 1),
        end_month=date(2025, 6, 1),
        payment_mode="per_child",
    )
    enrolment = _enrolment(programme, short, employer)
    _attendance(enrolment, date(2026, 1, 1), datetime(2026, 2, 5, 23, 59))  # on time
    _attendance(enrolment, date(2026, 2, 1), datetime(2026, 3, 6, 0, 1))  # late
    _attendance(enrolment, date(2025, 12, 1), datetime(2025, 12, 20, 9))  # on time
    _attendance(enrolment, date(2025, 2, 1), datetime(2025, 3, 1, 9))  # before the window
    return employer


def test_indicators_count_ratios_places_attendance_and_welfare(unit):
    assert indicators_for([unit.pk], on=ON)[unit.pk] == {
        "computed_on": "2026-03-15",
        "centres": 2,
        "classes": 3,
        "classes_within_ratio": 2,
        "places_bought": 10,
        "places_taken": 7,
        "attendance_reports": 3,
        "attendance_on_time": 2,
        "welfare_childcare": True,
    }


def test_an_employer_without_childcare_data_gets_zeros():
    employer = EmployerFactory()

    assert indicators_for([employer.pk], on=ON)[employer.pk] == {
        "computed_on": "2026-03-15",
        "centres": 0,
        "classes": 0,
        "classes_within_ratio": 0,
        "places_bought": 0,
        "places_taken": 0,
        "attendance_reports": 0,
        "attendance_on_time": 0,
        "welfare_childcare": False,
    }


def test_indicators_take_the_same_queries_for_one_unit_or_many(unit):
    others = [EmployerFactory().pk for _ in range(10)]

    with CaptureQueriesContext(connection) as one:
        indicators_for([unit.pk], on=ON)
    with CaptureQueriesContext(connection) as many:
        indicators_for([unit.pk, *others], on=ON)

    assert len(one) == len(many) <= 6


def test_opening_scoring_takes_each_units_indicators(unit):
    pilot_round = open_round()
    application = apply(pilot_round, unit)

    round_open_scoring(round=pilot_round, actor=None, today=ON)

    application.refresh_from_db()
    assert application.indicators["classes_within_ratio"] == 2
    assert application.indicators["computed_on"] == "2026-03-15"
