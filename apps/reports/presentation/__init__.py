"""Figures as headline cards and tables: the pages render them, the exports write them, and the
charts draw the same numbers, so a chart, its table and its spreadsheet never disagree."""

from .breakdowns import TABLES, table, tables
from .common import Card, Cell, Link, Section, Table, no_link
from .headline import cards, summary_rows

__all__ = [
    "TABLES",
    "Card",
    "Cell",
    "Link",
    "Section",
    "Table",
    "cards",
    "no_link",
    "summary_rows",
    "table",
    "tables",
]
