from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.subsidies.models import BankAccount, Budget, SubsidyScheme

pytestmark = pytest.mark.django_db


def test_demo_has_the_reports_schemes_budgets_and_checked_payee_accounts(settings):
    # One test, one seed: seeding takes half a minute. That a second seed changes nothing is
    # tests/core/test_seed_demo.py's test (it counts every audit record, these included).
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    schemes = {
        scheme.name: (scheme.kind, scheme.funder, sorted(p.name for p in scheme.programmes.all()))
        for scheme in SubsidyScheme.objects.prefetch_related("programmes")
    }
    assert schemes["鑫达钢铁职工托育补贴"] == (
        "monthly_subsidy",
        "employer",
        ["鑫达钢铁骏德幼儿园职工子女托育"],
    )
    assert schemes["光彩学前教育集团教职工子女入托补贴"][:2] == ("monthly_subsidy", "employer")
    assert schemes["万嘉国际家居建材城共建学位单位承担费用"][:2] == (
        "employer_fee_part",
        "employer",
    )
    assert schemes["凯达工贸伍博幼儿园购买学位费用"][:2] == ("employer_fee_part", "employer")
    assert schemes["托育行业工会联合会福利性托育补贴"] == (
        "monthly_subsidy",
        "union",
        ["迁安市托育行业工会联合会职工福利性托育"],
    )
    grant = SubsidyScheme.objects.get(kind="unit_grant")
    assert (grant.funder, grant.grant_base_amount, grant.grant_per_child_amount) == (
        "city",
        Decimal("20000.00"),
        Decimal("1000.00"),
    )
    assert (grant.grant_cap, grant.programmes.count()) == (Decimal("70000.00"), 4)
    year = timezone.localdate().year
    assert Budget.objects.filter(year=year).count() == len(schemes) == 6

    checked = BankAccount.objects.filter(is_current=True, status="checked")
    assert checked.filter(member__user__username__in=["parent", "parent2"]).count() == 2
    assert checked.filter(centre__isnull=False).count() == 9  # 蓝祥, 骏德, 伍博, 光彩 ×6
    assert checked.filter(employer__isnull=False).count() == 6
    assert checked.count() == BankAccount.objects.count() == 17
