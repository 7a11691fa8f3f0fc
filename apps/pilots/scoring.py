"""The arithmetic of an evaluation, kept pure so it can be checked against sums done by hand.

Exact throughout: a mean of three scores is not exact in decimal, and a rounding step in the
middle could move a unit across a tie. Scores are held in hundredths of a point (integers) and
combined over common denominators, so 100,000 scores cost integer additions rather than
fraction arithmetic; only the published figures are rounded, half up to two places. Ranks are
decided on those published figures, so anyone can check them from the results page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import lcm

from .models.rounds import DISPLAY_ORDER, TIE_BREAK_ORDER

TRIM_FROM_REVIEWERS = 5  # from five reviewers on, one highest and one lowest score are dropped
OUTLIER_POINTS = 15


def to_cents(value) -> int:
    """A score or weight (two decimal places at most, as stored) in hundredths."""
    return int(Decimal(value).scaleb(2))


def round_ratio(numerator: int, denominator: int, places: int = 2) -> Decimal:
    """numerator / denominator rounded half away from zero to `places` decimals."""
    scaled = numerator * 10**places
    whole, remainder = divmod(abs(scaled), denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return Decimal(-whole if scaled < 0 else whole).scaleb(-places)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    return round_ratio(value.numerator, value.denominator, places)


@dataclass(frozen=True)
class Rubric:
    """Weights and item maxima per dimension, in hundredths, and each item's dimension.

    A dimension's score is the sum of its items' scores over the sum of their maxima, times its
    weight. With sums in hundredths S_d, that is S_d · factor_d / denominator, where
    denominator = 100 · lcm(maxima) and factor_d = weight_d · lcm(maxima) / maximum_d.
    """

    weights: Mapping[str, int]
    maxima: Mapping[str, int]
    item_dimension: Mapping[int, str]

    @classmethod
    def from_items(cls, weights: Mapping[str, object], items: Iterable[tuple[int, str, object]]):
        """`weights`: {dimension code: weight}; `items`: (item id, dimension code, maximum)."""
        maxima: dict[str, int] = defaultdict(int)
        item_dimension = {}
        for item_id, code, maximum in items:
            maxima[code] += to_cents(maximum)
            item_dimension[item_id] = code
        return cls(
            weights={code: to_cents(weight) for code, weight in weights.items()},
            maxima=dict(maxima),
            item_dimension=item_dimension,
        )

    @property
    def codes(self) -> list[str]:
        return [code for code in self.weights if self.maxima.get(code)]

    @property
    def common(self) -> int:
        return lcm(*(self.maxima[code] for code in self.codes))

    @property
    def denominator(self) -> int:
        return 100 * self.common

    def factor(self, code: str) -> int:
        return self.weights[code] * (self.common // self.maxima[code])

    def dimension_scores(self, sums: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Each dimension's score from its items' scores in points (exact)."""
        return {
            code: Fraction(sums.get(code, 0)) * 100 * self.factor(code) / self.denominator
            for code in self.codes
        }

    def sheet_numerator(self, sums_in_cents: Mapping[str, int]) -> int:
        """One sheet's weighted total × denominator, from its per-dimension sums in hundredths."""
        return sum(sums_in_cents.get(code, 0) * self.factor(code) for code in self.codes)


def aggregate_item(count: int, total: int, lowest: int, highest: int) -> tuple[int, int]:
    """An item's score from `count` reviewers' scores in hundredths, as (sum, divisor): the
    mean, or from five reviewers on the mean without one highest and one lowest."""
    if count >= TRIM_FROM_REVIEWERS:
        return total - lowest - highest, count - 2
    return total, count


def aggregate_scores(scores: Iterable) -> Fraction:
    """`aggregate_item` of a plain list of scores, in points (for checks and small callers)."""
    values = [to_cents(s) for s in scores]
    total, divisor = aggregate_item(len(values), sum(values), min(values), max(values))
    return Fraction(total, divisor * 100)


