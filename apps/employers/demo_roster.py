"""Demo rosters for the report's employers and the market's tenant businesses, a pending
employer sign-up and a pending parent. Idempotent; an employer not there yet is skipped.

Rosters go through the portal's own import service, from generated CSV files.
"""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.centres.models import RegistrationStatus
from apps.core.models import Area
from apps.core.pii import sensitive_lookup
from apps.core.validators import make_credit_code, make_id_number, normalize_id_number
from apps.members.models import Member, Union
from apps.members.services import member_create

from .demo_registry import DEMO_EMPLOYER_CODES, FAMILIES
from .models import Employer, RosterImport
from .services.registry import employer_approve, employer_create
from .services.roster import roster_import_create, roster_import_run
from .services.roster_rows import TEMPLATE_HEADERS
from .services.signup import employment_claim

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
GIVEN += ["涛", "明", "超", "秀英", "桂兰", "建华", "志强", "海燕", "晓东", "春梅"]

# key: (how many people, departments)
ROSTERS = {
    "xinda_steel": (48, ["炼铁厂", "炼钢厂", "轧钢厂", "动力厂", "质检中心", "行政部"]),
    "kaida_trading": (30, ["销售部", "仓储部", "财务部", "办公室"]),
    "guangcai_education": (40, ["骏德幼儿园", "阳光幼儿园", "彩虹幼儿园", "集团办公室"]),
    "state_grid_qianan": (36, ["营销部", "运维检修部", "调度控制中心", "综合服务中心"]),
    "wanjia_market": (22, ["物业管理部", "招商部", "安保部"]),
}
# Tenant businesses of 万嘉国际家居建材城 (individual businesses: credit codes start 92).
TENANTS = [
    ("wanjia_tenant_tiles", "迁安市美家瓷砖经销部", "92130283MA0WJ0001", 8),
    ("wanjia_tenant_lighting", "迁安市鑫源灯饰商行", "92130283MA0WJ0002", 6),
    ("wanjia_tenant_wood", "迁安市宏达木业经营部", "92130283MA0WJ0003", 7),
]
TENANT_UNION = "万嘉国际家居建材城商户联合工会"
PENDING_EMPLOYER = "迁安市顺达物流有限公司"
PENDING_PARENT = ("周雨桐", "13803150099")


def _people(seed: int, count: int, departments: list[str]):
    for i in range(count):
        n = seed * 100 + i
        name = SURNAMES[n % 20] + GIVEN[(n * 7) % len(GIVEN)]
        birth = date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
        started = date(2008 + n % 16, 1 + (n * 5) % 12, 1 + (n * 3) % 28)
        yield [
            name,
            make_id_number(birth=birth, sequence=300 + n % 600),
            f"139{seed:02d}{i:06d}",
            departments[i % len(departments)],
            "是" if i % 4 else "否",
            started.isoformat(),
        ]


def _family_rows(key: str):
    """The demo families' own rows, so their employments match the roster."""
    for username, _name, employer_key, *_rest in FAMILIES:
        member = Member.objects.filter(user__username=username).first()
        if employer_key == key and member is not None:
            yield [member.full_name, member.id_number, member.mobile, "", "是", "2015-03-01"]


def _csv(rows) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile("roster.csv", text.getvalue().encode("utf-8-sig"))


def _import(employer: Employer, rows: list, stdout) -> None:
    if employer.roster_imports.filter(status=RosterImport.Status.DONE).exists():
        return
    created = roster_import_create(employer=employer, upload=_csv(rows), actor=None)
    result = roster_import_run(roster_import_id=created.pk)
    stdout.write(f"  roster of {employer.name}: {result.get_status_display()}, {len(rows)} rows")


def _tenant(name: str, body17: str) -> Employer:
    code = make_credit_code(body17)
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        employer = employer_create(
            name=name,
            credit_code=code,
            kind=Employer.Kind.TENANT_BUSINESS,
            address="迁安市万嘉国际家居建材城",
            area=Area.objects.order_by("sort_order").first(),
            union=Union.objects.filter(name=TENANT_UNION).first(),
            contact_name="店长",
            contact_phone="0315-7612000",
            actor=None,
        )
    if employer.status == RegistrationStatus.PENDING:
        employer = employer_approve(employer=employer, actor=None)
    return employer


def _pending_employer(stdout) -> None:
    """A sign-up awaiting union staff in the admin (no account: the demo accounts are fixed)."""
    code = DEMO_EMPLOYER_CODES["pending_employer"]
    area = Area.objects.order_by("sort_order").first()
    if area is None or Employer.objects.filter(credit_code=code).exists():
        return
    employer_create(
        name=PENDING_EMPLOYER,
        credit_code=code,
        kind=Employer.Kind.ENTERPRISE,
        address="迁安市物流园区8号",
        area=area,
        contact_name="孙立新",
        contact_phone="0315-7688000",
        actor=None,
    )
    stdout.write(f"  pending employer sign-up: {PENDING_EMPLOYER}")


def _pending_parent(stdout) -> None:
    """A worker the roster does not know, waiting for the employer admin's confirmation."""
    name, mobile = PENDING_PARENT
    employer = Employer.objects.filter(credit_code=DEMO_EMPLOYER_CODES["xinda_steel"]).first()
    number = make_id_number(birth=date(1993, 8, 16), sequence=962)
    lookup = sensitive_lookup("id_number", number, normalize=normalize_id_number)
    if employer is None or Member.objects.filter(**lookup).exists():
        return
    member = member_create(
        user=None, full_name=name, id_number=number, mobile=mobile, union=employer.union, actor=None
    )
    employment_claim(member=member, employer=employer, actor=None)
    stdout.write(f"  pending parent: {name} at {employer.name}")


def seed(*, stdout) -> None:
    for index, (key, (count, departments)) in enumerate(ROSTERS.items(), start=1):
        employer = Employer.objects.filter(credit_code=DEMO_EMPLOYER_CODES[key]).first()
        if employer is None:
            continue
        _import(employer, [*_family_rows(key), *_people(index, count, departments)], stdout)
    if Union.objects.filter(name=TENANT_UNION).exists() and Area.objects.exists():
        for index, (_key, name, body17, count) in enumerate(TENANTS, start=len(ROSTERS) + 1):
            employer = _tenant(name, body17)
            _import(employer, list(_people(index, count, ["门店"])), stdout)
    _pending_employer(stdout)
    _pending_parent(stdout)
