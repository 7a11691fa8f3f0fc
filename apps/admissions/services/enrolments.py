"""Enrolments: begun when a parent accepts an offer, with the price as it was then, and ended by
the centre admin or the parent (or by the ageing run) with an end date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.centres.models import CentreClass
from apps.core.services import audit_record
from apps.employers.models import PlaceAgreement
from apps.employers.pricing import programme_quote

from ..errors import AdmissionsCode, conflict, full_clean_or_refuse, refuse
from ..models import Application, Enrolment
from .moves import By, application_move, by_for, move_allowed, refuse_move
from .notices import notify
from .offers import give_back_and_fill, lock_application

State = Application.State
ENROLMENT_FOREIGN_KEYS = [
    "application",
    "child",
    "programme",
    "centre",
    "centre_class",
    "place_agreement",
    "employer",
]


def _subsidised_siblings(application: Application) -> int:
    """The applicant's other children already enrolled in the programme (per-worker subsidy)."""
    return (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE,
            programme_id=application.programme_id,
            application__applicant_id=application.applicant_id,
        )
        .exclude(child_id=application.child_id)
        .count()
    )


def enrolment_begin(*, application: Application, actor) -> Enrolment:
    """Create the enrolment of a just-enrolled application, freezing today's quote for the
    class it holds. Called by `offer_accept` inside its transaction."""
    centre_class = CentreClass.objects.get(pk=application.centre_class_id)
    agreement = (
        PlaceAgreement.objects.get(pk=application.place_agreement_id)
        if application.place_agreement_id
        else None
    )
    quote = programme_quote(
        programme=application.programme,
        market_price=centre_class.monthly_price,
        other_children_subsidised=_subsidised_siblings(application),
        agreement=agreement,
    )
    enrolment = Enrolment(
        application=application,
        child_id=application.child_id,
        programme_id=application.programme_id,
        centre_id=application.centre_id,
        centre_class=centre_class,
        place_agreement=agreement,
        employer_id=application.employer_id,
        # Accepted after the start month began: the place starts today.
        start_date=max(application.start_month, timezone.localdate()),
        market_price=quote.market_price,
        parent_share_percent=quote.parent_share_percent,
        parent_fee=quote.parent_fee,
        employer_part=quote.employer_part,
        subsidy_amount=quote.subsidy,
        subsidy_basis=quote.subsidy_basis,
        subsidy_funder=quote.subsidy_funder,
        payment_mode=quote.payment_mode or "",
    )
    full_clean_or_refuse(enrolment, exclude=ENROLMENT_FOREIGN_KEYS, validate_constraints=False)
    enrolment.save()
    audit_record(
        actor=actor,
        action="enrolment.begin",
        target=enrolment,
        to_state=enrolment.status,
        changes={
            "centre_class": centre_class.pk,
            "market_price": str(quote.market_price),
            "parent_fee": str(quote.parent_fee),
            "subsidy_amount": str(quote.subsidy),
        },
    )
    return enrolment


def _check_end_date(enrolment: Enrolment, end_date: date | None) -> date:
    if end_date is None:
        raise refuse("end_date", _("Give the last day of the enrolment."))
    if end_date < enrolment.start_date:
        raise refuse(
            "end_date",
            _("The end date cannot be before the enrolment began (%(start)s).")
            % {"start": enrolment.start_date.isoformat()},
        )
    return end_date


@transaction.atomic
def enrolment_end(
    *, enrolment: Enrolment, end_date: date | None, actor, reason: str = "", by: By | None = None
) -> Enrolment:
    """Enrolled → ended on `end_date` (by the centre admin, the parent, or the ageing run);
    the place is given back at once and offered to the first in line."""
    locked_application = lock_application(enrolment.application_id)
    by = by or by_for(actor)
    if not move_allowed(locked_application.state, State.ENDED, by):
        raise refuse_move(locked_application, State.ENDED, by)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != Enrolment.Status.ACTIVE:
        raise conflict(
            _("This enrolment has already ended."), code=AdmissionsCode.INVALID_TRANSITION
        )
    end_date = _check_end_date(locked, end_date)
    class_id = locked_application.centre_class_id
    agreement_id = locked_application.place_agreement_id
    class_name = locked.centre_class.name
    application_move(
        application=locked_application,
        to_state=State.ENDED,
        actor=actor,
        by=by,
        reason=reason,
        changes={"end_date": end_date.isoformat()},
    )
    locked.status, locked.end_date = Enrolment.Status.ENDED, end_date
    full_clean_or_refuse(locked, exclude=ENROLMENT_FOREIGN_KEYS, validate_constraints=False)
    locked.save(update_fields=["status", "end_date"])
    audit_record(
        actor=actor,
        action="enrolment.end",
        target=locked,
        from_state=Enrolment.Status.ACTIVE,
        to_state=Enrolment.Status.ENDED,
        reason=reason,
        changes={"end_date": end_date.isoformat(), "by": str(by)},
    )
    event = {By.CENTRE_ADMIN: "ended_by_centre", By.PARENT: "ended_by_parent"}.get(by, "aged_out")
    notify(
        locked_application,
        event,
        reason=reason,
        end_date=end_date.isoformat(),
        class_name=class_name,
    )
    give_back_and_fill(
        centre_id=locked_application.centre_id,
        age_class=locked_application.age_class,
        class_id=class_id,
        agreement_id=agreement_id,
    )
    enrolment.__dict__.update(status=locked.status, end_date=end_date)
    return locked
