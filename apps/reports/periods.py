"""Report periods: whole months, from the first day of one month to the last day of another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.utils import timezone

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# A dashboard computes one count per month; three years keeps the page and its query light.
MAX_MONTHS = 36


def parse_month(text: str) -> date:
    """'2026-03' -> date(2026, 3, 1); ValueError for anything else."""
    match = MONTH_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)


def add_months(month: date, count: int) -> date:
    total = month.year * 12 + month.month - 1 + count
    return date(total // 12, total % 12 + 1, 1)


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def months_between(start: date, end: date) -> int:
    """Months from `start` to `end`, both counted: 2026-01..2026-03 is 3."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """From the first day of `start`'s month to the last day of `end`'s month (local time)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", self.start.replace(day=1))
        object.__setattr__(self, "end", self.end.replace(day=1))

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        """This year so far: January to the current month."""
        today = today or timezone.localdate()
        return cls(date(today.year, 1, 1), today.replace(day=1))

    @cached_property
    def months(self) -> list[date]:
        return [add_months(self.start, n) for n in range(months_between(self.start, self.end))]

    @property
    def after(self) -> date:
        """The first day after the period."""
        return add_months(self.end, 1)

    @property
    def last_day(self) -> date:
        return self.after - timedelta(days=1)

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def starts_at(self) -> datetime:
        return _local_midnight(self.start)

    @property
    def ends_before(self) -> datetime:
        return _local_midnight(self.after)

    @cached_property
    def query(self) -> dict[str, str]:
        return {"period_start": month_label(self.start), "period_end": month_label(self.end)}
