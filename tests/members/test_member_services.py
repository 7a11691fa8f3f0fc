from datetime import date

import pytest

from apps.core.models import AuditRecord
from apps.core.pii import pii_hash
from apps.core.validators import make_id_number, normalize_id_number
from apps.members.models import Member
from apps.members.services import (
    MemberError,
    member_create,
    member_membership_set,
    member_update_mobile,
)
from tests.accounts.factories import PASSWORD
from tests.members.factories import MemberFactory, UnionFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = make_id_number(birth=date(1990, 5, 17), sequence=12)


def _create(user, **overrides):
    arguments = {
        "user": user,
        "full_name": "陈晓红",
        "id_number": ID_NUMBER,
        "mobile": "13800138000",
        "actor": user,
    }
    return member_create(**{**arguments, **overrides})


def test_member_create_stores_the_normalised_id_number_with_its_hash(parent_user):
    lower_x = make_id_number(birth=date(1990, 5, 17), sequence=28)  # check character is X
    assert lower_x.endswith("X")

    member = _create(parent_user, id_number=" " + lower_x.lower() + " ")

    member.refresh_from_db()
    assert member.id_number == lower_x
    assert member.id_number_hash == pii_hash(lower_x, normalize=normalize_id_number)
    assert member.id_number_masked == lower_x[:4] + "*" * 10 + lower_x[-4:]


def test_member_create_normalises_the_mobile_number(parent_user):
    member = _create(parent_user, mobile="+86 138-0013-8000")

    assert member.mobile == "13800138000"


def test_member_create_records_an_audit_without_numbers(parent_user):
    member = _create(parent_user)

    record = AuditRecord.objects.get(action="member.create")
    assert (record.target_id, record.to_state, record.changes) == (str(member.pk), "none", {})


def test_member_create_with_a_union_claims_membership(parent_user):
    union = UnionFactory()

    member = _create(parent_user, union=union)

    assert (member.union, member.membership) == (union, Member.Membership.CLAIMED)


def test_member_create_refuses_an_invalid_id_number(parent_user):
    with pytest.raises(MemberError) as caught:
        _create(parent_user, id_number=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))

    assert list(caught.value.fields) == ["id_number"]
    assert not Member.objects.exists()


def test_member_create_refuses_an_id_number_already_registered(parent_user):
    MemberFactory(id_number=ID_NUMBER)

    with pytest.raises(MemberError) as caught:
        _create(parent_user, id_number=ID_NUMBER[:6] + " " + ID_NUMBER[6:])

    assert caught.value.code == "duplicate"
    assert list(caught.value.fields) == ["id_number"]
    assert Member.objects.count() == 1
    assert not AuditRecord.objects.exists()


def test_member_create_refuses_an_invalid_mobile_number(parent_user):
    with pytest.raises(MemberError) as caught:
        _create(parent_user, mobile="12345")

    assert list(caught.value.fields) == ["mobile"]
    assert not Member.objects.exists()


def test_member_create_refuses_an_account_that_is_not_a_parent(employer_admin_user):
    with pytest.raises(MemberError) as caught:
        _create(employer_admin_user)

    assert list(caught.value.fields) == ["user"]
    assert not Member.objects.exists()


def test_member_create_refuses_an_account_that_already_has_a_member(member):
    with pytest.raises(MemberError) as caught:
        _create(member.user)

    assert caught.value.code == "duplicate"
    assert list(caught.value.fields) == ["user"]
    assert Member.objects.count() == 1


def test_member_update_mobile_changes_it_and_audits_only_the_field_name(member):
    member_update_mobile(member=member, mobile="13912345678", actor=member.user, password=PASSWORD)

    member.refresh_from_db()
    assert member.mobile == "13912345678"
    record = AuditRecord.objects.get(action="member.mobile_change")
    assert record.changes == {"fields": ["mobile"]}


def test_member_update_mobile_refuses_an_invalid_number(member):
    before = member.mobile

    with pytest.raises(MemberError) as caught:
        member_update_mobile(
            member=member, mobile="0311-1234567", actor=member.user, password=PASSWORD
        )

    assert list(caught.value.fields) == ["mobile"]
    member.refresh_from_db()
    assert member.mobile == before
    assert not AuditRecord.objects.exists()


def test_member_membership_set_verifies_and_stamps_the_time(member, union_staff):
    member.union = UnionFactory()
    member.save()

    member_membership_set(
        member=member, membership="verified", actor=union_staff, reason="会员卡已核对"
    )

    member.refresh_from_db()
    assert member.membership == "verified"
    assert member.membership_verified_at is not None
    record = AuditRecord.objects.get(action="member.membership_set")
    assert (record.actor, record.from_state, record.to_state, record.reason) == (
        union_staff,
        "none",
        "verified",
        "会员卡已核对",
    )


def test_member_membership_set_back_to_none_clears_the_verification_time(member, union_staff):
    member.union = UnionFactory()
    member.save()
    member_membership_set(member=member, membership="verified", actor=union_staff)

    member_membership_set(member=member, membership="none", actor=union_staff, reason="退会")

    member.refresh_from_db()
    assert (member.membership, member.membership_verified_at) == ("none", None)


def test_member_membership_set_refuses_verifying_a_member_without_a_union(member, union_staff):
    with pytest.raises(MemberError) as caught:
        member_membership_set(member=member, membership="verified", actor=union_staff)

    assert list(caught.value.fields) == ["union"]
    member.refresh_from_db()
    assert member.membership == "none"
    assert not AuditRecord.objects.exists()


def test_member_membership_set_refuses_an_unknown_status(member, union_staff):
    with pytest.raises(MemberError) as caught:
        member_membership_set(member=member, membership="honorary", actor=union_staff)

    assert list(caught.value.fields) == ["membership"]
    member.refresh_from_db()
    assert member.membership == "none"


def test_member_membership_set_to_the_same_status_writes_no_audit(member, union_staff):
    member_membership_set(member=member, membership="none", actor=union_staff)

    assert not AuditRecord.objects.exists()
