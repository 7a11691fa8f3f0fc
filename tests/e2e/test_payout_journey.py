"""Union staff in a real browser, in Chinese: one approves a programme and starts October's payout
run, which a real Celery worker computes while the progress bar fills; a second staff member
approves the run (four eyes), exports it and downloads the bank's file, whose rows and total are
the run's payable lines."""

import io
import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.employers.models import Programme
from apps.subsidies.models import PayoutLine, PayoutRun
from apps.subsidies.services.payout_bank import HEADERS
from qianan_tuoyu.celery import app as celery_app
from tests.accounts.factories import PASSWORD, UserFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import PERIOD, account, attendance

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CALCULATION_TIMEOUT_MS = 90_000


def october_payroll():
    """An employer's approved programme paying 200 yuan a child: 李娜's two children (400.00 in
    one bank row), 王强's child from 16 October (200 × 16/31 = 103.23), and 赵敏's child,
    held for want of a checked bank account. Plus a second programme awaiting approval."""
    employer = EmployerFactory(name="迁安钢铁集团有限公司")
    programme = ProgrammeFactory(lead_employer=employer, name="迁钢职工子女爱心托育")
    pending = ProgrammeFactory(
        lead_employer=employer,
        name="迁钢假期爱心托管",
        status=Programme.Status.SUBMITTED,
    )
    scheme = SchemeFactory(programmes=[programme], name="迁钢托育补贴")
    BudgetFactory(scheme=scheme, amount=Decimal("10000.00"))
    li_na, wang_qiang, zhao_min = MemberFactory(), MemberFactory(), MemberFactory()
    account(member=li_na, account_name="李娜", account_number="6217000315000010001")
    account(member=wang_qiang, account_name="王强", account_number="6217000315000010002")
    stays = [
        enrol(programme=programme, applicant=li_na),
        enrol(programme=programme, applicant=li_na),
        enrol(programme=programme, applicant=wang_qiang, start=date(2026, 10, 16)),
        enrol(programme=programme, applicant=zhao_min),
    ]
    for stay in stays:
        attendance(stay, 15)
    return pending


def staff(username: str):
    return UserFactory(role=Role.UNION_STAFF, username=username)


def sign_in(page, live_server, user, screenshots) -> None:
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    screenshots.take(page, f"{user.username}-sign-in")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/dashboard/")


def approve_the_programme_in_the_admin(page, pending, screenshots) -> None:
    page.get_by_role("link", name="管理后台").click()
    page.get_by_role("link", name="爱心托育项目", exact=True).first.click()
    row = page.locator("#result_list tbody tr", has_text=pending.name)
    expect(row).to_contain_text("待审核")
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    screenshots.take(page, "programme-selected")
    page.get_by_role("button", name="执行").click()

    expect(page.locator(".messagelist")).to_contain_text("已修改 1 条记录。")
    expect(row).to_contain_text("已批准")
    screenshots.take(page, "programme-approved")


def start_the_run(page, live_server, screenshots) -> PayoutRun:
    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("link", name="发放批次").click()
    expect(page.locator("h1")).to_have_text("发放批次")
    page.select_option("#id_kind", "monthly")
    page.fill("#id_period", f"{PERIOD:%Y-%m}")
    screenshots.take(page, "payout-runs-start-form")
    page.get_by_role("button", name="发起或打开批次").click()
    page.wait_for_url("**/dashboard/payouts/*/")
    return PayoutRun.objects.get()


def bank_rows_in_the_database(run: PayoutRun) -> dict[tuple[str, str], Decimal]:
    """(account name, full account number) → the payable amount the run owes to it."""
    owed: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    lines = PayoutLine.objects.filter(run=run, status=PayoutLine.Status.PAYABLE)
    for line in lines.select_related("bank_account"):
        owed[(line.bank_account.account_name, line.bank_account.account_number)] += line.amount
    return dict(owed)


def read_bank_file(path) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, rows


