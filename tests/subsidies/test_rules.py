"""The payout rules with figures worked out by hand (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.subsidies import rules
from apps.subsidies.rules import Stay

OCTOBER = date(2026, 10, 1)  # 31 days
LEAP_FEBRUARY = date(2028, 2, 1)  # 29 days
D = Decimal


def test_proration_from_the_15th_of_october_pays_17_of_31_days():
    # 200 × 17 ÷ 31 = 109.677… → 109.68
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 10, 15), end=None, prorate=True
    ) == (D("109.68"), 17, 31)


def test_proration_from_the_first_of_the_month_pays_the_whole_amount():
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 10, 1), end=None, prorate=True
    ) == (D("200.00"), 31, 31)


def test_proration_ending_on_the_31st_pays_the_whole_month():
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 9, 1), end=date(2026, 10, 31), prorate=True
    ) == (D("200.00"), 31, 31)


def test_proration_ending_on_the_10th_pays_10_of_31_days():
    # 200 × 10 ÷ 31 = 64.516… → 64.52
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 9, 1), end=date(2026, 10, 10), prorate=True
    ) == (D("64.52"), 10, 31)


def test_proration_of_one_day_in_the_middle_of_the_month():
    # 200 × 1 ÷ 31 = 6.451… → 6.45
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 10, 16), end=date(2026, 10, 16), prorate=True
    ) == (D("6.45"), 1, 31)


def test_proration_from_the_15th_of_a_leap_february_pays_15_of_29_days():
    # 200 × 15 ÷ 29 = 103.448… → 103.45
    assert rules.prorated_amount(
        D("200"), period=LEAP_FEBRUARY, start=date(2028, 2, 15), end=None, prorate=True
    ) == (D("103.45"), 15, 29)


def test_proration_rounds_half_up_once_at_the_end():
    # 0.31 × 15 ÷ 30 = 0.155 exactly → 0.16 (half up), not 0.15 (half even)
    assert rules.prorated_amount(
        D("0.31"), period=date(2026, 11, 1), start=date(2026, 11, 16), end=None, prorate=True
    )[0] == D("0.16")


def test_a_scheme_without_proration_pays_the_whole_amount_for_one_day():
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 10, 31), end=None, prorate=False
    ) == (D("200.00"), 1, 31)


def test_an_enrolment_outside_the_month_is_owed_nothing():
    assert rules.prorated_amount(
        D("200"), period=OCTOBER, start=date(2026, 11, 1), end=None, prorate=True
    ) == (D("0.00"), 0, 31)


def test_money_as_float_is_refused():
    with pytest.raises(TypeError):
        rules.prorated_amount(200.0, period=OCTOBER, start=OCTOBER, end=None)


def test_monthly_subsidy_with_attendance_is_payable_prorated():
    due = rules.monthly_subsidy_due(
        D("200"), period=OCTOBER, start=date(2026, 10, 15), end=None, days_attended=9
    )

    assert due == rules.Due(D("109.68"), rules.PAYABLE, 17, 31)


def test_monthly_subsidy_with_missing_attendance_is_held_with_its_amount():
    due = rules.monthly_subsidy_due(
        D("200"), period=OCTOBER, start=date(2026, 9, 1), end=None, days_attended=None
    )

    assert due == rules.Due(D("200.00"), rules.HELD_ATTENDANCE, 31, 31)


def test_monthly_subsidy_with_zero_days_attended_pays_nothing():
    due = rules.monthly_subsidy_due(
        D("200"), period=OCTOBER, start=date(2026, 9, 1), end=None, days_attended=0
    )

    assert due == rules.Due(D("0.00"), rules.NOTHING_DUE, 0, 31)


def test_a_scheme_may_pay_zero_attendance_and_not_hold_missing_attendance():
    zero = rules.monthly_subsidy_due(
        D("200"),
        period=OCTOBER,
        start=date(2026, 9, 1),
        end=None,
        days_attended=0,
        zero_attendance_pays_nothing=False,
    )
    missing = rules.monthly_subsidy_due(
        D("200"),
        period=OCTOBER,
        start=date(2026, 9, 1),
        end=None,
        days_attended=None,
        hold_without_attendance=False,
    )

    assert (zero.amount, zero.status) == (D("200.00"), rules.PAYABLE)
    assert (missing.amount, missing.status) == (D("200.00"), rules.PAYABLE)


def test_per_worker_with_two_children_pays_one_line_of_200():
    stays = [
        Stay(D("200"), date(2025, 9, 1), None, 20),
        Stay(D("200"), date(2026, 3, 1), None, 18),
    ]

    due = rules.per_worker_subsidy_due(stays, period=OCTOBER)

    assert due == rules.Due(D("200.00"), rules.PAYABLE, 31, 31)


def test_per_worker_prorates_over_the_days_any_child_was_enrolled():
    # Child A 1–10 October, child B from the 21st: 10 + 11 = 21 days; 200 × 21 ÷ 31 = 135.48
    stays = [
        Stay(D("200"), date(2026, 9, 1), date(2026, 10, 10), 8),
        Stay(D("0"), date(2026, 10, 21), None, 7),  # the second child's snapshot reads 0
    ]

    due = rules.per_worker_subsidy_due(stays, period=OCTOBER)

    assert due == rules.Due(D("135.48"), rules.PAYABLE, 21, 31)


def test_per_worker_is_held_when_one_childs_attendance_is_missing():
    stays = [Stay(D("200"), date(2025, 9, 1), None, 20), Stay(D("200"), date(2026, 3, 1))]

    due = rules.per_worker_subsidy_due(stays, period=OCTOBER)

    assert due == rules.Due(D("200.00"), rules.HELD_ATTENDANCE, 31, 31)


def test_per_worker_leaves_out_a_child_who_attended_no_day():
    # Child A attended nothing; child B from the 15th attended: 200 × 17 ÷ 31 = 109.68
    stays = [Stay(D("200"), date(2025, 9, 1), None, 0), Stay(D("200"), date(2026, 10, 15), None, 5)]

    due = rules.per_worker_subsidy_due(stays, period=OCTOBER)

    assert due == rules.Due(D("109.68"), rules.PAYABLE, 17, 31)


def test_per_bought_place_pays_every_place_used_or_not():
    # 10 places bought at 1,500, 4 of them used: 1,500 × 10 = 15,000.00
    due = rules.bought_places_due(
        D("1500"), places=10, period=OCTOBER, start_month=date(2026, 1, 1), end_month=None
    )

    assert due == rules.Due(D("15000.00"), rules.PAYABLE)


def test_per_bought_place_pays_nothing_outside_the_agreement_months():
    before = rules.bought_places_due(
        D("1500"), places=10, period=OCTOBER, start_month=date(2026, 11, 1), end_month=None
    )
    after = rules.bought_places_due(
        D("1500"),
        places=10,
        period=OCTOBER,
        start_month=date(2026, 1, 1),
        end_month=date(2026, 9, 1),
    )

    assert before == after == rules.Due(D("0.00"), rules.NOTHING_DUE)


def test_employer_part_per_child_is_prorated_and_per_place_is_not():
    per_child = rules.employer_part_due(
        payment_mode=rules.PER_CHILD,
        amount=D("900"),
        period=OCTOBER,
        start=date(2026, 10, 15),
        end=None,
        days_attended=10,
    )
    per_place = rules.employer_part_due(
        payment_mode=rules.PER_PLACE,
        agreed_monthly_price=D("1500"),
        places=10,
        period=OCTOBER,
        start_month=date(2026, 10, 1),
        end_month=date(2026, 10, 1),
    )

    # 900 × 17 ÷ 31 = 493.548… → 493.55
    assert per_child == rules.Due(D("493.55"), rules.PAYABLE, 17, 31)
    assert per_place == rules.Due(D("15000.00"), rules.PAYABLE)


def test_unit_grant_is_capped_at_70000():
    # 20,000 + 1,000 × 60 = 80,000 → 70,000.00
    assert rules.unit_grant_due(D("20000"), D("1000"), 60, D("70000")) == D("70000.00")


def test_unit_grant_below_the_cap_is_base_plus_per_child():
    # 20,000 + 1,000 × 30 = 50,000.00
    assert rules.unit_grant_due(D("20000"), D("1000"), 30, D("70000")) == D("50000.00")


def test_unit_grant_of_a_later_round_tops_up_to_the_cap_across_rounds():
    # Round 1 paid 50,000; with 60 children the unit is entitled to 70,000: 20,000 more.
    assert rules.unit_grant_due(D("20000"), D("1000"), 60, D("70000"), D("50000")) == D("20000.00")
    # Fully paid: nothing more, whatever the round's figures.
    assert rules.unit_grant_due(D("20000"), D("1000"), 90, D("70000"), D("70000")) == D("0.00")


def test_unit_grant_never_exceeds_70000_even_with_a_higher_cap():
    assert rules.unit_grant_due(D("80000"), D("0"), 0, D("90000")) == D("70000.00")
