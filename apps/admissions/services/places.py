"""Places: taking and giving back one place, and offering free places to the first in line.

How capacity is guarded (DESIGN: "guarded in the database"):
- Every counter change is one conditional UPDATE (`places_taken < capacity`), and the
  CheckConstraints on CentreClass and PlaceAgreement refuse anything above capacity anyway.
  The agreement place and the class place are taken in one savepoint: both or neither.
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
from datetime import date

from django.db import connection, transaction
from django.db.models import F, Q

from apps.centres.models import CentreClass
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


def _class_ids(centre_id: int, age_class: str) -> list[int]:
    # Cheapest class with room first: that is the price the quote showed (lowest with room).
    return list(
        CentreClass.objects.filter(
            centre_id=centre_id,
            age_class=age_class,
            is_active=True,
            places_taken__lt=F("capacity"),
        )
        .order_by("monthly_price", "id")
        .values_list("id", flat=True)
    )


def _take_class(ids: list[int]) -> int | None:
    for pk in ids:
        taken = CentreClass.objects.filter(
            pk=pk, is_active=True, places_taken__lt=F("capacity")
        ).update(places_taken=F("places_taken") + 1)
        if taken:
            return pk
    return None


def place_take(
    *,
    application: Application,
    age_class: str | None = None,
    month: date | None = None,
    centre_class_id: int | None = None,
) -> tuple[int, int | None]:
    """Take one place for `application` (caller holds the group lock); returns (class id,
    agreement id or None). Raises NoPlace, having changed nothing, when there is none.

    `age_class` and `month` (for the agreements' validity) default to the application's; the
    ageing run passes the next age class and the current month. `centre_class_id` asks for
    one class instead of the cheapest with room.
    """
    age_class = age_class or application.age_class
    programme = application.programme
    with transaction.atomic():  # a savepoint: the agreement place goes back if no class has room
        agreements = agreement_ids_for(
            programme_id=programme.pk,
            centre_id=application.centre_id,
            age_class=age_class,
            month=month or application.start_month,
        )
        agreement_id = None
        if agreements:
            agreement_id = _take_agreement(agreements)
            if agreement_id is None:
                raise NoPlace("agreement")
        elif programme.delivery_model != Programme.DeliveryModel.OWN_CENTRE:
            # Only an employer's own centre places children without bought places.
            raise NoPlace("agreement")
        if centre_class_id:
            classes = [centre_class_id]
        else:
            classes = _class_ids(application.centre_id, age_class)
        class_id = _take_class(classes)
        if class_id is None:
            raise NoPlace("class")
    return class_id, agreement_id


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
