"""Places: taking and giving back one place, and offering free places to the first in line.

How capacity is guarded (DESIGN: "guarded in the database"):
- Every counter change is one conditional UPDATE (`places_taken < capacity`), and the
  CheckConstraints on CentreClass and PlaceAgreement refuse anything above capacity anyway.
  The agreement place and the class place are taken both or neither: the agreement's is given
  back at once when no class has room.
- Every change to the places of one centre's age class, and every offer from its queues, runs
  under `pg_advisory_xact_lock` keyed on (centre, age class), held until commit. The key is
  the place group rather than (programme, centre, age class) because a class is shared by every
  programme placing children at that centre: one key per programme would still let two queues
  race for the same class rows (in opposite orders, i.e. deadlocks) and would not keep one line.
  An advisory key also exists when no agreement row does (own-centre programmes), which a
  `SELECT ... FOR UPDATE` on the agreement could not cover. Under the lock the line is read,
  offered and committed in order, so two offers never go to the same place or out of turn.
- Lock order, everywhere: group lock(s) in sorted key order, then the application row, then
  the agreement row, then the class row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery

from apps.centres.models import Centre, CentreClass
from apps.employers.models import PlaceAgreement, Programme
from apps.employers.selectors.programmes import agreement_valid_in

from ..models import Application

logger = logging.getLogger(__name__)

QUEUE_STATES = (Application.State.EMPLOYMENT_CONFIRMED, Application.State.WAITING)


class NoPlace(Exception):
    """No free place for this application: in its bought places (`scope="agreement"`) or in
    the centre's classes of its age class (`scope="class"`)."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


def group_key(centre_id: int, age_class: str) -> str:
    return f"admissions.places:{centre_id}:{age_class}"


