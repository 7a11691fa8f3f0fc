"""Writes for caring mother rooms: proposals, approval, levels and yearly inspections."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audit_record

from ..checklist import load_checklist
from ..errors import WelfareCode, WelfareError, conflict, full_clean_or_refuse
from ..models import Level, MotherRoom, MotherRoomInspection
from ..models.rooms import LEVEL_ORDER

ROOM_FIELDS = (
    "name",
    "version",
    "address",
    "area",
    "floor_area_m2",
    "latitude",
    "longitude",
    "opening_hours",
    "offers_health",
    "offers_feeding",
    "offers_early_education",
)


def _check_room(room: MotherRoom) -> None:
    minimum = load_checklist().min_area_m2
    if room.floor_area_m2 is not None and room.floor_area_m2 < minimum:
        raise WelfareError.for_field(
            "floor_area_m2",
            _("A caring mother room needs at least %(minimum)s m² of floor area.")
            % {"minimum": minimum},
        )
    if not (room.offers_health or room.offers_feeding or room.offers_early_education):
        raise WelfareError.for_field(
            "functions", _("Choose at least one function: health care, feeding or early education.")
        )


def _check_date_not_future(field: str, value: date) -> None:
    if value > timezone.localdate():
        raise WelfareError.for_field(field, _("The date cannot be in the future."))


def _locked(room: MotherRoom) -> MotherRoom:
    return MotherRoom.objects.select_for_update().get(pk=room.pk)


@transaction.atomic
def mother_room_propose(*, actor, host_employer=None, host_union=None, **fields) -> MotherRoom:
    """An employer or a union proposes a room; it is not public until union staff approve it."""
    if (host_employer is None) == (host_union is None):
        raise WelfareError.for_field(
            "host", _("A room has exactly one host: an employer or a union.")
        )
    room = MotherRoom(
        host_employer=host_employer,
        host_union=host_union,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=MotherRoom.Status.PROPOSED,
        **{name: value for name, value in fields.items() if name in ROOM_FIELDS},
    )
    _check_room(room)
    full_clean_or_refuse(room)
    room.save()
    audit_record(actor=actor, action="mother_room.propose", target=room, to_state=room.status)
    return room


@transaction.atomic
def mother_room_update(*, room: MotherRoom, actor, **fields) -> MotherRoom:
    """Change what a room is and offers; status and level change only through their services."""
    room = _locked(room)
    changed = {}
    for name, value in fields.items():
        if name in ROOM_FIELDS and getattr(room, name) != value:
            setattr(room, name, value)
            changed[name] = str(value)
    if not changed:
        return room
    _check_room(room)
    full_clean_or_refuse(room)
    room.save()
    audit_record(actor=actor, action="mother_room.update", target=room, changes=changed)
    return room


@transaction.atomic
def mother_room_approve(*, room: MotherRoom, level: str, recognised_on: date, actor) -> MotherRoom:
    """Approve a proposed (or re-approve a withdrawn) room at a level; it becomes public."""
    room = _locked(room)
    if room.status not in (MotherRoom.Status.PROPOSED, MotherRoom.Status.WITHDRAWN):
        raise conflict(
            _("Only a proposed or withdrawn room can be approved; this one is %(status)s.")
            % {"status": room.get_status_display()},
            code=WelfareCode.INVALID_STATE,
        )
    _check_date_not_future("recognised_on", recognised_on)
    before = room.status
    room.status, room.level, room.recognised_on = MotherRoom.Status.APPROVED, level, recognised_on
    room.refusal_reason = ""
    full_clean_or_refuse(room)
    room.save(update_fields=["status", "level", "recognised_on", "refusal_reason"])
    audit_record(
        actor=actor,
        action="mother_room.approve",
        target=room,
        from_state=before,
        to_state=room.status,
        changes={"level": level, "recognised_on": recognised_on.isoformat()},
    )
    return room


@transaction.atomic
def mother_room_refuse(*, room: MotherRoom, reason: str, actor) -> MotherRoom:
    room = _locked(room)
    if room.status != MotherRoom.Status.PROPOSED:
        raise conflict(_("Only a proposed room can be refused."), code=WelfareCode.INVALID_STATE)
    if not reason.strip():
        raise WelfareError.for_field("reason", _("Say why the room is refused."))
    room.status, room.refusal_reason = MotherRoom.Status.REFUSED, reason.strip()[:200]
    room.save(update_fields=["status", "refusal_reason"])
    audit_record(
        actor=actor,
        action="mother_room.refuse",
        target=room,
        from_state=MotherRoom.Status.PROPOSED,
        to_state=room.status,
        reason=reason,
    )
    return room


@transaction.atomic
def mother_room_set_level(
    *, room: MotherRoom, level: str, recognised_on: date, actor, reason: str = ""
) -> MotherRoom:
    """Record a new recognition level (e.g. Tangshan's or Hebei's) of an approved room."""
    room = _locked(room)
    if room.status != MotherRoom.Status.APPROVED:
        raise conflict(_("Only an approved room has a level."), code=WelfareCode.INVALID_STATE)
    if level == room.level:
        raise WelfareError.for_field("level", _("The room already has this level."))
    _check_date_not_future("recognised_on", recognised_on)
    before = room.level
    room.level, room.recognised_on = level, recognised_on
    full_clean_or_refuse(room)
    room.save(update_fields=["level", "recognised_on"])
    audit_record(
        actor=actor,
        action="mother_room.set_level",
        target=room,
        from_state=before,
        to_state=level,
        reason=reason,
        changes={"recognised_on": recognised_on.isoformat()},
    )
    return room


def _outcome(room: MotherRoom, failed: list[str]) -> tuple[str, str]:
    """(outcome, level after) under the checklist's rule."""
    checklist = load_checklist()
    if checklist.has_critical_failure(failed):
        return MotherRoomInspection.Outcome.WITHDRAWN, ""
    if len(failed) < checklist.lower_after_failures:
        return MotherRoomInspection.Outcome.KEPT, room.level
    position = LEVEL_ORDER.index(Level(room.level))
    if position == 0:
        return MotherRoomInspection.Outcome.WITHDRAWN, ""
    return MotherRoomInspection.Outcome.LOWERED, LEVEL_ORDER[position - 1]


