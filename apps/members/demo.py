"""Demo unions: the city federation, the childcare industry federation, grassroots unions."""

from apps.core.models import Area

from .models import Union
from .services import union_create

CITY_FEDERATION = "迁安市总工会"
INDUSTRY_FEDERATION = "迁安市托育行业工会联合会"

GRASSROOTS = [
    "河北鑫达钢铁集团工会",
    "万嘉市场置业发展有限公司工会",
    "凯达工贸有限责任公司工会",
    "光彩学前教育集团工会",
    "国网迁安市供电公司工会",
    "诚信建业有限公司工会",
    "万嘉国际家居建材城商户联合工会",
]


def _union(name: str, kind: str, parent: Union | None) -> Union:
    existing = Union.objects.filter(name=name).first()
    if existing:
        return existing
    area = Area.objects.order_by("sort_order").first()
    return union_create(name=name, kind=kind, parent=parent, area=area, actor=None)


def seed(*, stdout) -> None:
    city = _union(CITY_FEDERATION, Union.Kind.CITY_FEDERATION, None)
    _union(INDUSTRY_FEDERATION, Union.Kind.INDUSTRY_FEDERATION, city)
    for name in GRASSROOTS:
        _union(name, Union.Kind.GRASSROOTS, city)
    stdout.write(f"  unions: {Union.objects.count()}")
