"""A parent's whole journey on a 375 × 812 phone, in Chinese, through the portal's own pages:
sign up (privacy consent), add a child (guardian's consent), find programmes nearest first with
their prices, apply with the price shown first, and accept the offered place."""

import re
from datetime import date
from decimal import Decimal

import pytest

from apps.admissions.models import Application
from apps.core.models import AuditRecord
from apps.core.validators import make_id_number
from apps.employers.pricing import format_month
from apps.employers.services import roster as roster_services
from apps.members.models import GuardianConsent
from tests.admissions.factories import ProgrammeFactory, months_before, start_month
from tests.areas import first_area
from tests.centres.factories import CentreClassFactory, CentreFactory
from tests.e2e.browser import no_horizontal_scroll
from tests.employers.factories import EmployerFactory
from tests.employers.roster_files import csv_upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARENT_NAME = "李建国"
PARENT_ID_NUMBER = make_id_number(birth=date(1990, 5, 17), sequence=321)
PARENT_MOBILE = "13803150011"
PASSWORD = "Qa-journey-2026!"
CHILD_NAME = "李小满"
# Where the parent's phone says it is (WGS-84, as browsers report); centres are stored in GCJ-02.
PHONE_POSITION = {"latitude": 40.0105, "longitude": 118.6950}


def employer_with_the_parent_on_its_roster():
    """An approved employer whose roster (imported by its admin) lists the parent."""
    employer = EmployerFactory(name="迁安市钢铁示范有限公司")
    row = [PARENT_NAME, PARENT_ID_NUMBER, PARENT_MOBILE, "炼钢车间", "是", "2019-03-01"]
    created = roster_services.roster_import_create(
        employer=employer, upload=csv_upload([row]), actor=None
    )
    roster_services.roster_import_run(roster_import_id=created.pk)
    return employer


def running_programme(employer, *, name: str, centre_name: str, latitude: str, longitude: str):
    """An approved programme of `employer` at one centre with toddler places at 1,800 yuan."""
    centre = CentreFactory(
        name=centre_name,
        area=first_area(),
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
    )
    CentreClassFactory(centre=centre, capacity=15, monthly_price=Decimal("1800.00"))
    return ProgrammeFactory(
        name=name,
        lead_employer=employer,
        centres=[centre],
        parent_share_percent=Decimal("50.00"),
        subsidy_amount=Decimal("200.00"),
    )


def check_page(page, screenshots, step: str, heading: str) -> None:
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").first.inner_text() == heading
    assert no_horizontal_scroll(page), f"{step}: the page scrolls sideways on a phone"
    screenshots.take(page, step)


def chosen(page, label: str) -> str:
    return page.get_by_label(label, exact=True).locator("option:checked").inner_text()


def sign_up(phone, live_server, screenshots, employer) -> None:
    phone.goto(live_server.url + "/parent/")
    phone.get_by_role("link", name="使用手机号码注册").click()
    phone.wait_for_url("**/parent/signup/")
    phone.get_by_label("姓名", exact=True).fill(PARENT_NAME)
    phone.get_by_label("居民身份证号码", exact=True).fill(PARENT_ID_NUMBER)
    phone.get_by_label("手机号码", exact=True).fill(PARENT_MOBILE)
    phone.get_by_label("用人单位", exact=True).select_option(str(employer.pk))
    phone.get_by_label("我是工会会员", exact=True).check()
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.locator("#id_privacy_notice").check()  # the privacy consent
    check_page(phone, screenshots, "signup-filled", "家长注册")
    phone.get_by_role("button", name="注册", exact=True).click()
    phone.wait_for_url(re.compile(r".*/parent/$"))

    assert phone.locator(".messages").inner_text() == "已通过花名册核验您的在职情况。"
    assert "已通过花名册核验" in phone.locator("section", has_text="工作单位").inner_text()
    check_page(phone, screenshots, "signed-up", f"您好,{PARENT_NAME}")


def add_child(phone, screenshots, birth_date: date) -> None:
    children = phone.locator("#children")
    assert children.get_by_role("heading", name="添加子女").is_visible()
    children.get_by_label("幼儿姓名", exact=True).fill(CHILD_NAME)
    children.get_by_label("出生日期", exact=True).fill(birth_date.isoformat())
    children.get_by_label("性别", exact=True).select_option(label="男")
    children.get_by_label("您与幼儿的关系", exact=True).select_option(label="父亲")
    children.locator("#id_consent").check()  # the guardian's consent, before the child's data
    screenshots.take(phone, "child-filled")
    with phone.expect_navigation(url=re.compile(r".*/parent/$")):
        children.get_by_role("button", name="添加", exact=True).click()

    assert phone.locator(".messages").inner_text() == f"已添加 {CHILD_NAME}。"
    assert f"{CHILD_NAME} · {birth_date.isoformat()}" in phone.locator("#children").inner_text()
    check_page(phone, screenshots, "child-added", f"您好,{PARENT_NAME}")


