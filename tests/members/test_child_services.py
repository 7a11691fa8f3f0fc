from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.core.validators import make_id_number
from apps.members.models import Child, GuardianConsent, Guardianship
from apps.members.services import MemberError, child_add_guardian, child_create
from tests.members.factories import ChildFactory, MemberFactory

pytestmark = pytest.mark.django_db

BIRTH = date(2025, 3, 1)


def _create(guardian, **overrides):
    arguments = {
        "guardian": guardian,
        "full_name": "陈小雨",
        "birth_date": BIRTH,
        "sex": "F",
        "relation": "mother",
        "consent_notice_version": "2026-01",
        "actor": guardian.user,
    }
    return child_create(**{**arguments, **overrides})


def _nothing_stored():
    return (
        Child.objects.count(),
        GuardianConsent.objects.count(),
        Guardianship.objects.count(),
        AuditRecord.objects.count(),
    ) == (0, 0, 0, 0)


def test_child_create_stores_the_child_with_its_guardian_and_consent(member):
    child = _create(member)

    child.refresh_from_db()
    assert (child.full_name, child.birth_date, child.sex, child.id_number) == (
        "陈小雨",
        BIRTH,
        "F",
        "",
    )
    assert (child.consent.guardian, child.consent.notice_version) == (member, "2026-01")
    assert list(child.guardianships.values_list("guardian", "relation")) == [(member.pk, "mother")]


def test_child_create_records_the_consent_before_the_child(member):
    with CaptureQueriesContext(connection) as captured:
        _create(member)

    inserts = [q["sql"].split('"')[1] for q in captured if q["sql"].startswith("INSERT")]
    assert inserts.index("members_guardianconsent") < inserts.index("members_child")


def test_child_create_audits_consent_and_child_without_numbers(member):
    child = _create(member, id_number=make_id_number(birth=BIRTH, sequence=7))

    consent_record = AuditRecord.objects.get(action="guardian_consent.record")
    child_record = AuditRecord.objects.get(action="child.create")
    assert consent_record.to_state == "2026-01"
    assert child_record.changes == {
        "guardians": [member.pk],
        "consent": child.consent_id,
        "notice_version": "2026-01",
    }


def test_child_create_stores_a_valid_id_number_whose_birth_date_matches(member):
    number = make_id_number(birth=BIRTH, sequence=8)

    child = _create(member, id_number=number)

    child.refresh_from_db()
    assert child.id_number == number
    assert child.id_number_hash != ""


def test_child_create_refuses_a_birth_date_in_the_future(member):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(MemberError) as caught:
        _create(member, birth_date=tomorrow)

    assert (caught.value.code, list(caught.value.fields)) == (
        "birth_date_in_future",
        ["birth_date"],
    )
    assert _nothing_stored()


def test_child_create_refuses_a_child_older_than_seven(member):
    today = timezone.localdate()
    too_old = today.replace(year=today.year - 7) - timedelta(days=1)

    with pytest.raises(MemberError) as caught:
        _create(member, birth_date=too_old)

    assert (caught.value.code, list(caught.value.fields)) == ("child_too_old", ["birth_date"])
    assert _nothing_stored()


def test_child_create_accepts_a_child_turning_seven_today(member):
    today = timezone.localdate()
    seventh_birthday = today.replace(year=today.year - 7)

    child = _create(member, birth_date=seventh_birthday)

    assert child.birth_date == seventh_birthday


def test_child_create_refuses_an_invalid_id_number(member):
    with pytest.raises(MemberError) as caught:
        _create(member, id_number="13028320250301001")

    assert list(caught.value.fields) == ["id_number"]
    assert _nothing_stored()


def test_child_create_refuses_an_id_number_with_another_birth_date(member):
    with pytest.raises(MemberError) as caught:
        _create(member, id_number=make_id_number(birth=date(2025, 3, 2), sequence=7))

    assert list(caught.value.fields) == ["id_number"]
    assert _nothing_stored()


def test_child_create_refuses_an_id_number_already_registered(member, other_member):
    number = make_id_number(birth=BIRTH, sequence=9)
    _create(other_member, id_number=number)

    with pytest.raises(MemberError) as caught:
        _create(member, id_number=number.lower())

    assert (caught.value.code, list(caught.value.fields)) == ("duplicate", ["id_number"])
    assert Child.objects.count() == 1
    assert GuardianConsent.objects.count() == 1


def test_child_create_refuses_a_missing_consent_notice_version(member):
    with pytest.raises(MemberError) as caught:
        _create(member, consent_notice_version="  ")

    assert list(caught.value.fields) == ["consent_notice_version"]
    assert _nothing_stored()


def test_child_create_refuses_an_unknown_relation(member):
    with pytest.raises(MemberError) as caught:
        _create(member, relation="aunt")

    assert list(caught.value.fields) == ["relation"]
    assert _nothing_stored()


def test_child_create_refuses_an_unknown_sex(member):
    with pytest.raises(MemberError) as caught:
        _create(member, sex="X")

    assert list(caught.value.fields) == ["sex"]
    assert _nothing_stored()


def test_child_create_with_a_second_guardian_links_both(member, other_member):
    child = _create(member, second_guardian=other_member, second_relation="father")

    assert sorted(child.guardianships.values_list("guardian", "relation")) == sorted(
        [(member.pk, "mother"), (other_member.pk, "father")]
    )


def test_child_create_refuses_the_same_person_as_second_guardian(member):
    with pytest.raises(MemberError) as caught:
        _create(member, second_guardian=member)

    assert list(caught.value.fields) == ["second_guardian"]
    assert _nothing_stored()


def test_child_add_guardian_adds_a_second_guardian_and_audits(member, other_member):
    child = ChildFactory(guardian=member)

    child_add_guardian(child=child, guardian=other_member, relation="father", actor=member.user)

    assert set(child.guardians.all()) == {member, other_member}
    record = AuditRecord.objects.get(action="child.guardian_add")
    assert record.changes == {"guardian": other_member.pk, "relation": "father"}


def test_child_add_guardian_refuses_a_third_guardian(member, other_member):
    child = ChildFactory(guardian=member)
    child_add_guardian(child=child, guardian=other_member, relation="father", actor=None)

    with pytest.raises(MemberError) as caught:
        child_add_guardian(child=child, guardian=MemberFactory(), relation="other", actor=None)

    assert (caught.value.code, list(caught.value.fields)) == ("too_many_guardians", ["guardian"])
    assert child.guardianships.count() == 2


def test_child_add_guardian_refuses_someone_already_a_guardian(member):
    child = ChildFactory(guardian=member)

    with pytest.raises(MemberError) as caught:
        child_add_guardian(child=child, guardian=member, relation="mother", actor=None)

    assert (caught.value.code, list(caught.value.fields)) == ("duplicate", ["guardian"])
    assert child.guardianships.count() == 1
    assert not AuditRecord.objects.filter(action="child.guardian_add").exists()
