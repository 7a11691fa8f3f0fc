"""Offers: the system offering free places to the first in line, a centre admin's offer, and
the parent's answer (accept, decline) or the offer's expiry. An offer holds a place; declined,
expired, withdrawn and ended give it back and the first in line is offered it at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.centres.models import AgeClass, CentreClass

from ..errors import AdmissionsCode, conflict, refuse
from ..models import Application, Enrolment
from .moves import By, application_lock, application_move, by_for, move_allowed, refuse_move
from .notices import notify
from .places import (
    QUEUE_STATES,
    NoPlace,
    group_has_room,
    group_lock,
    next_in_line,
    place_release,
    place_take,
)

State = Application.State
DEFAULT_OFFER_DAYS = 7
MAX_LOCK_ATTEMPTS = 3


def lock_application(application: Application | int) -> Application:
    """Take the application's place-group lock, then its row lock (the fixed lock order).

    The group is read before the row is locked; ageing may move an enrolment to another
    group in between, so the pair is re-checked and the lock taken again if it changed.
    """
    pk = application if isinstance(application, int) else application.pk
    for _attempt in range(MAX_LOCK_ATTEMPTS):
        group = Application.objects.values_list("centre_id", "age_class").get(pk=pk)
        group_lock(group)
        locked = application_lock(pk)
        if (locked.centre_id, locked.age_class) == group:
            return locked
    raise RuntimeError("the application kept changing place group while being locked")


def offer_deadline(application: Application) -> datetime:
    """When an offer made now expires: after the programme's days to answer (default 7)."""
    days = application.programme.offer_days or DEFAULT_OFFER_DAYS
    return timezone.now() + timedelta(days=days)


def notify_offered(application: Application) -> None:
    deadline = timezone.localtime(application.offer_expires_at).strftime("%Y-%m-%d %H:%M")
    notify(application, "offered", deadline=deadline)


def _offer(application: Application, *, class_id: int, agreement_id, actor, by: By, reason=""):
    moved = application_move(
        application=application,
        to_state=State.OFFERED,
        actor=actor,
        by=by,
        reason=reason,
        centre_class_id=class_id,
        place_agreement_id=agreement_id,
        offer_expires_at=offer_deadline(application),
        changes={"centre_class": class_id, "place_agreement": agreement_id},
    )
    notify_offered(moved)
    return moved


def queue_fill(*, centre_id: int, age_class: str) -> list[int]:
    """Offer the group's free places to the first in line until none is left; returns the ids
    offered. The caller holds the group lock, so the line cannot change underneath."""
    offered: list[int] = []
    skip: set[int] = set()  # programmes whose bought places here are all taken
    while group_has_room(centre_id, age_class):
        candidate = next_in_line(centre_id=centre_id, age_class=age_class, skip_programmes=skip)
        if candidate is None:
            break
        locked = application_lock(candidate)
        if locked.state not in QUEUE_STATES:
            continue
        try:
            class_id, agreement_id = place_take(application=locked)
        except NoPlace as no_place:
            if no_place.scope == "class":
                break
            skip.add(locked.programme_id)
            continue
        _offer(locked, class_id=class_id, agreement_id=agreement_id, actor=None, by=By.SYSTEM)
        offered.append(locked.pk)
    return offered


def give_back_and_fill(*, centre_id: int, age_class: str, class_id: int, agreement_id) -> None:
    """Return a held place and offer it to the first in line (caller holds the group lock)."""
    place_release(centre_class_id=class_id, agreement_id=agreement_id)
    queue_fill(centre_id=centre_id, age_class=age_class)


def _no_place_message(application: Application, scope: str) -> str:
    if scope == "agreement":
        return _("All places %(programme)s has at %(centre)s for the %(age_class)s are taken.") % {
            "programme": application.programme.name,
            "centre": application.centre.name,
            "age_class": AgeClass(application.age_class).label,
        }
    return _("No %(age_class)s at %(centre)s has a free place.") % {
        "centre": application.centre.name,
        "age_class": AgeClass(application.age_class).label,
    }


@transaction.atomic
def application_offer(
    *, application: Application, actor, centre_class: CentreClass | None = None, reason: str = ""
) -> Application:
    """A centre admin offers a free place to an application in line, whatever its position;
    refused (409 `no_place`, nothing changed) when there is no free place."""
    locked = lock_application(application)
    by = by_for(actor)
    if not move_allowed(locked.state, State.OFFERED, by):
        raise refuse_move(locked, State.OFFERED, by)
    if centre_class is not None and (
        centre_class.centre_id != locked.centre_id or centre_class.age_class != locked.age_class
    ):
        raise refuse(
            "centre_class",
            _("Choose a class of the application's age class at its centre."),
        )
    try:
        class_id, agreement_id = place_take(
            application=locked, centre_class_id=centre_class.pk if centre_class else None
        )
    except NoPlace as no_place:
        message = _no_place_message(locked, no_place.scope)
        raise conflict(message, code=AdmissionsCode.NO_PLACE, field="centre_class") from None
    return _offer(
        locked, class_id=class_id, agreement_id=agreement_id, actor=actor, by=by, reason=reason
    )


