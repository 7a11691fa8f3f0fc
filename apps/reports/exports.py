"""Report spreadsheets: every table and every list of rows as .xlsx with Chinese headers, through
the formula-safe writer in core (text that a spreadsheet would run is neutralised)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.core.spreadsheets import xlsx_response

from .columns import COLUMNS
from .definitions import ROW_TITLES
from .periods import Period, month_label
from .presentation import Section, Table, summary_rows

# Rows are read in chunks, so a list of 100,000 enrolments streams in flat memory.
CHUNK = 2000
# The language of the files union staff file and forward, whatever the page's language.
EXPORT_LANGUAGE = "zh-hans"


def _filename(title: Any, period: Period, scope_label: str = "") -> str:
    parts = [str(title), scope_label, f"{month_label(period.start)}—{month_label(period.end)}"]
    return "-".join(part for part in parts if part) + ".xlsx"


def table_response(table: Table, *, period: Period, scope_label: str = "") -> HttpResponse:
    return xlsx_response(
        _filename(table.title, period, scope_label),
        [str(header) for header in table.headers],
        table.values(),
        sheet_title=str(table.title),
    )


def summary_response(
    sections: list[Section], *, period: Period, scope_label: str = ""
) -> HttpResponse:
    title = _("Headline figures")
    return xlsx_response(
        _filename(title, period, scope_label),
        [_("Section"), _("Figure"), _("Value"), _("Unit")],
        summary_rows(sections),
        sheet_title=title,
    )


def row_values(figure: str, rows: Iterable) -> Iterator[list[Any]]:
    columns = COLUMNS[figure]
    for row in rows:
        yield [column.value(row) for column in columns]


def rows_response(figure: str, rows: QuerySet, *, period: Period) -> HttpResponse:
    title = ROW_TITLES[figure]
    return xlsx_response(
        _filename(title, period),
        [str(column.header) for column in COLUMNS[figure]],
        row_values(figure, rows.iterator(chunk_size=CHUNK)),
        sheet_title=str(title),
    )
