"""Spreadsheet export (formula-injection safe) and import (.xlsx and .csv, checked by content).

Export: `write_xlsx` / `xlsx_response` stream rows through openpyxl's write-only mode.
Import: `read_table` returns the header and the non-empty rows as stripped strings, each row
with its 1-based spreadsheet row number so error messages can point at it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 5 * MEGABYTE
DEFAULT_MAX_ROWS = 20_000
# A small .xlsx can inflate enormously (zip bomb); refuse beyond this uncompressed size.
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * MEGABYTE

# OWASP CSV injection: these prefixes make Excel, WPS and LibreOffice evaluate a cell.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NATIVE_CELL_TYPES = (str, bool, int, float, Decimal, date, time, timedelta, type(None))
_ZIP_MAGIC = b"PK\x03\x04"
_XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_SHEET_TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")
# What openpyxl raises on a damaged workbook; SpreadsheetError is re-raised before these.
_XLSX_READ_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    ParseError,
    OSError,
)


class SpreadsheetErrorCode(StrEnum):
    UNSUPPORTED_TYPE = "unsupported_type"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    UNDECODABLE = "undecodable"
    EMPTY = "empty"
    MALFORMED = "malformed"


class SpreadsheetError(ValueError):
    """A refused upload; `message` is translated and filled when read, in the active language."""

    def __init__(
        self,
        message: str | Promise,
        *,
        code: SpreadsheetErrorCode,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.template = message
        self.code = code
        self.params = params or {}

    @property
    def message(self) -> str:
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message


# Writing


def neutralize(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _cell_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        # openpyxl would decode bytes itself, after our check, and could write a formula.
        value = value.decode("utf-8", "replace")
    elif not isinstance(value, _NATIVE_CELL_TYPES):
        # UUIDs, enums, model instances: openpyxl refuses them, a spreadsheet wants their text.
        value = str(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Excel has no time zones; show local (Asia/Shanghai) wall-clock time.
        value = timezone.localtime(value).replace(tzinfo=None)
    value = neutralize(value)
    if isinstance(value, str):
        # Control characters make openpyxl raise and would turn an export into a 500.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN_RE.sub("_", title).strip("'")[:31]
    return cleaned or "Sheet1"


def write_xlsx(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "Sheet1",
    *,
    bold_header: bool = True,
) -> bytes:
    """An .xlsx with one sheet; rows are streamed, so memory stays flat for large exports."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_cell_value(header))
        if bold_header:
            cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ascii_filename(filename: str) -> str:
    stem, extension = os.path.splitext(filename)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem).strip("._")
    return f"{ascii_stem or 'export'}{extension}"


def content_disposition(filename: str) -> str:
    """RFC 6266 attachment header: ASCII fallback plus RFC 5987 UTF-8 name for Chinese names."""
    filename = re.sub(r"[\x00-\x1f\x7f\"\\/]", "_", filename)
    return (
        f'attachment; filename="{_ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def xlsx_response(
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(
        write_xlsx(headers, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(filename)
    # Exports hold personal data: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


# Reading


@dataclass(frozen=True)
class TableRow:
    number: int  # 1-based row number as the spreadsheet program shows it
    values: list[str]


@dataclass(frozen=True)
class TableReadResult:
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {header: value}) for each row; missing cells read as ""."""
        for row in self.rows:
            yield row.number, dict(zip(self.headers, row.values, strict=False))


def read_table(
    uploaded: IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> TableReadResult:
    """Read the first sheet of an .xlsx or a UTF-8/GBK .csv (an UploadedFile or file with .name).

    Raises SpreadsheetError for a wrong type, an oversize or empty file, or too many rows.
    """
    extension = os.path.splitext(getattr(uploaded, "name", "") or "")[1].lower()
    if extension not in (".xlsx", ".csv"):
        raise _unsupported()
    data = _read_limited(uploaded, max_bytes=max_bytes)
    if extension == ".xlsx":
        return _read_xlsx(data, max_rows=max_rows)
    return _read_csv(data, max_rows=max_rows)


def _unsupported() -> SpreadsheetError:
    return SpreadsheetError(
        _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        code=SpreadsheetErrorCode.UNSUPPORTED_TYPE,
    )


def _format_megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.2f}".rstrip("0").rstrip(".") or "0"


def _read_limited(uploaded: IO[bytes], *, max_bytes: int) -> bytes:
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    # Read one byte past the limit rather than trusting a client-declared size.
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s MB."),
            code=SpreadsheetErrorCode.TOO_LARGE,
            params={"limit": _format_megabytes(max_bytes)},
        )
    if not data:
        raise _empty()
    return data


def _empty() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file is empty: it needs a header row and at least one data row."),
        code=SpreadsheetErrorCode.EMPTY,
    )


def _read_xlsx(data: bytes, *, max_rows: int) -> TableReadResult:
    _check_xlsx_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XLSX_READ_ERRORS:
        raise _malformed() from None
    try:
        if not workbook.worksheets:
            raise _empty()
        return _collect(workbook.worksheets[0].iter_rows(values_only=True), max_rows=max_rows)
    except SpreadsheetError:
        raise
    except _XLSX_READ_ERRORS:
        raise _malformed() from None
    finally:
        workbook.close()


def _check_xlsx_container(data: bytes) -> None:
    if not data.startswith(_ZIP_MAGIC):
        raise _unsupported()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _unsupported() from None
    names = {member.filename for member in members}
    if not all(part in names for part in _XLSX_REQUIRED_PARTS):
        raise _unsupported()
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _("The workbook expands to more than %(limit)s MB."),
            code=SpreadsheetErrorCode.TOO_LARGE,
            params={"limit": _format_megabytes(MAX_XLSX_UNCOMPRESSED_BYTES)},
        )


def _malformed() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file cannot be read; save it again as .xlsx or UTF-8 .csv and retry."),
        code=SpreadsheetErrorCode.MALFORMED,
    )


def _read_csv(data: bytes, *, max_rows: int) -> TableReadResult:
    # A NUL byte never occurs in UTF-8 or GB18030 text: this is a binary file (or UTF-16).
    if data.startswith(_ZIP_MAGIC) or b"\x00" in data:
        raise _unsupported()
    text = _decode(data)
    try:
        return _collect(csv.reader(io.StringIO(text, newline="")), max_rows=max_rows)
    except csv.Error:
        raise _malformed() from None


def _decode(data: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _("The file's text encoding is not recognised: save it as UTF-8 or GBK CSV."),
        code=SpreadsheetErrorCode.UNDECODABLE,
    )


def _collect(raw_rows: Iterable[Sequence[Any]], *, max_rows: int) -> TableReadResult:
    headers: list[str] | None = None
    rows: list[TableRow] = []
    for number, raw in enumerate(raw_rows, start=1):
        values = _trim_trailing_empty([cell_to_text(value) for value in raw])
        if not values:
            continue
        if headers is None:
            headers = values
            continue
        if len(rows) == max_rows:
            raise SpreadsheetError(
                _("The file has more than %(limit)s data rows; split it into smaller files."),
                code=SpreadsheetErrorCode.TOO_MANY_ROWS,
                params={"limit": max_rows},
            )
        values += [""] * (len(headers) - len(values))
        rows.append(TableRow(number=number, values=values))
    if headers is None:
        raise _empty()
    return TableReadResult(headers=headers, rows=rows)


def _trim_trailing_empty(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values.pop()
    return values


def cell_to_text(value: Any) -> str:
    """A cell as stripped text: dates in ISO 8601, whole-number floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()
