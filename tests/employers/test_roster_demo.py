"""Demo rosters, the pending employer and the pending parent: there, consistent, idempotent."""

import io

import pytest

from apps.accounts import demo as accounts_demo
from apps.core.models import AuditRecord
from apps.employers import demo_registry, demo_roster
from apps.employers.demo_registry import DEMO_EMPLOYER_CODES
from apps.employers.models import Employer, Employment, RosterEntry, RosterImport
from apps.members import demo as members_demo

pytestmark = pytest.mark.django_db


def seed_all() -> None:
    out = io.StringIO()
    for module in (accounts_demo, members_demo, demo_registry, demo_roster):
        module.seed(stdout=out)


def test_demo_rosters_cover_the_reports_employers_and_the_market_tenants():
    seed_all()

    sizes = {
        key: RosterEntry.objects.filter(employer__credit_code=code).count()
        for key, code in DEMO_EMPLOYER_CODES.items()
    }
    assert sizes == {
        "xinda_steel": 49,  # 48 plus the demo parent who works there
        "wanjia_market": 22,
        "kaida_trading": 31,
        "guangcai_education": 40,
        "state_grid_qianan": 36,
        "chengxin_construction": 0,
        "pending_employer": 0,
    }
    tenants = Employer.objects.filter(kind=Employer.Kind.TENANT_BUSINESS)
    assert tenants.count() == 3
    assert all(tenant.roster.count() >= 6 for tenant in tenants)
    assert not RosterImport.objects.exclude(status="done").exists()


def test_demo_has_a_pending_employer_and_a_pending_parent():
    seed_all()

    pending = Employer.objects.get(credit_code=DEMO_EMPLOYER_CODES["pending_employer"])
    assert pending.status == "pending"
    waiting = Employment.objects.get(status="pending")
    assert (waiting.member.full_name, waiting.employer.credit_code) == (
        "周雨桐",
        DEMO_EMPLOYER_CODES["xinda_steel"],
    )


def test_seeding_the_rosters_twice_changes_nothing():
    seed_all()
    before = (
        RosterImport.objects.count(),
        RosterEntry.objects.count(),
        AuditRecord.objects.count(),
    )

    demo_roster.seed(stdout=io.StringIO())

    after = (RosterImport.objects.count(), RosterEntry.objects.count(), AuditRecord.objects.count())
    assert after == before


def test_roster_seed_skips_employers_that_do_not_exist_yet():
    demo_roster.seed(stdout=io.StringIO())

    assert RosterEntry.objects.count() == 0
