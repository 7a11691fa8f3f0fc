from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.welfare import selectors, services
from apps.welfare.errors import WelfareError
from apps.welfare.models import CollectiveContract, StatutoryFloor
from tests.employers.factories import EmployerFactory
from tests.welfare.factories import CollectiveContractFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def create(employer, actor, **provisions):
    start = TODAY() - timedelta(days=10)
    return services.collective_contract_create(
        employer=employer,
        actor=actor,
        signed_on=start,
        starts_on=start,
        ends_on=start + timedelta(days=3 * 365 - 1),
        **provisions,
    )


def test_floors_are_seeded_with_hebeis_values():
    assert services.statutory_floors() == {
        "maternity_leave_days": 158,
        "spouse_care_leave_days": 15,
        "nursing_minutes_per_day": 60,
        "nursing_until_months": 12,
        "parental_leave_days": 10,
    }


def test_omitted_provisions_default_to_the_floors(employer, union_staff):
    contract = create(employer, union_staff)

    assert (
        contract.maternity_leave_days,
        contract.spouse_care_leave_days,
        contract.nursing_minutes_per_day,
        contract.nursing_until_months,
        contract.parental_leave_days,
    ) == (158, 15, 60, 12, 10)
    assert AuditRecord.objects.filter(action="collective_contract.create").count() == 1


@pytest.mark.parametrize(
    ("provision", "value", "minimum"),
    [
        ("maternity_leave_days", 157, 158),
        ("spouse_care_leave_days", 14, 15),
        ("nursing_minutes_per_day", 59, 60),
        ("nursing_until_months", 11, 12),
        ("parental_leave_days", 9, 10),
    ],
)
def test_a_provision_below_its_floor_is_refused_on_its_field(
    employer, union_staff, provision, value, minimum
):
    with pytest.raises(WelfareError) as refused:
        create(employer, union_staff, **{provision: value})

    assert refused.value.code == "below_statutory_floor"
    assert list(refused.value.fields) == [provision]
    assert f"{minimum}" in refused.value.fields[provision][0]
    assert CollectiveContract.objects.count() == 0


def test_provisions_at_the_floor_are_accepted(employer, union_staff):
    contract = create(
        employer,
        union_staff,
        maternity_leave_days=158,
        spouse_care_leave_days=15,
        nursing_minutes_per_day=60,
        nursing_until_months=12,
        parental_leave_days=10,
    )

    assert contract.pk is not None


def test_a_raised_floor_applies_to_new_contracts(employer, union_staff):
    floor = StatutoryFloor.objects.get(provision="parental_leave_days")
    services.statutory_floor_update(
        floor=floor, minimum=15, source="河北省条例修正", actor=union_staff
    )

    with pytest.raises(WelfareError) as refused:
        create(employer, union_staff, parental_leave_days=10)

    assert list(refused.value.fields) == ["parental_leave_days"]


def test_a_floor_cannot_go_below_national_law(union_staff):
    floor = StatutoryFloor.objects.get(provision="maternity_leave_days")

    with pytest.raises(WelfareError) as refused:
        services.statutory_floor_update(floor=floor, minimum=97, source="x", actor=union_staff)

    floor.refresh_from_db()
    assert list(refused.value.fields) == ["minimum"]
    assert floor.minimum == 158


def test_the_database_refuses_a_contract_below_the_national_floor(employer):
    with pytest.raises(IntegrityError):
        CollectiveContractFactory(employer=employer, maternity_leave_days=97)


def test_a_term_longer_than_three_years_is_refused(employer, union_staff):
    start = date(2025, 1, 1)

    with pytest.raises(WelfareError) as refused:
        services.collective_contract_create(
            employer=employer,
            actor=union_staff,
            signed_on=start,
            starts_on=start,
            ends_on=date(2028, 1, 1),
        )

    assert list(refused.value.fields) == ["ends_on"]


def test_a_contract_overlapping_another_is_refused(employer, union_staff):
    CollectiveContractFactory(employer=employer)

    with pytest.raises(WelfareError) as refused:
        create(employer, union_staff)

    assert list(refused.value.fields) == ["starts_on"]
    assert CollectiveContract.objects.count() == 1


def test_flexible_hours_need_their_terms(employer, union_staff):
    with pytest.raises(WelfareError) as refused:
        create(employer, union_staff, flexible_hours=True, flexible_hours_terms=" ")

    assert list(refused.value.fields) == ["flexible_hours_terms"]


@pytest.mark.parametrize(
    ("days_left", "listed"),
    [(-1, False), (0, True), (89, True), (90, True), (91, False)],
)
def test_expiring_list_holds_contracts_ending_within_ninety_days(days_left, listed):
    today = date(2026, 6, 1)
    ends_on = today + timedelta(days=days_left)
    contract = CollectiveContractFactory(
        signed_on=ends_on - timedelta(days=700),
        ends_on=ends_on,
    )

    expiring = list(selectors.collective_contract_expiring_list(today=today))

    assert expiring == ([contract] if listed else [])


def test_a_renewed_contract_is_not_listed_as_expiring():
    today = date(2026, 6, 1)
    employer = EmployerFactory()
    old_end = today + timedelta(days=30)
    CollectiveContractFactory(
        employer=employer, signed_on=old_end - timedelta(days=700), ends_on=old_end
    )
    CollectiveContractFactory(
        employer=employer, signed_on=today, starts_on=old_end + timedelta(days=1),
        ends_on=old_end + timedelta(days=3 * 365),
    )  # fmt: skip

    assert list(selectors.collective_contract_expiring_list(today=today)) == []


@pytest.mark.parametrize(
    ("ends_in_days", "missing"),
    [(None, True), (-1, True), (0, False), (400, False)],
)
def test_employers_without_a_current_or_future_contract_are_listed(ends_in_days, missing):
    today = date(2026, 6, 1)
    employer = EmployerFactory()
    if ends_in_days is not None:
        ends_on = today + timedelta(days=ends_in_days)
        CollectiveContractFactory(
            employer=employer, signed_on=ends_on - timedelta(days=700), ends_on=ends_on
        )

    listed = list(selectors.employer_without_contract_list(today=today))

    assert listed == ([employer] if missing else [])


def test_a_contract_signed_for_later_counts_as_having_one():
    today = date(2026, 6, 1)
    employer = EmployerFactory()
    CollectiveContractFactory(
        employer=employer, signed_on=today, starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=400),
    )  # fmt: skip

    assert list(selectors.employer_without_contract_list(today=today)) == []


def test_an_unapproved_employer_is_not_chased_for_a_contract():
    EmployerFactory(status="pending")

    assert list(selectors.employer_without_contract_list(today=date(2026, 6, 1))) == []


def test_missing_list_tells_when_the_last_contract_ended():
    today = date(2026, 6, 1)
    employer = EmployerFactory()
    CollectiveContractFactory(
        employer=employer, signed_on=date(2023, 1, 1), ends_on=date(2025, 12, 31)
    )

    listed = selectors.employer_without_contract_list(today=today).get()

    assert listed.last_contract_ended_on == date(2025, 12, 31)
