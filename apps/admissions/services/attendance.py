"""Monthly attendance: days open and days attended per enrolment and month, as centres report
them. Payouts read these figures, so a month can be corrected only until a payout run has used
it; every report or correction is checked in full before anything is written, and audited."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.services import audit_record
from apps.employers.pricing import format_month, month_start

from ..errors import AdmissionsError
from ..models import Attendance, Enrolment
from ..selectors.attendance import attendance_enrolment_list


class AttendanceErrorCode(StrEnum):
    INVALID = "invalid"
    LOCKED = "attendance_locked"


class AttendanceError(AdmissionsError):
    """A refused report. `row_errors` maps each entry's key to {field: [messages]}."""

    def __init__(self, message: str, *, row_errors: dict[str, dict[str, list[str]]], **kwargs):
        fields = {
            f"{key}.{field}" if key else field: messages
            for key, errors in row_errors.items()
            for field, messages in errors.items()
        }
        super().__init__(message, fields=fields, **kwargs)
        self.row_errors = row_errors


@dataclass(frozen=True)
class AttendanceEntry:
    """One figure to report. `key` says where it came from (a form row, a spreadsheet row) and
    prefixes its field errors; `child_name`, when given, must match the enrolment's child."""

    enrolment_id: int
    month: date
    days_open: int
    days_attended: int
    key: str = ""
    child_name: str = ""


@dataclass(frozen=True)
class AttendanceOutcome:
    attendance: Attendance
    change: str  # "created", "corrected" or "unchanged"


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def runs_in(enrolment: Enrolment, month: date) -> bool:
    last_day = month.replace(day=days_in_month(month))
    return enrolment.start_date <= last_day and (
        enrolment.end_date is None or enrolment.end_date >= month
    )


def _period(enrolment: Enrolment) -> str:
    if enrolment.end_date is None:
        return _("from %(start)s") % {"start": enrolment.start_date.isoformat()}
    return _("from %(start)s to %(end)s") % {
        "start": enrolment.start_date.isoformat(),
        "end": enrolment.end_date.isoformat(),
    }


def _month_errors(entry: AttendanceEntry, enrolment: Enrolment) -> list[str]:
    month = entry.month
    if month.day != 1:
        return [_("Give the month as YYYY-MM.")]
    if month > month_start(timezone.localdate()):
        return [_("%(month)s has not begun yet.") % {"month": format_month(month)}]
    if not runs_in(enrolment, month):
        return [
            _("Enrolment %(id)s does not run in %(month)s: it runs %(period)s.")
            % {"id": enrolment.pk, "month": format_month(month), "period": _period(enrolment)}
        ]
    return []


def _day_errors(entry: AttendanceEntry) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    limit = days_in_month(entry.month) if entry.month.day == 1 else 31
    if not 0 <= entry.days_open <= limit:
        errors["days_open"] = [
            _("Days open must be between 0 and %(limit)d, the days in %(month)s.")
            % {"limit": limit, "month": format_month(entry.month)}
        ]
    if entry.days_attended < 0:
        errors["days_attended"] = [_("Days attended cannot be negative.")]
    elif entry.days_attended > entry.days_open:
        errors["days_attended"] = [
            _("Days attended (%(attended)d) cannot exceed days open (%(open)d).")
            % {"attended": entry.days_attended, "open": entry.days_open}
        ]
    return errors


def _locked_error(row: Attendance) -> str:
    return _(
        "The attendance for %(month)s was used by payout run %(run)s and can no longer be "
        "corrected."
    ) % {"month": format_month(row.month), "run": row.used_by_payout_run_id}


def _unchanged(entry: AttendanceEntry, row: Attendance | None) -> bool:
    return (
        row is not None
        and row.days_open == entry.days_open
        and row.days_attended == entry.days_attended
    )


def _entry_errors(
    entry: AttendanceEntry, enrolment: Enrolment | None, existing: Attendance | None
) -> dict[str, list[str]]:
    if enrolment is None:
        message = _("There is no enrolment %(id)s that you can report for.")
        return {"enrolment": [message % {"id": entry.enrolment_id}]}
    errors = _day_errors(entry)
    month = _month_errors(entry, enrolment)
    if month:
        errors["month"] = month
    if entry.child_name and entry.child_name != enrolment.child.full_name:
        errors["child_name"] = [
            _("Enrolment %(id)s is not this child's: check the enrolment number.")
            % {"id": enrolment.pk}
        ]
    # Sending the figures already on file again is not a correction, so a used month that a
    # re-uploaded spreadsheet repeats unchanged is accepted rather than refused.
    if existing and existing.used_by_payout_run_id and not _unchanged(entry, existing):
        errors.setdefault("month", []).append(_locked_error(existing))
    return errors


def _duplicate_errors(entries: Sequence[AttendanceEntry]) -> dict[str, dict[str, list[str]]]:
    seen: dict[tuple[int, date], str] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        pair = (entry.enrolment_id, entry.month)
        if pair in seen:
            errors[entry.key] = {
                "enrolment": [
                    _("This enrolment and month are given twice (also at %(other)s).")
                    % {"other": seen[pair] or "?"}
                ]
            }
        else:
            seen[pair] = entry.key
    return errors


