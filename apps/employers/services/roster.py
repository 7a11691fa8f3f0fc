"""Roster imports: read the file once, check every row, then apply all of it or none of it.

Progress: the check runs outside any transaction and stores `rows_done` with a committed
one-row UPDATE every PROGRESS_EVERY rows, so a page polling the import sees it move. The writes
come afterwards, in one atomic block under a lock on the employer (one import at a time per
employer), set-based: new people in one COPY, changes with bulk_update. Re-importing the same
file touches no row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from apps.accounts.models import User
from apps.centres.models import RegistrationStatus
from apps.core.errors import ErrorCode
from apps.core.pii import encrypt, set_sensitive
from apps.core.services import audit_record
from apps.core.spreadsheets import DEFAULT_MAX_BYTES, SpreadsheetError, read_table
from apps.core.tasking import enqueue_on_commit
from apps.core.validators import normalize_id_number

from ..models import Employer, RosterEntry, RosterImport
from . import roster_rows as rows_module
from . import verification
from .registry import EmployerError
from .roster_rows import RosterRow, check_rows
from .verification import roster_match

# Other apps ask the roster through this module (admissions checks applicants with it).
__all__ = [
    "roster_entry_create",
    "roster_entry_update",
    "roster_import_create",
    "roster_import_error_rows",
    "roster_import_run",
    "roster_import_submit",
    "roster_match",
]

ALLOWED_EXTENSIONS = (".xlsx", ".csv")
MAX_BYTES = DEFAULT_MAX_BYTES
# Files up to this size are checked within the upload request (well under a second); larger
# ones go to a Celery worker and the page shows a progress bar.
INLINE_MAX_BYTES = 100 * 1024
PROGRESS_EVERY = 500
BATCH_SIZE = 5000
ENTRY_FIELDS = ("full_name", "mobile", "department", "union_member", "start_date")
UPDATE_FIELDS = [*ENTRY_FIELDS, "status", "left_on", "last_import", "updated_at"]

Status = RosterImport.Status


class RosterErrorCode:
    INVALID_FILE = "invalid_file"
    QUEUE_UNAVAILABLE = ErrorCode.SERVICE_UNAVAILABLE


# Upload


def _check_upload(upload) -> str:
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise EmployerError.for_field(
            "file",
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
            code=RosterErrorCode.INVALID_FILE,
        )
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise EmployerError.for_field(
            "file",
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // (1024 * 1024)},
            code=RosterErrorCode.INVALID_FILE,
        )
    if size == 0:
        raise EmployerError.for_field(
            "file", _("The file is empty."), code=RosterErrorCode.INVALID_FILE
        )
    return extension


@transaction.atomic
def roster_import_create(
    *, employer: Employer, upload, mode: str = RosterImport.Mode.FULL, actor: User | None
) -> RosterImport:
    """Store an upload as a queued import (under a random name; deleted once processed)."""
    if mode not in RosterImport.Mode.values:
        raise EmployerError.for_field("mode", _("Choose a full roster or additions only."))
    extension = _check_upload(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # the declared size can lie
        raise EmployerError.for_field(
            "file",
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // (1024 * 1024)},
            code=RosterErrorCode.INVALID_FILE,
        )
    roster_import = RosterImport(
        employer=employer,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        original_name=os.path.basename(upload.name)[:200],
        file_sha256=hashlib.sha256(data).hexdigest(),
        mode=mode,
    )
    roster_import.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    roster_import.save()
    return roster_import


def roster_import_submit(
    *, employer: Employer, upload, mode: str = RosterImport.Mode.FULL, actor: User | None
) -> RosterImport:
    """Create the import, then run it now (small file) or hand it to a worker (large file)."""
    roster_import = roster_import_create(employer=employer, upload=upload, mode=mode, actor=actor)
    if roster_import.file.size <= INLINE_MAX_BYTES:
        return roster_import_run(roster_import_id=roster_import.pk)
    from ..tasks import roster_import_task  # tasks import this module

    try:
        enqueue_on_commit(roster_import_task, roster_import.pk)
    except BrokerUnavailable:
        message = _("The import queue is unavailable; try again in a few minutes.")
        _finish_failed(roster_import.pk, [{"row": None, "column": "", "reason": message}])
        raise EmployerError(
            message, code=RosterErrorCode.QUEUE_UNAVAILABLE, status_code=503
        ) from None
    return roster_import


# Running


def roster_import_run(*, roster_import_id: int) -> RosterImport:
    """Check and apply one import; safe to call twice (a finished import is left alone).

    Not atomic as a whole on purpose: progress must be committed while rows are checked.
    """
    claimed = RosterImport.objects.filter(
        pk=roster_import_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, rows_done=0)
    roster_import = RosterImport.objects.select_related("employer", "uploaded_by").get(
        pk=roster_import_id
    )
    if not claimed:
        return roster_import
    language = getattr(roster_import.uploaded_by, "language", "") or None
    with translation.override(language or translation.get_language()):
        rows, errors = _read_and_check(roster_import)
        if errors:
            _finish_failed(roster_import.pk, errors)
        else:
            _apply(roster_import, rows)
    roster_import.refresh_from_db()
    return roster_import


def _read_and_check(roster_import: RosterImport) -> tuple[list[RosterRow], list[dict]]:
    try:
        with roster_import.file.open("rb") as handle:
            table = read_table(handle, max_bytes=MAX_BYTES, max_rows=rows_module.MAX_ROWS)
    except SpreadsheetError as error:
        return [], [{"row": None, "column": "", "reason": error.message}]
    except FileNotFoundError:
        return [], [{"row": None, "column": "", "reason": _("The uploaded file is gone.")}]
    total = len(table.rows)
    RosterImport.objects.filter(pk=roster_import.pk).update(rows_total=total)

    def progress(done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(rows_done=done)

    return check_rows(table, progress=progress, every=PROGRESS_EVERY)


def _delete_file(name: str) -> None:
    if name:
        RosterImport.file.field.storage.delete(name)


def _finish_failed(roster_import_id: int, errors: list[dict]) -> None:
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    name = roster_import.file.name
    RosterImport.objects.filter(pk=roster_import_id).update(
        status=Status.FAILED, errors=errors, finished_at=timezone.now(), file=""
    )
    _delete_file(name)


@dataclass
class _Changes:
    created: list[RosterRow]
    updated: list[RosterEntry]
    left: list[RosterEntry]


def _plan(
    roster_import: RosterImport, rows: list[RosterRow], existing: dict[str, RosterEntry]
) -> _Changes:
    """Sort the rows into new, changed and (full imports) left; unchanged rows are skipped."""
    now, today = timezone.now(), timezone.localdate()
    changes = _Changes(created=[], updated=[], left=[])
    for row in rows:
        entry = existing.get(row.id_hash)
        if entry is None:
            changes.created.append(row)
            continue
        differs = [f for f in ENTRY_FIELDS if getattr(entry, f) != getattr(row, f)]
        if not differs and entry.status == RosterEntry.Status.ACTIVE:
            continue
        for field in ENTRY_FIELDS:
            setattr(entry, field, getattr(row, field))
        entry.status, entry.left_on = RosterEntry.Status.ACTIVE, None
        entry.last_import, entry.updated_at = roster_import, now
        changes.updated.append(entry)
    if roster_import.mode == RosterImport.Mode.FULL:
        seen = {row.id_hash for row in rows}
        for id_hash, entry in existing.items():
            if id_hash not in seen and entry.status == RosterEntry.Status.ACTIVE:
                entry.status, entry.left_on = RosterEntry.Status.LEFT, today
                entry.last_import, entry.updated_at = roster_import, now
                changes.left.append(entry)
    return changes


# New people go in with one COPY: bulk_create spends most of a 20,000-row import converting
# each field in Python. The columns are written here exactly as the model writes them (the ID
# number encrypted as EncryptedTextField does, its hash computed by check_rows).
COPY_COLUMNS = (
    "employer", "full_name", "id_number", "id_number_hash", "mobile", "department",
    "union_member", "start_date", "status", "last_import", "updated_at",
)  # fmt: skip


def _copy_new_entries(roster_import: RosterImport, rows: list[RosterRow]) -> None:
    if not rows:
        return
    now = timezone.now().isoformat()
    active = RosterEntry.Status.ACTIVE.value
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)  # quoted: "" stays "", never NULL
    for row in rows:
        writer.writerow(
            (
                roster_import.employer_id, row.full_name, encrypt(row.id_number), row.id_hash,
                row.mobile, row.department, "t" if row.union_member else "f",
                row.start_date.isoformat(), active, roster_import.pk, now,
            )
        )  # fmt: skip
    buffer.seek(0)
    meta = RosterEntry._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column) for name in COPY_COLUMNS
    )
    statement = (
        f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(statement, buffer)


def _apply(roster_import: RosterImport, rows: list[RosterRow]) -> None:
    actor = roster_import.uploaded_by
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=roster_import.employer_id)
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status != Status.RUNNING:
            return  # another run of the same task finished it while we were checking
        existing = {
            entry.id_number_hash: entry
            for entry in RosterEntry.objects.filter(employer=employer).only(
                "id", "id_number_hash", "status", "left_on", *ENTRY_FIELDS
            )
        }
        changes = _plan(locked, rows, existing)
        _copy_new_entries(locked, changes.created)
        RosterEntry.objects.bulk_update(
            changes.updated + changes.left, UPDATE_FIELDS, batch_size=BATCH_SIZE
        )
        verification.leavers_settle(employer, changes.left, actor=actor)
        if employer.status == RegistrationStatus.APPROVED:
            verification.verify_from_roster(employer, rows, actor=actor)
        counts = {
            "created": len(changes.created),
            "updated": len(changes.updated),
            "left": len(changes.left),
        }
        if any(counts.values()):
            audit_record(
                actor=actor, action="roster.import", target=locked, to_state=Status.DONE,
                changes={**counts, "mode": locked.mode, "rows": len(rows)},
            )  # fmt: skip
        name = locked.file.name
        RosterImport.objects.filter(pk=locked.pk).update(
            status=Status.DONE,
            rows_done=len(rows),
            created_count=counts["created"],
            updated_count=counts["updated"],
            left_count=counts["left"],
            errors=[],
            finished_at=timezone.now(),
            file="",
        )
        transaction.on_commit(lambda: _delete_file(name))


# Corrections by union staff


CORRECTABLE_FIELDS = frozenset({*ENTRY_FIELDS, "status"})


@transaction.atomic
def roster_entry_update(*, entry: RosterEntry, actor: User | None, **fields) -> RosterEntry:
    """Correct one roster entry; the audit lists the changed fields, never their values."""
    unknown = set(fields) - CORRECTABLE_FIELDS
    if unknown:
        raise TypeError(f"roster_entry_update() got unexpected fields: {sorted(unknown)}")
    locked = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    cleaned = rows_module.check_entry_fields(fields)
    changed = sorted(name for name, value in cleaned.items() if getattr(locked, name) != value)
    if not changed:
        return locked
    from_state = locked.status
    for name, value in cleaned.items():
        setattr(locked, name, value)
    if "status" in changed:
        leaving = locked.status == RosterEntry.Status.LEFT
        locked.left_on = timezone.localdate() if leaving else None
    locked.save()
    audit_record(
        actor=actor,
        action="roster.entry_update",
        target=locked,
        from_state=from_state,
        to_state=locked.status,
        changes={"fields": changed},
    )
    _settle(locked, actor=actor)
    return locked


def _settle(entry: RosterEntry, *, actor) -> None:
    """A hand correction has the same effects on employments as an import."""
    employer = Employer.objects.get(pk=entry.employer_id)
    if entry.status == RosterEntry.Status.LEFT:
        verification.leavers_settle(employer, [entry], actor=actor)
    elif employer.status == RegistrationStatus.APPROVED:
        verification.verify_from_roster(employer, [rows_module.row_from_entry(entry)], actor=actor)


@transaction.atomic
def roster_entry_create(
    *,
    employer: Employer,
    full_name: str,
    id_number: str,
    mobile: str,
    start_date: date,
    union_member: bool = False,
    department: str = "",
    actor: User | None,
) -> RosterEntry:
    """Add one person to a roster by hand (union staff's correction)."""
    cleaned = rows_module.check_entry_fields(
        {
            "full_name": full_name,
            "id_number": id_number,
            "mobile": mobile,
            "start_date": start_date,
            "union_member": union_member,
            "department": department,
        }
    )
    entry = RosterEntry(employer=employer)
    set_sensitive(entry, "id_number", cleaned.pop("id_number"), normalize=normalize_id_number)
    if RosterEntry.objects.filter(employer=employer, id_number_hash=entry.id_number_hash).exists():
        raise EmployerError.for_field(
            "id_number", _("This person is already on the employer's roster.")
        )
    for name, value in cleaned.items():
        setattr(entry, name, value)
    entry.save()
    audit_record(actor=actor, action="roster.entry_create", target=entry, to_state=entry.status)
    _settle(entry, actor=actor)
    return entry


def roster_import_error_rows(roster_import: RosterImport) -> list[list]:
    """The errors as spreadsheet rows: row, column, reason (never a cell's value)."""
    return [[e.get("row") or "", e.get("column", ""), e.get("reason", "")] for e in
            roster_import.errors]  # fmt: skip
