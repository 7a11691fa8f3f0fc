"""The bank sheets of an exported run (one per funder, a row per payee and account) and the
import of the bank's return sheet.

A row's 明细编号 is the lowest id among the payee's lines in that sheet: the lines of an approved
run never change, so the same row always gets the same number, and the return is matched on it
and on the amount. The full account number is decrypted only while the bank's file is written;
every other view of a row shows it masked, and nothing here logs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Case, F, Min, QuerySet, Sum, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.pii import mask
from apps.core.services import audit_record
from apps.core.spreadsheets import SpreadsheetError, read_table, write_xlsx

from ..models import BankAccount, PayoutLine, PayoutRun
from .refusals import SubsidyError, conflict

# The bank's import format: these headers are what its system reads, in every UI language.
HEADERS = ["户名", "开户行", "账号", "金额", "用途", "明细编号"]
REFERENCE, AMOUNT = "明细编号", "金额"
PAYEE = ("payee_kind", "payee_id", "bank_account_id")
EXPORTABLE = (PayoutRun.Status.EXPORTED, PayoutRun.Status.PAID)
SHEET_STATUSES = (
    PayoutLine.Status.PAYABLE,
    PayoutLine.Status.PAID,
    PayoutLine.Status.UNMATCHED,
)
RETURN_MAX_ROWS = 200_000
RETURN_MAX_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class SheetRow:
    account_name: str
    bank_name: str
    account_number: str
    amount: Decimal
    purpose: str
    reference: int

    def as_list(self) -> list:
        return [
            self.account_name,
            self.bank_name,
            self.account_number,
            self.amount,
            self.purpose,
            self.reference,
        ]


def _sheet_lines(run: PayoutRun) -> QuerySet:
    # A parent line also names the centre and the employer (for the report); the payee is the
    # one its payee kind says.
    payee = Case(
        When(payee_kind=PayoutLine.PayeeKind.PARENT, then=F("member_id")),
        When(payee_kind=PayoutLine.PayeeKind.CENTRE, then=F("centre_id")),
        default=F("employer_id"),
    )
    return run.lines.filter(status__in=SHEET_STATUSES, bank_account__isnull=False).annotate(
        payee_id=payee
    )


def sheet_groups(run: PayoutRun, funder: str) -> QuerySet:
    """One row per payee and account of the funder's sheet: its total and its 明细编号."""
    return (
        _sheet_lines(run)
        .filter(funder=funder)
        .values(*PAYEE)
        .annotate(amount=Sum("amount"), reference=Min("id"))
        .order_by("reference")
    )


def funders(run: PayoutRun) -> list[str]:
    return list(
        run.lines.filter(status__in=SHEET_STATUSES, bank_account__isnull=False)
        .values_list("funder", flat=True)
        .distinct()
        .order_by("funder")
    )


def purpose(run: PayoutRun) -> str:
    with translation.override("zh-hans"):
        return _("Caring childcare %(kind)s %(period)s") % {
            "kind": run.get_kind_display(),
            "period": f"{run.period:%Y-%m}",
        }


def sheet_rows(run: PayoutRun, groups, *, full_numbers: bool = False) -> Iterator[SheetRow]:
    """The rows of `groups` (a slice of `sheet_groups`), masked unless `full_numbers`."""
    groups = list(groups)
    accounts = BankAccount.objects.in_bulk([group["bank_account_id"] for group in groups])
    text = purpose(run)
    for group in groups:
        account = accounts[group["bank_account_id"]]
        number = account.account_number if full_numbers else mask(account.account_number)
        yield SheetRow(
            account.account_name,
            account.bank_name,
            number,
            group["amount"],
            text,
            group["reference"],
        )


def _check_exported(run: PayoutRun) -> None:
    if run.status not in EXPORTABLE:
        raise conflict(
            _("Export payout run %(run)s first; its bank sheets are made from the approved run.")
            % {"run": run.pk}
        )


def bank_file(run: PayoutRun, funder: str, *, actor) -> bytes:
    """The .xlsx for the bank, with full account numbers; the download is audited."""
    _check_exported(run)
    batch, rows = 2000, []
    groups = sheet_groups(run, funder)
    for offset in range(0, groups.count(), batch):
        rows.extend(
            row.as_list()
            for row in sheet_rows(run, groups[offset : offset + batch], full_numbers=True)
        )
    audit_record(
        actor=actor,
        action="payout_run.bank_file",
        target=run,
        to_state=run.status,
        changes={"funder": funder, "rows": len(rows)},
    )
    return write_xlsx(HEADERS, rows, sheet_title=f"{run.period:%Y-%m} {funder}")


