"""Growing up: on the first of each month, children who have outgrown their class move up.

A child whose age (completed months on the month's first day) passes the class's upper bound
moves to the next age class at the same centre when a class there has room (and, for bought
places, the programme's agreement for that age class too); otherwise the child stays and the
centre admins are told once per month. A child past the programme's oldest class there is
ended on the last day of that month. Each enrolment is handled in its own transaction, and a
second run in the same month changes nothing and sends nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from apps.centres.models import AgeClass, CentreClass
from apps.core.models import AuditRecord
from apps.core.services import audit_record
from apps.employers.models import PlaceAgreement, Programme
from apps.employers.pricing import age_classes_for, age_in_months, format_month, month_start
from apps.employers.selectors.programmes import agreement_valid_in

from ..models import Application, Enrolment
from .enrolments import enrolment_end
from .moves import By, application_lock
from .notices import notify
from .offers import queue_fill
from .places import NoPlace, group_lock, place_release, place_take

A = AgeClass
# The class a child moves up to from each class; None past the last kindergarten class.
NEXT_CLASS = {
    A.INFANT: A.TODDLER,
    A.TODDLER: A.OLDER_TODDLER,
    A.OLDER_TODDLER: A.KG_SMALL,
    A.MIXED: A.KG_SMALL,
    A.KG_SMALL: A.KG_MIDDLE,
    A.KG_MIDDLE: A.KG_LARGE,
    A.KG_LARGE: None,
}
# Which class is older than which (the mixed class ends where the older toddlers' does).
SENIORITY = {
    A.INFANT: 0,
    A.TODDLER: 1,
    A.MIXED: 2,
    A.OLDER_TODDLER: 2,
    A.KG_SMALL: 3,
    A.KG_MIDDLE: 4,
    A.KG_LARGE: 5,
}
# First month of age a class no longer takes (its half-open upper bound).
OUTGROWN_AT = {
    A.INFANT: 12,
    A.TODDLER: 24,
    A.OLDER_TODDLER: 37,
    A.MIXED: 37,
    A.KG_SMALL: 48,
    A.KG_MIDDLE: 60,
    A.KG_LARGE: 72,
}
NO_ROOM_ACTION = "enrolment.no_room_to_move_up"


@dataclass
class AgeingResult:
    moved: list[int] = field(default_factory=list)
    no_room: list[int] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)


def programme_age_classes(programme: Programme, centre_id: int, month: date) -> set[str]:
    """The age classes the programme places children in at this centre in `month`: those it
    has bought places for; for an own centre without agreements, the centre's open classes."""
    bought = set(
        PlaceAgreement.objects.filter(
            agreement_valid_in(month), programme=programme, centre_id=centre_id
        ).values_list("age_class", flat=True)
    )
    if bought or programme.delivery_model != Programme.DeliveryModel.OWN_CENTRE:
        return bought
    return set(
        CentreClass.objects.filter(centre_id=centre_id, is_active=True).values_list(
            "age_class", flat=True
        )
    )


def next_class_for(current: str, months: int) -> str | None:
    """The first class up the ladder that takes a child of `months`, or None."""
    fits = age_classes_for(months)
    target = NEXT_CLASS[current]
    while target is not None and target not in fits:
        target = NEXT_CLASS[target]
    return target


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def enrolments_age(*, month: date) -> AgeingResult:
    """Age every active enrolment for `month` (see the module doc)."""
    month = month_start(month)
    result = AgeingResult()
    ids = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).order_by("id")
    for pk in ids.values_list("id", flat=True):
        outcome = enrolment_age(enrolment_id=pk, month=month)
        if outcome in ("moved", "no_room", "ended"):
            getattr(result, outcome).append(pk)
    return result


def enrolment_age(*, enrolment_id: int, month: date) -> str:
    """Age one enrolment: "moved", "no_room", "ended" or "unchanged"."""
    enrolment = Enrolment.objects.select_related("child", "centre_class", "programme").get(
        pk=enrolment_id
    )
    if enrolment.status != Enrolment.Status.ACTIVE:
        return "unchanged"
    current = enrolment.centre_class.age_class
    months = age_in_months(enrolment.child.birth_date, month)
    if months < OUTGROWN_AT[current]:
        return "unchanged"
    target = next_class_for(current, months)
    offered = programme_age_classes(enrolment.programme, enrolment.centre_id, month)
    oldest = max((SENIORITY[age] for age in offered), default=-1)
    if target is None or SENIORITY[target] > oldest:
        enrolment_end(
            enrolment=enrolment,
            end_date=last_day(month),
            actor=None,
            by=By.SYSTEM,
            reason=_("Outgrew the programme's oldest class."),
        )
        return "ended"
    return _move_up(enrolment=enrolment, current=current, target=target, month=month)


@transaction.atomic
def _move_up(*, enrolment: Enrolment, current: str, target: str, month: date) -> str:
    group_lock((enrolment.centre_id, current), (enrolment.centre_id, target))
    application = application_lock(enrolment.application_id)
    if application.state != Application.State.ENROLLED or application.age_class != current:
        return "unchanged"  # moved or ended while we were looking
    try:
        class_id, agreement_id = place_take(application=application, age_class=target, month=month)
    except NoPlace:
        _tell_no_room(application, enrolment=enrolment, target=target, month=month)
        return "no_room"
    old_class_id, old_agreement_id = application.centre_class_id, application.place_agreement_id
    place_release(centre_class_id=old_class_id, agreement_id=old_agreement_id)
    application.age_class = target
    application.centre_class_id, application.place_agreement_id = class_id, agreement_id
    application.save(update_fields=["age_class", "centre_class", "place_agreement"])
    Enrolment.objects.filter(pk=enrolment.pk).update(
        centre_class_id=class_id, place_agreement_id=agreement_id
    )
    audit_record(
        actor=None,
        action="enrolment.move_up",
        target=enrolment,
        from_state=current,
        to_state=target,
        changes={"from_class": old_class_id, "to_class": class_id, "month": format_month(month)},
    )
    notify(application, "moved_up", month=format_month(month))
    # The outgrown class has a free place now: the first in its line is offered it.
    queue_fill(centre_id=application.centre_id, age_class=current)
    return "moved"


def _tell_no_room(application: Application, *, enrolment: Enrolment, target: str, month):
    marker = AuditRecord.objects.filter(
        action=NO_ROOM_ACTION,
        target_type=ContentType.objects.get_for_model(Enrolment),
        target_id=str(enrolment.pk),
        changes__month=format_month(month),
    )
    if marker.exists():
        return  # told already this month
    audit_record(
        actor=None,
        action=NO_ROOM_ACTION,
        target=enrolment,
        from_state=application.age_class,
        to_state=target,
        changes={"month": format_month(month)},
    )
    notify(
        application,
        "no_room_to_move_up",
        age_class=AgeClass(target).label,
        from_age_class=AgeClass(application.age_class).label,
        from_class_name=enrolment.centre_class.name,
    )
