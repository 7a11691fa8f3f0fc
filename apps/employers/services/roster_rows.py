"""The roster template's columns and the check of each row, in plain Python (no queries).

Errors name the row, the column and the reason, never the cell's value: the value may be a
resident ID number, and errors are shown on pages and downloaded as spreadsheets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pii import pii_hash
from apps.core.spreadsheets import DEFAULT_MAX_ROWS, TableReadResult
from apps.core.validators import (
    normalize_id_number,
    normalize_mobile,
    validate_id_number,
    validate_mobile,
)

from .registry import EmployerError

MAX_ROWS = DEFAULT_MAX_ROWS
MAX_NAME_LENGTH = 50
MAX_DEPARTMENT_LENGTH = 100
# More than this and the list stops helping; the count of the rest is still reported.
MAX_ERRORS_KEPT = 1000
EARLIEST_START = date(1950, 1, 1)
EXCEL_EPOCH = date(1899, 12, 30)

YES = frozenset({"是", "y", "yes", "true", "1", "会员", "√"})
NO = frozenset({"否", "n", "no", "false", "0", "非会员", "×"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the downloadable template (Chinese: the files come from Chinese HR)
    aliases: tuple[str, ...]
    required: bool = True


COLUMNS = (
    Column("full_name", "姓名", ("name", "fullname", "full name")),
    Column("id_number", "身份证号", ("身份证号码", "身份证", "residentidnumber", "idnumber")),
    Column("mobile", "手机号", ("手机号码", "手机", "mobile", "mobilenumber")),
    Column("department", "部门", ("department",), required=False),
    Column("union_member", "工会会员", ("是否工会会员", "unionmember")),
    Column("start_date", "入职日期", ("入职时间", "startdate")),
)
TEMPLATE_HEADERS = [column.header for column in COLUMNS]


@dataclass(frozen=True)
class RosterRow:
    number: int
    full_name: str
    id_number: str
    id_hash: str
    mobile: str
    department: str
    union_member: bool
    start_date: date


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"\(.*?\)|\*", "", text)  # "部门（选填）", "*姓名"
    return re.sub(r"\s+", "", text)


def _column_index(headers: list[str]) -> tuple[dict[str, tuple[int, str]], list[dict]]:
    found: dict[str, tuple[int, str]] = {}
    errors = []
    keys = [_header_key(header) for header in headers]
    for column in COLUMNS:
        names = {_header_key(column.header), *(_header_key(a) for a in column.aliases)}
        positions = [i for i, key in enumerate(keys) if key in names]
        if positions:
            found[column.key] = (positions[0], headers[positions[0]])
        elif column.required:
            errors.append(
                {"row": 1, "column": column.header, "reason": _("This column is missing.")}
            )
    return found, errors


def clean_name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def same_name(first: str, second: str) -> bool:
    """Names match ignoring spaces and full-width forms (HR files and people type both)."""
    return re.sub(r"\s+", "", clean_name(first)) == re.sub(r"\s+", "", clean_name(second))


def parse_yes_no(value: str) -> bool | None:
    key = unicodedata.normalize("NFKC", value or "").strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    return None


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")


def parse_date(value: str) -> date | None:
    text = unicodedata.normalize("NFKC", value or "").strip()
    match = _DATE_RE.fullmatch(text)
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
        if re.fullmatch(r"\d{8}", text):
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if re.fullmatch(r"\d{5}", text):  # an Excel serial date that lost its format
            return EXCEL_EPOCH + timedelta(days=int(text))
    except ValueError:
        return None
    return None


class _RowCheck:
    """Checks one row's cells; collects (column, reason) pairs."""

    def __init__(self, values: dict[str, str], headers: dict[str, str], today: date):
        self.values = values
        self.headers = headers
        self.today = today
        self.problems: list[tuple[str, str]] = []

    def refuse(self, key: str, reason: str) -> None:
        self.problems.append((self.headers.get(key, key), reason))

    def required(self, key: str) -> str:
        value = self.values.get(key, "")
        if not value:
            self.refuse(key, _("This cell is empty."))
        return value

    def full_name(self) -> str:
        name = clean_name(self.required("full_name"))
        if len(name) > MAX_NAME_LENGTH:
            self.refuse("full_name", _("Keep the name to %(count)d characters.") % {"count": 50})
        return name

    def id_number(self) -> str:
        raw = self.required("id_number")
        if not raw:
            return ""
        number = normalize_id_number(raw)
        try:
            validate_id_number(number)
        except ValidationError as error:
            self.refuse("id_number", error.messages[0])  # the validators never quote the number
            return ""
        return number

    def mobile(self) -> str:
        raw = self.required("mobile")
        if not raw:
            return ""
        try:
            validate_mobile(raw)
        except ValidationError as error:
            self.refuse("mobile", error.messages[0])
            return ""
        return normalize_mobile(raw)

    def department(self) -> str:
        department = " ".join(self.values.get("department", "").split())
        if len(department) > MAX_DEPARTMENT_LENGTH:
            self.refuse(
                "department",
                _("Keep the department to %(count)d characters.") % {"count": 100},
            )
        return department

    def union_member(self) -> bool:
        raw = self.required("union_member")
        answer = parse_yes_no(raw) if raw else False
        if raw and answer is None:
            self.refuse("union_member", _("Write 是 (yes) or 否 (no)."))
        return bool(answer)

    def start_date(self) -> date | None:
        raw = self.required("start_date")
        if not raw:
            return None
        day = parse_date(raw)
        if day is None:
            self.refuse("start_date", _("Write the date as YYYY-MM-DD, for example 2021-03-01."))
        elif day > self.today:
            self.refuse("start_date", _("The start date cannot be in the future."))
        elif day < EARLIEST_START:
            self.refuse("start_date", _("The start date cannot be before 1950."))
        return day


