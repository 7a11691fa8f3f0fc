"""Demo programmes like the report's examples, with the places they buy. Idempotent: each
programme is keyed by its name and created whole (with its agreements) or not at all.

- 河北鑫达钢铁集团: its own kindergarten 骏德幼儿园 (300+ places), 200 yuan a month per worker
  from employer funds, parents pay the full price;
- 万嘉国际家居建材城: co-built 蓝祥托育中心, places bought for tenant businesses at 85 %;
- 凯达工贸: places bought at 伍博幼儿园, workers' children at half price;
- 光彩学前教育集团: staff children at its six kindergartens, 200 yuan a month per child;
- the childcare industry union federation: welfare childcare at its 15 welfare centres;
- 诚信建业: a co-operation agreement awaiting approval.
"""

from datetime import date
from decimal import Decimal

from apps.accounts.models import User
from apps.centres.demo import DEMO_CENTRE_CODES
from apps.centres.models import AgeClass, Centre
from apps.core.models import Area
from apps.core.validators import make_credit_code
from apps.members.demo import INDUSTRY_FEDERATION
from apps.members.models import Union

from .demo_registry import DEMO_EMPLOYER_CODES
from .models import Employer, PlaceAgreement, Programme
from .services import programmes as services
from .services.registry import employer_approve, employer_create

TENANT_UNION = "万嘉国际家居建材城商户联合工会"
# Tenant businesses of the 万嘉 market (个体工商户 codes start 92); fictitious but valid codes.
TENANTS = [
    (make_credit_code(f"92130283MA000000{n}"), name)
    for n, name in enumerate(["迁安市美居瓷砖店", "迁安市森林木业经销部", "迁安市华艺灯饰商行"], 1)
]
FEDERATION_WELFARE_CENTRES = 15

M = Programme.DeliveryModel
PER_CHILD, PER_PLACE = PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD, "per_place"
T, OT, KS = AgeClass.TODDLER, AgeClass.OLDER_TODDLER, AgeClass.KG_SMALL

# name, model, lead key, centre keys, share %, subsidy, basis, funder, starts, final status,
# agreements: (centre key, age class, places, first month, payment mode, agreed price)
PROGRAMMES = [
    ("鑫达钢铁骏德幼儿园职工子女托育", M.OWN_CENTRE, "xinda_steel", ["junde"], "100", "200",
     "per_worker", "employer", date(2023, 9, 1), "approved", []),
    ("万嘉国际家居建材城蓝祥托育中心商户子女托育", M.CO_BUILT, "wanjia_market", ["lanxiang"],
     "85", "0", "per_child", "employer", date(2023, 3, 1), "approved",
     [("lanxiang", T, 10, date(2023, 3, 1), PER_CHILD, None),
      ("lanxiang", OT, 10, date(2023, 3, 1), PER_CHILD, None)]),
    ("凯达工贸伍博幼儿园职工子女半价入园", M.PURCHASED, "kaida_trading", ["wubo"], "50", "0",
     "per_child", "employer", date(2023, 9, 1), "approved",
     [("wubo", OT, 6, date(2023, 9, 1), PER_PLACE, "700.00"),
      ("wubo", KS, 10, date(2023, 9, 1), PER_PLACE, "600.00")]),
    ("光彩学前教育集团教职工子女入园补贴", M.OWN_CENTRE, "guangcai_education",
     [f"guangcai_{n}" for n in range(1, 7)], "100", "200", "per_child", "employer",
     date(2023, 9, 1), "approved", []),
    ("诚信建业职工子女托育合作", M.PURCHASED, "chengxin_construction", ["federation_02"], "70",
     "0", "per_child", "employer", date(2024, 3, 1), "submitted",
     [("federation_02", T, 5, date(2024, 3, 1), PER_CHILD, None)]),
]  # fmt: skip
FEDERATION_PROGRAMME = "迁安市托育行业工会联合会职工福利性托育"


