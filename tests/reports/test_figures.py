"""Each headline figure of the city against a count made here, from the rows the test wrote,
with rows that must not count beside the ones that must."""

import statistics
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.centres.models import CentreClass
from apps.employers.models import Programme
from apps.reports.selectors import city_figures
from tests.admissions.factories import PlaceAgreementFactory, ProgrammeFactory
from tests.centres.factories import CentreClassFactory, CentreFactory, FederationFactory
from tests.employers.factories import EmployerFactory
from tests.reports.builders import (
    AFTER,
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
from tests.subsidies.factories import BudgetFactory, SchemeFactory
from tests.welfare.factories import CareClassFactory, MotherRoomFactory

pytestmark = pytest.mark.django_db


def figures(**filters) -> dict:
    return city_figures(period_start=PERIOD.start, period_end=PERIOD.end, **filters)


def test_centres_in_the_federation_and_their_staff_count_approved_centres_only():
    federation = FederationFactory()
    centres = [
        CentreFactory(federation=federation, federation_staff_count=staff, status=status)
        for staff, status in ((10, "approved"), (20, "approved"), (5, "pending"), (7, "suspended"))
    ]
    centres.append(CentreFactory(status="approved"))  # not in the federation
    counted = [c for c in centres if c.status == "approved" and c.federation_id]

    found = figures()["centres"]

    assert found["federation_centres"] == len(counted) == 2
    assert found["federation_staff"] == sum(c.federation_staff_count for c in counted) == 30


def test_centres_offering_welfare_childcare_count_approved_centres_that_offer_it():
    centres = [
        CentreFactory(offers_welfare_childcare=offers, status=status)
        for offers, status in (
            (True, "approved"),
            (True, "approved"),
            (True, "pending"),
            (False, "approved"),
        )
    ]

    found = figures()["centres"]["welfare_centres"]

    assert found == sum(c.offers_welfare_childcare and c.status == "approved" for c in centres) == 2


def test_caring_classes_are_open_classes_at_centres_in_an_approved_programme():
    in_two = caring_centre()
    ProgrammeFactory(centres=[in_two.centre])  # a second approved programme: counted once
    CentreClassFactory(centre=in_two.centre)
    CentreClassFactory(centre=in_two.centre, is_active=False)
    draft_only = CentreFactory()
    CentreClassFactory(centre=draft_only)
    ProgrammeFactory(centres=[draft_only], status=Programme.Status.DRAFT)
    CentreClassFactory()  # a centre in no programme
    approved_centres = set(
        Programme.objects.filter(status="approved").values_list("centres", flat=True)
    )
    expected = [
        c for c in CentreClass.objects.all() if c.is_active and c.centre_id in approved_centres
    ]

    found = figures()["classes"]

    assert found["caring_classes"] == len(expected) == 2
    assert found["places_free"] == sum(c.capacity - c.places_taken for c in expected)


def test_programmes_are_counted_by_model_and_funder_when_running_in_the_period():
    made = [
        ProgrammeFactory(delivery_model="own_centre", subsidy_funder="employer"),
        ProgrammeFactory(delivery_model="own_centre", subsidy_funder="employer"),
        ProgrammeFactory(delivery_model="co_built", subsidy_funder="union"),
        ProgrammeFactory(
            delivery_model="purchased", subsidy_funder="city", end_date=date(2025, 6, 30)
        ),
        ProgrammeFactory(delivery_model="purchased", subsidy_funder="city", status="draft"),
        ProgrammeFactory(delivery_model="own_centre", end_date=date(2024, 12, 31)),
        ProgrammeFactory(delivery_model="own_centre", start_date=date(2025, 7, 1)),
    ]
    running = [
        p
        for p in made
        if p.status == "approved"
        and p.start_date <= PERIOD.last_day
        and (p.end_date is None or p.end_date >= PERIOD.start)
    ]
    expected = Counter((p.delivery_model, p.subsidy_funder) for p in running)

    found = figures()["programmes"]

    assert found["total"] == len(running) == 4
    assert {
        (r["model"], r["funder"]): r["count"] for r in found["by_model_and_funder"] if r["count"]
    } == dict(expected)
    assert {r["model"]: r["count"] for r in found["by_model"]}["own_centre"] == 2


def test_places_bought_used_and_vacant_sum_agreements_in_force():
    setting = caring_centre()
    in_force = [
        PlaceAgreementFactory(programme=setting.programme, places=10, places_taken=3),
        PlaceAgreementFactory(programme=setting.programme, places=5, places_taken=5),
    ]
    PlaceAgreementFactory(programme=setting.programme, places=8, end_month=date(2024, 12, 1))
    PlaceAgreementFactory(programme=ProgrammeFactory(status="draft"), places=9)

    found = figures()["places"]

    assert found["bought"] == sum(a.places for a in in_force) == 15
    assert found["used"] == sum(a.places_taken for a in in_force) == 8
    assert found["vacant"] == 7
    assert {row["centre_id"]: row["vacant"] for row in found["by_centre"]} == {
        a.centre_id: a.places - a.places_taken for a in in_force
    }


def test_applications_are_counted_by_state_when_submitted_in_the_period():
    setting = caring_centre()
    made = [
        application(setting, state=state, submitted=day)
        for state, day in (
            ("submitted", INSIDE),
            ("submitted", PERIOD.last_day),
            ("waiting", INSIDE),
            ("withdrawn", PERIOD.start),
            ("waiting", BEFORE),
            ("submitted", AFTER),
        )
    ]
    inside = [a for a in made if PERIOD.starts_at <= a.submitted_at < PERIOD.ends_before]

    found = figures()["applications"]

    assert found["submitted"] == len(inside) == 4
    assert {r["state"]: r["count"] for r in found["by_state"] if r["count"]} == dict(
        Counter(a.state for a in inside)
    )


def test_median_waiting_days_runs_from_submission_to_the_first_offer_in_the_period():
    setting = caring_centre()
    waits = []
    for days in (2, 4, 10, 12):
        submitted = INSIDE - timedelta(days=days)
        offer(application(setting, submitted=submitted), at(INSIDE))
        waits.append(days)
    offer(application(setting, submitted=BEFORE), at(BEFORE + timedelta(days=3)))  # before
    again = application(setting, submitted=BEFORE)
    offer(again, at(BEFORE + timedelta(days=5)))  # first offer before the period...
    again.state, again.centre_class, again.offer_expires_at = "declined", None, None
    again.save()
    offer(again, at(INSIDE))  # ...so a second one inside it does not count

    found = figures()["applications"]

    assert found["offered"] == len(waits) == 4
    assert found["median_waiting_days"] == statistics.median(waits) == 7


def test_children_enrolled_counts_each_child_with_an_enrolment_overlapping_the_period_once():
    setting = caring_centre()
    twice = enrolment(setting, start=BEFORE, end=date(2025, 2, 10))
    made = [
        twice,
        enrolment(setting, start=date(2025, 2, 11), child=twice.child),
        enrolment(setting, start=date(2024, 1, 1), end=date(2024, 12, 31)),
        enrolment(setting, start=AFTER),
        enrolment(setting, start=date(2023, 9, 1)),
    ]
    overlapping = [
        e
        for e in made
        if e.start_date <= PERIOD.last_day and (e.end_date is None or e.end_date >= PERIOD.start)
    ]

    found = figures()["children"]

    assert found["enrolments"] == len(overlapping) == 3
    assert found["enrolled"] == len({e.child_id for e in overlapping}) == 2


def test_children_served_counts_months_attended_in_the_period():
    setting = caring_centre()
    row = enrolment(setting, start=BEFORE)
    other = enrolment(setting, start=BEFORE)
    made = [
        attendance(row, date(2025, 1, 1), 18),
        attendance(row, date(2025, 2, 1), 0),
        attendance(row, date(2025, 6, 1), 1),
        attendance(row, date(2024, 12, 1), 20),
        attendance(other, date(2025, 3, 1), 20),
    ]
    served = [a for a in made if PERIOD.start <= a.month <= PERIOD.end and a.days_attended > 0]

    found = figures()

    assert found["children"]["served"] == len(served) == 3
    assert {m["month"]: m["served"] for m in found["trend"] if m["served"]} == {
        "2025-01": 1,
        "2025-03": 1,
        "2025-06": 1,
    }


def test_subsidy_paid_counts_payable_and_paid_lines_of_approved_runs_in_the_period():
    employer_funds = SchemeFactory(funder="employer")
    union_funds = SchemeFactory(funder="union")
    BudgetFactory(scheme=employer_funds, year=2025, amount=Decimal("1000.00"))
    BudgetFactory(scheme=employer_funds, year=2024, amount=Decimal("999.00"))
    january = payout_run(date(2025, 1, 1), "approved")
    march = payout_run(date(2025, 3, 1), "paid")
    centre = CentreFactory()
    paid = [
        payout_line(january, employer_funds, "200.00", centre=centre),
        payout_line(january, union_funds, "50.50", centre=centre),
        payout_line(march, employer_funds, "100.00", status="paid", centre=centre),
    ]
    original = paid[0]
    paid.append(payout_line(march, employer_funds, "-20.00", centre=centre, adjusts=original))
    payout_line(january, employer_funds, "70.00", status="held_budget", centre=centre)
    payout_line(payout_run(date(2025, 4, 1), "calculated"), employer_funds, "80.00", centre=centre)
    payout_line(payout_run(date(2024, 12, 1), "paid"), employer_funds, "90.00", centre=centre)

    found = figures()["subsidies"]

    assert found["paid"] == sum(line.amount for line in paid) == Decimal("330.50")
    assert {r["funder"]: r["paid"] for r in found["by_funder"]} == {
        "employer": Decimal("280.00"),
        "union": Decimal("50.50"),
        "city": Decimal("0.00"),
    }
    assert {r["month"]: r["paid"] for r in found["by_month"] if r["paid"]} == {
        "2025-01": Decimal("250.50"),
        "2025-03": Decimal("80.00"),
    }
    assert found["budget"] == Decimal("1000.00")
    by_scheme = {r["scheme_id"]: r for r in found["by_scheme"]}
    assert by_scheme[employer_funds.pk]["budget_used_percent"] == 28.0


def test_pilot_units_count_awarded_results_by_level_and_year():
    steel, market, school = EmployerFactory(), EmployerFactory(), EmployerFactory()
    pilot_result(published_round(2023), steel, rank=1)
    qianan = published_round(2024)
    pilot_result(qianan, steel, rank=1)
    pilot_result(qianan, market, rank=2, recommended=False)
    tangshan = published_round(2024, "tangshan")
    pilot_result(tangshan, market, rank=1, decision="approved")
    pilot_result(tangshan, school, rank=2, decision="pending")
    pilot_result(published_round(2025, status="evaluated"), school, rank=1)

    found = figures()["pilots"]

    assert {r["level"]: r["units"] for r in found["by_level"]} == {
        "qianan": 1,
        "tangshan": 1,
        "hebei": 0,
    }
    assert [(r["year"], r["level"], r["units"]) for r in found["by_year"]] == [
        (2024, "qianan", 1),
        (2024, "tangshan", 1),
        (2023, "qianan", 1),
    ]
    assert found["units"] == 2


def test_mother_rooms_are_counted_by_level_when_approved():
    rooms = [
        MotherRoomFactory(level="hebei"),
        MotherRoomFactory(level="tangshan", version="enterprise"),
        MotherRoomFactory(level="tangshan"),
        MotherRoomFactory(status="proposed", level="", recognised_on=None),
    ]
    approved = [r for r in rooms if r.status == "approved"]

    found = figures()["mother_rooms"]

    assert found["total"] == len(approved) == 3
    assert {r["level"]: (r["public"], r["enterprise"]) for r in found["by_level"]} == {
        "hebei": (1, 0),
        "tangshan": (1, 1),
        "qianan": (0, 0),
    }


def test_care_classes_count_every_class_but_drafts():
    made = [
        CareClassFactory(kind="after_school", recognised_by="tangshan", recognised_on=INSIDE),
        CareClassFactory(kind="holiday", status="closed"),
        CareClassFactory(kind="holiday", status="draft"),
    ]
    shown = [c for c in made if c.status != "draft"]

    found = figures()["care_classes"]

    assert found["total"] == len(shown) == 2
    assert (found["holiday"], found["after_school"], found["recognised_tangshan"]) == (1, 1, 1)
    assert found["open"] == 1
