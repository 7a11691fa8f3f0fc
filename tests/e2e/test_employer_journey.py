"""An employer admin's journey in a real browser, in Chinese: signs up, is approved by union
staff in the admin console (a second browser), imports a roster that a real Celery worker
checks and applies, registers a programme and confirms an employee's application."""

import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.admissions.models import Application
from apps.admissions.services.applications import application_submit
from apps.centres.models import AgeClass, CentreClass, RegistrationStatus
from apps.core.models import AuditRecord
from apps.core.validators import make_credit_code
from apps.employers.benchmarks import roster_rows
from apps.employers.models import Employer, Employment, Programme, RosterEntry, RosterImport
from apps.employers.services import roster as roster_services
from apps.employers.services.programmes import programme_approve
from apps.employers.services.roster_rows import TEMPLATE_HEADERS
from qianan_tuoyu.celery import app as celery_app
from tests.accounts.factories import PASSWORD, UserFactory
from tests.admissions.factories import family, start_month
from tests.areas import first_area
from tests.centres.factories import CentreClassFactory, CentreFactory

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EMPLOYER_NAME = "迁安市滨河钢铁有限公司"
CREDIT_CODE = make_credit_code("91130283MA7654321")
ADMIN_USERNAME = "binhe_hr"
ADMIN_PASSWORD = "Binhe-Steel-2026!"
# Above roster_services.INLINE_MAX_BYTES as an .xlsx, so the upload goes to the worker.
ROSTER_ROWS = 4000
WORKER_TIMEOUT_MS = 120_000


