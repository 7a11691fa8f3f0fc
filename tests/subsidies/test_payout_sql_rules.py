"""The set-based SQL of a payout run gives, line for line, what the Python rules in
apps/subsidies/rules.py give on the same cases."""

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest

from apps.subsidies import rules
from apps.subsidies.models import PayoutLine
from tests.centres.factories import CentreClassFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import (
    BudgetFactory,
    PlaceAgreementFactory,
    ProgrammeFactory,
    SchemeFactory,
    enrol,
)
from tests.subsidies.test_payout_support import PERIOD, account, attendance, compute, start

pytestmark = pytest.mark.django_db
D = Decimal
NOVEMBER = date(2026, 11, 1)  # 30 days: halves of a fen exist, so half-up rounding shows

DATES = [  # (start, end) around October 2026
    (date(2025, 9, 1), None),
    (date(2026, 10, 15), None),
    (date(2026, 9, 1), date(2026, 10, 10)),
    (date(2026, 10, 16), date(2026, 10, 16)),
    (date(2026, 10, 1), date(2026, 10, 31)),
]
ATTENDED = [None, 0, 18]
FLAGS = list(itertools.product([True, False], repeat=3))  # prorate, hold, zero pays nothing


def _scheme_for(kind: str, flags, **programme_fields):
    prorate, hold, zero = flags
    programme = ProgrammeFactory(**programme_fields)
    scheme = SchemeFactory(
        kind=kind,
        programmes=[programme],
        prorate_by_days=prorate,
        hold_without_attendance=hold,
        zero_attendance_pays_nothing=zero,
    )
    BudgetFactory(scheme=scheme, amount=D("10000000.00"))
    return programme, scheme


def _line(scheme, subject) -> tuple:
    line = PayoutLine.objects.get(scheme=scheme, subject=subject)
    return line.amount, line.status, line.days_enrolled


def _expected(due: rules.Due) -> tuple:
    return due.amount, due.status, due.days_enrolled


def _grid(kind: str, *, amount_field: str, amount: Decimal):
    """One enrolment per dates × attendance under a scheme per flag combination (one parent
    and one class: per-child lines are per enrolment)."""
    member, centre_class = MemberFactory(), CentreClassFactory()
    account(member=member)
    account(centre=centre_class.centre)
    cases = []
    for flags in FLAGS:
        programme, scheme = _scheme_for(kind, flags)
        for (begin, end), attended in itertools.product(DATES, ATTENDED):
            enrolment = enrol(
                programme=programme,
                applicant=member,
                start=begin,
                end=end,
                centre_class=centre_class,
                **{amount_field: amount},
            )
            if attended is not None:
                attendance(enrolment, attended)
            cases.append((flags, scheme, enrolment, attended))
    return cases


def _rule(flags, enrolment, attended, amount, period=PERIOD) -> rules.Due:
    prorate, hold, zero = flags
    return rules.monthly_subsidy_due(
        amount,
        period=period,
        start=enrolment.start_date,
        end=enrolment.end_date,
        days_attended=attended,
        prorate=prorate,
        hold_without_attendance=hold,
        zero_attendance_pays_nothing=zero,
    )


def test_per_child_subsidy_lines_match_the_rules_for_every_date_attendance_and_flag():
    cases = _grid("monthly_subsidy", amount_field="subsidy_amount", amount=D("333.33"))

    compute(start())

    got = [_line(scheme, f"enrolment:{e.pk}") for _flags, scheme, e, _a in cases]
    want = [_expected(_rule(flags, e, a, D("333.33"))) for flags, _s, e, a in cases]
    assert got == want


def test_employer_part_per_enrolled_child_lines_match_the_rules():
    cases = _grid("employer_fee_part", amount_field="employer_part", amount=D("812.50"))

    compute(start())

    got = [_line(scheme, f"enrolment:{e.pk}") for _flags, scheme, e, _a in cases]
    want = [
        _expected(rules.employer_part_due(payment_mode="", **_terms(flags, e, a, D("812.50"))))
        for flags, _s, e, a in cases
    ]
    assert got == want


def _terms(flags, enrolment, attended, amount) -> dict:
    prorate, hold, zero = flags
    return {
        "amount": amount,
        "period": PERIOD,
        "start": enrolment.start_date,
        "end": enrolment.end_date,
        "days_attended": attended,
        "prorate": prorate,
        "hold_without_attendance": hold,
        "zero_attendance_pays_nothing": zero,
    }


def test_proration_rounds_half_up_like_the_rules():
    programme, scheme = _scheme_for("monthly_subsidy", (True, True, True))
    member = MemberFactory()
    account(member=member)
    enrolment = enrol(
        programme=programme, applicant=member, start=date(2026, 11, 16), subsidy_amount=D("100.01")
    )
    attendance(enrolment, 10, month=NOVEMBER)

    compute(start(period=NOVEMBER))

    # 100.01 × 15 ÷ 30 = 50.005 → 50.01 (half up; half even would give 50.00)
    assert _line(scheme, f"enrolment:{enrolment.pk}") == (D("50.01"), "payable", 15)


def _random_stays(rng: random.Random, programme, member) -> list[rules.Stay]:
    stays = []
    for _n in range(rng.randint(1, 3)):
        begin, end = rng.choice(
            [*DATES, (date(2026, 11, 1), None), (date(2025, 1, 1), date(2026, 9, 30))]
        )
        amount = rng.choice([D("200.00"), D("0.00"), D("150.00")])
        attended = rng.choice(ATTENDED)
        enrolment = enrol(
            programme=programme, applicant=member, start=begin, end=end, subsidy_amount=amount
        )
        if attended is not None:
            attendance(enrolment, attended)
        stays.append(rules.Stay(amount=amount, start=begin, end=end, days_attended=attended))
    return stays


