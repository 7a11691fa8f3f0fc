"""PIPL Art. 28: bank account numbers are never stored in plain text, anywhere in the database:
not in the accounts, their history, the audit trail nor the notices."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from apps.core.spreadsheets import write_xlsx
from apps.subsidies.services import payout_bank, payouts
from apps.subsidies.services.accounts import (
    bank_account_check,
    bank_account_reject,
    bank_account_submit,
)
from tests.accounts.factories import PASSWORD
from tests.admissions.factories import ensure_area
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import MemberFactory
from tests.privacy.test_pg_dump import _dump
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import account, attendance, compute, start

PARENT_FIRST = "6217000315987654321"
PARENT_SECOND = "6222020304056789012"
CENTRE = "13040160000087654321"
EMPLOYER = "13040170000012348765"


def _submit(actor, number, **owner):
    return bank_account_submit(
        bank_name="中国工商银行迁安支行",
        account_name="迁安市示范户名",
        account_number=number,
        actor=actor,
        password=PASSWORD,
        **owner,
    )


@pytest.mark.django_db(transaction=True)
def test_database_dump_holds_no_plain_bank_account_number(union_staff):
    ensure_area()  # an earlier transactional test's flush may have emptied the areas
    member = MemberFactory()
    centre_admin, employer_admin = CentreAdminFactory(), EmployerAdminFactory()
    first = _submit(member.user, PARENT_FIRST, member=member)
    bank_account_reject(account=first, actor=union_staff, reason=f"账号 {PARENT_FIRST} 户名不符")
    _submit(member.user, PARENT_SECOND, member=member)
    centre = _submit(centre_admin.user, CENTRE, centre=centre_admin.centre)
    bank_account_check(account=centre, actor=union_staff)
    _submit(employer_admin.user, EMPLOYER, employer=employer_admin.employer)

    dump = _dump()

    assert "户名不符" in dump, "the dump should contain the rejection"
    for number in (PARENT_FIRST, PARENT_SECOND, CENTRE, EMPLOYER):
        assert number not in dump
        assert number[:12] not in dump
        assert number[-12:] not in dump


@pytest.mark.django_db(transaction=True)
def test_a_paid_payout_run_leaves_no_plain_bank_account_number_in_the_dump(
    union_staff, union_staff2
):
    ensure_area()
    programme = ProgrammeFactory()
    BudgetFactory(scheme=SchemeFactory(programmes=[programme]), amount=Decimal("10000.00"))
    member = MemberFactory()
    account(member=member, account_number=PARENT_FIRST)
    attendance(enrol(programme=programme, applicant=member), 18)
    run = payouts.payout_run_approve(run=compute(start(actor=union_staff)), actor=union_staff2)
    run = payouts.payout_run_export(run=run, actor=union_staff)
    bank_file = payout_bank.bank_file(run, "employer", actor=union_staff)
    line = run.lines.get()
    # The bank's return repeats the account number beside the reference and the amount.
    returned = write_xlsx(["明细编号", "金额", "账号"], [[line.pk, str(line.amount), PARENT_FIRST]])
    payout_bank.payout_run_bank_return(
        run=run, upload=SimpleUploadedFile("return.xlsx", returned), actor=union_staff
    )

    dump = _dump()

    sheet = load_workbook(io.BytesIO(bank_file)).active
    assert sheet.cell(row=2, column=3).value == PARENT_FIRST, "the bank's file has it in full"
    assert "payout_run.bank_return" in dump, "the dump should contain the bank return"
    assert PARENT_FIRST not in dump
    assert PARENT_FIRST[:12] not in dump
    assert PARENT_FIRST[-12:] not in dump