def _tenants() -> list[Employer]:
    union = Union.objects.filter(name=TENANT_UNION).first()
    area = Area.objects.order_by("sort_order").first()
    tenants = []
    for code, name in TENANTS:
        tenant = Employer.objects.filter(credit_code=code).first()
        if tenant is None:
            tenant = employer_create(
                name=name,
                credit_code=code,
                kind=Employer.Kind.TENANT_BUSINESS,
                address=f"万嘉国际家居建材城{name}",
                area=area,
                union=union,
                actor=None,
            )
            tenant = employer_approve(employer=tenant, actor=None)
        tenants.append(tenant)
    return tenants


def _centres() -> dict[str, Centre]:
    centres = {
        key: centre
        for key, code in DEMO_CENTRE_CODES.items()
        if (centre := Centre.objects.filter(credit_code=code).first()) is not None
    }
    second = Centre.objects.filter(name="迁安市爱心托育中心02").first()
    if second is not None:
        centres["federation_02"] = second
    return centres


def _create(actor, *, status: str, agreements, centre_lookup, **fields) -> Programme:
    programme = services.programme_create(actor=None, **fields)
    for key, age_class, places, first_month, mode, price in agreements:
        services.place_agreement_create(
            programme=programme,
            actor=None,
            centre=centre_lookup[key],
            age_class=age_class,
            places=places,
            start_month=first_month,
            payment_mode=mode,
            agreed_monthly_price=Decimal(price) if price else None,
        )
    services.programme_submit(programme=programme, actor=None)
    if status == Programme.Status.APPROVED:
        services.programme_approve(programme=programme, actor=actor)
    return programme


def _employer_programmes(actor, employers, centres, tenants) -> int:
    made = 0
    for row in PROGRAMMES:
        name, model, lead, keys, share, subsidy, basis, funder, starts, status, agreements = row
        if Programme.objects.filter(name=name).exists():
            continue
        if employers.get(lead) is None or any(key not in centres for key in keys):
            continue  # the registry or centre demo did not run; nothing to attach to
        listed = [employers[lead], *(tenants if model == M.CO_BUILT else [])]
        _create(
            actor,
            status=status,
            agreements=agreements,
            centre_lookup=centres,
            name=name,
            delivery_model=model,
            lead_employer=employers[lead],
            employers=listed,
            centres=[centres[key] for key in keys],
            parent_share_percent=Decimal(share),
            subsidy_amount=Decimal(subsidy),
            subsidy_basis=basis,
            subsidy_funder=funder,
            start_date=starts,
        )
        made += 1
    return made


def _federation_programme(actor) -> int:
    federation = Union.objects.filter(name=INDUSTRY_FEDERATION).first()
    if federation is None or Programme.objects.filter(name=FEDERATION_PROGRAMME).exists():
        return 0
    welfare = list(
        Centre.objects.filter(federation=federation, offers_welfare_childcare=True).order_by(
            "name", "id"
        )[:FEDERATION_WELFARE_CENTRES]
    )
    if not welfare:
        return 0
    agreements = [
        (centre.pk, age_class, 3, date(2023, 6, 1), PER_CHILD, None)
        for centre in welfare
        for age_class in (T, OT)
    ]
    _create(
        actor,
        status=Programme.Status.APPROVED,
        agreements=agreements,
        centre_lookup={centre.pk: centre for centre in welfare},
        name=FEDERATION_PROGRAMME,
        delivery_model=M.FEDERATION,
        federation=federation,
        centres=welfare,
        parent_share_percent=Decimal("80"),
        subsidy_amount=Decimal("100"),
        subsidy_basis=Programme.SubsidyBasis.PER_CHILD,
        subsidy_funder=Programme.Funder.UNION,
        start_date=date(2023, 6, 1),
        description="托育行业工会联合会会员机构为全市工会会员提供的福利性托育。",
    )
    return 1


def seed(*, stdout) -> None:
    actor = User.objects.filter(username="union_staff").first()
    employers = {
        key: Employer.objects.filter(credit_code=code).first()
        for key, code in DEMO_EMPLOYER_CODES.items()
    }
    made = _employer_programmes(actor, employers, _centres(), _tenants())
    made += _federation_programme(actor)
    stdout.write(
        f"  programmes: {Programme.objects.count()} ({made} new), "
        f"place agreements: {PlaceAgreement.objects.count()}"
    )
