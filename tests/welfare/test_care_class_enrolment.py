from datetime import date

import pytest

from apps.core.models import AuditRecord
from apps.members.models import Member
from apps.welfare import services
from apps.welfare.errors import WelfareError
from apps.welfare.models import CareClass, CareClassEnrolment
from apps.welfare.services.care_classes import age_on
from tests.employers.factories import EmploymentFactory
from tests.members.factories import ChildFactory, MemberFactory
from tests.welfare.factories import CareClassFactory

pytestmark = pytest.mark.django_db

FIRST_SESSION = date(2030, 7, 15)


def enrol(care_class, child, member):
    return services.care_class_enrol(
        care_class=care_class, child=child, guardian=member, actor=member.user
    )


@pytest.fixture
def summer_class(db):
    return CareClassFactory(first_session=FIRST_SESSION, capacity=2)


def child_born(member, birth_date):
    return ChildFactory(guardian=member, birth_date=birth_date)


def test_age_counts_completed_years_on_the_day():
    assert [
        age_on(date(2024, 7, 15), date(2030, 7, 14)),
        age_on(date(2024, 7, 15), date(2030, 7, 15)),
        age_on(date(2024, 2, 29), date(2030, 2, 28)),
        age_on(date(2024, 2, 29), date(2030, 3, 1)),
    ] == [5, 6, 5, 6]


def test_enrolment_takes_a_place_and_is_audited(summer_class, parent_member):
    child = child_born(parent_member, date(2022, 1, 1))

    enrolment = enrol(summer_class, child, parent_member)

    summer_class.refresh_from_db()
    assert (enrolment.status, summer_class.enrolled, summer_class.places_left) == ("enrolled", 1, 1)
    assert AuditRecord.objects.filter(action="care_class.enrol").count() == 1


@pytest.mark.parametrize(
    ("birth_date", "accepted"),
    [
        (date(2024, 7, 16), False),  # 5 on the first session's date
        (date(2024, 7, 15), True),  # 6 that day
        (date(2017, 7, 16), True),  # still 12
        (date(2017, 7, 15), False),  # 13 that day
    ],
)
def test_children_are_taken_from_six_to_twelve_on_the_first_session(
    summer_class, parent_member, birth_date, accepted
):
    child = child_born(parent_member, birth_date)

    if accepted:
        enrol(summer_class, child, parent_member)
    else:
        with pytest.raises(WelfareError) as refused:
            enrol(summer_class, child, parent_member)
        assert list(refused.value.fields) == ["child"]

    summer_class.refresh_from_db()
    assert summer_class.enrolled == (1 if accepted else 0)


def test_age_is_judged_on_the_earliest_session(parent_member):
    care_class = CareClassFactory(first_session=date(2030, 8, 1))
    care_class.sessions.create(date=FIRST_SESSION, starts_at="09:00", ends_at="11:00")
    child = child_born(parent_member, date(2024, 7, 20))  # 6 on 1 August, 5 on 15 July

    with pytest.raises(WelfareError):
        enrol(care_class, child, parent_member)


def test_a_full_class_refuses_with_class_full(summer_class, parent_member):
    for _ in range(2):
        other = MemberFactory(membership=Member.Membership.VERIFIED)
        enrol(summer_class, child_born(other, date(2020, 1, 1)), other)
    child = child_born(parent_member, date(2020, 1, 1))

    with pytest.raises(WelfareError) as refused:
        enrol(summer_class, child, parent_member)

    summer_class.refresh_from_db()
    assert (refused.value.status_code, refused.value.code) == (409, "class_full")
    assert (summer_class.enrolled, summer_class.enrolments.count()) == (2, 2)


def test_the_same_child_is_not_enrolled_twice(summer_class, parent_member):
    child = child_born(parent_member, date(2020, 1, 1))
    enrol(summer_class, child, parent_member)

    with pytest.raises(WelfareError) as refused:
        enrol(summer_class, child, parent_member)

    summer_class.refresh_from_db()
    assert (refused.value.status_code, refused.value.code) == (409, "already_enrolled")
    assert summer_class.enrolled == 1


@pytest.mark.parametrize("status", [CareClass.Status.DRAFT, CareClass.Status.CLOSED])
def test_a_class_not_open_refuses_enrolment(parent_member, status):
    care_class = CareClassFactory(first_session=FIRST_SESSION, status=status)

    with pytest.raises(WelfareError) as refused:
        enrol(care_class, child_born(parent_member, date(2020, 1, 1)), parent_member)

    assert (refused.value.status_code, refused.value.code) == (409, "class_not_open")


