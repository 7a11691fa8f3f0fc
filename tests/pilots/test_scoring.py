"""The evaluation's arithmetic against sums done by hand (see tests/pilots/factories.py:
total = 2.5·I + 2.5·S + 2·A + 2·(M1 + M2) for the simple rubric)."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from apps.pilots.scoring import (
    Rubric,
    UnitScore,
    aggregate_scores,
    check_reviewers,
    rank_units,
    reviewer_totals,
    round_half_up,
    score_unit,
)

RUBRIC = Rubric.from_items(
    {"infrastructure": 25, "staffing": 25, "activities": 20, "management": 30},
    [
        (1, "infrastructure", "10"),
        (2, "staffing", "10"),
        (3, "activities", "10"),
        (4, "management", "10"),
        (5, "management", "5"),
    ],
)
EARLY, LATE = datetime(2026, 3, 1, 9), datetime(2026, 3, 2, 9)


def unit(pk: int, i, s, a, m1, m2, applied_at=EARLY) -> UnitScore:
    """A unit whose item scores (in points) are already aggregated."""
    scored = UnitScore(application_id=pk, applied_at=applied_at)
    for item_id, value in zip((1, 2, 3, 4, 5), (i, s, a, m1, m2), strict=True):
        cents = (value if isinstance(value, Fraction) else Fraction(Decimal(str(value)))) * 100
        scored.items[item_id] = (cents.numerator, cents.denominator)
    return score_unit(scored, RUBRIC)


def test_an_item_takes_the_plain_mean_of_three_reviewers():
    assert aggregate_scores(["8", "8", "9"]) == Fraction(25, 3)


def test_an_item_takes_the_plain_mean_of_four_reviewers():
    assert aggregate_scores(["2", "8", "9", "10"]) == Fraction(29, 4)


def test_from_five_reviewers_one_highest_and_one_lowest_score_are_dropped():
    assert aggregate_scores(["2", "8", "8", "9", "10"]) == Fraction(25, 3)


def test_with_six_reviewers_only_one_highest_and_one_lowest_are_dropped():
    assert aggregate_scores(["10", "10", "7", "6", "5", "5"]) == Fraction(7)


def test_dimension_score_is_items_over_their_maxima_times_the_weight():
    scored = unit(1, 8, 7, 8, 7, 4)

    assert scored.dimensions == {
        "infrastructure": Fraction(20),
        "staffing": Fraction(35, 2),
        "activities": Fraction(16),
        "management": Fraction(22),
    }
    assert scored.published_total == Decimal("75.50")


def test_total_is_rounded_half_up_to_two_places():
    # 2.5 × 8.05 + 2.5 × 7 + 2 × 8 + 2 × 11 = 75.625: half up gives 75.63 (bankers' 75.62).
    assert unit(1, "8.05", 7, 8, 7, 4).published_total == Decimal("75.63")


def test_a_total_of_thirds_is_rounded_down_below_the_half():
    assert unit(1, Fraction(25, 3), 7, 8, 7, 4).published_total == Decimal("76.33")


def test_round_half_up_keeps_two_places_for_whole_numbers_and_negatives():
    assert str(round_half_up(Fraction(80))) == "80.00"
    assert round_half_up(Fraction(-26875, 1000)) == Decimal("-26.88")


def test_units_rank_by_total_and_the_first_places_are_recommended():
    ranked = rank_units([unit(1, 8, 7, 8, 7, 4), unit(2, 9, 9, 9, 9, 5), unit(3, 5, 5, 5, 5, 2)], 2)

    assert [(u.application_id, u.rank, u.recommended) for u in ranked] == [
        (2, 1, True),
        (1, 2, True),
        (3, 3, False),
    ]


def test_a_tie_in_total_goes_to_the_better_management_score():
    # Both 77.50: P has infrastructure 22 + management 22, Q infrastructure 20 + management 24.
    earlier_p = unit(1, "8.8", 7, 8, 7, 4, applied_at=EARLY)
    later_q = unit(2, 8, 7, 8, 8, 4, applied_at=LATE)

    ranked = rank_units([earlier_p, later_q], 1)

    assert [u.published_total for u in ranked] == [Decimal("77.50"), Decimal("77.50")]
    assert [u.application_id for u in ranked] == [2, 1]


def test_a_tie_in_total_and_management_goes_to_the_better_staffing_score():
    # P: infrastructure 20 + staffing 20; Q: 22.5 + 17.5; both 80.00 with management 22.
    p, q = unit(1, 8, 8, 8, 7, 4, applied_at=LATE), unit(2, 9, 7, 8, 7, 4, applied_at=EARLY)

    assert [u.application_id for u in rank_units([q, p], 1)] == [1, 2]


def test_then_the_better_infrastructure_score():
    # P: infrastructure 22, activities 16; Q: 20 and 18; totals, management, staffing equal.
    p, q = unit(1, "8.8", 7, 8, 7, 4, applied_at=LATE), unit(2, 8, 7, 9, 7, 4, applied_at=EARLY)

    assert [u.application_id for u in rank_units([q, p], 1)] == [1, 2]


def test_then_the_better_activities_score():
    # P: infrastructure 19.995 → 20.00, activities 16.005 → 16.01; Q: 20 and 16. Totals
    # (75.50), management and staffing are equal, so only activities separates them.
    p = unit(1, "7.998", 7, "8.0025", 7, 4, applied_at=LATE)
    q = unit(2, 8, 7, 8, 7, 4, applied_at=EARLY)

    assert [u.published_total for u in (p, q)] == [Decimal("75.50"), Decimal("75.50")]
    assert [u.published_dimension("infrastructure") for u in (p, q)] == [Decimal("20.00")] * 2
    assert [u.application_id for u in rank_units([q, p], 1)] == [1, 2]


def test_a_complete_tie_goes_to_the_earlier_application():
    p, q = unit(1, 8, 7, 8, 7, 4, applied_at=LATE), unit(2, 8, 7, 8, 7, 4, applied_at=EARLY)

    assert [u.application_id for u in rank_units([p, q], 1)] == [2, 1]


def test_ties_are_judged_on_the_published_two_place_figures():
    # 80.004 and 80.001 both publish as 80.00, so management (higher for the second) decides.
    higher_total = UnitScore(application_id=1, applied_at=EARLY)
    higher_total.set_dimensions(
        {
            "infrastructure": Fraction(20004, 1000),
            "staffing": Fraction(20),
            "activities": Fraction(20),
            "management": Fraction(20),
        }
    )
    better_management = UnitScore(application_id=2, applied_at=LATE)
    better_management.set_dimensions(
        {
            "infrastructure": Fraction(19),
            "staffing": Fraction(20),
            "activities": Fraction(20),
            "management": Fraction(21001, 1000),
        }
    )

    assert [u.application_id for u in rank_units([higher_total, better_management], 1)] == [2, 1]


def test_a_sheets_integer_total_matches_its_exact_total():
    sums = {"infrastructure": 2, "staffing": 7, "activities": 6, "management": 9}

    numerator = RUBRIC.sheet_numerator({code: value * 100 for code, value in sums.items()})
    exact = reviewer_totals({1: {c: Fraction(v) for c, v in sums.items()}}, RUBRIC)[1]

    assert Fraction(numerator, RUBRIC.denominator) == exact == Fraction(105, 2)


def test_item_scores_are_published_rounded_half_up():
    scored = unit(1, Fraction(25, 3), "7.005", 8, Fraction(2, 3), 4)

    assert list(scored.published_items().values()) == [
        Decimal("8.33"),
        Decimal("7.01"),
        Decimal("8.00"),
        Decimal("0.67"),
        Decimal("4.00"),
    ]


def test_a_reviewer_far_from_the_others_is_flagged():
    # Totals of the five-reviewer example: 52.5, 75.5, 75.5, 78, 88.5.
    sums = {
        1: {"infrastructure": 2, "staffing": 7, "activities": 6, "management": 9},
        2: {"infrastructure": 8, "staffing": 7, "activities": 8, "management": 11},
        3: {"infrastructure": 8, "staffing": 7, "activities": 8, "management": 11},
        4: {"infrastructure": 9, "staffing": 7, "activities": 8, "management": 11},
        5: {"infrastructure": 10, "staffing": 7, "activities": 10, "management": 13},
    }
    sums = {k: {c: Fraction(v) for c, v in d.items()} for k, d in sums.items()}

    checks = check_reviewers(reviewer_totals(sums, RUBRIC))

    assert {k: c.total for k, c in checks.items()} == {
        1: Fraction(105, 2),
        2: Fraction(151, 2),
        3: Fraction(151, 2),
        4: Fraction(78),
        5: Fraction(177, 2),
    }
    assert checks[1].others_mean == Fraction(3175, 40)  # 79.375
    assert round_half_up(checks[1].deviation) == Decimal("-26.88")
    assert {k for k, c in checks.items() if c.flagged} == {1, 5}


def test_a_difference_of_exactly_fifteen_is_not_flagged():
    checks = check_reviewers({1: Fraction(80), 2: Fraction(65), 3: Fraction(65)})

    assert checks[1].deviation == 15
    assert not any(c.flagged for c in checks.values())


def test_a_difference_just_over_fifteen_is_flagged():
    checks = check_reviewers({1: Fraction(8001, 100), 2: Fraction(65), 3: Fraction(65)})

    assert [k for k, c in checks.items() if c.flagged] == [1]
