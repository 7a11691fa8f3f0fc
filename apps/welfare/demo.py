"""Demo data for warm-heart services, matching the report's figures: 15 mother rooms at Hebei
and Tangshan level, the power-supply company's care class recognised by the Tangshan federation,
and female-worker contracts, one expiring soon. Idempotent: each item is keyed by its name."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.centres.models import RegistrationStatus
from apps.core.models import Area
from apps.core.validators import make_credit_code
from apps.employers.models import Employer
from apps.members.models import Union

from . import services
from .models import CareClass, CollectiveContract, Level, MotherRoom
from .services.contracts import add_years

POWER_COMPANY_NAME = "国网迁安市供电公司"
# Fixed so the employers' demo data can find (or create) the same employer by its code.
POWER_COMPANY_CREDIT_CODE = make_credit_code("91130283MA0GWQAGD")
SCHOOL_NAME = "迁安市第四实验小学"
SCHOOL_CREDIT_CODE = make_credit_code("12130283MB04XXQ01")
CITY_FEDERATION = "迁安市总工会"
INDUSTRY_FEDERATION = "迁安市托育行业工会联合会"
MARKET_UNION = "万嘉国际家居建材城联合工会"

H, F, E = "health", "feeding", "early_education"
OFFICE_HOURS = "周一至周五 8:30–12:00，14:00–17:30"
DAILY = "每日 8:00–20:00"
# name, host, version, area code, address, lat, lng, m², hours, functions, level, recognised on
# fmt: off
ROOMS = [
    ("迁安市政务服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD02", "政务服务中心一楼东侧",
     "40.010800", "118.702100", "16.0", OFFICE_HOURS, (H, F), Level.HEBEI, date(2021, 5, 8)),
    ("迁安市人民医院爱心妈妈小屋", CITY_FEDERATION, "public", "JD01", "市人民医院门诊楼二楼",
     "40.015200", "118.695400", "20.0", "每日 0:00–24:00", (H, F), Level.HEBEI, date(2021, 5, 8)),
    ("迁安市妇幼保健院爱心妈妈小屋", CITY_FEDERATION, "public", "JD01", "市妇幼保健院一楼",
     "40.018600", "118.699800", "24.0", DAILY, (H, F, E), Level.HEBEI, date(2022, 5, 6)),
    ("迁安市职工服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD02", "职工服务中心二楼",
     "40.007900", "118.706300", "18.0", OFFICE_HOURS, (H, F, E), Level.HEBEI, date(2022, 5, 6)),
    ("国网迁安市供电公司爱心妈妈小屋", POWER_COMPANY_NAME, "enterprise", "JD02",
     "供电公司办公楼三楼",
     "40.004500", "118.711800", "15.0", OFFICE_HOURS, (H, F, E), Level.HEBEI, date(2023, 5, 10)),
    ("迁安站爱心妈妈小屋", CITY_FEDERATION, "public", "JD03", "迁安站候车室西侧",
     "39.998600", "118.689700", "12.0", "每日 6:00–22:00", (F,), Level.TANGSHAN, date(2022, 9, 20)),
    ("迁安市图书馆爱心妈妈小屋", CITY_FEDERATION, "public", "JD03", "市图书馆一楼少儿阅览区旁",
     "40.003300", "118.698200", "14.0", "周二至周日 9:00–17:00", (F, E),
     Level.TANGSHAN, date(2022, 9, 20)),
    ("迁安市体育中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD04", "体育中心综合馆一楼",
     "39.994800", "118.716400", "12.0", DAILY, (F,), Level.TANGSHAN, date(2023, 5, 10)),
    ("黄台湖公园游客中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD01", "黄台湖公园游客中心",
     "40.024700", "118.688300", "11.0", "每日 7:00–19:00", (F,), Level.TANGSHAN, date(2023, 5, 10)),
    ("万嘉国际家居建材城爱心妈妈小屋", MARKET_UNION, "public", "JD04", "建材城服务大厅二楼",
     "39.989900", "118.725600", "13.0", DAILY, (F,), Level.TANGSHAN, date(2023, 5, 10)),
    ("迁安市第四实验小学爱心妈妈小屋", SCHOOL_NAME, "enterprise", "JD03", "学校行政楼一楼",
     "40.000700", "118.694100", "10.5", OFFICE_HOURS, (F,), Level.TANGSHAN, date(2023, 9, 15)),
    ("滨河街道社区卫生服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD03",
     "社区卫生服务中心一楼",
     "39.996200", "118.702900", "15.0", OFFICE_HOURS, (H, F), Level.TANGSHAN, date(2023, 9, 15)),
    ("夏官营镇便民服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "Z01", "镇便民服务中心一楼",
     "39.936400", "118.643900", "12.0", OFFICE_HOURS, (F,), Level.TANGSHAN, date(2023, 9, 15)),
    ("杨店子街道党群服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "JD04", "党群服务中心二楼",
     "39.982100", "118.736800", "12.0", OFFICE_HOURS, (F, E), Level.TANGSHAN, date(2023, 9, 15)),
    ("托育行业工会联合会爱心妈妈小屋", INDUSTRY_FEDERATION, "public", "JD02",
     "托育行业工会联合会服务站",
     "40.012900", "118.709600", "16.0", DAILY, (F, E), Level.TANGSHAN, date(2023, 9, 15)),
]
PROPOSED_ROOM = (
    "蔡园镇便民服务中心爱心妈妈小屋", CITY_FEDERATION, "public", "Z08", "镇便民服务中心一楼",
    "39.947100", "118.784200", "11.0", OFFICE_HOURS, (F,),
)
# fmt: on


def seed(*, stdout) -> None:
    actor = User.objects.filter(username="union_staff").first()
    hosts = _hosts()
    for row in ROOMS:
        _room(row[:10], hosts, actor, stdout=stdout, level=row[10], recognised_on=row[11])
    _room(PROPOSED_ROOM, hosts, actor, stdout=stdout)
    _care_classes(hosts, actor, stdout=stdout)
    _contracts(hosts, actor, stdout=stdout)


def _union(name: str, kind: str, parent: Union | None = None) -> Union:
    union, _created = Union.objects.get_or_create(
        name=name, defaults={"kind": kind, "parent": parent}
    )
    return union


def _employer(*, credit_code: str, name: str, kind: str, address: str, area_code: str, union):
    employer, _created = Employer.objects.get_or_create(
        credit_code=credit_code,
        defaults={
            "name": name,
            "kind": kind,
            "address": address,
            "area": Area.objects.get(code=area_code),
            "union": union,
            "status": RegistrationStatus.APPROVED,
        },
    )
    return employer


def _hosts() -> dict:
    city = _union(CITY_FEDERATION, Union.Kind.CITY_FEDERATION)
    industry = _union(INDUSTRY_FEDERATION, Union.Kind.INDUSTRY_FEDERATION, city)
    market = _union(MARKET_UNION, Union.Kind.GRASSROOTS, city)
    power = _employer(
        credit_code=POWER_COMPANY_CREDIT_CODE,
        name=POWER_COMPANY_NAME,
        kind=Employer.Kind.ENTERPRISE,
        address="迁安市兴安街道供电公司办公楼",
        area_code="JD02",
        union=_union(f"{POWER_COMPANY_NAME}工会", Union.Kind.GRASSROOTS, city),
    )
    school = _employer(
        credit_code=SCHOOL_CREDIT_CODE,
        name=SCHOOL_NAME,
        kind=Employer.Kind.PUBLIC_INSTITUTION,
        address="迁安市滨河街道第四实验小学",
        area_code="JD03",
        union=_union(f"{SCHOOL_NAME}工会", Union.Kind.GRASSROOTS, city),
    )
    return {
        CITY_FEDERATION: city,
        INDUSTRY_FEDERATION: industry,
        MARKET_UNION: market,
        POWER_COMPANY_NAME: power,
        SCHOOL_NAME: school,
    }


def _room(row, hosts, actor, *, stdout, level=None, recognised_on=None) -> None:
    name, host, version, area_code, address, lat, lng, size, hours, functions = row
    if MotherRoom.objects.filter(name=name).exists():
        return
    host_obj = hosts[host]
    room = services.mother_room_propose(
        actor=actor,
        host_employer=host_obj if isinstance(host_obj, Employer) else None,
        host_union=host_obj if isinstance(host_obj, Union) else None,
        name=name,
        version=version,
        address=f"迁安市{Area.objects.get(code=area_code).name}{address}",
        area=Area.objects.get(code=area_code),
        floor_area_m2=Decimal(size),
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        opening_hours=hours,
        offers_health=H in functions,
        offers_feeding=F in functions,
        offers_early_education=E in functions,
    )
    if level:
        services.mother_room_approve(
            room=room, level=level, recognised_on=recognised_on, actor=actor
        )
    stdout.write(f"  mother room {name} ({level or 'proposed'})")


def _next_summer(today: date) -> date:
    year = today.year if today < date(today.year, 7, 1) else today.year + 1
    return date(year, 7, 13)


def _care_classes(hosts, actor, *, stdout) -> None:
    today = timezone.localdate()
    summer = _next_summer(today)
    monday = today + timedelta(days=7 - today.weekday())
    classes = [
        (
            "梦想启航托管班",
            {"organiser_employer": hosts[POWER_COMPANY_NAME]},
            CareClass.Kind.HOLIDAY,
            "JD02",
            "国网迁安市供电公司职工之家",
            30,
            True,
            [(summer + timedelta(days=day), time(8, 30), time(11, 30)) for day in range(5)],
            (CareClass.RecognisedBy.TANGSHAN, date(2023, 10, 12)),
        ),
        (
            "兴安街道职工子女课后托管班",
            {"organiser_union": hosts[CITY_FEDERATION]},
            CareClass.Kind.AFTER_SCHOOL,
            "JD02",
            "迁安市职工服务中心三楼活动室",
            40,
            False,
            [(monday + timedelta(weeks=week), time(16, 30), time(18, 30)) for week in range(4)],
            (CareClass.RecognisedBy.QIANAN, date(2024, 3, 1)),
        ),
        (
            "托育行业工会寒假爱心托管班",
            {"organiser_union": hosts[INDUSTRY_FEDERATION]},
            CareClass.Kind.HOLIDAY,
            "JD01",
            "托育行业工会联合会服务站",
            20,
            False,
            [],
            None,
        ),
    ]
    for name, organiser, kind, area, place, capacity, restricted, sessions, recognition in classes:
        if CareClass.objects.filter(name=name).exists():
            continue
        care_class = services.care_class_create(
            actor=actor,
            name=name,
            kind=kind,
            area=Area.objects.get(code=area),
            place=place,
            capacity=capacity,
            restricted_to_organiser=restricted,
            sessions=[{"date": d, "starts_at": s, "ends_at": e} for d, s, e in sessions],
            **organiser,
        )
        if sessions:
            services.care_class_set_status(
                care_class=care_class, status=CareClass.Status.OPEN, actor=actor
            )
        if recognition:
            services.care_class_recognise(
                care_class=care_class,
                recognised_by=recognition[0],
                recognised_on=recognition[1],
                actor=actor,
            )
        stdout.write(f"  care class {name}")


def _contracts(hosts, actor, *, stdout) -> None:
    today = timezone.localdate()
    soon = today + timedelta(days=45)
    terms = {
        "flexible_hours": True,
        "flexible_hours_terms": "哺乳期女职工可弹性安排上下班时间，每日工作时间不变。",
        "job_retention": True,
        "job_retention_terms": "职工休育儿假期间保留工作岗位，待遇不变。",
    }
    contracts = [
        # Expiring soon: three years ending 45 days from now.
        (
            hosts[POWER_COMPANY_NAME],
            add_years(soon, -3) + timedelta(days=1),
            soon,
            {"maternity_leave_days": 158, "nursing_until_months": 12, **terms},
        ),
        (
            hosts[SCHOOL_NAME],
            today - timedelta(days=365),
            today + timedelta(days=730),
            {"maternity_leave_days": 168, "nursing_until_months": 18, **terms},
        ),
    ]
    for employer, starts_on, ends_on, provisions in contracts:
        if CollectiveContract.objects.filter(employer=employer).exists():
            continue
        services.collective_contract_create(
            employer=employer,
            actor=actor,
            signed_on=starts_on,
            starts_on=starts_on,
            ends_on=ends_on,
            **provisions,
        )
        stdout.write(f"  collective contract of {employer.name} until {ends_on}")