def _load(entries: Sequence[AttendanceEntry], actor: User | None, *, lock: bool):
    ids = sorted({entry.enrolment_id for entry in entries})
    enrolments = Enrolment.objects.select_related("child").filter(pk__in=ids).order_by("pk")
    if actor is not None:
        # Scoping: a centre admin reports for their own centre's enrolments only.
        enrolments = enrolments.filter(pk__in=attendance_enrolment_list(user=actor).values("pk"))
    rows = Attendance.objects.filter(
        enrolment_id__in=ids, month__in={entry.month for entry in entries}
    ).order_by("pk")
    if lock:
        # Fixed order (enrolments, then their months, by key) so two reports cannot deadlock;
        # the month rows stay locked until commit, so a payout run cannot use them half-written.
        enrolments = enrolments.select_for_update(of=("self",))
        rows = rows.select_for_update()
    by_id = {enrolment.pk: enrolment for enrolment in enrolments}
    existing = {(row.enrolment_id, row.month): row for row in rows}
    return by_id, existing


def attendance_check(
    *, entries: Sequence[AttendanceEntry], actor: User | None, _loaded=None
) -> dict[str, dict[str, list[str]]]:
    """Every refusal the entries would meet, by entry key; empty when all can be written."""
    enrolments, existing = _loaded or _load(entries, actor, lock=False)
    errors = _duplicate_errors(entries)
    for entry in entries:
        found = _entry_errors(
            entry,
            enrolments.get(entry.enrolment_id),
            existing.get((entry.enrolment_id, entry.month)),
        )
        for field, messages in found.items():
            errors.setdefault(entry.key, {}).setdefault(field, []).extend(messages)
    return errors


def locked_keys(entries: Sequence[AttendanceEntry], existing: dict) -> set[str]:
    """Keys of the entries that would change a month a payout run has used."""
    return {
        entry.key
        for entry in entries
        if (row := existing.get((entry.enrolment_id, entry.month)))
        and row.used_by_payout_run_id
        and not _unchanged(entry, row)
    }


def raise_for(
    row_errors: dict[str, dict[str, list[str]]], *, locked: set[str] | frozenset = frozenset()
) -> None:
    """Raise the one AttendanceError the row errors amount to: 409 `attendance_locked` when the
    only refusals are used months, else 400 `invalid`."""
    if not row_errors:
        return
    messages = [m for errors in row_errors.values() for ms in errors.values() for m in ms]
    locked_only = all(
        key in locked and set(errors) == {"month"} and len(errors["month"]) == 1
        for key, errors in row_errors.items()
    )
    if len(messages) == 1:
        message = messages[0]
    else:
        message = _("%(count)d problems: nothing was saved.") % {"count": len(messages)}
    if locked_only:
        raise AttendanceError(
            message, row_errors=row_errors, code=AttendanceErrorCode.LOCKED, status_code=409
        )
    raise AttendanceError(message, row_errors=row_errors, code=AttendanceErrorCode.INVALID)


def _full_clean(row: Attendance, key: str) -> None:
    try:
        row.full_clean(exclude=["enrolment", "reported_by"])
    except ValidationError as error:
        raise_for({key: {name: list(ms) for name, ms in error.message_dict.items()}})


def _write(entry: AttendanceEntry, enrolment: Enrolment, row: Attendance | None, actor):
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if _unchanged(entry, row):
        return AttendanceOutcome(row, "unchanged")
    before = f"{row.days_attended}/{row.days_open}" if row else ""
    changes = {"month": format_month(entry.month)}
    if row is None:
        row = Attendance(enrolment=enrolment, month=entry.month)
        changes |= {
            "days_open": [None, entry.days_open],
            "days_attended": [None, entry.days_attended],
        }
    else:
        changes |= {
            name: [getattr(row, name), getattr(entry, name)]
            for name in ("days_open", "days_attended")
            if getattr(row, name) != getattr(entry, name)
        }
    row.days_open, row.days_attended, row.reported_by = (
        entry.days_open,
        entry.days_attended,
        actor_user,
    )
    _full_clean(row, entry.key)
    row._history_user = actor_user
    created = row.pk is None
    row.save()
    audit_record(
        actor=actor,
        action="attendance.report" if created else "attendance.correct",
        target=row,
        from_state=before,
        to_state=f"{row.days_attended}/{row.days_open}",
        changes=changes,
    )
    return AttendanceOutcome(row, "created" if created else "corrected")


@transaction.atomic
def attendance_report_batch(
    *, entries: Sequence[AttendanceEntry], actor: User | None
) -> list[AttendanceOutcome]:
    """Report or correct several months at once: all are written, or none (AttendanceError with
    every entry's problems). A centre admin's actor may only name their centre's enrolments."""
    if not entries:
        raise AttendanceError(_("There is nothing to report."), row_errors={})
    loaded = _load(entries, actor, lock=True)
    enrolments, existing = loaded
    raise_for(
        attendance_check(entries=entries, actor=actor, _loaded=loaded),
        locked=locked_keys(entries, existing),
    )
    return [
        _write(
            entry,
            enrolments[entry.enrolment_id],
            existing.get((entry.enrolment_id, entry.month)),
            actor,
        )
        for entry in entries
    ]


def attendance_report(
    *,
    enrolment_id: int,
    month: date,
    days_open: int,
    days_attended: int,
    actor: User | None,
) -> AttendanceOutcome:
    """Report one enrolment's month, or correct it while no payout run has used it."""
    entry = AttendanceEntry(enrolment_id, month, days_open, days_attended)
    return attendance_report_batch(entries=[entry], actor=actor)[0]


def attendance_outcome_counts(outcomes: Iterable[AttendanceOutcome]) -> dict[str, int]:
    counts = {"created": 0, "corrected": 0, "unchanged": 0}
    for outcome in outcomes:
        counts[outcome.change] += 1
    return counts
