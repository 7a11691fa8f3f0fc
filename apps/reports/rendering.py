"""Tables as HTML, built in Python: a dashboard holds a few hundred cells and a page of rows
several hundred more, and the template engine spent more time on them than the queries did.
Every value is escaped by format_html; numbers and dates are localised as a template would."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .presentation import Table

EMPTY = "—"


def _shown(value: Any, empty: str = EMPTY) -> Any:
    return empty if value is None or value == "" else localize(value)


def _cell(header: Any, value: Any, css: str = "", link: str | None = None, empty=EMPTY):
    shown = _shown(value, empty)
    content = format_html('<a href="{}">{}</a>', link, shown) if link else shown
    return format_html('<td data-label="{}" class="{}">{}</td>', header, css, content)


def _table(css: str, head: SafeString, body: SafeString) -> SafeString:
    return format_html(
        '<div class="table-wrap"><table class="{}"><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        css,
        head,
        body,
    )


def table_html(table: Table) -> SafeString:
    """A breakdown table; on a phone, one with more than four columns stacks into cards."""
    head = format_html_join(
        "", '<th scope="col" class="{}">{}</th>', ((css, h) for h, css in table.columns())
    )
    rows = [
        format_html_join("", "{}", ((_cell(h, c.value, c.css, c.link),) for h, c in row))
        for row in table.labelled_rows()
    ]
    if not rows:
        rows = [
            format_html(
                '<td colspan="{}" class="muted">{}</td>',
                len(table.headers),
                _("Nothing in this period."),
            )
        ]
    body = format_html_join("", "<tr>{}</tr>", ((row,) for row in rows))
    css = "report-table stack" if len(table.headers) > 4 else "report-table"
    return _table(css, head, body)


def rows_html(headers: list[Any], rows: Iterable[dict]) -> SafeString:
    """A page of rows behind a figure, each with a link to its admin page when there is one."""
    details = _("Details")
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in [*headers, details]))
    body_rows = []
    for row in rows:
        cells = [_cell(header, value, empty="") for header, value in row["cells"]]
        admin = (
            format_html('<a href="{}">{}</a>', row["admin"], pgettext("link", "Open"))
            if row["admin"]
            else ""
        )
        cells.append(format_html('<td data-label="{}">{}</td>', details, admin))
        body_rows.append(format_html_join("", "{}", ((cell,) for cell in cells)))
    if not body_rows:
        body_rows = [
            format_html('<td colspan="{}" class="muted">{}</td>', len(headers) + 1, _("No rows."))
        ]
    body = format_html_join("", "<tr>{}</tr>", ((row,) for row in body_rows))
    return _table("report-table stack", head, body)