def test_per_worker_subsidy_lines_match_the_rules_one_line_per_worker():
    rng = random.Random(20261001)
    cases = []
    for flags in FLAGS:
        programme, scheme = _scheme_for("monthly_subsidy", flags, subsidy_basis="per_worker")
        for _n in range(6):
            member = MemberFactory()
            account(member=member)
            cases.append((flags, scheme, member, _random_stays(rng, programme, member)))

    compute(start())

    got, want = [], []
    for (prorate, hold, zero), scheme, member, stays in cases:
        due = rules.per_worker_subsidy_due(
            stays,
            period=PERIOD,
            prorate=prorate,
            hold_without_attendance=hold,
            zero_attendance_pays_nothing=zero,
        )
        enrolled = any(
            rules.prorated_amount(s.amount, period=PERIOD, start=s.start, end=s.end)[1]
            for s in stays
        )
        line = PayoutLine.objects.filter(scheme=scheme, subject=f"member:{member.pk}").first()
        got.append(None if line is None else (line.amount, line.status, line.days_enrolled))
        want.append(_expected(due) if enrolled else None)
    assert got == want


def test_per_worker_subsidy_of_two_children_enrolled_all_month_is_paid_once():
    programme, scheme = _scheme_for(
        "monthly_subsidy", (True, True, True), subsidy_basis="per_worker"
    )
    member = MemberFactory()
    account(member=member)
    for amount in (D("200.00"), D("0.00")):
        attendance(enrol(programme=programme, applicant=member, subsidy_amount=amount), 20)

    compute(start())

    assert list(PayoutLine.objects.filter(scheme=scheme).values_list("subject", "amount")) == [
        (f"member:{member.pk}", D("200.00"))
    ]


def test_bought_place_lines_match_the_rules_and_ignore_attendance():
    agreements = [
        PlaceAgreementFactory(places=10, agreed_monthly_price=D("1500.00")),
        PlaceAgreementFactory(
            places=3,
            agreed_monthly_price=D("1333.33"),
            start_month=date(2026, 10, 1),
            end_month=date(2026, 10, 1),
        ),
        PlaceAgreementFactory(places=5, start_month=date(2026, 11, 1)),
        PlaceAgreementFactory(places=5, end_month=date(2026, 9, 1)),
    ]
    scheme = SchemeFactory(kind="employer_fee_part", programmes=[a.programme for a in agreements])
    BudgetFactory(scheme=scheme, amount=D("1000000.00"))
    for agreement in agreements:
        account(centre=agreement.centre)

    compute(start())

    got = {
        a.pk: PayoutLine.objects.filter(subject=f"agreement:{a.pk}")
        .values_list("amount", "status")
        .first()
        for a in agreements
    }
    want = {}
    for a in agreements:
        due = rules.bought_places_due(
            a.agreed_monthly_price,
            places=a.places,
            period=PERIOD,
            start_month=a.start_month,
            end_month=a.end_month,
        )
        want[a.pk] = (due.amount, due.status) if due.status == "payable" else None
    assert got == want


def test_unit_grant_lines_match_the_rules_with_cap_and_what_was_granted_before():
    small, large = ProgrammeFactory(), ProgrammeFactory()
    for _n in range(3):
        enrol(programme=small)
    for _n in range(7):
        enrol(programme=large)
    scheme = SchemeFactory(
        kind="unit_grant",
        programmes=[small, large],
        grant_base_amount=D("20000.00"),
        grant_per_child_amount=D("8000.00"),
    )
    BudgetFactory(scheme=scheme, amount=D("1000000.00"))
    for programme in (small, large):
        account(employer=programme.lead_employer)

    compute(start("grant_round"))

    got = sorted(PayoutLine.objects.filter(scheme=scheme).values_list("subject", "amount"))
    want = sorted(
        (
            f"employer:{p.lead_employer_id}",
            rules.unit_grant_due(D("20000.00"), D("8000.00"), n, rules.UNIT_GRANT_LIMIT),
        )
        for p, n in ((small, 3), (large, 7))
    )
    assert (
        got
        == want
        == sorted(
            [
                (f"employer:{small.lead_employer_id}", D("44000.00")),
                (f"employer:{large.lead_employer_id}", D("70000.00")),
            ]
        )
    )


def test_ten_bought_places_with_six_vacant_pay_the_centre_15000_and_no_line_per_child():
    # 10 places at 1,500 bought, 4 children in them (6 vacant): 1,500 × 10 = 15,000.00 for the
    # agreement, and the 4 children bring no per-child employer part on top.
    agreement = PlaceAgreementFactory(places=10, agreed_monthly_price=D("1500.00"))
    scheme = SchemeFactory(kind="employer_fee_part", programmes=[agreement.programme])
    BudgetFactory(scheme=scheme, amount=D("1000000.00"))
    account(centre=agreement.centre)
    centre_class = CentreClassFactory(centre=agreement.centre)
    for _n in range(4):
        child_enrolment = enrol(
            programme=agreement.programme, centre_class=centre_class, place_agreement=agreement
        )
        attendance(child_enrolment, 18)

    run = compute(start())

    assert list(run.lines.values_list("subject", "payee_kind", "centre", "amount", "status")) == [
        (f"agreement:{agreement.pk}", "centre", agreement.centre_id, D("15000.00"), "payable")
    ]
