"""What a scheme owes for one month or one grant round, as pure functions on plain values.

No database and no Django models here: the payout runs compute the same rules set-based in SQL
and are tested against these functions, so each docstring states its rule exactly. Money is
Decimal in yuan (a float is refused), rounded ROUND_HALF_UP to the fen once, at the end.

Terms: `period` is any day of the month paid (its first day by convention); an enrolment's
`start` and `end` are the first and last day enrolled, both inclusive (`end` None: still
enrolled); `days_attended` is the centre's attendance figure for the month, None when the centre
has not reported it. Who pays which line (for the runs and the employers' cost estimate):
- monthly subsidy: paid to the parent who applied (the application's applicant), funded by the
  scheme's funder; per child one line per enrolment, per worker one line per applicant;
- employer's part per enrolled child: paid to the centre, one line per enrolment, by the buyer
  of the enrolment's place agreement, else by the programme's lead employer;
- per bought place: paid to the centre, one line per place agreement, by its buyer;
- unit grant: paid to the lead employer of a programme the scheme covers, one line per round.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
UNIT_GRANT_LIMIT = Decimal("70000.00")  # 最高不超过7万元/家, per unit, across all rounds

# The outcomes, spelt as PayoutLine.Status values so the runs can store them as they are.
PAYABLE = "payable"
HELD_ATTENDANCE = "held_attendance"
NOTHING_DUE = "nothing_due"

PER_WORKER = "per_worker"  # Programme.SubsidyBasis / Enrolment.subsidy_basis
PER_CHILD = "per_child"  # PlaceAgreement.PaymentMode / Enrolment.payment_mode
PER_PLACE = "per_place"


@dataclass(frozen=True)
class Due:
    """The outcome for one line. A held line keeps the amount it would pay, so it can be
    released later; a line with nothing due has amount 0."""

    amount: Decimal
    status: str
    days_enrolled: int | None = None
    days_in_month: int | None = None


@dataclass(frozen=True)
class Stay:
    """One enrolment as the monthly rules see it: its monthly amount, dates and attendance."""

    amount: Decimal
    start: date
    end: date | None = None
    days_attended: int | None = None


def money(value) -> Decimal:
    """A Decimal from a Decimal, int or string; a float is refused (it cannot hold a fen)."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, never float")
    return Decimal(value)


def round_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def month_bounds(period: date) -> tuple[date, date]:
    """The first and the last day of the month holding `period`."""
    last = calendar.monthrange(period.year, period.month)[1]
    return period.replace(day=1), period.replace(day=last)


def days_in_month(period: date) -> int:
    return calendar.monthrange(period.year, period.month)[1]


def _enrolled_days(period: date, start: date, end: date | None) -> set[date]:
    first, last = month_bounds(period)
    begin, finish = max(start, first), min(end or last, last)
    return {begin + timedelta(days=n) for n in range((finish - begin).days + 1)}


def prorated_amount(
    amount: Decimal, *, period: date, start: date, end: date | None, prorate: bool = True
) -> tuple[Decimal, int, int]:
    """(amount due, days enrolled, days in month) for one enrolment in the month of `period`.

    days enrolled = calendar days of the month from max(start, 1st) to min(end, last day),
    inclusive, 0 if they do not meet. With `prorate`: amount × days enrolled ÷ days in month,
    rounded half up to the fen; without: the whole amount if enrolled at least one day, else 0.
    E.g. 200 from 15 October: 200 × 17 ÷ 31 = 109.68.
    """
    days = len(_enrolled_days(period, start, end))
    return _share(money(amount), days, days_in_month(period), prorate), days, days_in_month(period)


def _share(amount: Decimal, days: int, month_days: int, prorate: bool) -> Decimal:
    if days == 0:
        return ZERO
    return round_fen(amount * days / month_days if prorate else amount)


