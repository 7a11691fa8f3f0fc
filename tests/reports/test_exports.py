"""Every report and every admin list downloads as .xlsx with Chinese headers, values as the page
shows them, and formula-like text neutralised."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.core.models import Area
from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from tests.accounts.factories import UserFactory
from tests.admissions.factories import PlaceAgreementFactory
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import MemberFactory
from tests.reports.builders import QUERY, caring_centre, payout_line, payout_run, world
from tests.subsidies.factories import BankAccountFactory, SchemeFactory
from tests.welfare.factories import MotherRoomFactory

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.com","点我")'


def sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_the_month_by_month_table_downloads_with_chinese_headers(staff_client):
    setting = caring_centre()
    run = payout_run(date(2025, 3, 1))
    payout_line(run, SchemeFactory(), "123.45", centre=setting.centre)

    rows = sheet(staff_client.get("/dashboard/export/trend.xlsx", QUERY))

    assert rows[0] == ["月份", "在托人数", "服务人次", "已发放补贴（元）"]
    assert [row[0] for row in rows[1:]] == [f"2025-0{m}" for m in range(1, 7)]
    assert rows[3] == ["2025-03", 0, 0, 123.45]


def test_the_headline_figures_download_as_one_sheet(staff_client):
    world(2)

    rows = sheet(staff_client.get("/dashboard/export/summary.xlsx", QUERY))

    assert rows[0] == ["板块", "指标", "数值", "单位"]
    values = {row[1]: row[2] for row in rows[1:]}
    assert values["购买托位"] == 8
    assert values["加入托育行业工会联合会的机构"] == 2
    assert values["已发放补贴"] == 400


def test_a_download_is_chinese_whatever_the_pages_language(staff_client):
    staff_client.cookies["django_language"] = "en"

    rows = sheet(staff_client.get("/dashboard/export/applications.xlsx", QUERY))

    assert rows[0] == ["状态", "申请数"]


def test_a_list_of_rows_downloads_with_formula_like_text_neutralised(staff_client):
    MotherRoomFactory(name=FORMULA, address="+86 迁安")

    rows = sheet(staff_client.get("/dashboard/export/rows/mother-rooms.xlsx", QUERY))

    assert rows[0] == ["小屋", "级别", "版本", "承建单位", "街道乡镇", "地址"]
    assert rows[1][0] == "'" + FORMULA
    assert rows[1][5] == "'+86 迁安"


def test_a_list_of_rows_keeps_numbers_as_numbers(staff_client):
    setting = caring_centre()
    PlaceAgreementFactory(programme=setting.programme, centre=setting.centre, places=7)

    rows = sheet(staff_client.get("/dashboard/export/rows/place-agreements.xlsx", QUERY))

    assert rows[0][4:7] == ["购买", "已使用", "空置"]
    assert rows[1][4:7] == [7, 0, 7]


def test_an_employer_downloads_only_its_own_figures(client):
    own, other = caring_centre(), caring_centre()
    PlaceAgreementFactory(programme=own.programme, centre=own.centre, places=3)
    PlaceAgreementFactory(programme=other.programme, centre=other.centre, places=5)
    client.force_login(EmployerAdminFactory(employer=own.employer).user)

    rows = sheet(client.get("/employer/figures/export/summary.xlsx", QUERY))

    assert {row[1]: row[2] for row in rows[1:]}["购买托位"] == 3


def test_a_report_the_scope_does_not_have_is_not_found(client):
    client.force_login(CentreAdminFactory().user)

    assert client.get("/centre/figures/export/vacancy.xlsx").status_code == 200
    assert client.get("/centre/figures/export/pilots.xlsx").status_code == 404
    assert client.get("/centre/figures/export/salaries.xlsx").status_code == 404


# The admin action on every list


def export_action(client, path: str, objects) -> list[list]:
    return sheet(
        client.post(path, {"action": "export_xlsx", "_selected_action": [o.pk for o in objects]})
    )


def test_an_admin_list_exports_its_selected_rows_with_chinese_field_names(staff_client):
    area = Area.objects.create(code="RPT99", name=FORMULA, kind="town", sort_order=99)

    rows = export_action(staff_client, "/admin/core/area/", [area])

    assert rows[0] == ["ID", "编码", "名称", "类型", "排序", "启用"]
    assert rows[1] == [area.pk, "RPT99", "'" + FORMULA, "镇", 99, "是"]


def test_an_admin_export_masks_identity_numbers_and_leaves_out_their_hashes(staff_client):
    member = MemberFactory(mobile="13912345678")

    rows = export_action(staff_client, "/admin/members/member/", [member])

    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    masked = [name for name in header if name.endswith("（脱敏）")]
    assert len(masked) == 2
    values = [row[name] for name in masked]
    assert member.id_number not in values
    assert member.id_number_masked in values
    assert member.mobile_masked in values
    assert not any("hash" in str(name).lower() for name in header)
    assert member.id_number_hash not in rows[1]


def test_an_admin_export_never_writes_a_bank_account_number(staff_client):
    account = BankAccountFactory(account_number="6217000315000000123")

    rows = export_action(staff_client, "/admin/subsidies/bankaccount/", [account])

    assert "6217000315000000123" not in [str(value) for value in rows[1]]
    assert account.account_number_masked in rows[1]


def test_an_admin_export_of_accounts_leaves_out_passwords(staff_client):
    user = UserFactory()

    rows = export_action(staff_client, "/admin/accounts/user/", [user])

    assert user.password not in rows[1]
    assert user.username in rows[1]


def test_every_row_of_a_filtered_list_exports_with_select_across(staff_client):
    for n in range(3):
        Area.objects.create(code=f"RPT0{n}", name=f"测试镇{n}", kind="town", sort_order=200 + n)

    response = staff_client.post(
        "/admin/core/area/?kind__exact=town&sort_order__gte=200",
        {"action": "export_xlsx", "select_across": "1", "_selected_action": ["0"]},
    )

    assert sorted(row[1] for row in sheet(response)[1:]) == ["RPT00", "RPT01", "RPT02"]


def test_money_in_an_admin_export_stays_a_number(staff_client):
    scheme = SchemeFactory(grant_base_amount=Decimal("1234.50"))

    rows = export_action(staff_client, "/admin/subsidies/subsidyscheme/", [scheme])

    assert 1234.5 in rows[1]


# Tokens are credentials: their list offers no actions at all, so nothing to download.
NOT_EXPORTED = {"authtoken.TokenProxy"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
LATIN_HEADERS = {"ID"}  # the row number column, read as it is
EXPORTED_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.label not in NOT_EXPORTED),
    key=lambda model: model._meta.label,
)


def _viewer(model, union_staff):
    """Union staff for the lists of their apps; a superuser for the rest (accounts' groups)."""
    if union_staff.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return union_staff
    return UserFactory(role=Role.UNION_STAFF, is_superuser=True, username="root")


@pytest.mark.parametrize("model", EXPORTED_ADMINS, ids=lambda model: model._meta.label)
def test_every_admin_list_downloads_as_xlsx_with_chinese_headers(client, union_staff, model):
    client.force_login(_viewer(model, union_staff))
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = client.post(
        path, {"action": "export_xlsx", "select_across": "1", "_selected_action": ["0"]}
    )

    headers = sheet(response)[0]
    assert headers
    assert [h for h in headers if not CHINESE.search(h) and h not in LATIN_HEADERS] == []


def test_the_token_list_is_the_one_admin_list_without_the_export(rf, union_staff):
    def offered(model, model_admin) -> bool:
        request = rf.get("/admin/")
        request.user = _viewer(model, union_staff)
        return "export_xlsx" in model_admin.get_actions(request)

    without = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not offered(model, model_admin)
    }

    assert without == NOT_EXPORTED
