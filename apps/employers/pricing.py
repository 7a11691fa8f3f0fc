"""What a place costs a parent, in one pure function used by the API, the pages and (next) the
enrolment's price snapshot; the offer (free places + quote) built from figures the selectors
read; and the month and age helpers the quote needs. No database access here.

The rules (yuan, Decimal, rounded half up to the fen once, on the fee):
- market price: the centre class's monthly price;
- fee the parent pays the centre = market price × parent share ÷ 100;
- employer part = market price − fee: what the employer (or the federation) pays the centre for
  an enrolled child. Under a per-bought-place agreement the employer pays the agreed price for
  every bought place instead; the parent still sees market − fee, the employer sees its real cost;
- subsidy: paid to the parent by the payout run, never taken off the fee. Per child: every
  enrolled child gets it; per worker: once per worker, so a second subsidised child gets 0;
- net monthly cost = fee − subsidy, kept signed. A negative net means the subsidy is more than
  the fee: flooring it at 0 would misstate what the family receives and break the sum the payout
  lines must reconcile to, so the pages word it instead ("you receive X more than you pay").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from apps.centres.models import AgeClass

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
PER_WORKER = "per_worker"  # Programme.SubsidyBasis.PER_WORKER
PER_PLACE = "per_place"  # PlaceAgreement.PaymentMode.PER_BOUGHT_PLACE
OWN_CENTRE = "own_centre"  # Programme.DeliveryModel.OWN_CENTRE


@dataclass(frozen=True)
class Quote:
    """One month of one child's place, as the parent and the employer see it."""

    market_price: Decimal
    parent_share_percent: Decimal
    parent_fee: Decimal
    employer_part: Decimal
    subsidy: Decimal
    subsidy_basis: str
    subsidy_funder: str
    net_monthly_cost: Decimal
    payment_mode: str | None = None
    # Under a per-bought-place agreement: the agreed monthly price of each bought place.
    per_place_price: Decimal | None = None

    @property
    def subsidy_exceeds_fee(self) -> bool:
        return self.net_monthly_cost < 0

    @property
    def net_gain(self) -> Decimal:
        """How much more the family receives than it pays (0 unless the net is negative)."""
        return max(-self.net_monthly_cost, Decimal("0.00"))


def _money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must be Decimal, never float")
    return Decimal(value)


