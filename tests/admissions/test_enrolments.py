"""The enrolment keeps the price as it was when it began; ending it needs a sensible date."""

from datetime import timedelta
from decimal import Decimal

import pytest

from apps.admissions.errors import AdmissionsError
from apps.admissions.models import Application, Enrolment
from apps.admissions.services.enrolments import enrolment_end
from apps.admissions.services.offers import offer_accept
from apps.centres.services import centre_class_update
from apps.employers.models import Programme
from tests.admissions.factories import application, as_seen, family, place

pytestmark = pytest.mark.django_db
State = Application.State


def test_enrolment_keeps_the_price_of_the_day_it_began_after_the_class_price_changes(
    union_staff,
):
    setting = place(
        price=Decimal("2000.00"),
        parent_share_percent=Decimal("45.00"),
        subsidy_amount=Decimal("200.00"),
    )
    offered = application(setting, State.OFFERED)
    enrolment = offer_accept(application=offered, actor=offered.applicant.user)

    centre_class_update(
        centre_class=setting.centre_class, actor=union_staff, monthly_price=Decimal("2600.00")
    )
    Programme.objects.filter(pk=setting.programme.pk).update(parent_share_percent=Decimal("80"))

    kept = Enrolment.objects.get(pk=enrolment.pk)
    assert (
        kept.market_price,
        kept.parent_share_percent,
        kept.parent_fee,
        kept.employer_part,
        kept.subsidy_amount,
    ) == (
        Decimal("2000.00"),
        Decimal("45.00"),
        Decimal("900.00"),
        Decimal("1100.00"),
        Decimal("200.00"),
    )


def test_enrolment_takes_the_price_of_the_class_the_offer_holds():
    setting = place(price=Decimal("1500.00"), parent_share_percent=Decimal("85.00"))
    offered = application(setting, State.OFFERED)

    enrolment = offer_accept(application=offered, actor=offered.applicant.user)

    assert (enrolment.market_price, enrolment.parent_fee, enrolment.employer_part) == (
        Decimal("1500.00"),
        Decimal("1275.00"),
        Decimal("225.00"),
    )


def test_a_per_worker_subsidy_is_paid_for_the_first_enrolled_child_only():
    setting = place(capacity=3, subsidy_basis=Programme.SubsidyBasis.PER_WORKER)
    kin = family(setting.employer)
    sibling = family(setting.employer, member=kin.member)
    first = application(setting, State.OFFERED, kin=kin)
    second = application(setting, State.OFFERED, kin=sibling)

    offer_accept(application=first, actor=kin.user)
    enrolment = offer_accept(application=second, actor=kin.user)

    assert enrolment.subsidy_amount == Decimal("0.00")


def test_an_end_date_before_the_enrolment_began_is_refused_naming_it():
    setting = place()
    enrolled = application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=enrolled)

    with pytest.raises(AdmissionsError) as caught:
        enrolment_end(
            enrolment=enrolment,
            end_date=enrolment.start_date - timedelta(days=1),
            actor=enrolled.applicant.user,
        )

    assert list(caught.value.fields) == ["end_date"]
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ACTIVE


def test_the_parent_ends_the_enrolment_and_the_centre_admins_are_told(centre_admin_user):
    setting = place()
    from apps.centres.models import CentreAdmin

    CentreAdmin.objects.create(user=centre_admin_user, centre=setting.centre)
    enrolled = application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=enrolled)

    enrolment_end(enrolment=enrolment, end_date=enrolment.start_date, actor=enrolled.applicant.user)

    ended = Enrolment.objects.get(pk=enrolment.pk)
    assert (ended.status, ended.end_date) == (Enrolment.Status.ENDED, enrolment.start_date)
    assert centre_admin_user.notices.get().title == as_seen(
        "Enrolment ends: %(child)s", child=enrolled.child.full_name
    )
