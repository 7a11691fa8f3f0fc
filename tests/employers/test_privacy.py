"""Employer writes leave no plain ID number in audit records, history rows or notices."""

from datetime import date

import pytest

from apps.core.models import Notice
from apps.core.validators import make_id_number
from apps.employers.models import Employment
from apps.employers.services.registry import (
    employer_refuse,
    employer_suspend,
    employment_confirm,
    employment_create,
    employment_end,
    employment_refuse,
)
from tests.employers.factories import EmployerAdminFactory, EmployerFactory
from tests.members.factories import MemberFactory
from tests.members.helpers import audit_and_history_text

pytestmark = pytest.mark.django_db

ID_NUMBER = make_id_number(birth=date(1988, 8, 8), sequence=77)
MOBILE = "13612345678"


@pytest.fixture
def employer_writes(union_staff, employer_admin_user, employer):
    """Employer and employment writes whose free-text reasons mention an ID and a mobile."""
    member = MemberFactory(id_number=ID_NUMBER, mobile=MOBILE)
    claimed = employment_create(member=member, employer=employer, actor=member.user)
    employment_refuse(
        employment=claimed, reason=f"身份证 {ID_NUMBER} 电话 {MOBILE} 不符", actor=union_staff
    )
    second = employment_create(member=MemberFactory(), employer=employer, actor=None)
    employment_confirm(employment=second, actor=employer_admin_user)
    employment_end(employment=second, end_date=date(2026, 1, 1), actor=employer_admin_user)
    pending = EmployerFactory(status="pending")
    EmployerAdminFactory(employer=pending)
    employer_refuse(employer=pending, reason=f"法人身份证 {ID_NUMBER} 有误", actor=union_staff)
    employer_suspend(employer=employer, reason=f"联系 {MOBILE}", actor=union_staff)
    return claimed


def test_employer_writes_leave_history_rows(employer_writes):
    assert Employment.history.count() >= 4


def test_audit_and_history_rows_hold_no_plain_id_number(employer_writes):
    assert ID_NUMBER not in audit_and_history_text()


def test_audit_and_history_rows_hold_no_plain_mobile_number(employer_writes):
    assert MOBILE not in audit_and_history_text()


def test_a_refusal_reason_is_stored_masked_on_the_employment(employer_writes):
    employer_writes.refresh_from_db()

    assert employer_writes.refusal_reason == (
        f"身份证 {ID_NUMBER[:4]}{'*' * 10}{ID_NUMBER[-4:]} 电话 136****5678 不符"
    )


def test_notices_hold_no_plain_id_or_mobile_number(employer_writes):
    text = " ".join(f"{n.title} {n.body}" for n in Notice.objects.all())

    assert Notice.objects.count() >= 3
    assert ID_NUMBER not in text
    assert MOBILE not in text