def _check_results(results: dict[str, bool]) -> None:
    expected = {item.code for item in load_checklist().ticked_items}
    missing, unknown = expected - results.keys(), results.keys() - expected
    if missing or unknown:
        raise WelfareError.for_field(
            "results",
            _(
                "Answer every checklist item and nothing else; missing: %(missing)s; "
                "unknown: %(unknown)s."
            )
            % {
                "missing": ", ".join(sorted(missing)) or "-",
                "unknown": ", ".join(sorted(unknown)) or "-",
            },
        )


@transaction.atomic
def mother_room_inspect(
    *,
    room: MotherRoom,
    inspected_on: date,
    measured_area_m2: Decimal,
    results: dict[str, bool],
    actor,
    notes: str = "",
) -> MotherRoomInspection:
    """Record an inspection; a critical failure withdraws the level, several failures lower it."""
    room = _locked(room)
    if room.status != MotherRoom.Status.APPROVED:
        raise conflict(_("Only an approved room is inspected."), code=WelfareCode.INVALID_STATE)
    _check_date_not_future("inspected_on", inspected_on)
    _check_results(results)
    if room.inspections.filter(inspected_on=inspected_on).exists():
        raise WelfareError.for_field(
            "inspected_on", _("This room already has an inspection on this date.")
        )
    checklist = load_checklist()
    failed = checklist.failed_items(measured_area_m2=measured_area_m2, results=results)
    outcome, level_after = _outcome(room, failed)
    inspection = MotherRoomInspection(
        room=room,
        inspected_on=inspected_on,
        inspector=actor,
        checklist_version=checklist.version,
        measured_area_m2=measured_area_m2,
        results={code: bool(value) for code, value in results.items()},
        failed_items=failed,
        outcome=outcome,
        level_before=room.level,
        level_after=level_after,
        notes=notes,
    )
    full_clean_or_refuse(inspection)
    inspection.save()
    _apply_outcome(room, inspection, actor=actor)
    return inspection


def _apply_outcome(room: MotherRoom, inspection: MotherRoomInspection, *, actor) -> None:
    before = (room.status, room.level)
    if inspection.outcome == MotherRoomInspection.Outcome.WITHDRAWN:
        room.status, room.level, room.recognised_on = MotherRoom.Status.WITHDRAWN, "", None
    elif inspection.outcome == MotherRoomInspection.Outcome.LOWERED:
        room.level, room.recognised_on = inspection.level_after, inspection.inspected_on
    room.save(update_fields=["status", "level", "recognised_on"])
    audit_record(
        actor=actor,
        action=f"mother_room.inspect.{inspection.outcome}",
        target=room,
        from_state=before[1] or before[0],
        to_state=room.level or room.status,
        changes={"inspection": inspection.pk, "failed_items": inspection.failed_items},
    )