@dataclass
class BankReturnResult:
    matched_rows: int = 0
    matched_amount: Decimal = Decimal("0.00")
    paid_lines: int = 0
    unmatched_lines: int = 0
    problems: list[dict] = field(default_factory=list)


def _parse(record: dict) -> tuple[int | None, Decimal | None]:
    try:
        reference = int(record.get(REFERENCE, "").strip())
    except ValueError:
        reference = None
    try:
        amount = Decimal(record.get(AMOUNT, "").replace(",", "").strip())
    except InvalidOperation:
        amount = None
    return reference, amount


def _read(upload):
    try:
        table = read_table(upload, max_bytes=RETURN_MAX_BYTES, max_rows=RETURN_MAX_ROWS)
    except SpreadsheetError as error:
        raise SubsidyError.for_field("file", error.message) from None
    missing = [name for name in (REFERENCE, AMOUNT) if name not in table.headers]
    if missing:
        raise SubsidyError.for_field(
            "file",
            _("The return sheet needs the columns %(columns)s.") % {"columns": "、".join(missing)},
        )
    return table


def _groups(run: PayoutRun) -> dict[int, dict]:
    """Exported groups by 明细编号: their total, status and line ids."""
    groups: dict[tuple, dict] = {}
    lines = _sheet_lines(run).values_list("id", "amount", "status", "funder", *PAYEE)
    for values in lines.order_by("id"):
        line_id, amount, status, key = values[0], values[1], values[2], values[3:]
        group = groups.setdefault(key, {"reference": line_id, "amount": Decimal(0), "ids": []})
        group["amount"] += amount
        group["ids"].append(line_id)
        group["paid"] = status == PayoutLine.Status.PAID
    return {group["reference"]: group for group in groups.values()}


def _problem(number: int, reference, amount, reason: str) -> dict:
    return {"row": number, "reference": reference, "amount": amount, "reason": reason}


@transaction.atomic
def payout_run_bank_return(*, run: PayoutRun, upload, actor) -> BankReturnResult:
    """Mark the lines the bank paid (row matched by 明细编号 and amount) as paid and the others
    as unmatched; rows matching nothing are listed. The run becomes paid."""
    run = PayoutRun.objects.select_for_update().get(pk=run.pk)
    _check_exported(run)
    table = _read(upload)
    groups, result, seen, paid_ids = _groups(run), BankReturnResult(), set(), []
    for number, record in table.records():
        reference, amount = _parse(record)
        group = groups.get(reference)
        if group is None:
            result.problems.append(_problem(number, reference, amount, _("No such 明细编号.")))
        elif amount != group["amount"]:
            reason = _("The amount differs: the sheet sent %(sent)s.") % {"sent": group["amount"]}
            result.problems.append(_problem(number, reference, amount, reason))
        elif reference in seen or group["paid"]:
            result.problems.append(_problem(number, reference, amount, _("Already paid.")))
        else:
            seen.add(reference)
            paid_ids += group["ids"]
            result.matched_rows += 1
            result.matched_amount += amount
    result.paid_lines = run.lines.filter(pk__in=paid_ids).update(status=PayoutLine.Status.PAID)
    result.unmatched_lines = (
        run.lines.filter(status=PayoutLine.Status.PAYABLE)
        .filter(bank_account__isnull=False)
        .update(status=PayoutLine.Status.UNMATCHED)
    )
    _close(run, actor, result)
    return result


def _close(run: PayoutRun, actor, result: BankReturnResult) -> None:
    from_state = run.status
    if run.status == PayoutRun.Status.EXPORTED:
        run.status, run.paid_at = PayoutRun.Status.PAID, timezone.now()
        run.save(update_fields=["status", "paid_at"])
    audit_record(
        actor=actor,
        action="payout_run.bank_return",
        target=run,
        from_state=from_state,
        to_state=run.status,
        changes={
            "matched_rows": result.matched_rows,
            "matched_amount": str(result.matched_amount),
            "paid_lines": result.paid_lines,
            "unmatched_lines": result.unmatched_lines,
            "problems": len(result.problems),
        },
    )
