"""Demo registry shaped like the report: unions, 67 federation centres, the report's employers."""

from datetime import date

from apps.accounts.models import User
from apps.centres.models import RegistrationStatus
from apps.core.models import Area
from apps.core.validators import make_credit_code, make_id_number
from apps.members.models import Member, Union
from apps.members.services import child_create, member_create, member_membership_set

from .models import Employer, EmployerAdmin
from .services.registry import (
    employer_admin_add,
    employer_approve,
    employer_create,
    employment_confirm,
    employment_create,
)

# Keys other demo modules use to find the report's employers (credit codes are fictitious).
DEMO_EMPLOYER_CODES = {
    "xinda_steel": make_credit_code("91130283MA0000000"),  # 河北鑫达钢铁集团: own kindergarten
    "wanjia_market": make_credit_code("91130283MA0000001"),  # 万嘉国际家居建材城: co-built
    "kaida_trading": make_credit_code("91130283MA0000002"),  # 凯达工贸: premises + bought places
    "guangcai_education": make_credit_code(
        "91130283MA0000003"
    ),  # 光彩学前教育集团: 6 kindergartens
    "state_grid_qianan": make_credit_code("91130283MA0GWQAGD"),  # 国网迁安市供电公司
    "chengxin_construction": make_credit_code("91130283MA0000005"),  # 诚信建业
    "pending_employer": make_credit_code("91130283MA0000007"),  # a sign-up awaiting approval
}

# (key, name, kind, union name, area index)
EMPLOYERS = [
    ("xinda_steel", "河北鑫达钢铁集团有限公司", "enterprise", "河北鑫达钢铁集团工会", 0),
    ("wanjia_market", "万嘉市场置业发展有限公司", "park", "万嘉市场置业发展有限公司工会", 1),
    ("kaida_trading", "凯达工贸有限责任公司", "enterprise", "凯达工贸有限责任公司工会", 2),
    ("guangcai_education", "光彩学前教育集团", "enterprise", "光彩学前教育集团工会", 0),
    ("state_grid_qianan", "国网迁安市供电公司", "enterprise", "国网迁安市供电公司工会", 1),
    ("chengxin_construction", "诚信建业有限公司", "enterprise", "诚信建业有限公司工会", 3),
]

# The two demo families: (account, name, employer key, child name, child birth date, sex)
FAMILIES = [
    ("parent", "陈晓红", "xinda_steel", "李沐阳", date(2024, 5, 20), "M"),
    ("parent2", "赵磊", "kaida_trading", "赵一诺", date(2025, 6, 8), "F"),
]


def _employer(key: str, name: str, kind: str, union_name: str, area_index: int) -> Employer:
    code = DEMO_EMPLOYER_CODES[key]
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        employer = employer_create(
            name=name,
            credit_code=code,
            kind=kind,
            address=f"迁安市{name}厂区",
            area=list(Area.objects.order_by("sort_order"))[area_index],
            union=Union.objects.filter(name=union_name).first(),
            contact_name="人力资源部",
            contact_phone="0315-7600000",
            actor=None,
        )
    if employer.status == RegistrationStatus.PENDING:
        employer = employer_approve(employer=employer, actor=None)
    return employer


def _family(username, full_name, employer, child_name, birth_date, sex, n) -> None:
    user = User.objects.filter(username=username).first()
    if user is None or Member.objects.filter(user=user).exists():
        return
    member = member_create(
        user=user,
        full_name=full_name,
        mobile=f"1380315{n:04d}",
        union=employer.union,
        id_number=make_id_number(birth=date(1990, 3, n), sequence=100 + n),
        actor=None,
    )
    member_membership_set(member=member, membership=Member.Membership.VERIFIED, actor=None)
    employment = employment_create(member=member, employer=employer, actor=None)
    employment_confirm(employment=employment, actor=None)
    child_create(
        guardian=member,
        full_name=child_name,
        birth_date=birth_date,
        sex=sex,
        relation="mother" if sex == "M" else "father",
        consent_notice_version="2026-01",
        actor=None,
    )


def seed(*, stdout) -> None:
    employers = {row[0]: _employer(*row) for row in EMPLOYERS}
    admin = User.objects.filter(username="employer_admin").first()
    if admin and not EmployerAdmin.objects.filter(user=admin).exists():
        employer_admin_add(employer=employers["xinda_steel"], user=admin, actor=None)
    for n, (username, name, key, child, birth, sex) in enumerate(FAMILIES, 1):
        _family(username, name, employers[key], child, birth, sex, n)
    stdout.write(f"  employers: {Employer.objects.count()}, members: {Member.objects.count()}")