def programme_quote(
    *,
    programme,
    market_price: Decimal,
    other_children_subsidised: int = 0,
    agreement=None,
) -> Quote:
    """Quote a month at `market_price` under the programme's price rule.

    `other_children_subsidised`: the worker's other children already holding an offer or a place
    subsidised per worker by this programme (a per-worker subsidy is paid once per worker).
    `agreement`: the place agreement the place would come from, if any (its payment mode).
    """
    market = _money(market_price)
    if market < 0:
        raise ValueError("market_price must not be negative")
    if other_children_subsidised < 0:
        raise ValueError("other_children_subsidised must not be negative")
    share = _money(programme.parent_share_percent)
    fee = (market * share / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
    subsidy = _money(programme.subsidy_amount).quantize(FEN, rounding=ROUND_HALF_UP)
    if programme.subsidy_basis == PER_WORKER and other_children_subsidised:
        subsidy = Decimal("0.00")
    payment_mode = agreement.payment_mode if agreement is not None else None
    per_place_price = None
    if agreement is not None and payment_mode == PER_PLACE:
        per_place_price = _money(agreement.agreed_monthly_price)
    return Quote(
        market_price=market.quantize(FEN),
        parent_share_percent=share,
        parent_fee=fee,
        employer_part=market.quantize(FEN) - fee,
        subsidy=subsidy,
        subsidy_basis=programme.subsidy_basis,
        subsidy_funder=programme.subsidy_funder,
        net_monthly_cost=fee - subsidy,
        payment_mode=payment_mode,
        per_place_price=per_place_price,
    )


def agreement_monthly_cost(
    *,
    payment_mode: str,
    places: int,
    places_taken: int,
    agreed_monthly_price: Decimal | None,
    employer_part_per_child: Decimal,
) -> Decimal:
    """What a place agreement costs its buyer in a month: every bought place at the agreed price
    (per bought place, used or not), or market − fee for each place taken (per enrolled child)."""
    if payment_mode == PER_PLACE:
        return (_money(agreed_monthly_price) * places).quantize(FEN)
    return (_money(employer_part_per_child) * places_taken).quantize(FEN)


@dataclass(frozen=True)
class Offer:
    """Free places and the price at one centre for one age class, in one month."""

    centre_id: int
    age_class: str
    free_places: int
    class_free: int
    bought_free: int | None  # None: not limited by a place agreement
    market_price: Decimal
    several_prices: bool  # the centre's classes of this age differ in price; lowest is quoted
    quote: Quote
    agreement: object | None = None  # the PlaceAgreement the place would come from
    agreement_ids: tuple[int, ...] = ()  # every agreement valid for the place, oldest first

    @property
    def age_class_label(self) -> str:
        return str(AgeClass(self.age_class).label)


def _offer(programme, centre_id, age_class, figures, agreements, other_children) -> Offer:
    class_free = max(figures["total_capacity"] - figures["total_taken"], 0)
    bought_free = None
    agreement = None
    if agreements:
        bought_free = sum(max(a.places_free, 0) for a in agreements)
        agreement = next((a for a in agreements if a.places_free > 0), agreements[0])
    free = class_free if bought_free is None else min(class_free, bought_free)
    market = figures["lowest_free"] if figures["lowest_free"] is not None else figures["lowest"]
    return Offer(
        centre_id=centre_id,
        age_class=age_class,
        free_places=free,
        class_free=class_free,
        bought_free=bought_free,
        market_price=market,
        several_prices=figures["prices"] > 1,
        quote=programme_quote(
            programme=programme,
            market_price=market,
            other_children_subsidised=other_children,
            agreement=agreement,
        ),
        agreement=agreement,
        agreement_ids=tuple(a.pk for a in agreements),
    )


def offers_for(
    programme, centre_id, *, figures, agreements, other_children_subsidised=0
) -> list[Offer]:
    """The programme's offers at one centre, by age class (in the age classes' order)."""
    offers = []
    for age_class in AgeClass.values:
        row = figures.get((centre_id, age_class))
        bought = agreements.get((programme.pk, centre_id, age_class), [])
        if row is None or (not bought and programme.delivery_model != OWN_CENTRE):
            continue
        offers.append(
            _offer(programme, centre_id, age_class, row, bought, other_children_subsidised)
        )
    return offers


# Months: periods are months, stored as their first day and written YYYY-MM.

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def parse_month(text: str) -> date:
    """'2026-03' -> date(2026, 3, 1); ValueError for anything else."""
    match = _MONTH.match((text or "").strip())
    if not match:
        raise ValueError("not a YYYY-MM month")
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError("month out of range")
    return date(year, month, 1)


def format_month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# Ages: the age classes a child fits in a month, from completed months on the month's first day.

# (from month, to month exclusive, age class)
_AGE_CLASS_MONTHS = (
    (6, 12, AgeClass.INFANT),
    (12, 24, AgeClass.TODDLER),
    (24, 37, AgeClass.OLDER_TODDLER),  # [24, 36] months, as in the ratio table
    (18, 37, AgeClass.MIXED),
    (36, 48, AgeClass.KG_SMALL),
    (48, 60, AgeClass.KG_MIDDLE),
    (60, 72, AgeClass.KG_LARGE),
)
YOUNGEST_MONTHS, OLDEST_MONTHS = 6, 71


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of age on `on`."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - (1 if on.day < birth_date.day else 0)


def age_classes_for(months: int) -> list[str]:
    """Every age class a child of `months` completed months may join; empty if none.

    At 36 months a child fits both the older-toddler class and the kindergarten small class.
    """
    return [str(age) for start, end, age in _AGE_CLASS_MONTHS if start <= months < end]
