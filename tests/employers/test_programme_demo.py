"""The demo programmes look like the report's examples, with their place agreements."""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from apps.accounts import demo as accounts_demo
from apps.centres import demo as centres_demo
from apps.core.models import AuditRecord
from apps.employers import demo_programmes, demo_registry
from apps.employers.models import PlaceAgreement, Programme
from apps.employers.selectors.programmes import default_start_month, programme_open_list
from apps.members import demo as members_demo
from apps.members.models import Member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (the 67 federation centres take a few seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        for module in (accounts_demo, members_demo, centres_demo, demo_registry):
            module.seed(stdout=io.StringIO())
        demo_programmes.seed(stdout=io.StringIO())
        yield
        transaction.set_rollback(True)  # each test runs in a savepoint inside this transaction


def programme(name_part: str) -> Programme:
    return Programme.objects.get(name__contains=name_part)


def test_every_model_of_the_report_is_seeded(seeded):
    models = sorted(Programme.objects.values_list("delivery_model", flat=True))

    assert models == [
        "co_built",
        "federation",
        "own_centre",
        "own_centre",
        "purchased",
        "purchased",
    ]


def test_xinda_kindergarten_has_300_places_and_a_subsidy_per_worker(seeded):
    xinda = programme("鑫达")
    [junde] = xinda.centres.all()

    assert (junde.name, xinda.status, xinda.parent_share_percent) == (
        "骏德幼儿园",
        "approved",
        Decimal("100.00"),
    )
    assert (xinda.subsidy_amount, xinda.subsidy_basis, xinda.subsidy_funder) == (
        Decimal("200.00"),
        "per_worker",
        "employer",
    )
    assert junde.classes.aggregate(places=Sum("capacity"))["places"] >= 300


def test_wanjia_co_built_centre_takes_tenants_at_85_percent_with_bought_places(seeded):
    wanjia = programme("万嘉")
    tenants = wanjia.employers.filter(kind="tenant_business")

    assert (wanjia.delivery_model, wanjia.parent_share_percent) == ("co_built", Decimal("85.00"))
    assert tenants.count() == 3
    assert [c.name for c in wanjia.centres.all()] == ["蓝祥托育中心"]
    assert wanjia.place_agreements.aggregate(places=Sum("places"))["places"] == 20


def test_kaida_buys_places_at_wubo_for_half_price(seeded):
    kaida = programme("凯达")

    assert (kaida.delivery_model, kaida.parent_share_percent) == ("purchased", Decimal("50.00"))
    assert set(kaida.place_agreements.values_list("payment_mode", flat=True)) == {"per_place"}
    assert [c.name for c in kaida.centres.all()] == ["伍博幼儿园"]


def test_guangcai_pays_200_a_month_per_child_at_its_six_kindergartens(seeded):
    guangcai = programme("光彩")

    assert guangcai.centres.count() == 6
    assert (guangcai.subsidy_amount, guangcai.subsidy_basis) == (Decimal("200.00"), "per_child")


def test_federation_programme_runs_at_15_welfare_centres_with_union_bought_places(seeded):
    federation = Programme.objects.get(delivery_model="federation")

    assert federation.centres.filter(offers_welfare_childcare=True).count() == 15
    assert federation.subsidy_funder == "union"
    assert set(federation.place_agreements.values_list("buyer_union", flat=True)) == {
        federation.federation_id
    }


def test_one_programme_waits_for_approval(seeded):
    assert list(Programme.objects.filter(status="submitted").values_list("name", flat=True)) == [
        "诚信建业职工子女托育合作"
    ]


def test_demo_parent_sees_the_employers_and_the_federations_programmes(seeded):
    member = Member.objects.get(user__username="parent")

    names = set(
        programme_open_list(member=member, month=default_start_month()).values_list(
            "name", flat=True
        )
    )

    assert names == {"鑫达钢铁骏德幼儿园职工子女托育", "迁安市托育行业工会联合会职工福利性托育"}


def test_seeding_again_changes_nothing(seeded):
    before = (
        Programme.objects.count(),
        PlaceAgreement.objects.count(),
        AuditRecord.objects.count(),
    )

    demo_programmes.seed(stdout=io.StringIO())

    assert (
        Programme.objects.count(),
        PlaceAgreement.objects.count(),
        AuditRecord.objects.count(),
    ) == before