def find_programmes_nearest_first(phone, live_server, screenshots) -> None:
    phone.get_by_role("link", name="我可申请的托育项目").click()
    phone.wait_for_url("**/parent/programmes/")
    check_page(phone, screenshots, "programmes", "您可申请的项目")
    # Not located yet: by name, no distances.
    assert phone.locator("article h2").all_inner_texts() == ["城郊爱心托育", "职工爱心托育"]
    assert " km" not in phone.locator("main").inner_text()

    phone.context.grant_permissions(["geolocation"], origin=live_server.url)
    phone.context.set_geolocation(PHONE_POSITION)
    phone.get_by_label("距离", exact=True).select_option("5")
    phone.get_by_role("button", name="使用我的位置").click()
    phone.wait_for_url(re.compile(r".*/parent/programmes/\?.*lat=.*"))

    assert phone.locator("#locate-status").inner_text() == "距离最近的机构排在前面。"
    summaries = phone.locator("article details.centre summary").all_inner_texts()
    assert summaries == ["近邻托育中心 · 0.3 km", "远方托育中心 · 2.1 km"]
    nearest = phone.locator("article").first
    assert nearest.locator("h2").inner_text() == "职工爱心托育"
    offer = nearest.locator(".offer")
    assert offer.locator("h4").inner_text() == "托小班(12–24 个月) · 15 个空余托位"
    # Market price, the parent's half, the employer's half, the subsidy, the net monthly cost.
    prices = offer.locator("dd").all_inner_texts()
    assert prices == ["1800.00 元/月", "900.00 元 (50%)", "900.00 元", "200.00 元", "700.00 元"]
    check_page(phone, screenshots, "programmes-nearest-first", "您可申请的项目")


def apply_with_the_price_first(phone, screenshots, child_name: str) -> None:
    nearest = phone.locator("article").first
    nearest.get_by_role("link", name="申请托位").click()
    phone.wait_for_url("**/parent/apply/?*")
    phone.get_by_label("幼儿", exact=True).select_option(label=child_name)
    assert chosen(phone, "项目") == "职工爱心托育"  # carried over from the programme's page
    assert chosen(phone, "托育机构") == "近邻托育中心"
    assert chosen(phone, "班型") == "托小班(12–24 个月)"
    assert phone.get_by_label("入托月份", exact=True).input_value() == format_month(start_month())
    check_page(phone, screenshots, "apply-form", "申请托位")
    phone.get_by_role("button", name="查看价格").click()

    quote = phone.locator(".quote")
    assert quote.get_by_role("heading").inner_text() == "您的每月费用"
    assert quote.locator(".fee").inner_text() == "900.00 元"
    assert "1800.00 元" in quote.inner_text()
    check_page(phone, screenshots, "apply-price-first", "申请托位")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url(re.compile(r".*/parent/applications/\d+/$"))


def accept_the_offer(phone, screenshots) -> None:
    assert phone.locator(".state").inner_text() == "已发放托位"
    check_page(phone, screenshots, "offered", CHILD_NAME)
    dialogs = []
    phone.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with phone.expect_navigation():
        phone.get_by_role("button", name="接受", exact=True).click()

    assert dialogs == ["确定接受该托位吗?"]
    assert phone.locator(".messages").inner_text() == "您已接受托位,欢迎入托!"
    assert phone.locator(".state").inner_text() == "已入托"
    assert "900.00 元" in phone.locator("dl.facts").last.inner_text()
    check_page(phone, screenshots, "accepted", CHILD_NAME)


def test_a_parent_on_a_phone_signs_up_adds_a_child_applies_nearest_first_and_accepts(
    live_server, phone, screenshots
):
    employer = employer_with_the_parent_on_its_roster()
    # By name (城 before 职) the far programme leads the list; by distance the near one does.
    running_programme(
        employer,
        name="城郊爱心托育",
        centre_name="远方托育中心",
        latitude="40.030000",
        longitude="118.705000",
    )
    running_programme(
        employer,
        name="职工爱心托育",
        centre_name="近邻托育中心",
        latitude="40.012500",
        longitude="118.705000",
    )
    birth_date = months_before(start_month(), 18)  # a toddler (托小班) when the place starts

    sign_up(phone, live_server, screenshots, employer)
    add_child(phone, screenshots, birth_date)
    find_programmes_nearest_first(phone, live_server, screenshots)
    apply_with_the_price_first(phone, screenshots, CHILD_NAME)
    accept_the_offer(phone, screenshots)

    # The consents were recorded by the pages above, before any of the family's data was used.
    assert AuditRecord.objects.filter(action="member.privacy_consent").count() == 1
    assert GuardianConsent.objects.filter(guardian__full_name=PARENT_NAME).count() == 1
    assert Application.objects.get().state == Application.State.ENROLLED