def test_an_unverified_member_cannot_enrol(summer_class):
    member = MemberFactory(membership=Member.Membership.CLAIMED)

    with pytest.raises(WelfareError) as refused:
        enrol(summer_class, child_born(member, date(2020, 1, 1)), member)

    assert (refused.value.status_code, refused.value.code) == (403, "not_eligible")
    assert CareClassEnrolment.objects.count() == 0


def test_a_member_cannot_enrol_someone_elses_child(summer_class, parent_member):
    stranger = MemberFactory(membership=Member.Membership.VERIFIED)
    child = child_born(stranger, date(2020, 1, 1))

    with pytest.raises(WelfareError) as refused:
        enrol(summer_class, child, parent_member)

    assert list(refused.value.fields) == ["child"]


def test_a_restricted_employer_class_takes_only_its_staffs_children(employer, parent_member):
    care_class = CareClassFactory(
        first_session=FIRST_SESSION,
        organiser_union=None,
        organiser_employer=employer,
        restricted_to_organiser=True,
    )
    child = child_born(parent_member, date(2020, 1, 1))

    with pytest.raises(WelfareError) as refused:
        enrol(care_class, child, parent_member)
    EmploymentFactory(member=parent_member, employer=employer)
    enrolment = enrol(care_class, child, parent_member)

    assert refused.value.code == "not_eligible"
    assert enrolment.status == "enrolled"


def test_cancelling_frees_the_place_once(summer_class, parent_member):
    enrolment = enrol(summer_class, child_born(parent_member, date(2020, 1, 1)), parent_member)

    services.care_class_enrolment_cancel(enrolment=enrolment, actor=parent_member.user)
    with pytest.raises(WelfareError) as refused:
        services.care_class_enrolment_cancel(enrolment=enrolment, actor=parent_member.user)

    summer_class.refresh_from_db()
    assert refused.value.status_code == 409
    assert summer_class.enrolled == 0


def test_a_cancelled_child_can_enrol_again(summer_class, parent_member):
    child = child_born(parent_member, date(2020, 1, 1))
    services.care_class_enrolment_cancel(
        enrolment=enrol(summer_class, child, parent_member), actor=parent_member.user
    )

    enrol(summer_class, child, parent_member)

    summer_class.refresh_from_db()
    assert (summer_class.enrolled, summer_class.enrolments.count()) == (1, 2)


def test_capacity_cannot_drop_below_the_children_enrolled(summer_class, parent_member, union_staff):
    enrol(summer_class, child_born(parent_member, date(2020, 1, 1)), parent_member)
    other = MemberFactory(membership=Member.Membership.VERIFIED)
    enrol(summer_class, child_born(other, date(2020, 1, 1)), other)

    with pytest.raises(WelfareError) as refused:
        services.care_class_update(care_class=summer_class, capacity=1, actor=union_staff)

    summer_class.refresh_from_db()
    assert list(refused.value.fields) == ["capacity"]
    assert summer_class.capacity == 2


def test_a_class_without_sessions_cannot_open(union_staff):
    care_class = CareClassFactory(first_session=False, status=CareClass.Status.DRAFT)

    with pytest.raises(WelfareError) as refused:
        services.care_class_set_status(
            care_class=care_class, status=CareClass.Status.OPEN, actor=union_staff
        )

    assert list(refused.value.fields) == ["sessions"]


def test_recognition_by_the_tangshan_federation_is_dated(union_staff):
    care_class = CareClassFactory()

    services.care_class_recognise(
        care_class=care_class,
        recognised_by=CareClass.RecognisedBy.TANGSHAN,
        recognised_on=date(2023, 10, 12),
        actor=union_staff,
    )

    care_class.refresh_from_db()
    assert (care_class.recognised_by, care_class.recognised_on) == ("tangshan", date(2023, 10, 12))


def test_recognition_without_a_date_is_refused(union_staff):
    care_class = CareClassFactory()

    with pytest.raises(WelfareError) as refused:
        services.care_class_recognise(
            care_class=care_class, recognised_by="tangshan", recognised_on=None, actor=union_staff
        )

    assert list(refused.value.fields) == ["recognised_on"]