def per_worker_subsidy_due(
    stays: Iterable[Stay],
    *,
    period: date,
    prorate: bool = True,
    hold_without_attendance: bool = True,
    zero_attendance_pays_nothing: bool = True,
) -> Due:
    """One worker's monthly subsidy for the month: one line, however many children.

    1. The stays enrolled at least one day in the month count; none: nothing due.
    2. With `hold_without_attendance`, if any of them has no attendance reported (None), the line
       is held with the amount it would pay if every one of them had attended.
    3. With `zero_attendance_pays_nothing`, a stay with 0 days attended drops out; none left:
       nothing due.
    4. Amount = the largest monthly amount among the stays left × the days of the month on which
       at least one of them was enrolled (the union of their days) ÷ days in month, rounded half
       up to the fen once (the whole amount, if not prorated).
    Two children enrolled all month at 200 each: 200.00, not 400.00.
    """
    month_days = days_in_month(period)
    enrolled = [
        (stay, days) for stay in stays if (days := _enrolled_days(period, stay.start, stay.end))
    ]
    if not enrolled:
        return Due(ZERO, NOTHING_DUE, 0, month_days)
    if hold_without_attendance and any(stay.days_attended is None for stay, _ in enrolled):
        amount, days = _union_share(enrolled, month_days, prorate)
        return Due(amount, HELD_ATTENDANCE, days, month_days)
    if zero_attendance_pays_nothing:
        enrolled = [(stay, days) for stay, days in enrolled if stay.days_attended != 0]
        if not enrolled:
            return Due(ZERO, NOTHING_DUE, 0, month_days)
    amount, days = _union_share(enrolled, month_days, prorate)
    return Due(amount, PAYABLE if amount > 0 else NOTHING_DUE, days, month_days)


def _union_share(enrolled, month_days: int, prorate: bool) -> tuple[Decimal, int]:
    amount = max(money(stay.amount) for stay, _ in enrolled)
    days = len(set().union(*(days for _, days in enrolled)))
    return _share(amount, days, month_days, prorate), days


def monthly_subsidy_due(
    amount: Decimal,
    *,
    period: date,
    start: date,
    end: date | None,
    days_attended: int | None,
    prorate: bool = True,
    hold_without_attendance: bool = True,
    zero_attendance_pays_nothing: bool = True,
) -> Due:
    """One enrolment's monthly amount for the month (a per-child subsidy, or the employer's part
    per enrolled child), in this order:
    not enrolled any day of the month: nothing due (0); attendance not reported and
    `hold_without_attendance`: held, with the prorated amount; 0 days attended and
    `zero_attendance_pays_nothing`: nothing due (0); otherwise payable, `prorated_amount`.
    """
    return per_worker_subsidy_due(
        [Stay(amount=amount, start=start, end=end, days_attended=days_attended)],
        period=period,
        prorate=prorate,
        hold_without_attendance=hold_without_attendance,
        zero_attendance_pays_nothing=zero_attendance_pays_nothing,
    )


def bought_places_due(
    agreed_monthly_price: Decimal,
    *,
    places: int,
    period: date,
    start_month: date,
    end_month: date | None,
) -> Due:
    """An agreement paid per bought place: agreed monthly price × places bought, used or not.

    Agreements run in whole months (from `start_month` to `end_month`, inclusive), so a month
    inside pays in full and is never prorated nor held for attendance; a month outside: nothing.
    10 places at 1,500, 4 of them used: 15,000.00.
    """
    first, _last = month_bounds(period)
    if places < 0:
        raise ValueError("places must not be negative")
    running = start_month.replace(day=1) <= first and (
        end_month is None or first <= end_month.replace(day=1)
    )
    if not running or places == 0:
        return Due(ZERO, NOTHING_DUE)
    return Due(round_fen(money(agreed_monthly_price) * places), PAYABLE)


def employer_part_due(*, payment_mode: str, **terms) -> Due:
    """The employer's part of the fee to the centre: per bought place (`bought_places_due`), or
    per enrolled child (`monthly_subsidy_due` on the enrolment's employer part; a blank payment
    mode, an own centre without an agreement, is per enrolled child too)."""
    if payment_mode == PER_PLACE:
        return bought_places_due(**terms)
    return monthly_subsidy_due(**terms)


def unit_grant_due(
    base: Decimal,
    per_child: Decimal,
    children: int,
    cap: Decimal,
    already_paid: Decimal = ZERO,
) -> Decimal:
    """What a round pays one unit: its capped entitlement minus what it was already granted.

    entitlement = min(base + per_child × children, cap, 70,000); due = entitlement − already paid
    (every earlier unit-grant line of the unit, all schemes and rounds), never below 0. So the
    70,000 is a lifetime total per unit: a later round only tops a unit up as it grows.
    20,000 + 1,000 × 60 children = 80,000, capped: 70,000.00.
    """
    if children < 0:
        raise ValueError("children must not be negative")
    entitlement = min(money(base) + money(per_child) * children, money(cap), UNIT_GRANT_LIMIT)
    return round_fen(max(entitlement - money(already_paid), ZERO))
