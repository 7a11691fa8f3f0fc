"""The quote, with figures worked out by hand. Pure functions: no database."""

from datetime import date
from decimal import Decimal

import pytest

from apps.employers.models import PlaceAgreement, Programme
from apps.employers.pricing import (
    age_classes_for,
    age_in_months,
    agreement_monthly_cost,
    format_month,
    next_month,
    parse_month,
    programme_quote,
)

D = Decimal


def programme(model="own_centre", share="100", subsidy="0", basis="per_child", funder="employer"):
    return Programme(
        delivery_model=model,
        parent_share_percent=D(share),
        subsidy_amount=D(subsidy),
        subsidy_basis=basis,
        subsidy_funder=funder,
    )


def per_place(price: str) -> PlaceAgreement:
    return PlaceAgreement(payment_mode="per_place", agreed_monthly_price=D(price), places=6)


def figures(quote) -> tuple:
    return (
        quote.market_price,
        quote.parent_fee,
        quote.employer_part,
        quote.subsidy,
        quote.net_monthly_cost,
    )


def test_own_centre_at_full_price_with_a_subsidy_per_worker():
    # 骏德幼儿园: 1200.00 × 100 % = 1200.00; the employer pays nothing of the fee;
    # the worker receives 200.00, so a month costs 1200.00 − 200.00 = 1000.00.
    quote = programme_quote(
        programme=programme(share="100", subsidy="200", basis="per_worker"),
        market_price=D("1200.00"),
    )

    assert figures(quote) == (D("1200.00"), D("1200.00"), D("0.00"), D("200.00"), D("1000.00"))
    assert (quote.subsidy_basis, quote.subsidy_funder, quote.payment_mode) == (
        "per_worker",
        "employer",
        None,
    )


def test_co_built_at_85_percent_of_market_price_per_enrolled_child():
    # 蓝祥托育中心: 1650.00 × 85 % = 1402.50; the employer part is 1650.00 − 1402.50 = 247.50.
    agreement = PlaceAgreement(payment_mode="per_child")

    quote = programme_quote(
        programme=programme(model="co_built", share="85"),
        market_price=D("1650.00"),
        agreement=agreement,
    )

    assert figures(quote) == (D("1650.00"), D("1402.50"), D("247.50"), D("0.00"), D("1402.50"))
    assert (quote.payment_mode, quote.per_place_price) == ("per_child", None)


def test_fee_below_half_a_fen_rounds_down():
    # 1833.33 × 85 % = 1558.3305 → 1558.33; employer part 1833.33 − 1558.33 = 275.00.
    quote = programme_quote(programme=programme(share="85"), market_price=D("1833.33"))

    assert (quote.parent_fee, quote.employer_part) == (D("1558.33"), D("275.00"))


def test_fee_of_exactly_half_a_fen_rounds_half_up_not_to_even():
    # 1200.05 × 50 % = 600.025 → 600.03 (half up; banker's rounding would give 600.02);
    # the employer part takes the other 600.02, so the two still add up to the market price.
    quote = programme_quote(programme=programme(share="50"), market_price=D("1200.05"))

    assert (quote.parent_fee, quote.employer_part) == (D("600.03"), D("600.02"))
    assert quote.parent_fee + quote.employer_part == quote.market_price


def test_share_with_decimals_rounds_once_to_the_fen():
    # 1234.56 × 66.67 % = 823.081152 → 823.08; employer part 411.48.
    quote = programme_quote(programme=programme(share="66.67"), market_price=D("1234.56"))

    assert (quote.parent_fee, quote.employer_part) == (D("823.08"), D("411.48"))


def test_purchased_places_at_half_price_paid_per_bought_place():
    # 伍博幼儿园: 1400.00 × 50 % = 700.00; the parent sees the employer's part as 700.00, the
    # employer really pays the agreed 700.00 for every bought place, used or not.
    quote = programme_quote(
        programme=programme(model="purchased", share="50"),
        market_price=D("1400.00"),
        agreement=per_place("700.00"),
    )

    assert figures(quote) == (D("1400.00"), D("700.00"), D("700.00"), D("0.00"), D("700.00"))
    assert (quote.payment_mode, quote.per_place_price) == ("per_place", D("700.00"))


def test_federation_programme_with_a_union_funded_subsidy_per_child():
    # 1530.00 × 80 % = 1224.00; federation part 306.00; 100.00 from union funds; net 1124.00.
    quote = programme_quote(
        programme=programme(model="federation", share="80", subsidy="100", funder="union"),
        market_price=D("1530.00"),
    )

    assert figures(quote) == (D("1530.00"), D("1224.00"), D("306.00"), D("100.00"), D("1124.00"))
    assert quote.subsidy_funder == "union"


