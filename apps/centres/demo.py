"""Demo centres like the report: 67 in the childcare industry federation with 1,100 staff, 15 of
them offering welfare childcare to union members, plus the kindergartens the report names."""

from decimal import Decimal

from apps.accounts.models import User
from apps.core.models import Area
from apps.core.validators import make_credit_code
from apps.members.demo import INDUSTRY_FEDERATION
from apps.members.models import Union

from .models import AgeClass, Centre, CentreAdmin, CentreClass
from .services import (
    caregiver_create,
    centre_admin_add,
    centre_approve,
    centre_class_assign_caregivers,
    centre_class_create,
    centre_create,
)

FEDERATION_CENTRES = 67
FEDERATION_STAFF = 1100
WELFARE_CENTRES = 15
CITY_CENTRE = (Decimal("40.011800"), Decimal("118.701200"))  # GCJ-02, central Qian'an

# Centres other demo modules refer to (credit codes are fictitious but valid).
DEMO_CENTRE_CODES = {
    "lanxiang": make_credit_code("52130283MJ0000001"),  # 蓝祥托育中心, co-built at 万嘉
    "junde": make_credit_code("52130283MJ0000002"),  # 骏德幼儿园, 鑫达's own kindergarten
    "wubo": make_credit_code("52130283MJ0000003"),  # 伍博幼儿园, third party for 凯达
    **{f"guangcai_{n}": make_credit_code(f"52130283MJ00001{n:02d}") for n in range(1, 7)},
}

# (key, name, operator, classes: (age class, capacity, price))
NAMED = [
    (
        "lanxiang",
        "蓝祥托育中心",
        "迁安市蓝祥托育服务有限公司",
        [(AgeClass.TODDLER, 15, "1800"), (AgeClass.OLDER_TODDLER, 20, "1600")],
    ),
    (
        "junde",
        "骏德幼儿园",
        "河北鑫达钢铁集团",
        [(AgeClass.OLDER_TODDLER, 20, "1200")]
        + [(AgeClass.KG_SMALL, 25, "1000")] * 4
        + [(AgeClass.KG_MIDDLE, 30, "1000")] * 3
        + [(AgeClass.KG_LARGE, 35, "1000")] * 3,
    ),
    (
        "wubo",
        "伍博幼儿园",
        "迁安市伍博教育咨询有限公司",
        [(AgeClass.OLDER_TODDLER, 20, "1400"), (AgeClass.KG_SMALL, 25, "1200")],
    ),
    *[
        (
            f"guangcai_{n}",
            f"光彩第{n}幼儿园",
            "光彩学前教育集团",
            [(AgeClass.KG_SMALL, 25, "900"), (AgeClass.KG_MIDDLE, 30, "900")],
        )
        for n in range(1, 7)
    ],
]

CLASS_NAMES = {
    AgeClass.INFANT: "乳儿班",
    AgeClass.TODDLER: "托小班",
    AgeClass.OLDER_TODDLER: "托大班",
    AgeClass.MIXED: "混龄班",
    AgeClass.KG_SMALL: "小班",
    AgeClass.KG_MIDDLE: "中班",
    AgeClass.KG_LARGE: "大班",
}
# A few centres are one caregiver short, so the staff-ratio views have something to show.
SHORT_STAFFED = {20, 40, 60}

STAFF_PER_CLASS = {
    AgeClass.INFANT: 4,
    AgeClass.TODDLER: 3,
    AgeClass.OLDER_TODDLER: 3,
    AgeClass.MIXED: 4,
}


def _point(n: int) -> tuple[Decimal, Decimal]:
    # A deterministic scatter within about 8 km of the city centre.
    lat = CITY_CENTRE[0] + Decimal((n * 37) % 140 - 70) / Decimal(1000)
    lng = CITY_CENTRE[1] + Decimal((n * 53) % 180 - 90) / Decimal(1000)
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def _centre(n: int, code: str, name: str, operator: str, classes, **extra) -> Centre:
    centre = Centre.objects.filter(credit_code=code).first()
    if centre:
        return centre
    areas = list(Area.objects.order_by("sort_order"))
    latitude, longitude = _point(n)
    centre = centre_create(
        name=name,
        credit_code=code,
        operator=operator,
        address=f"迁安市{areas[n % 4].name}{n}号",
        area=areas[n % 4 if n % 3 else n % len(areas)],
        latitude=latitude,
        longitude=longitude,
        filing_number=f"冀迁卫托备{2023000 + n}",
        filing_status=Centre.Filing.FILED,
        contact_phone=f"0315-76{n:05d}",
        actor=None,
        **extra,
    )
    centre_approve(centre=centre, actor=None)
    for index, (age_class, capacity, price) in enumerate(classes, 1):
        centre_class = centre_class_create(
            centre=centre,
            name=f"{AgeClass(age_class).label.split(' ')[0]}{index}班",
            age_class=age_class,
            capacity=capacity,
            monthly_price=Decimal(price),
            actor=None,
        )
        staff = [
            caregiver_create(centre=centre, full_name=f"保育员{n}-{index}-{k}", actor=None)
            for k in range(STAFF_PER_CLASS.get(age_class, 3) - (n in SHORT_STAFFED and index == 1))
        ]
        centre_class_assign_caregivers(centre_class=centre_class, caregivers=staff, actor=None)
    return centre


def seed(*, stdout) -> None:
    federation = Union.objects.get(name=INDUSTRY_FEDERATION)
    staff = [FEDERATION_STAFF // FEDERATION_CENTRES] * FEDERATION_CENTRES
    for n in range(FEDERATION_STAFF % FEDERATION_CENTRES):
        staff[n] += 1
    for n in range(1, FEDERATION_CENTRES + 1):
        key, name, operator, classes = (
            NAMED[0]
            if n == 1
            else (
                None,
                f"迁安市爱心托育中心{n:02d}",
                f"迁安市托育服务{n:02d}有限公司",
                [
                    (AgeClass.TODDLER, 15, str(1500 + 10 * n)),
                    (AgeClass.OLDER_TODDLER, 20, str(1400 + 10 * n)),
                ],
            )
        )
        code = DEMO_CENTRE_CODES[key] if key else make_credit_code(f"52130283MJ1{n:06d}")
        _centre(
            n,
            code,
            name,
            operator,
            classes,
            federation=federation,
            federation_staff_count=staff[n - 1],
            offers_welfare_childcare=n <= WELFARE_CENTRES,
        )
    for n, (key, name, operator, classes) in enumerate(NAMED[1:], FEDERATION_CENTRES + 1):
        _centre(n, DEMO_CENTRE_CODES[key], name, operator, classes)
    admin = User.objects.filter(username="centre_admin").first()
    if admin and not CentreAdmin.objects.filter(user=admin).exists():
        centre_admin_add(
            centre=Centre.objects.get(credit_code=DEMO_CENTRE_CODES["lanxiang"]),
            user=admin,
            actor=None,
        )
    stdout.write(f"  centres: {Centre.objects.count()}, classes: {CentreClass.objects.count()}")
