"""Applying: the rules, each refused naming its field, and the system's moves on submit."""

from datetime import date

import pytest

from apps.admissions.errors import AdmissionsError
from apps.admissions.models import Application
from apps.admissions.services.applications import application_submit
from apps.centres.models import AgeClass
from apps.core.models import AuditRecord, Notice
from apps.employers.models import Employment, Programme
from apps.members.models import Member
from tests.admissions.factories import (
    application,
    as_seen,
    employer_admin,
    family,
    place,
    start_month,
)
from tests.employers.factories import EmploymentFactory

pytestmark = pytest.mark.django_db
State = Application.State


def submit(setting, kin, **overrides):
    values = {
        "member": kin.member,
        "child": kin.child,
        "programme": setting.programme,
        "centre": setting.centre,
        "age_class": setting.age_class,
        "start_month": start_month(),
        "actor": kin.user,
    }
    return application_submit(**(values | overrides))


def refusal(setting, kin, **overrides) -> AdmissionsError:
    with pytest.raises(AdmissionsError) as caught:
        submit(setting, kin, **overrides)
    return caught.value


def test_roster_verified_applicant_with_a_free_place_is_offered_it_at_once():
    setting = place(capacity=3)
    kin = family(setting.employer)

    submitted = submit(setting, kin)

    setting.centre_class.refresh_from_db()
    assert (submitted.state, submitted.centre_class_id) == (State.OFFERED, setting.centre_class.pk)
    assert setting.centre_class.places_taken == 1
    assert list(
        AuditRecord.objects.filter(target_id=str(submitted.pk))
        .order_by("id")
        .values_list("from_state", "to_state")
    ) == [
        ("", "submitted"),
        ("submitted", "employment_confirmed"),
        ("employment_confirmed", "offered"),
    ]


def test_applicant_goes_on_the_waiting_list_when_no_place_is_free():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    kin = family(setting.employer)

    submitted = submit(setting, kin)

    assert (submitted.state, submitted.centre_class_id) == (State.WAITING, None)
    assert Notice.objects.get(recipient=kin.user).body == as_seen(
        "No place is free yet; you are number %(place)s in line.", place=1
    )


def test_employer_confirmed_employment_waits_for_the_employer_admin():
    setting = place()
    admin = employer_admin(setting.employer)
    kin = family(setting.employer, verified_by=Employment.VerifiedBy.EMPLOYER)

    submitted = submit(setting, kin)

    assert submitted.state == State.SUBMITTED
    notice = Notice.objects.get(recipient=admin)
    assert kin.child.full_name not in notice.title + notice.body
    assert kin.member.full_name in notice.title


def test_age_outside_the_class_is_refused_naming_the_age_class():
    setting = place(age_class=AgeClass.TODDLER)
    kin = family(setting.employer, months_old=24)

    error = refusal(setting, kin)

    assert (error.code, list(error.fields)) == ("age_mismatch", ["age_class"])
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("age_class", "months", "fits"),
    [
        (AgeClass.INFANT, 5, False),
        (AgeClass.INFANT, 6, True),
        (AgeClass.INFANT, 12, False),
        (AgeClass.TODDLER, 12, True),
        (AgeClass.TODDLER, 24, False),
        (AgeClass.OLDER_TODDLER, 36, True),
        (AgeClass.OLDER_TODDLER, 37, False),
        (AgeClass.MIXED, 17, False),
        (AgeClass.MIXED, 18, True),
        (AgeClass.KG_SMALL, 36, True),
        (AgeClass.KG_LARGE, 71, True),
        (AgeClass.KG_LARGE, 72, False),
    ],
)
def test_age_class_boundaries_are_half_open_as_in_the_design(age_class, months, fits):
    setting = place(age_class=age_class, capacity=5)
    kin = family(setting.employer, months_old=months)

    if fits:
        assert submit(setting, kin).state == State.OFFERED
    else:
        assert list(refusal(setting, kin).fields) == ["age_class"]


def test_another_familys_child_is_refused_naming_the_child():
    setting = place()
    kin, other = family(setting.employer), family(setting.employer)

    error = refusal(setting, kin, child=other.child)

    assert list(error.fields) == ["child"]
    assert Application.objects.count() == 0


def test_unverified_member_cannot_apply_to_a_federation_programme():
    setting = place(delivery_model=Programme.DeliveryModel.FEDERATION, bought=5)
    kin = family(None, membership=Member.Membership.CLAIMED)

    error = refusal(setting, kin)

    assert (error.code, list(error.fields)) == ("not_eligible", ["programme"])


def test_worker_of_an_unlisted_employer_is_refused_naming_the_programme():
    setting = place()
    kin = family(None)

    assert list(refusal(setting, kin).fields) == ["programme"]


def test_a_programme_not_approved_is_refused_naming_the_programme():
    setting = place(status=Programme.Status.SUSPENDED)

    assert list(refusal(setting, family(setting.employer)).fields) == ["programme"]


def test_a_programme_that_ended_before_the_start_month_is_refused():
    setting = place(end_date=date(2025, 1, 31))

    assert list(refusal(setting, family(setting.employer)).fields) == ["programme"]


def test_second_open_application_for_the_same_child_and_programme_is_refused():
    setting = place()
    kin = family(setting.employer)
    first = submit(setting, kin)

    error = refusal(setting, kin)

    assert (error.code, error.status_code, list(error.fields)) == (
        "duplicate_application",
        409,
        ["child"],
    )
    assert list(Application.objects.values_list("pk", flat=True)) == [first.pk]


def test_an_enrolled_child_cannot_apply_to_another_programme():
    setting, elsewhere = place(), place()
    kin = family(setting.employer)
    application(setting, State.ENROLLED, kin=kin)
    EmploymentFactory(member=kin.member, employer=elsewhere.employer)

    error = refusal(elsewhere, kin)

    assert (error.code, list(error.fields)) == ("already_enrolled", ["child"])


def test_a_start_month_in_the_past_is_refused_naming_it():
    setting = place()

    error = refusal(setting, family(setting.employer), start_month=date(2024, 1, 1))

    assert list(error.fields) == ["start_month"]


def test_a_centre_outside_the_programme_is_refused_naming_the_centre():
    setting, other = place(), place()

    assert list(refusal(setting, family(setting.employer), centre=other.centre).fields) == [
        "centre"
    ]


def test_the_quote_shown_is_kept_on_the_application():
    setting = place(parent_share_percent="50.00", subsidy_amount="200.00")

    submitted = submit(setting, family(setting.employer))

    assert submitted.quote["parent_fee"] == "900.00"
    assert submitted.quote["net_monthly_cost"] == "700.00"
