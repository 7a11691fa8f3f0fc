"""The state table: every move not in it is refused with nothing changed, through the one move
function and through each public service."""

import itertools

import pytest
from django.forms.models import model_to_dict

from apps.admissions.errors import AdmissionsError
from apps.admissions.models import Application, Enrolment
from apps.admissions.services.applications import (
    application_confirm_employment,
    application_reject,
    application_withdraw,
)
from apps.admissions.services.enrolments import enrolment_end
from apps.admissions.services.moves import MOVES, By, application_move
from apps.admissions.services.offers import (
    application_offer,
    lock_application,
    offer_accept,
    offer_decline,
)
from apps.centres.models import CentreClass
from apps.core.models import AuditRecord, Notice
from tests.admissions.factories import application, centre_admin, employer_admin, place, start_month

pytestmark = pytest.mark.django_db
State = Application.State
ILLEGAL = [pair for pair in itertools.product(State.values, repeat=2) if pair not in MOVES]


def snapshot(row: Application) -> tuple:
    row = Application.objects.get(pk=row.pk)
    return (
        model_to_dict(row),
        list(CentreClass.objects.order_by("id").values_list("places_taken", flat=True)),
        AuditRecord.objects.count(),
        Notice.objects.count(),
        Enrolment.objects.count(),
    )


def test_the_table_has_the_issues_fifteen_moves_and_everything_else_is_illegal():
    assert (len(MOVES), len(ILLEGAL)) == (15, 85)


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL, ids="→".join)
def test_every_move_not_in_the_table_is_refused_for_everyone_and_nothing_changes(
    from_state, to_state
):
    setting = place()
    row = application(setting, from_state)
    before = snapshot(row)

    refused = []
    for by in By:
        with pytest.raises(AdmissionsError) as caught:
            application_move(
                application=lock_application(row),
                to_state=to_state,
                actor=None,
                by=by,
                reason="理由",
            )
        refused.append(caught.value.code)

    assert refused == ["invalid_transition"] * len(By)
    assert snapshot(row) == before


@pytest.mark.parametrize(
    ("from_state", "to_state", "by"),
    [
        (from_state, to_state, by)
        for (from_state, to_state), allowed in MOVES.items()
        for by in By
        if by not in allowed
    ],
)
def test_a_move_in_the_table_by_someone_it_does_not_name_is_refused(from_state, to_state, by):
    setting = place()
    row = application(setting, from_state)
    before = snapshot(row)

    with pytest.raises(AdmissionsError) as caught:
        application_move(
            application=lock_application(row), to_state=to_state, actor=None, by=by, reason="理由"
        )

    assert caught.value.code == "invalid_transition"
    assert snapshot(row) == before


def _confirm(setting, row):
    application_confirm_employment(application=row, actor=employer_admin(setting.employer))


def _offer(setting, row):
    application_offer(application=row, actor=centre_admin(setting.centre))


def _accept(setting, row):
    offer_accept(application=row, actor=row.applicant.user)


def _decline(setting, row):
    offer_decline(application=row, actor=row.applicant.user)


def _withdraw(setting, row):
    application_withdraw(application=row, actor=row.applicant.user)


def _reject_by_employer(setting, row):
    application_reject(
        application=row, actor=employer_admin(setting.employer), reason="非本单位职工"
    )


def _reject_by_centre(setting, row):
    application_reject(application=row, actor=centre_admin(setting.centre), reason="材料不全")


SERVICES = {
    "confirm": (_confirm, {State.SUBMITTED}),
    "offer": (_offer, {State.EMPLOYMENT_CONFIRMED, State.WAITING}),
    "accept": (_accept, {State.OFFERED}),
    "decline": (_decline, {State.OFFERED}),
    "withdraw": (
        _withdraw,
        {State.SUBMITTED, State.EMPLOYMENT_CONFIRMED, State.WAITING, State.OFFERED},
    ),
    "reject_by_employer": (_reject_by_employer, {State.SUBMITTED}),
    "reject_by_centre": (_reject_by_centre, {State.EMPLOYMENT_CONFIRMED, State.WAITING}),
}


@pytest.mark.parametrize(
    ("service", "from_state"),
    [
        (name, state)
        for name, (_call, allowed) in SERVICES.items()
        for state in State.values
        if state not in allowed
    ],
)
def test_each_service_refuses_applications_in_states_it_cannot_move_from(service, from_state):
    setting = place()
    row = application(setting, from_state)
    call = SERVICES[service][0]
    before = snapshot(row)

    with pytest.raises(AdmissionsError) as caught:
        call(setting, row)

    assert caught.value.code == "invalid_transition"
    assert snapshot(row) == before


def test_ending_an_enrolment_twice_is_refused_and_nothing_changes():
    setting = place()
    row = application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=row)
    enrolment_end(enrolment=enrolment, end_date=start_month(), actor=row.applicant.user)
    before = snapshot(row)

    with pytest.raises(AdmissionsError) as caught:
        enrolment_end(enrolment=enrolment, end_date=start_month(), actor=row.applicant.user)

    assert caught.value.code == "invalid_transition"
    assert snapshot(row) == before


def test_rejecting_without_a_reason_is_refused_naming_the_reason():
    setting = place()
    row = application(setting, State.WAITING)
    before = snapshot(row)

    with pytest.raises(AdmissionsError) as caught:
        application_reject(application=row, actor=centre_admin(setting.centre), reason="  ")

    assert list(caught.value.fields) == ["reason"]
    assert snapshot(row) == before