@pytest.mark.parametrize("model", ["own_centre", "co_built", "purchased", "federation"])
@pytest.mark.parametrize(
    ("agreement", "mode", "per_place_price"),
    [
        (None, None, None),
        (PlaceAgreement(payment_mode="per_child"), "per_child", None),
        (per_place("650.00"), "per_place", D("650.00")),
    ],
    ids=["no agreement", "per enrolled child", "per bought place"],
)
def test_every_model_and_payment_mode_quotes_the_parent_the_same_way(
    model, agreement, mode, per_place_price
):
    # 1530.00 × 85 % = 1300.50; employer part 1530.00 − 1300.50 = 229.50; 150.00 subsidy;
    # net 1300.50 − 150.00 = 1150.50. Paying per bought place changes only what the buyer pays
    # (650.00 for every bought place), never the parent's figures.
    quote = programme_quote(
        programme=programme(model=model, share="85", subsidy="150"),
        market_price=D("1530.00"),
        agreement=agreement,
    )

    assert figures(quote) == (D("1530.00"), D("1300.50"), D("229.50"), D("150.00"), D("1150.50"))
    assert (quote.payment_mode, quote.per_place_price) == (mode, per_place_price)


def test_subsidy_per_worker_is_paid_once_for_a_worker_with_two_children():
    terms = programme(share="100", subsidy="200", basis="per_worker")

    first = programme_quote(programme=terms, market_price=D("1200.00"))
    second = programme_quote(
        programme=terms, market_price=D("1000.00"), other_children_subsidised=1
    )

    assert figures(first) == (D("1200.00"), D("1200.00"), D("0.00"), D("200.00"), D("1000.00"))
    assert figures(second) == (D("1000.00"), D("1000.00"), D("0.00"), D("0.00"), D("1000.00"))


def test_subsidy_per_child_is_paid_for_each_child():
    # 光彩幼儿园: 900.00 at 100 %, 200.00 a month for every staff child.
    terms = programme(share="100", subsidy="200", basis="per_child")

    quotes = [
        programme_quote(programme=terms, market_price=D("900.00"), other_children_subsidised=n)
        for n in (0, 1)
    ]

    assert [q.subsidy for q in quotes] == [D("200.00"), D("200.00")]
    assert [q.net_monthly_cost for q in quotes] == [D("700.00"), D("700.00")]


def test_net_cost_stays_negative_when_the_subsidy_is_larger_than_the_fee():
    # 1500.00 × 10 % = 150.00; subsidy 200.00: the family receives 50.00 more than it pays.
    quote = programme_quote(
        programme=programme(share="10", subsidy="200"), market_price=D("1500.00")
    )

    assert quote.net_monthly_cost == D("-50.00")
    assert (quote.subsidy_exceeds_fee, quote.net_gain) == (True, D("50.00"))


def test_free_place_costs_the_parent_nothing():
    quote = programme_quote(programme=programme(share="0"), market_price=D("1800.00"))

    assert figures(quote) == (D("1800.00"), D("0.00"), D("1800.00"), D("0.00"), D("0.00"))
    assert quote.subsidy_exceeds_fee is False


def test_quote_refuses_a_float_price():
    with pytest.raises(TypeError):
        programme_quote(programme=programme(), market_price=1200.0)


@pytest.mark.parametrize(
    ("price", "others"), [(D("-0.01"), 0), (D("100.00"), -1)], ids=["price", "children"]
)
def test_quote_refuses_negative_inputs(price, others):
    with pytest.raises(ValueError):
        programme_quote(programme=programme(), market_price=price, other_children_subsidised=others)


def test_per_bought_place_costs_every_place_whatever_is_used():
    cost = agreement_monthly_cost(
        payment_mode="per_place",
        places=6,
        places_taken=1,
        agreed_monthly_price=D("700.00"),
        employer_part_per_child=D("700.00"),
    )

    assert cost == D("4200.00")


def test_per_enrolled_child_costs_the_employer_part_of_each_place_taken():
    cost = agreement_monthly_cost(
        payment_mode="per_child",
        places=10,
        places_taken=3,
        agreed_monthly_price=None,
        employer_part_per_child=D("247.50"),
    )

    assert cost == D("742.50")


# Months and ages


def test_month_is_parsed_and_written_as_yyyy_mm():
    assert parse_month("2026-03") == date(2026, 3, 1)
    assert format_month(date(2026, 3, 1)) == "2026-03"


@pytest.mark.parametrize("text", ["2026-13", "2026-3", "2026-03-01", "", "march"])
def test_month_parsing_refuses_anything_but_yyyy_mm(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_month_after_december_is_january_of_the_next_year():
    assert next_month(date(2026, 12, 15)) == date(2027, 1, 1)


def test_age_counts_completed_months_on_the_first_of_the_month():
    assert age_in_months(date(2024, 5, 20), date(2026, 12, 1)) == 30
    assert age_in_months(date(2024, 5, 1), date(2026, 12, 1)) == 31


@pytest.mark.parametrize(
    ("months", "classes"),
    [
        (5, []),
        (6, ["infant"]),
        (12, ["toddler"]),
        (18, ["toddler", "mixed"]),
        (30, ["older_toddler", "mixed"]),
        (36, ["older_toddler", "mixed", "kg_small"]),
        (37, ["kg_small"]),
        (48, ["kg_middle"]),
        (71, ["kg_large"]),
        (72, []),
    ],
)
def test_a_child_fits_the_age_classes_of_its_age(months, classes):
    assert age_classes_for(months) == classes
