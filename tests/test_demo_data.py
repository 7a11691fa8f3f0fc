"""The demo data tells the report's story; these are the figures the report quotes."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from apps.centres.models import Centre, CentreClass
from apps.centres.selectors import classes_out_of_ratio
from apps.employers.demo_registry import DEMO_EMPLOYER_CODES
from apps.employers.models import Employer, EmployerAdmin, Employment
from apps.members.models import Child, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_the_industry_federation_gathers_67_centres_and_1100_staff(demo):
    federated = Centre.objects.filter(federation__name="迁安市托育行业工会联合会")

    assert federated.count() == 67
    assert federated.aggregate(staff=Sum("federation_staff_count"))["staff"] == 1100
    assert federated.filter(offers_welfare_childcare=True).count() == 15


def test_the_steel_groups_kindergarten_takes_over_300_children(demo):
    junde = CentreClass.objects.filter(centre__name="骏德幼儿园")

    assert junde.aggregate(places=Sum("capacity"))["places"] > 300


def test_the_reports_employers_are_approved_with_their_admin_and_families(demo):
    employers = Employer.objects.filter(credit_code__in=DEMO_EMPLOYER_CODES.values())

    assert employers.filter(status="approved").count() >= 6
    assert EmployerAdmin.objects.get(user__username="employer_admin").employer.name == (
        "河北鑫达钢铁集团有限公司"
    )
    assert Employment.objects.filter(member__user__username="parent", status="active").exists()
    assert Child.objects.filter(guardians__user__username="parent").count() == 1
    assert Child.objects.filter(guardians__user__username="parent2").count() == 1


def test_a_few_classes_are_out_of_ratio_for_the_staff_views(demo):
    assert classes_out_of_ratio().count() == 3


def test_running_the_demo_twice_adds_nothing(demo):
    counts = (Centre.objects.count(), Employer.objects.count(), Member.objects.count())

    call_command("seed_demo")

    assert (Centre.objects.count(), Employer.objects.count(), Member.objects.count()) == counts
