"""The bank sheets of an exported run (one per funder, a row per payee, masked where shown, full
in the bank's file) and the import of the bank's return."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditRecord
from apps.core.spreadsheets import write_xlsx
from apps.subsidies.models import PayoutLine
from apps.subsidies.services import payout_bank, payouts
from apps.subsidies.services.refusals import SubsidyError
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import URLCONF, account, attendance, compute, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
FULL = "6217000315000012345"


@pytest.fixture
def exported(union_staff, union_staff2):
    """Two schemes from two funders; one parent has two children (two lines, one row)."""
    employer_programme = ProgrammeFactory()
    union_programme = ProgrammeFactory(subsidy_funder="union")
    for programme, funder in ((employer_programme, "employer"), (union_programme, "union")):
        scheme = SchemeFactory(programmes=[programme], funder=funder)
        BudgetFactory(scheme=scheme, amount=D("10000.00"))
    family, other = MemberFactory(full_name="王丽娜"), MemberFactory()
    account(member=family, account_number=FULL, account_name="王丽娜")
    account(member=other, account_number="6217000315000099999", account_name="李建军")
    for member, programme in (
        (family, employer_programme),
        (family, employer_programme),
        (other, union_programme),
    ):
        attendance(enrol(programme=programme, applicant=member), 18)
    run = compute(start(actor=union_staff))
    run = payouts.payout_run_approve(run=run, actor=union_staff2)
    return payouts.payout_run_export(run=run, actor=union_staff)


def _family_rows(run):
    return list(payout_bank.sheet_rows(run, payout_bank.sheet_groups(run, "employer")))


def test_there_is_one_sheet_per_funder(exported):
    assert payout_bank.funders(exported) == ["employer", "union"]


def test_a_payee_with_two_lines_has_one_row_numbered_by_its_lowest_line(exported):
    lowest = exported.lines.filter(funder="employer").order_by("id").first()

    [row] = _family_rows(exported)

    assert (row.account_name, row.amount, row.reference) == ("王丽娜", D("400.00"), lowest.pk)


def test_the_sheet_shown_masks_the_account_number(exported):
    [row] = _family_rows(exported)

    assert row.account_number == "6217***********2345"


def test_the_bank_file_has_the_chinese_columns_and_the_full_number(exported, union_staff):
    content = payout_bank.bank_file(exported, "employer", actor=union_staff)

    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    reference = exported.lines.filter(funder="employer").order_by("id").first().pk
    assert rows == [
        ("户名", "开户行", "账号", "金额", "用途", "明细编号"),
        ("王丽娜", "中国工商银行迁安支行", FULL, 400, payout_bank.purpose(exported), reference),
    ]


def test_downloading_the_bank_file_is_audited_without_the_number(exported, union_staff):
    payout_bank.bank_file(exported, "employer", actor=union_staff)

    record = AuditRecord.objects.get(action="payout_run.bank_file")
    assert record.changes == {"funder": "employer", "rows": 1}
    assert FULL not in str(record.changes) + record.reason + record.to_state


def test_an_approved_run_not_yet_exported_has_no_bank_file(union_staff, exported):
    type(exported).objects.filter(pk=exported.pk).update(status="approved")
    exported.refresh_from_db()

    with pytest.raises(SubsidyError) as refused:
        payout_bank.bank_file(exported, "employer", actor=union_staff)

    assert refused.value.status_code == 409


def _return_file(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("return.xlsx", write_xlsx(["明细编号", "金额"], rows))


def test_the_bank_return_pays_matched_rows_and_lists_the_rest(exported, union_staff):
    family = exported.lines.filter(funder="employer").order_by("id")
    other = exported.lines.get(funder="union")
    upload = _return_file([[family[0].pk, "400.00"], [other.pk, "150.00"], [999999, "1.00"]])

    result = payout_bank.payout_run_bank_return(run=exported, upload=upload, actor=union_staff)

    exported.refresh_from_db()
    assert exported.status == "paid"
    assert (result.matched_rows, result.matched_amount, result.paid_lines) == (1, D("400"), 2)
    assert result.unmatched_lines == 1
    assert [(p["row"], p["reason"]) for p in result.problems] == [
        (3, "The amount differs: the sheet sent 200.00."),
        (4, "No such 明细编号."),
    ]
    assert sorted(PayoutLine.objects.values_list("status", flat=True)) == [
        "paid",
        "paid",
        "unmatched",
    ]


def test_a_later_return_pays_lines_left_unmatched(exported, union_staff):
    other = exported.lines.get(funder="union")
    payout_bank.payout_run_bank_return(run=exported, upload=_return_file([]), actor=union_staff)

    result = payout_bank.payout_run_bank_return(
        run=exported, upload=_return_file([[other.pk, "200.00"]]), actor=union_staff
    )

    other.refresh_from_db()
    assert (result.paid_lines, other.status) == (1, "paid")


def test_a_return_without_the_reference_column_is_refused(exported, union_staff):
    upload = SimpleUploadedFile("return.xlsx", write_xlsx(["金额"], [["400.00"]]))

    with pytest.raises(SubsidyError) as refused:
        payout_bank.payout_run_bank_return(run=exported, upload=upload, actor=union_staff)

    assert refused.value.fields == {"file": ["The return sheet needs the columns 明细编号."]}
    exported.refresh_from_db()
    assert exported.status == "exported"


@pytest.mark.urls(URLCONF)
def test_the_bank_return_api_takes_a_multipart_file(api_client, exported, union_staff):
    api_client.force_authenticate(union_staff)
    line = exported.lines.get(funder="union")
    url = reverse("api-payout-run-bank-return", kwargs={"pk": exported.pk})

    response = api_client.post(
        url, {"file": _return_file([[line.pk, "200.00"]])}, format="multipart"
    )

    body = response.json()
    assert (response.status_code, body["run"]["status"], body["paid_lines"]) == (200, "paid", 1)
    assert body["problems"] == []
