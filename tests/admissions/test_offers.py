"""Offers hold a place; declined, expired, withdrawn and ended give it back to the first in line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.admissions.errors import AdmissionsError
from apps.admissions.models import Application, Enrolment
from apps.admissions.services.applications import application_submit, application_withdraw
from apps.admissions.services.enrolments import enrolment_end
from apps.admissions.services.offers import (
    application_offer,
    offer_accept,
    offer_decline,
    offer_expire,
    offers_expire_due,
)
from apps.centres.models import CentreClass
from apps.core.models import AuditRecord, Notice
from apps.employers.models import PlaceAgreement, Programme
from tests.admissions.factories import (
    application,
    as_seen,
    centre_admin,
    family,
    place,
    start_month,
)

pytestmark = pytest.mark.django_db
State = Application.State


def places_taken(setting) -> int:
    return CentreClass.objects.get(pk=setting.centre_class.pk).places_taken


def state_of(row) -> str:
    return Application.objects.get(pk=row.pk).state


def test_declining_gives_the_place_to_the_first_in_line_at_once():
    setting = place(capacity=1)
    offered = application(setting, State.OFFERED)
    first = application(setting, State.WAITING)
    second = application(setting, State.WAITING)

    offer_decline(application=offered, actor=offered.applicant.user)

    assert [state_of(offered), state_of(first), state_of(second)] == [
        State.DECLINED,
        State.OFFERED,
        State.WAITING,
    ]
    assert places_taken(setting) == 1


def test_priority_group_comes_before_earlier_submission():
    setting = place(capacity=1, priority_groups=[Programme.PriorityGroup.SHIFT_WORKER])
    offered = application(setting, State.OFFERED)
    earlier = application(setting, State.WAITING, priority_rank=99)
    shift_worker = application(setting, State.WAITING, priority_rank=0)

    offer_decline(application=offered, actor=offered.applicant.user)

    assert [state_of(earlier), state_of(shift_worker)] == [State.WAITING, State.OFFERED]


def test_shift_worker_declared_on_applying_is_ranked_in_the_first_priority_group():
    setting = place(priority_groups=["multi_child", "shift_worker"])
    kin = family(setting.employer)

    submitted = application_submit(
        member=kin.member,
        child=kin.child,
        programme=setting.programme,
        centre=setting.centre,
        age_class=setting.age_class,
        start_month=start_month(),
        shift_worker=True,
        actor=kin.user,
    )

    assert (submitted.priority_rank, submitted.priority_groups) == (1, ["shift_worker"])


def test_two_children_under_six_put_the_family_in_the_multi_child_group():
    setting = place(priority_groups=["shift_worker", "multi_child"])
    kin = family(setting.employer)
    family(setting.employer, member=kin.member, months_old=40)

    submitted = application_submit(
        member=kin.member,
        child=kin.child,
        programme=setting.programme,
        centre=setting.centre,
        age_class=setting.age_class,
        start_month=start_month(),
        actor=kin.user,
    )

    assert (submitted.priority_rank, submitted.priority_groups) == (1, ["multi_child"])


def test_withdrawing_an_offer_gives_the_place_to_the_next_in_line():
    setting = place(capacity=1)
    offered = application(setting, State.OFFERED)
    waiting = application(setting, State.WAITING)

    application_withdraw(application=offered, actor=offered.applicant.user)

    assert [state_of(offered), state_of(waiting)] == [State.WITHDRAWN, State.OFFERED]


def test_ending_an_enrolment_gives_the_place_to_the_next_in_line():
    setting = place(capacity=1, bought=1)
    enrolled = application(setting, State.ENROLLED)
    waiting = application(setting, State.WAITING)
    admin = centre_admin(setting.centre)

    enrolment_end(
        enrolment=Enrolment.objects.get(application=enrolled), end_date=start_month(), actor=admin
    )

    assert [state_of(enrolled), state_of(waiting)] == [State.ENDED, State.OFFERED]
    assert Enrolment.objects.get(application=enrolled).status == Enrolment.Status.ENDED
    assert PlaceAgreement.objects.get(pk=setting.agreement.pk).places_taken == 1
    assert Notice.objects.filter(recipient=enrolled.applicant.user).count() == 1


def test_an_offer_past_its_deadline_expires_and_the_next_in_line_is_offered():
    setting = place(capacity=1)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))
    waiting = application(setting, State.WAITING)

    expired = offers_expire_due()

    assert expired == [overdue.pk]
    assert [state_of(overdue), state_of(waiting)] == [State.EXPIRED, State.OFFERED]
    assert places_taken(setting) == 1
    expected = as_seen("The place offered for %(child)s has expired", child=overdue.child.full_name)
    assert list(
        Notice.objects.filter(recipient=overdue.applicant.user).values_list("title", flat=True)
    ) == [expected]


def test_an_offer_still_in_time_is_left_alone_by_the_expiry_run():
    setting = place(capacity=1)
    offered = application(setting, State.OFFERED, expires_in=timedelta(hours=1))

    assert offers_expire_due() == []
    assert state_of(offered) == State.OFFERED


def test_expiring_the_same_offer_twice_changes_nothing_the_second_time():
    setting = place(capacity=2)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))
    offer_expire(application_id=overdue.pk)
    audits = AuditRecord.objects.count()

    assert offer_expire(application_id=overdue.pk) is None
    assert (AuditRecord.objects.count(), places_taken(setting)) == (audits, 0)


def test_accepting_an_expired_offer_is_refused_and_nothing_changes():
    setting = place(capacity=1)
    overdue = application(setting, State.OFFERED, expires_in=timedelta(minutes=-1))

    with pytest.raises(AdmissionsError) as caught:
        offer_accept(application=overdue, actor=overdue.applicant.user)

    assert caught.value.code == "offer_expired"
    assert (state_of(overdue), Enrolment.objects.count()) == (State.OFFERED, 0)


def test_the_offer_deadline_is_the_programmes_days_to_answer():
    setting = place(capacity=1, offer_days=3)
    waiting = application(setting, State.WAITING)
    before = timezone.now()

    offered = application_offer(application=waiting, actor=centre_admin(setting.centre))

    assert (
        before + timedelta(days=3) <= offered.offer_expires_at <= timezone.now() + timedelta(days=3)
    )


def test_centre_admin_offer_is_refused_when_no_place_is_free():
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    waiting = application(setting, State.WAITING)

    with pytest.raises(AdmissionsError) as caught:
        application_offer(application=waiting, actor=centre_admin(setting.centre))

    assert (caught.value.code, caught.value.status_code) == ("no_place", 409)
    assert (state_of(waiting), places_taken(setting)) == (State.WAITING, 1)


def test_a_full_agreement_refuses_the_offer_even_when_the_class_has_room():
    setting = place(capacity=10, bought=1)
    application(setting, State.OFFERED)
    waiting = application(setting, State.WAITING)

    with pytest.raises(AdmissionsError) as caught:
        application_offer(application=waiting, actor=centre_admin(setting.centre))

    assert caught.value.code == "no_place"
    assert places_taken(setting) == 1
    assert PlaceAgreement.objects.get(pk=setting.agreement.pk).places_taken == 1


def test_accepting_enrols_the_child_and_tells_the_centre_admins():
    setting = place(capacity=1)
    offered = application(setting, State.OFFERED)
    admin = centre_admin(setting.centre)

    enrolment = offer_accept(application=offered, actor=offered.applicant.user)

    assert (state_of(offered), enrolment.status, enrolment.centre_class_id) == (
        State.ENROLLED,
        Enrolment.Status.ACTIVE,
        setting.centre_class.pk,
    )
    assert Notice.objects.get(recipient=admin).title == as_seen(
        "New enrolment: %(child)s", child=offered.child.full_name
    )
    assert places_taken(setting) == 1


def test_a_child_enrolled_elsewhere_cannot_accept_a_second_offer():
    setting, elsewhere = place(), place()
    enrolled = application(setting, State.ENROLLED)
    from types import SimpleNamespace

    kin = SimpleNamespace(member=enrolled.applicant, child=enrolled.child)
    second = application(elsewhere, State.OFFERED, kin=kin)

    with pytest.raises(AdmissionsError) as caught:
        offer_accept(application=second, actor=kin.member.user)

    assert caught.value.code == "already_enrolled"
    assert state_of(second) == State.OFFERED