def group_lock(*groups: tuple[int, str]) -> None:
    """Hold the place groups' advisory locks until the transaction ends (sorted: no deadlock)."""
    keys = sorted({group_key(centre_id, age_class) for centre_id, age_class in groups})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def agreement_ids_for(
    *, programme_id: int, centre_id: int, age_class: str, month: date
) -> list[int]:
    """The programme's agreements for this place valid in `month`, oldest first (as quoted)."""
    return list(
        PlaceAgreement.objects.filter(
            agreement_valid_in(month),
            programme_id=programme_id,
            centre_id=centre_id,
            age_class=age_class,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


def _take_agreement(ids: list[int]) -> int | None:
    for pk in ids:
        taken = PlaceAgreement.objects.filter(pk=pk, places_taken__lt=F("places")).update(
            places_taken=F("places_taken") + 1
        )
        if taken:
            return pk
    return None


def _classes_with_room(centre_id: int, age_class: str) -> list[CentreClass]:
    # Cheapest class with room first: that is the price the quote showed (lowest with room).
    return list(
        CentreClass.objects.filter(
            centre_id=centre_id,
            age_class=age_class,
            is_active=True,
            places_taken__lt=F("capacity"),
        ).order_by("monthly_price", "id")
    )


TAKE_CHEAPEST_CLASS = """
UPDATE centres_centreclass SET places_taken = places_taken + 1
WHERE is_active AND places_taken < capacity AND id = (
    SELECT id FROM centres_centreclass
    WHERE centre_id = %s AND age_class = %s AND is_active AND places_taken < capacity
    ORDER BY monthly_price, id LIMIT 1
) RETURNING *
"""


def _take_cheapest_class(centre_id: int, age_class: str) -> CentreClass | None:
    """Take a place in the cheapest class with room in one statement; the row, now one place
    fuller. None when that class filled or closed between the statement's read and its write
    (a centre admin's edit, which does not take the group lock): the caller then retries."""
    taken = CentreClass.objects.raw(TAKE_CHEAPEST_CLASS, [centre_id, age_class])
    return next(iter(taken), None)


def _take_class(classes: list) -> CentreClass | int | None:
    """The first of `classes` (rows, or ids) that still had room, now one place fuller."""
    for centre_class in classes:
        pk = getattr(centre_class, "pk", centre_class)
        taken = CentreClass.objects.filter(
            pk=pk, is_active=True, places_taken__lt=F("capacity")
        ).update(places_taken=F("places_taken") + 1)
        if taken:
            return centre_class
    return None


@dataclass(frozen=True)
class Place:
    """A place taken: its class (the row when it was read, else None) and agreement. Unpacks
    as (class id, agreement id)."""

    class_id: int
    agreement_id: int | None
    centre_class: CentreClass | None = None

    def __iter__(self):
        return iter((self.class_id, self.agreement_id))


def place_take(
    *,
    application: Application,
    age_class: str | None = None,
    month: date | None = None,
    centre_class_id: int | None = None,
    agreement_ids: Sequence[int] | None = None,
) -> Place:
    """Take one place for `application` (caller holds the group lock); returns the Place
    (class id, agreement id or None). Raises NoPlace, having changed nothing, when there is none.

    `age_class` and `month` (for the agreements' validity) default to the application's; the
    ageing run passes the next age class and the current month. `centre_class_id` asks for
    one class instead of the cheapest with room. `agreement_ids`: the agreements valid for the
    place as the caller's quote read them, which saves reading them again (each take is a
    guarded UPDATE, so a stale list cannot overbook).
    """
    age_class = age_class or application.age_class
    programme = application.programme
    if agreement_ids is None:
        agreement_ids = agreement_ids_for(
            programme_id=programme.pk,
            centre_id=application.centre_id,
            age_class=age_class,
            month=month or application.start_month,
        )
    agreements = list(agreement_ids)
    agreement_id = None
    if agreements:
        agreement_id = _take_agreement(agreements)
        if agreement_id is None:
            raise NoPlace("agreement")
    elif programme.delivery_model != Programme.DeliveryModel.OWN_CENTRE:
        # Only an employer's own centre places children without bought places.
        raise NoPlace("agreement")
    if centre_class_id:
        taken = _take_class([centre_class_id])
    else:
        taken = _take_cheapest_class(application.centre_id, age_class) or _take_class(
            _classes_with_room(application.centre_id, age_class)
        )
    if taken is None:
        if agreement_id is not None:
            # Both or neither: give the agreement place back (under the same group lock, so
            # no one saw it taken) rather than pay a savepoint on every take.
            PlaceAgreement.objects.filter(pk=agreement_id).update(
                places_taken=F("places_taken") - 1
            )
        raise NoPlace("class")
    if isinstance(taken, CentreClass):
        return Place(taken.pk, agreement_id, taken)
    return Place(taken, agreement_id)


def place_release(*, centre_class_id: int, agreement_id: int | None) -> None:
    """Give one place back to its class and agreement (caller holds the group lock)."""
    released = CentreClass.objects.filter(pk=centre_class_id, places_taken__gt=0).update(
        places_taken=F("places_taken") - 1
    )
    if agreement_id is not None:
        released += PlaceAgreement.objects.filter(pk=agreement_id, places_taken__gt=0).update(
            places_taken=F("places_taken") - 1
        )
    expected = 1 if agreement_id is None else 2
    if released != expected:
        # A counter already at 0 means it drifted from the holding applications; say so.
        logger.error(
            "place counter already at zero",
            extra={"centre_class": centre_class_id, "agreement": agreement_id},
        )


def group_has_room(centre_id: int, age_class: str) -> bool:
    return CentreClass.objects.filter(
        centre_id=centre_id, age_class=age_class, is_active=True, places_taken__lt=F("capacity")
    ).exists()


@dataclass(frozen=True)
class Line:
    room: bool  # a class of the group has a free place
    ahead_in_group: int  # in the group's queue, ahead of a newcomer of this rank
    ahead_in_line: int  # the same, in the newcomer's own programme (its place in line - 1)


def line_here(application: Application) -> Line:
    """For a newcomer to the group's queue (caller holds the group lock, so nobody joins
    meanwhile): is there room, and how many are ahead of it; one query."""
    ahead = Application.objects.filter(
        centre_id=application.centre_id,
        age_class=application.age_class,
        state__in=QUEUE_STATES,
        priority_rank__lte=application.priority_rank,
    ).order_by()
    in_line = ahead.filter(programme_id=application.programme_id)
    room = CentreClass.objects.filter(
        centre_id=OuterRef("pk"),
        age_class=application.age_class,
        is_active=True,
        places_taken__lt=F("capacity"),
    )
    row = (
        Centre.objects.filter(pk=application.centre_id)
        .annotate(
            room=Exists(room),
            ahead_in_group=_count(ahead),
            ahead_in_line=_count(in_line),
        )
        .values("room", "ahead_in_group", "ahead_in_line")
        .get()
    )
    return Line(**row)


def _count(rows) -> Subquery:
    # COUNT as a plain function keeps the subquery free of GROUP BY: one row, one number.
    return Subquery(
        rows.annotate(n=Func(F("id"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def next_in_line(
    *, centre_id: int, age_class: str, skip_programmes: set[int]
) -> Application | None:
    """The first application waiting for this place group, programmes with no bought place
    left skipped: by priority rank, then submission time (the model's ordering)."""
    return (
        Application.objects.filter(
            ~Q(programme_id__in=skip_programmes),
            centre_id=centre_id,
            age_class=age_class,
            state__in=QUEUE_STATES,
        )
        .select_related("programme")
        .order_by("priority_rank", "submitted_at", "id")
        .first()
    )
