"""Working days for publicity periods: Monday to Friday, except public holidays.

Weekend make-up working days (调休) are not counted, so a period is never shorter than the
five working days the rules require.
"""

from datetime import date, timedelta

PUBLICITY_WORKING_DAYS = 5


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: set[date]) -> date:
    """The `days`-th working day after `start` (start itself not counted)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def holidays_near(start: date) -> set[date]:
    """Public holidays in the weeks after `start`, enough for any publicity period."""
    from .models import PublicHoliday

    # The longest holiday is nine days; five working days never need more than two months.
    return set(
        PublicHoliday.objects.filter(
            date__gte=start, date__lte=start + timedelta(days=60)
        ).values_list("date", flat=True)
    )


def publicity_end_for(start: date) -> date:
    return add_working_days(start, PUBLICITY_WORKING_DAYS, holidays_near(start))