def test_union_staff_start_a_payout_run_that_a_second_staff_member_approves_and_downloads(
    live_server, desktop, browser, screenshots, celery_worker, monkeypatch
):
    pending = october_payroll()
    starter = staff("union_staff")
    approver = staff("union_staff2")
    # The worker listens on its own queue only: the run's tasks go there, and only once the
    # worker has started do they get computed, so the bar is seen empty and then full.
    queue = f"payout-journey-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)

    # 1. union_staff approves the programme in the admin and starts October's run.
    sign_in(desktop, live_server, starter, screenshots)
    approve_the_programme_in_the_admin(desktop, pending, screenshots)
    pending.refresh_from_db()
    assert pending.status == Programme.Status.APPROVED

    run = start_the_run(desktop, live_server, screenshots)
    status, bar, count = (desktop.locator(s) for s in ("#run-status", "#chunks", "#chunk-count"))
    expect(status).to_have_text("计算中")
    expect(bar).to_have_attribute("value", "0")
    expect(count).to_have_text(f"0 / {run.chunks_total}")
    screenshots.take(desktop, "run-calculating")

    # 2. A real worker computes the chunks; the page polls, then reloads with the figures.
    celery_worker(queue=queue)
    expect(status).to_have_text("已计算", timeout=CALCULATION_TIMEOUT_MS)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.CALCULATED
    assert run.chunks_done == run.chunks_total > 0
    expect(bar).to_have_attribute("value", str(run.chunks_total))
    expect(bar).to_have_attribute("max", str(run.chunks_total))
    expect(count).to_have_text(f"{run.chunks_total} / {run.chunks_total}")
    assert desktop.evaluate("document.getElementById('chunks').position") == 1  # 100 %
    assert (run.total_amount, run.held_amount) == (Decimal("503.23"), Decimal("200.00"))
    expect(desktop.locator("#total-amount")).to_have_text("503.23")
    expect(desktop.locator("dl.facts")).to_contain_text("发起人union_staff")
    screenshots.take(desktop, "run-calculated")

    # Four eyes: the one who started the run cannot approve it.
    desktop.get_by_role("button", name="批准").click()
    expect(desktop.locator("body")).to_contain_text("须由另一名工会工作人员批准。")
    expect(status).to_have_text("已计算")
    screenshots.take(desktop, "own-run-not-approved")

    # 3. union_staff2, in a second browser, approves, exports and downloads the bank's file.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    second = context.new_page()
    try:
        sign_in(second, live_server, approver, screenshots)
        second.get_by_role("link", name="发放批次").click()
        second.get_by_role("link", name=f"#{run.pk}").click()
        second.get_by_role("button", name="批准").click()
        expect(second.locator("body")).to_contain_text("批次已批准,预算已占用。")
        expect(second.locator("#run-status")).to_have_text("已批准")
        expect(second.locator("dl.facts")).to_contain_text("批准人union_staff2")
        screenshots.take(second, "run-approved")

        second.get_by_role("button", name="导出至银行").click()
        expect(second.locator("#run-status")).to_have_text("已导出至银行")
        screenshots.take(second, "run-exported")
        with second.expect_download() as download_info:
            second.get_by_role("link", name="提交银行的文件(.xlsx,完整账号)").click()
        download = download_info.value
        saved = screenshots.folder / download.suggested_filename
        download.save_as(saved)
    finally:
        context.close()

    run.refresh_from_db()
    assert (run.status, run.started_by, run.approved_by) == ("exported", starter, approver)
    assert download.suggested_filename == f"bank-2026-10-月度发放-employer-{run.pk}.xlsx"
    header, rows = read_bank_file(saved)
    assert header == HEADERS
    in_sheet = {(row[0], row[2]): Decimal(str(row[3])).quantize(Decimal("0.01")) for row in rows}
    assert len(in_sheet) == len(rows)
    assert in_sheet == bank_rows_in_the_database(run)
    assert in_sheet == {
        ("李娜", "6217000315000010001"): Decimal("400.00"),
        ("王强", "6217000315000010002"): Decimal("103.23"),
    }
    assert sum(in_sheet.values()) == run.total_amount
    assert {row[4] for row in rows} == {"爱心托育 月度发放 2026-10"}
