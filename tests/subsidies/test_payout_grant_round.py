"""A unit-grant round: a run over approved caring-childcare employers that goes through the same
approval, export and bank-return steps as a monthly run, each unit paid at most 70,000 yuan."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from apps.core.spreadsheets import write_xlsx
from apps.subsidies.services import payout_bank, payouts
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import account, compute, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
SMALL_ACCOUNT, LARGE_ACCOUNT = "6217000315000011111", "6217000315000022222"


@pytest.fixture
def grant_units():
    """Three units under one city grant (20,000 + 8,000 a child, capped at 70,000): 3 children
    (44,000), 7 children (capped: 70,000), and one whose programme is not approved (nothing)."""
    small, large = ProgrammeFactory(), ProgrammeFactory()
    refused = ProgrammeFactory(status="refused")
    for programme, children in ((small, 3), (large, 7), (refused, 2)):
        for _n in range(children):
            enrol(programme=programme)
    scheme = SchemeFactory(
        kind="unit_grant",
        funder="city",
        programmes=[small, large, refused],
        grant_base_amount=D("20000.00"),
        grant_per_child_amount=D("8000.00"),
    )
    BudgetFactory(scheme=scheme, amount=D("500000.00"))
    account(employer=small.lead_employer, account_number=SMALL_ACCOUNT)
    account(employer=large.lead_employer, account_number=LARGE_ACCOUNT)
    account(employer=refused.lead_employer)
    return small.lead_employer, large.lead_employer, refused.lead_employer


@pytest.fixture
def exported_round(grant_units, union_staff, union_staff2):
    run = compute(start("grant_round", actor=union_staff))
    run = payouts.payout_run_approve(run=run, actor=union_staff2)
    return payouts.payout_run_export(run=run, actor=union_staff)


def test_a_grant_round_pays_each_approved_unit_once_capped_at_70000(grant_units):
    small, large, _refused = grant_units

    run = compute(start("grant_round"))

    assert run.status == "calculated"
    assert sorted(run.lines.values_list("employer_id", "payee_kind", "amount", "status")) == sorted(
        [
            (small.pk, "employer", D("44000.00"), "payable"),
            (large.pk, "employer", D("70000.00"), "payable"),
        ]
    )
    assert run.total_amount == D("114000.00")


def test_a_grant_round_is_approved_by_a_second_staff_member_and_commits_its_budget(
    grant_units, union_staff, union_staff2
):
    run = compute(start("grant_round", actor=union_staff))

    approved = payouts.payout_run_approve(run=run, actor=union_staff2)

    budget = approved.schemes.get().budgets.get()
    assert (approved.status, approved.approved_by) == ("approved", union_staff2)
    assert (budget.reserved, budget.committed) == (D("0.00"), D("114000.00"))


def test_a_grant_rounds_bank_sheet_masks_the_units_accounts_and_the_file_has_them_in_full(
    exported_round,
):
    groups = payout_bank.sheet_groups(exported_round, "city")
    shown = [row.account_number for row in payout_bank.sheet_rows(exported_round, groups)]
    bank_file = payout_bank.bank_file(exported_round, "city", actor=None)

    assert payout_bank.funders(exported_round) == ["city"]
    assert sorted(shown) == ["6217***********1111", "6217***********2222"]
    rows = list(load_workbook(io.BytesIO(bank_file)).active.iter_rows(values_only=True))
    assert sorted(row[2] for row in rows[1:]) == [SMALL_ACCOUNT, LARGE_ACCOUNT]


def test_a_grant_rounds_bank_return_marks_its_lines_paid(exported_round, union_staff):
    rows = [[line.pk, str(line.amount)] for line in exported_round.lines.order_by("pk")]
    upload = SimpleUploadedFile("return.xlsx", write_xlsx(["明细编号", "金额"], rows))

    result = payout_bank.payout_run_bank_return(
        run=exported_round, upload=upload, actor=union_staff
    )

    exported_round.refresh_from_db()
    assert (exported_round.status, result.paid_lines, result.unmatched_lines) == ("paid", 2, 0)
    assert set(exported_round.lines.values_list("status", flat=True)) == {"paid"}


def test_a_later_grant_round_pays_only_what_tops_a_unit_up_to_its_cap(
    grant_units, union_staff, union_staff2
):
    small, large, _refused = grant_units
    first = compute(start("grant_round", period=date(2026, 9, 1), actor=union_staff))
    payouts.payout_run_approve(run=first, actor=union_staff2)
    for _n in range(2):  # the small unit now has 5 children: 60,000 in all, 16,000 more
        enrol(programme=small.led_programmes.get())

    second = compute(start("grant_round", actor=union_staff))

    assert sorted(second.lines.values_list("employer_id", "amount", "status")) == sorted(
        [(small.pk, D("16000.00"), "payable"), (large.pk, D("0.00"), "nothing_due")]
    )
    assert second.total_amount == D("16000.00")