@pytest.fixture
def staff_page(browser):
    """Union staff's own browser, beside the employer admin's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def roster_worker(celery_worker, monkeypatch):
    """A real worker on its own queue; the live server (this process) sends imports there."""
    worker = celery_worker()
    monkeypatch.setitem(celery_app.conf, "task_default_queue", worker.queue)
    return worker


@pytest.fixture
def centre_class(transactional_db):
    """An approved centre with a toddler class, for the programme to place children in."""
    return CentreClassFactory(
        centre=CentreFactory(name="滨河爱心托育中心"), age_class=AgeClass.TODDLER, capacity=15
    )


def test_an_employer_admin_signs_up_is_approved_imports_a_roster_and_confirms_an_application(
    live_server, desktop, staff_page, screenshots, roster_worker, centre_class, tmp_path
):
    staff = UserFactory(role=Role.UNION_STAFF, username="union_staff_e2e", full_name="赵审核")
    url = live_server.url

    employer = sign_up(desktop, url, screenshots)
    approve_in_admin(staff_page, url, staff, screenshots)
    see_approval(desktop, screenshots)
    import_roster(desktop, employer, tmp_path, screenshots)
    assert imported_by(roster_worker) == 1  # on the worker, not inline in the web request
    programme = register_programme(desktop, url, centre_class, screenshots)
    # Union staff approve programmes in a journey of their own; here their service does it.
    programme_approve(programme=programme, actor=staff)
    desktop.reload()
    expect(desktop.locator(".badge").first).to_have_text("已批准")
    screenshots.take(desktop, "programme-approved")
    confirm_application(desktop, url, employer, programme, centre_class, screenshots)

    assert sorted(p.name for p in screenshots.folder.glob("*.png")) == [
        "01-signup-form.png",
        "02-awaiting-approval.png",
        "03-staff-dashboard.png",
        "04-staff-pending-employers.png",
        "05-staff-approved.png",
        "06-employer-approved.png",
        "07-roster-import-form.png",
        "08-roster-import-progress.png",
        "09-roster-imported.png",
        "10-roster-count-on-home.png",
        "11-roster-list.png",
        "12-programme-form.png",
        "13-programme-draft.png",
        "14-programme-submitted.png",
        "15-programme-approved.png",
        "16-confirmation-waiting.png",
        "17-confirmed.png",
    ]


def sign_up(page, url: str, screenshots) -> Employer:
    page.goto(url + "/employer/")
    page.get_by_role("link", name="用人单位注册").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")  # the default language
    expect(page.locator("h1")).to_have_text("用人单位注册")
    page.fill("#id_name", EMPLOYER_NAME)
    page.fill("#id_credit_code", CREDIT_CODE)
    page.select_option("#id_kind", Employer.Kind.ENTERPRISE)
    page.select_option("#id_area", str(first_area().pk))
    page.fill("#id_address", "迁安市滨河街道钢城路8号")
    page.fill("#id_contact_name", "钱人事")
    page.fill("#id_contact_phone", "0315-7612345")
    page.fill("#id_username", ADMIN_USERNAME)
    page.fill("#id_password1", ADMIN_PASSWORD)
    page.fill("#id_password2", ADMIN_PASSWORD)
    screenshots.take(page, "signup-form")

    page.get_by_role("button", name="注册").click()
    page.wait_for_url(url + "/employer/")

    expect(page.locator(".messages")).to_contain_text("谢谢。工会工作人员将审核您的注册")
    expect(page.locator(".status")).to_have_text("待审核")
    expect(page.get_by_text("工会工作人员正在审核您的注册")).to_be_visible()
    expect(page.get_by_role("link", name="导入花名册")).to_have_count(0)
    screenshots.take(page, "awaiting-approval")
    employer = Employer.objects.get(credit_code=CREDIT_CODE)
    assert (employer.name, employer.status) == (EMPLOYER_NAME, RegistrationStatus.PENDING)
    assert [link.user.username for link in employer.admins.all()] == [ADMIN_USERNAME]
    return employer


def approve_in_admin(page, url: str, staff, screenshots) -> None:
    """Union staff sign in, go from their dashboard to the admin console and approve."""
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + "/dashboard/")
    screenshots.take(page, "staff-dashboard")

    page.get_by_role("link", name="管理后台").click()
    page.locator("#employers-employer").get_by_role("link", name="用人单位").click()
    page.get_by_role("link", name="待审核").click()  # the status filter
    row = page.locator("#result_list tbody tr", has_text=EMPLOYER_NAME)
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", label="批准所选用人单位")
    screenshots.take(page, "staff-pending-employers")

    page.locator("button[name=index]").click()

    expect(page.locator(".messagelist .success")).to_have_text("已修改 1 条记录。")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)  # nobody left pending
    screenshots.take(page, "staff-approved")
    employer = Employer.objects.get(credit_code=CREDIT_CODE)
    assert employer.status == RegistrationStatus.APPROVED
    assert AuditRecord.objects.filter(
        action="employer.approve", actor=staff, to_state=RegistrationStatus.APPROVED
    ).exists()


def see_approval(page, screenshots) -> None:
    page.reload()

    expect(page.locator(".status")).to_have_text("已批准")
    expect(page.get_by_role("link", name=f"{EMPLOYER_NAME} 已通过审核")).to_be_visible()
    expect(page.get_by_text("在职 0 人,离职 0 人。")).to_be_visible()
    screenshots.take(page, "employer-approved")


def import_roster(page, employer: Employer, tmp_path, screenshots) -> None:
    page.get_by_role("link", name="导入花名册").click()
    expect(page.locator("h1")).to_have_text("导入花名册")
    screenshots.take(page, "roster-import-form")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    rows = [list(row) for row in roster_rows(ROSTER_ROWS)]
    roster_file = fill_template(template, rows, tmp_path / "花名册.xlsx")

    page.set_input_files("#id_file", str(roster_file))
    expect(page.get_by_label("完整花名册(未列出的人员标记为离职)")).to_be_checked()
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/employer/roster/imports/*/")

    expect(page.locator("h1")).to_have_text("花名册导入")
    expect(page.locator("#import-status")).to_have_text(re.compile("排队中|导入中|已导入"))
    screenshots.take(page, "roster-import-progress")
    expect(page.locator("#import-status")).to_have_text("已导入", timeout=WORKER_TIMEOUT_MS)

    expect(page.get_by_text(f"已导入 {ROSTER_ROWS} 行:新增 {ROSTER_ROWS} 人,")).to_be_visible()
    screenshots.take(page, "roster-imported")
    assert_roster_matches(employer, rows)

    page.get_by_role("link", name="我的门户").click()
    expect(page.get_by_text(f"在职 {ROSTER_ROWS} 人,离职 0 人。")).to_be_visible()
    screenshots.take(page, "roster-count-on-home")

    page.get_by_role("link", name=re.compile("^花名册")).click()
    expect(page.get_by_text(f"共 {ROSTER_ROWS} 人。")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(50)  # the first page
    expect(page.locator("tbody tr").first).to_contain_text("**********")  # ID numbers masked
    screenshots.take(page, "roster-list")
    page.get_by_role("link", name="← " + EMPLOYER_NAME).click()


def imported_by(worker) -> int:
    """How many roster imports the worker's log says it took (logged before it runs one)."""
    log = worker.log_path.read_text()
    return len(re.findall(r"Task employers\.roster_import\[[^\]]+\] received", log))


