from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.core.models import AuditRecord, Notice
from apps.employers.models import Employment
from apps.employers.services.registry import (
    EmployerError,
    employment_confirm,
    employment_create,
    employment_end,
    employment_refuse,
)
from tests.employers.factories import EmployerFactory, EmploymentFactory

pytestmark = pytest.mark.django_db


def _pending(**kwargs):
    return EmploymentFactory(status="pending", verified_by="", **kwargs)


def test_employment_create_records_a_pending_claim(member, employer):
    employment = employment_create(
        member=member,
        employer=employer,
        department=" 炼钢车间 ",
        start_date=date(2020, 7, 1),
        actor=member.user,
    )

    employment.refresh_from_db()
    assert (employment.status, employment.department, employment.start_date) == (
        "pending",
        "炼钢车间",
        date(2020, 7, 1),
    )
    assert AuditRecord.objects.get(action="employment.create").to_state == "pending"


@pytest.mark.parametrize("status", ["pending", "refused", "suspended"])
def test_employment_create_refuses_an_employer_not_approved(member, status):
    employer = EmployerFactory(status=status)

    with pytest.raises(EmployerError) as caught:
        employment_create(member=member, employer=employer, actor=member.user)

    assert (caught.value.code, list(caught.value.fields)) == ("employer_not_approved", ["employer"])
    assert not Employment.objects.exists()


def test_employment_create_refuses_a_second_record_at_the_same_employer(employment):
    with pytest.raises(EmployerError) as caught:
        employment_create(member=employment.member, employer=employment.employer, actor=None)

    assert (caught.value.code, list(caught.value.fields)) == ("duplicate", ["employer"])
    assert Employment.objects.count() == 1


def test_employment_confirm_activates_and_tells_the_member(employer_admin_user, member, employer):
    employment = _pending(member=member, employer=employer)

    employment_confirm(employment=employment, actor=employer_admin_user)

    employment.refresh_from_db()
    assert (employment.status, employment.verified_by) == ("active", "employer")
    record = AuditRecord.objects.get(action="employment.confirm")
    assert (record.actor, record.from_state, record.to_state) == (
        employer_admin_user,
        "pending",
        "active",
    )
    assert Notice.objects.get().recipient == member.user


def test_employment_confirm_is_refused_once_the_employer_is_suspended(member):
    employment = _pending(member=member, employer=EmployerFactory(status="suspended"))

    with pytest.raises(EmployerError) as caught:
        employment_confirm(employment=employment, actor=None)

    assert caught.value.code == "employer_not_approved"
    employment.refresh_from_db()
    assert employment.status == "pending"
    assert not AuditRecord.objects.exists()


def test_employment_refuse_keeps_the_reason(member, employer):
    employment = _pending(member=member, employer=employer)

    employment_refuse(employment=employment, reason="查无此人", actor=None)

    employment.refresh_from_db()
    assert (employment.status, employment.refusal_reason) == ("refused", "查无此人")
    assert AuditRecord.objects.get(action="employment.refuse").reason == "查无此人"


def test_employment_refuse_requires_a_reason(member, employer):
    employment = _pending(member=member, employer=employer)

    with pytest.raises(EmployerError) as caught:
        employment_refuse(employment=employment, reason="", actor=None)

    assert list(caught.value.fields) == ["reason"]
    employment.refresh_from_db()
    assert employment.status == "pending"


def test_employment_end_records_the_end_date(employment):
    employment_end(employment=employment, end_date=date(2026, 1, 31), actor=None)

    employment.refresh_from_db()
    assert (employment.status, employment.end_date) == ("left", date(2026, 1, 31))
    record = AuditRecord.objects.get(action="employment.end")
    assert (record.from_state, record.to_state) == ("active", "left")


def test_employment_end_refuses_a_date_in_the_future(employment):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(EmployerError) as caught:
        employment_end(employment=employment, end_date=tomorrow, actor=None)

    assert list(caught.value.fields) == ["end_date"]
    employment.refresh_from_db()
    assert (employment.status, employment.end_date) == ("active", None)


def test_employment_end_refuses_a_date_before_the_start(member, employer):
    employment = EmploymentFactory(member=member, employer=employer, start_date=date(2024, 5, 1))

    with pytest.raises(EmployerError) as caught:
        employment_end(employment=employment, end_date=date(2024, 4, 30), actor=None)

    assert list(caught.value.fields) == ["end_date"]
    employment.refresh_from_db()
    assert employment.status == "active"


MOVES = {
    "confirm": (employment_confirm, {}, "pending"),
    "refuse": (employment_refuse, {"reason": "不在职"}, "pending"),
    "end": (employment_end, {"end_date": date(2026, 1, 1)}, "active"),
}
REFUSED_MOVES = [
    (action, status)
    for action, (_service, _kwargs, allowed) in MOVES.items()
    for status in ["pending", "active", "refused", "left"]
    if status != allowed
]


@pytest.mark.parametrize(("action", "status"), REFUSED_MOVES)
def test_employment_moves_outside_the_state_table_are_refused(member, employer, action, status):
    employment = EmploymentFactory(member=member, employer=employer, status=status)
    service, kwargs, _allowed = MOVES[action]

    with pytest.raises(EmployerError) as caught:
        service(employment=employment, actor=None, **kwargs)

    assert caught.value.code == "invalid_transition"
    employment.refresh_from_db()
    assert employment.status == status
    assert not AuditRecord.objects.exists()
