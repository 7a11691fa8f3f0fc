from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.employers.models import Employer
from apps.welfare.demo import POWER_COMPANY_CREDIT_CODE, POWER_COMPANY_NAME
from apps.welfare.models import CareClass, CollectiveContract, MotherRoom
from apps.welfare.selectors import collective_contract_expiring_list
from tests.areas import first_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_fifteen_rooms_recognised_at_hebei_or_tangshan_level(seeded):
    approved = MotherRoom.objects.filter(status="approved")

    assert Counter(approved.values_list("level", flat=True)) == {"hebei": 5, "tangshan": 10}
    assert MotherRoom.objects.exclude(status="approved").count() == 1  # a proposal to review


def test_demo_has_one_class_recognised_by_the_tangshan_federation_at_the_power_company(seeded):
    recognised = CareClass.objects.filter(recognised_by="tangshan")

    assert [(c.name, c.organiser_employer.name) for c in recognised] == [
        ("梦想启航托管班", POWER_COMPANY_NAME)
    ]
    assert recognised.get().organiser_employer.credit_code == POWER_COMPANY_CREDIT_CODE


def test_demo_has_contracts_one_of_them_expiring_soon(seeded):
    expiring = collective_contract_expiring_list(today=timezone.localdate())

    assert CollectiveContract.objects.count() == 2
    assert [c.employer.name for c in expiring] == [POWER_COMPANY_NAME]


def test_demo_reuses_the_power_company_by_its_credit_code(settings):
    settings.DEBUG = True
    existing = Employer.objects.create(
        name="国网迁安供电（已有）",
        credit_code=POWER_COMPANY_CREDIT_CODE,
        kind="enterprise",
        address="迁安市",
        area=first_area(),
        status="approved",
    )

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Employer.objects.filter(credit_code=POWER_COMPANY_CREDIT_CODE).get() == existing
    assert CareClass.objects.get(name="梦想启航托管班").organiser_employer == existing


def test_demo_twice_changes_nothing(seeded):
    counts = (
        MotherRoom.objects.count(),
        CareClass.objects.count(),
        CollectiveContract.objects.count(),
        Employer.objects.count(),
        AuditRecord.objects.count(),
    )

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (
        MotherRoom.objects.count(),
        CareClass.objects.count(),
        CollectiveContract.objects.count(),
        Employer.objects.count(),
        AuditRecord.objects.count(),
    ) == counts
