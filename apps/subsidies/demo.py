"""Demo schemes like the report's examples, this year's budgets, and checked bank accounts with
fictitious numbers for the demo parents, centres and employers. Idempotent: schemes are keyed by
name, budgets by scheme and year, and an owner with a current account is left alone.

- 鑫达: 200 yuan a month per worker, from employer funds (its own kindergarten);
- 光彩: 200 yuan a month per child, from employer funds (its six kindergartens);
- 万嘉: its part of the fee for the co-built places, per enrolled child;
- 凯达: the places it bought at 伍博, per bought place;
- the industry union federation: the welfare childcare subsidy, from union funds;
- the city: the unit grant, 20,000 yuan plus 1,000 per enrolled child, at most 70,000 a unit.

Then the demo payout runs over them (demo_payouts.py): one paid, one approved, one calculated.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.centres.demo import DEMO_CENTRE_CODES
from apps.centres.models import Centre
from apps.employers.demo_programmes import FEDERATION_PROGRAMME, PROGRAMMES
from apps.employers.demo_registry import DEMO_EMPLOYER_CODES, FAMILIES
from apps.employers.models import Employer, Programme
from apps.members.models import Member

from . import demo_payouts
from .models import BankAccount, Budget, SubsidyScheme
from .services.accounts import bank_account_check, bank_account_submit, current_account
from .services.budgets import budget_create
from .services.schemes import scheme_create

XINDA, WANJIA, KAIDA, GUANGCAI = (row[0] for row in PROGRAMMES[:4])
Kind, Funder = SubsidyScheme.Kind, SubsidyScheme.Funder
STARTS = date(2024, 1, 1)

# name, kind, funder, programme names, extra fields, this year's budget (yuan)
SCHEMES = [
    ("鑫达钢铁职工托育补贴", Kind.MONTHLY_SUBSIDY, Funder.EMPLOYER, [XINDA], {}, "720000"),
    ("光彩学前教育集团教职工子女入托补贴", Kind.MONTHLY_SUBSIDY, Funder.EMPLOYER, [GUANGCAI], {},
     "480000"),
    ("万嘉国际家居建材城共建学位单位承担费用", Kind.EMPLOYER_FEE_PART, Funder.EMPLOYER, [WANJIA],
     {}, "150000"),
    ("凯达工贸伍博幼儿园购买学位费用", Kind.EMPLOYER_FEE_PART, Funder.EMPLOYER, [KAIDA], {},
     "160000"),
    ("托育行业工会联合会福利性托育补贴", Kind.MONTHLY_SUBSIDY, Funder.UNION,
     [FEDERATION_PROGRAMME], {}, "120000"),
    ("迁安市爱心托育用人单位资金补贴", Kind.UNIT_GRANT, Funder.CITY,
     [XINDA, WANJIA, KAIDA, GUANGCAI],
     {"grant_base_amount": Decimal("20000"), "grant_per_child_amount": Decimal("1000"),
      "grant_cap": Decimal("70000")}, "280000"),
]  # fmt: skip

BANKS = ["中国工商银行迁安支行", "中国建设银行迁安支行", "河北银行迁安支行"]
# Fictitious numbers of the right shape: 19-digit personal cards, 20-digit corporate accounts.
MEMBER_NUMBER = "621700031500{:07d}"
CENTRE_NUMBER = "130401600000{:08d}"
EMPLOYER_NUMBER = "130401700000{:08d}"


def _schemes(actor) -> int:
    made = 0
    for name, kind, funder, programme_names, extra, budget in SCHEMES:
        scheme = SubsidyScheme.objects.filter(name=name).first()
        if scheme is None:
            programmes = list(Programme.objects.filter(name__in=programme_names))
            if len(programmes) != len(programme_names):
                continue  # the programme demo did not run; nothing to cover
            scheme = scheme_create(
                actor=actor,
                name=name,
                kind=kind,
                funder=funder,
                programmes=programmes,
                valid_from=STARTS,
                **extra,
            )
            made += 1
        year = timezone.localdate().year
        if not Budget.objects.filter(scheme=scheme, year=year).exists():
            budget_create(scheme=scheme, year=year, amount=Decimal(budget), actor=actor)
    return made


def _payees() -> list[tuple[dict, str, str]]:
    """(owner keyword, account name, number) for each demo payee."""
    payees = []
    for n, row in enumerate(FAMILIES, 1):
        member = Member.objects.filter(user__username=row[0]).first()
        if member:
            payees.append(({"member": member}, member.full_name, MEMBER_NUMBER.format(n)))
    for n, code in enumerate(DEMO_CENTRE_CODES.values(), 1):
        centre = Centre.objects.filter(credit_code=code).first()
        if centre:
            payees.append(({"centre": centre}, centre.operator, CENTRE_NUMBER.format(n)))
    for n, (key, code) in enumerate(DEMO_EMPLOYER_CODES.items(), 1):
        employer = Employer.objects.filter(credit_code=code).first()
        if employer and key != "pending_employer":
            payees.append(({"employer": employer}, employer.name, EMPLOYER_NUMBER.format(n)))
    return payees


def _accounts(actor) -> int:
    made = 0
    for n, (owner, account_name, number) in enumerate(_payees()):
        if current_account(**owner) is not None:
            continue
        account = bank_account_submit(
            bank_name=BANKS[n % len(BANKS)],
            account_name=account_name,
            account_number=number,
            actor=None,
            **owner,
        )
        bank_account_check(account=account, actor=actor)
        made += 1
    return made


def seed(*, stdout) -> None:
    actor = User.objects.filter(username="union_staff").first()
    schemes = _schemes(actor)
    accounts = _accounts(actor)
    stdout.write(
        f"  schemes: {SubsidyScheme.objects.count()} ({schemes} new), "
        f"budgets: {Budget.objects.count()}, bank accounts: {BankAccount.objects.count()} "
        f"({accounts} new)"
    )
    demo_payouts.seed(stdout=stdout)
