"""Apache ECharts options drawn from the tables beside the charts (so both show one set of
numbers). Plain JSON: the page embeds it with `json_script` and a few lines of script draw it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .presentation import Table

PALETTE = ["#c0392b", "#2e86c1", "#27ae60", "#f39c12", "#8e44ad"]


def _number(value: Any) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def _base() -> dict:
    # Room for the legend on top; containLabel keeps axis labels inside a 375 px screen.
    return {
        "color": PALETTE,
        "aria": {"enabled": True},
        "tooltip": {"trigger": "axis", "confine": True},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
    }


def _category_axis(labels: list[str]) -> dict:
    return {
        "type": "category",
        "data": labels,
        "axisLabel": {"width": 96, "overflow": "break", "hideOverlap": True},
    }


def trend_chart(table: Table) -> dict:
    months = [str(row[0].value) for row in table.rows]
    options = _base()
    options.update(
        xAxis=_category_axis(months),
        yAxis=[
            {"type": "value", "minInterval": 1},
            # Yuan on the right; the legend names the series, so the axis needs no title.
            {"type": "value", "splitLine": {"show": False}},
        ],
        series=[
            {
                "name": str(table.headers[1]),
                "type": "line",
                "data": [_number(r[1].value) for r in table.rows],
            },
            {
                "name": str(table.headers[2]),
                "type": "line",
                "data": [_number(r[2].value) for r in table.rows],
            },
            {
                "name": str(table.headers[3]),
                "type": "bar",
                "yAxisIndex": 1,
                "data": [_number(r[3].value) for r in table.rows],
            },
        ],
    )
    return options


def stacked_bars(table: Table, *, columns: list[int]) -> dict:
    """Horizontal bars, one per row of the table, stacked from the given columns: long Chinese
    names read better down the side of a phone than under the bars."""
    labels = [str(row[0].value) for row in table.rows]
    options = _base()
    options["tooltip"]["axisPointer"] = {"type": "shadow"}
    options.update(
        yAxis={**_category_axis(labels), "inverse": True},
        xAxis={"type": "value", "minInterval": 1},
        series=[
            {
                "name": str(table.headers[column]),
                "type": "bar",
                "stack": "total",
                "data": [_number(row[column].value) for row in table.rows],
            }
            for column in columns
        ],
    )
    return options


def height(table: Table) -> int:
    """Pixels: bar charts grow with their bars so every label shows on a phone."""
    if table.chart in ("programmes", "vacancy"):
        return max(320, 60 + 32 * len(table.rows))
    return 320


def chart_for(table: Table) -> dict | None:
    if table.chart == "trend":
        return trend_chart(table)
    if table.chart == "programmes":
        # Every funder column, not the total.
        return stacked_bars(table, columns=list(range(1, len(table.headers) - 1)))
    if table.chart == "vacancy":
        return stacked_bars(table, columns=[2, 3])
    return None