def _check_answerable(application: Application, to_state: str, by: By) -> None:
    if not move_allowed(application.state, to_state, by):
        raise refuse_move(application, to_state, by)
    if application.offer_expires_at <= timezone.now():
        deadline = timezone.localtime(application.offer_expires_at).strftime("%Y-%m-%d %H:%M")
        message = _("This offer expired at %(deadline)s.") % {"deadline": deadline}
        raise conflict(message, code=AdmissionsCode.OFFER_EXPIRED, field="state")


def _already_enrolled() -> Exception:
    return conflict(
        _("This child is already enrolled; end that enrolment first."),
        code=AdmissionsCode.ALREADY_ENROLLED,
        field="child",
    )


@transaction.atomic
def offer_accept(*, application: Application, actor) -> Enrolment:
    """The parent accepts: the application is enrolled and the enrolment starts with the price
    as it is now (its snapshot never changes). One enrolment per child at a time."""
    from .enrolments import enrolment_begin

    locked = lock_application(application)
    by = by_for(actor)
    _check_answerable(locked, State.ENROLLED, by)
    if Application.objects.filter(child_id=locked.child_id, state=State.ENROLLED).exists():
        raise _already_enrolled()
    try:
        with transaction.atomic():
            application_move(application=locked, to_state=State.ENROLLED, actor=actor, by=by)
            enrolment = enrolment_begin(application=locked, actor=actor)
    except IntegrityError:
        # Two offers for one child accepted at once: the partial unique indexes decide.
        raise _already_enrolled() from None
    notify(locked, "enrolled")
    return enrolment


def _answer_releasing(*, application, to_state: str, actor, by: By, reason: str, event: str):
    class_id, agreement_id = application.centre_class_id, application.place_agreement_id
    class_name = application.centre_class.name  # the notice names the class the place was in
    moved = application_move(
        application=application, to_state=to_state, actor=actor, by=by, reason=reason
    )
    notify(moved, event, reason=reason, class_name=class_name)
    give_back_and_fill(
        centre_id=moved.centre_id,
        age_class=moved.age_class,
        class_id=class_id,
        agreement_id=agreement_id,
    )
    return moved


@transaction.atomic
def offer_decline(*, application: Application, actor, reason: str = "") -> Application:
    """The parent declines; the place goes to the first in line at once."""
    locked = lock_application(application)
    by = by_for(actor)
    if not move_allowed(locked.state, State.DECLINED, by):
        raise refuse_move(locked, State.DECLINED, by)
    return _answer_releasing(
        application=locked,
        to_state=State.DECLINED,
        actor=actor,
        by=by,
        reason=reason,
        event="declined",
    )


@transaction.atomic
def offer_expire(*, application_id: int, now: datetime | None = None) -> Application | None:
    """Expire one unanswered offer past its deadline; a no-op (None) when it is not one, so a
    task may run it twice."""
    now = now or timezone.now()
    locked = lock_application(application_id)
    if locked.state != State.OFFERED or locked.offer_expires_at > now:
        return None
    return _answer_releasing(
        application=locked,
        to_state=State.EXPIRED,
        actor=None,
        by=By.SYSTEM,
        reason="",
        event="expired",
    )


def offers_expire_due(*, now: datetime | None = None) -> list[int]:
    """Expire every offer past its deadline, each in its own transaction; returns their ids."""
    now = now or timezone.now()
    due = Application.objects.filter(state=State.OFFERED, offer_expires_at__lte=now)
    expired = []
    for pk in due.order_by("offer_expires_at", "id").values_list("id", flat=True):
        if offer_expire(application_id=pk, now=now) is not None:
            expired.append(pk)
    return expired


def queues_fill_free() -> list[int]:
    """Offer places that are free while someone waits (e.g. after a centre raised a class's
    capacity), group by group, each in its own transaction; returns the ids offered."""
    groups = (
        Application.objects.filter(state__in=QUEUE_STATES)
        .values_list("centre_id", "age_class")
        .distinct()
        .order_by("centre_id", "age_class")
    )
    offered: list[int] = []
    for centre_id, age_class in groups:
        if not group_has_room(centre_id, age_class):
            continue
        with transaction.atomic():
            group_lock((centre_id, age_class))
            offered += queue_fill(centre_id=centre_id, age_class=age_class)
    return offered