def fill_template(template, rows, path):
    """The downloaded template, its header row kept, with the rows added below it."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS
    assert sheet.max_row == 1
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    assert path.stat().st_size > roster_services.INLINE_MAX_BYTES  # so a worker imports it
    return path


def assert_roster_matches(employer: Employer, rows: list[list]) -> None:
    """Every row of the file is on the roster, as written, and nothing else is."""
    done = RosterImport.objects.get(employer=employer)
    assert (done.status, done.rows_total, done.rows_done) == ("done", ROSTER_ROWS, ROSTER_ROWS)
    assert (done.created_count, done.updated_count, done.left_count) == (ROSTER_ROWS, 0, 0)
    assert (done.errors, done.file.name) == ([], "")  # the upload is deleted once applied
    entries = RosterEntry.objects.filter(employer=employer)
    assert entries.filter(status=RosterEntry.Status.ACTIVE).count() == ROSTER_ROWS
    on_roster = {
        (e.full_name, e.id_number, e.mobile, e.department, e.union_member, e.start_date)
        for e in entries
    }
    in_file = {
        (name, id_number, mobile, department, member == "是", start)
        for name, id_number, mobile, department, member, start in rows
    }
    assert on_roster == in_file


def register_programme(page, url: str, centre_class: CentreClass, screenshots) -> Programme:
    page.get_by_role("link", name="本单位项目").click()
    expect(page.locator("h1")).to_have_text("本单位项目")
    page.get_by_role("link", name="登记项目").click()
    expect(page.locator("h1")).to_have_text("登记项目")
    page.fill("#id_name", "滨河钢铁职工爱心托育")
    page.select_option("#id_delivery_model", Programme.DeliveryModel.OWN_CENTRE)
    page.select_option("#id_centres", str(centre_class.centre.pk))
    page.fill("#id_parent_share_percent", "50")
    page.fill("#id_subsidy_amount", "200")
    page.fill("#id_start_date", timezone.localdate().isoformat())
    screenshots.take(page, "programme-form")

    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/employer/programmes/*/")

    expect(page.locator(".messages")).to_have_text("项目已保存为草稿。")
    expect(page.locator("h1")).to_have_text("滨河钢铁职工爱心托育")
    expect(page.locator(".badge").first).to_have_text("草稿")
    screenshots.take(page, "programme-draft")

    page.get_by_role("button", name="提交审核").click()

    expect(page.locator(".messages")).to_have_text("项目已提交审核。")
    expect(page.locator(".badge").first).to_have_text("待审核")
    screenshots.take(page, "programme-submitted")
    programme = Programme.objects.get(name="滨河钢铁职工爱心托育")
    assert programme.status == Programme.Status.SUBMITTED
    assert list(programme.centres.all()) == [centre_class.centre]
    return programme


def confirm_application(page, url, employer, programme, centre_class, screenshots) -> None:
    """A worker the roster does not show yet (a new hire the admin confirmed) applies; the
    admin confirms the application and the free place is offered at once."""
    employer.refresh_from_db()
    kin = family(employer, verified_by=Employment.VerifiedBy.EMPLOYER)
    application = application_submit(
        member=kin.member,
        child=kin.child,
        programme=programme,
        centre=centre_class.centre,
        age_class=AgeClass.TODDLER,
        start_month=start_month(),
        actor=kin.user,
    )
    assert application.state == Application.State.SUBMITTED

    page.goto(url + "/employer/")
    page.get_by_role("link", name="在职确认").click()
    row = page.locator("tbody tr", has_text=kin.member.full_name)
    expect(page.locator("h1")).to_have_text("在职确认")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(row).to_contain_text("滨河钢铁职工爱心托育")
    expect(row).to_contain_text("托小班")
    screenshots.take(page, "confirmation-waiting")

    row.get_by_role("button", name="确认").click()

    expect(page.locator(".messages")).to_have_text("已确认在职。")
    expect(page.locator("tbody tr")).to_have_text("没有待您确认的申请。")
    screenshots.take(page, "confirmed")
    application.refresh_from_db()
    assert application.state == Application.State.OFFERED
    assert application.centre_class_id == centre_class.pk
    assert CentreClass.objects.get(pk=centre_class.pk).places_taken == 1
    assert Application.objects.filter(child=kin.child).count() == 1
    confirmed_by = AuditRecord.objects.get(
        action="application.employment_confirmed", target_id=str(application.pk)
    ).actor
    assert confirmed_by.username == ADMIN_USERNAME