@dataclass
class UnitScore:
    application_id: int
    applied_at: datetime
    reviewer_count: int = 0
    # {item id: (sum in hundredths, divisor)}: the item's score is sum / divisor / 100.
    items: dict[int, tuple[int, int]] = field(default_factory=dict)
    dimensions: dict[str, Fraction] = field(default_factory=dict)
    rank: int = 0
    recommended: bool = False
    # The two-place figures as published, set with the dimensions.
    published: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Fraction:
        return sum(self.dimensions.values(), Fraction(0))

    @property
    def published_total(self) -> Decimal:
        return self.published["total"]

    def published_dimension(self, code: str) -> Decimal:
        return self.published[code]

    def published_items(self) -> dict[int, Decimal]:
        return {
            item_id: round_ratio(total, divisor * 100)
            for item_id, (total, divisor) in sorted(self.items.items())
        }

    def ranking_key(self) -> tuple:
        tie_breaks = tuple(-self.published[code] for code in TIE_BREAK_ORDER)
        return (-self.published["total"], *tie_breaks, self.applied_at, self.application_id)

    def set_dimensions(self, dimensions: dict[str, Fraction]) -> None:
        self.dimensions = dimensions
        zero = Fraction(0)
        self.published = {code: round_half_up(dimensions.get(code, zero)) for code in DISPLAY_ORDER}
        self.published["total"] = round_half_up(self.total)


def score_unit(unit: UnitScore, rubric: Rubric) -> UnitScore:
    """Fill the unit's dimension scores from its item scores: integer sums per dimension and
    divisor (one divisor when every reviewer scored every item), one fraction per dimension."""
    sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, (total, divisor) in unit.items.items():
        sums[rubric.item_dimension[item_id]][divisor] += total
    dimensions = {}
    for code in rubric.codes:
        dimensions[code] = sum(
            (
                Fraction(total * rubric.factor(code), divisor * rubric.denominator)
                for divisor, total in sums[code].items()
            ),
            Fraction(0),
        )
    unit.set_dimensions(dimensions)
    return unit


def rank_units(units: Iterable[UnitScore], places: int) -> list[UnitScore]:
    """Order by published total, then management, staffing, infrastructure, activities, then
    the earlier application; the first `places` are recommended."""
    ordered = sorted(units, key=UnitScore.ranking_key)
    for position, unit in enumerate(ordered, start=1):
        unit.rank = position
        unit.recommended = position <= places
    return ordered


@dataclass(frozen=True)
class ReviewerCheck:
    """A reviewer's total against the mean of the other reviewers' totals, as integers over a
    common denominator."""

    numerator: int
    others_numerator: int
    others: int
    denominator: int

    @property
    def difference_numerator(self) -> int:
        """(total − others' mean) × denominator × others."""
        return self.numerator * self.others - self.others_numerator

    @property
    def flagged(self) -> bool:
        """More than 15 points from the mean of the others."""
        limit = OUTLIER_POINTS * self.denominator * self.others
        return self.others > 0 and abs(self.difference_numerator) > limit

    @property
    def total(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def others_mean(self) -> Fraction:
        if not self.others:
            return self.total
        return Fraction(self.others_numerator, self.denominator * self.others)

    @property
    def deviation(self) -> Fraction:
        return self.total - self.others_mean

    def published(self) -> tuple[Decimal, Decimal, Decimal]:
        """(total, others' mean, difference), rounded half up to two places."""
        if not self.others:
            total = round_ratio(self.numerator, self.denominator)
            return total, total, Decimal("0.00")
        spread = self.denominator * self.others
        return (
            round_ratio(self.numerator, self.denominator),
            round_ratio(self.others_numerator, spread),
            round_ratio(self.difference_numerator, spread),
        )


def check_numerators(numerators: Mapping[int, int], denominator: int) -> dict[int, ReviewerCheck]:
    """Flag each reviewer whose total (numerator / denominator) differs from the mean of the
    others' by more than 15 points."""
    grand, others = sum(numerators.values()), len(numerators) - 1
    return {
        reviewer: ReviewerCheck(numerator, grand - numerator, others, denominator)
        for reviewer, numerator in numerators.items()
    }


def check_reviewers(totals: Mapping[int, Fraction]) -> dict[int, ReviewerCheck]:
    """`check_numerators` for totals given as fractions."""
    denominator = lcm(*(Fraction(t).denominator for t in totals.values()))
    numerators = {
        reviewer: int(Fraction(total) * denominator) for reviewer, total in totals.items()
    }
    return check_numerators(numerators, denominator)


def reviewer_totals(
    sums: Mapping[int, Mapping[str, Fraction]], rubric: Rubric
) -> dict[int, Fraction]:
    """Each reviewer's own weighted total out of 100 from their per-dimension sums in points."""
    return {
        reviewer: sum(rubric.dimension_scores(by_dimension).values(), Fraction(0))
        for reviewer, by_dimension in sums.items()
    }
