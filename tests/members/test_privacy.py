"""Audit records and history rows never hold a plain resident ID number (PIPL Art. 28)."""

from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.core.validators import make_id_number
from apps.members.models import Child, Member
from apps.members.services import (
    child_add_guardian,
    child_create,
    member_create,
    member_membership_set,
    member_update,
    member_update_mobile,
)
from tests.accounts.factories import PASSWORD, UserFactory
from tests.members.factories import UnionFactory
from tests.members.helpers import audit_and_history_text

pytestmark = pytest.mark.django_db

MEMBER_ID = make_id_number(birth=date(1990, 5, 17), sequence=41)
SECOND_ID = make_id_number(birth=date(1992, 6, 18), sequence=42)
CHILD_ID = make_id_number(birth=date(2025, 3, 1), sequence=43)
MOBILE = "13712345678"


@pytest.fixture
def registry_written(union_staff, parent_user, client):
    """Every members write that takes an ID number or a mobile number, once."""
    member = member_create(
        user=parent_user,
        full_name="陈晓红",
        id_number=MEMBER_ID,
        mobile="13800138000",
        union=UnionFactory(),
        actor=parent_user,
    )
    second = member_create(
        user=UserFactory(),
        full_name="赵磊",
        id_number=SECOND_ID,
        mobile="13900139000",
        union=UnionFactory(),
        actor=union_staff,
    )
    member_update_mobile(member=member, mobile=MOBILE, actor=parent_user, password=PASSWORD)
    member_update(member=member, full_name="陈晓红", union=None, actor=union_staff)
    member_membership_set(
        member=second, membership="none", actor=union_staff, reason=f"核对 {SECOND_ID}"
    )
    child = child_create(
        guardian=member,
        full_name="陈小雨",
        birth_date=date(2025, 3, 1),
        sex="F",
        id_number=CHILD_ID,
        relation="mother",
        consent_notice_version="2026-01",
        actor=parent_user,
    )
    child_add_guardian(child=child, guardian=second, relation="father", actor=parent_user)
    client.force_login(union_staff)
    client.post(
        reverse("admin:members_member_change", args=[member.pk]),
        {
            "full_name": "陈晓红",
            "mobile": MOBILE,
            "union": "",
            "membership": "none",
            "employments-TOTAL_FORMS": "0",
            "employments-INITIAL_FORMS": "0",
        },
    )
    return member, child


def test_writes_leave_audit_and_history_rows(registry_written):
    member, child = registry_written

    assert member.history.count() >= 2
    assert child.history.count() == 1
    assert Member.history.model.objects.filter(id=member.pk).exists()
    assert Child.history.model.objects.filter(id=child.pk).exists()


@pytest.mark.parametrize("number", [MEMBER_ID, SECOND_ID, CHILD_ID])
def test_audit_and_history_rows_hold_no_plain_id_number(registry_written, number):
    text = audit_and_history_text()

    assert number not in text


def test_audit_and_history_rows_hold_no_mobile_number(registry_written):
    text = audit_and_history_text()

    assert MOBILE not in text
    assert "13800138000" not in text


def test_an_id_number_typed_into_a_reason_is_kept_masked(registry_written):
    record = AuditRecord.objects.get(action="member.membership_set", reason__startswith="核对")

    assert record.reason == f"核对 {SECOND_ID[:4]}{'*' * 10}{SECOND_ID[-4:]}"
