"""The shapes the pages, the charts and the spreadsheets share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Link = Callable[..., str | None]


def no_link(figure: str, **params) -> None:
    return None


@dataclass(frozen=True)
class Cell:
    value: Any
    link: str | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float | Decimal) and not isinstance(self.value, bool)

    @property
    def css(self) -> str:
        """ "num" right-aligns a number; "short" keeps a short label such as a month unbroken."""
        if self.is_number:
            return "num"
        return "short" if len(str(self.value)) <= 8 else ""


@dataclass(frozen=True)
class Card:
    key: str
    label: Any
    value: Any
    link: str | None = None
    unit: Any = ""
    note: Any = ""


@dataclass(frozen=True)
class Section:
    title: Any
    cards: list[Card]


@dataclass
class Table:
    key: str
    title: Any
    headers: list[Any]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = ""
    note: Any = ""

    def values(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]

    def columns(self) -> list[tuple[Any, str]]:
        """Each header with its column's alignment (taken from the first row)."""
        first = self.rows[0] if self.rows else []
        return [
            (header, "num" if index < len(first) and first[index].is_number else "")
            for index, header in enumerate(self.headers)
        ]

    def labelled_rows(self) -> list[list[tuple[Any, Cell]]]:
        """Each cell with its column's header, for tables that stack into cards on a phone."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]