def check_rows(
    table: TableReadResult, *, progress: Callable[[int], None], every: int
) -> tuple[list[RosterRow], list[dict]]:
    """Every row checked; returns the rows, or the errors as {"row", "column", "reason"}."""
    columns, errors = _column_index(table.headers)
    if errors:
        return [], errors
    headers = {key: header for key, (_index, header) in columns.items()}
    today = timezone.localdate()
    rows: list[RosterRow] = []
    first_row_of: dict[str, int] = {}
    total_errors = 0
    for done, row in enumerate(table.rows, start=1):
        values = {
            key: row.values[index].strip() if index < len(row.values) else ""
            for key, (index, _header) in columns.items()
        }
        check = _RowCheck(values, headers, today)
        fields = {
            "full_name": check.full_name(),
            "id_number": check.id_number(),
            "mobile": check.mobile(),
            "department": check.department(),
            "union_member": check.union_member(),
            "start_date": check.start_date(),
        }
        number = fields["id_number"]
        if number:
            earlier = first_row_of.setdefault(number, row.number)
            if earlier != row.number:
                check.refuse(
                    "id_number",
                    _("The same ID number is already in row %(row)d.") % {"row": earlier},
                )
        for column, reason in check.problems:
            total_errors += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append({"row": row.number, "column": column, "reason": reason})
        if not check.problems and not errors:
            # The number is already normalised: hash it as is (pii_hash(normalize=...) would
            # give the same value, a little slower on 20,000 rows).
            id_hash = pii_hash(number, normalize=_as_is)
            rows.append(RosterRow(number=row.number, id_hash=id_hash, **fields))
        if done % every == 0:
            progress(done)
    progress(len(table.rows))
    if total_errors > len(errors):
        more = total_errors - len(errors)
        errors.append(
            {
                "row": None,
                "column": "",
                "reason": _("… and %(count)d more errors.") % {"count": more},
            }
        )
    if not table.rows:
        errors.append({"row": None, "column": "", "reason": _("The file has no data rows.")})
    return (rows if not errors else []), errors


def _as_is(value: str) -> str:
    return value


def check_entry_fields(fields: dict) -> dict:
    """The same checks for one entry edited by hand; raises EmployerError naming the field."""
    values = {
        key: (value if isinstance(value, str) else "")
        for key, value in fields.items()
        if key in {"full_name", "id_number", "mobile", "department"}
    }
    check = _RowCheck(values, {key: key for key in fields}, timezone.localdate())
    cleaned: dict = {}
    for key in ("full_name", "id_number", "mobile", "department"):
        if key in fields:
            cleaned[key] = getattr(check, key)()
    if "union_member" in fields:
        cleaned["union_member"] = bool(fields["union_member"])
    if "start_date" in fields:
        cleaned["start_date"] = _checked_start(check, fields["start_date"])
    if "status" in fields:
        if fields["status"] not in ("active", "left"):
            check.refuse("status", _("Choose employed or left."))
        cleaned["status"] = fields["status"]
    if check.problems:
        first = {}
        for field, reason in check.problems:
            first.setdefault(field, []).append(reason)
        raise EmployerError(_("Some fields are not valid."), fields=first)
    return cleaned


def _checked_start(check: _RowCheck, value) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        check.values["start_date"] = value.isoformat()
    else:
        check.values["start_date"] = str(value or "")
    return check.start_date()


def row_from_entry(entry) -> RosterRow:
    return RosterRow(
        number=0,
        full_name=entry.full_name,
        id_number="",
        id_hash=entry.id_number_hash,
        mobile=entry.mobile,
        department=entry.department,
        union_member=entry.union_member,
        start_date=entry.start_date,
    )
