"""What an employer will pay in October 2026, worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.employers.models import PlaceAgreement, Programme
from tests.employers.factories import EmployerAdminFactory
from tests.members.factories import ChildFactory, MemberFactory
from tests.subsidies.factories import PlaceAgreementFactory, ProgrammeFactory, SchemeFactory, enrol

pytestmark = pytest.mark.django_db
OCTOBER = "2026-10"


@pytest.fixture
def employer_world():
    admin = EmployerAdminFactory()
    employer = admin.employer
    # Own kindergarten, 200 a month per worker from employer funds.
    own = ProgrammeFactory(lead_employer=employer, subsidy_basis="per_worker")
    worker = MemberFactory()
    enrol(programme=own, applicant=worker, start=date(2026, 1, 1))
    enrol(
        programme=own,
        applicant=worker,
        child=ChildFactory(guardian=worker),
        start=date(2026, 3, 1),
        subsidy_amount=Decimal("0"),  # a per-worker sibling's snapshot
    )
    enrol(programme=own, start=date(2026, 10, 15))  # 200 × 17 ÷ 31 = 109.68
    enrol(programme=own, start=date(2025, 1, 1), end=date(2026, 9, 30))  # left before October
    subsidy = SchemeFactory(name="A 职工托育补贴", programmes=[own])
    # Places bought at a third-party centre: 10 per place at 1,500 (4 used) and 2 per child.
    bought = ProgrammeFactory(lead_employer=employer, delivery_model="purchased")
    per_place = PlaceAgreementFactory(programme=bought, places=10)
    per_child = PlaceAgreementFactory(
        programme=bought, payment_mode=PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD
    )
    for _ in range(4):
        enrol(programme=bought, place_agreement=per_place)
    for _ in range(2):
        enrol(programme=bought, place_agreement=per_child, employer_part=Decimal("900"))
    fee_part = SchemeFactory(name="B 购买学位费用", kind="employer_fee_part", programmes=[bought])
    # Not the employer's money: a union-funded scheme, another employer's programme.
    union_funded = ProgrammeFactory(lead_employer=employer, subsidy_funder=Programme.Funder.UNION)
    enrol(programme=union_funded)
    SchemeFactory(name="C 工会补贴", funder="union", programmes=[union_funded])
    other = ProgrammeFactory()
    enrol(programme=other)
    SchemeFactory(name="D 他人补贴", programmes=[other])
    return admin, subsidy, fee_part


def test_employer_sees_its_estimated_cost_scheme_by_scheme(api_client, employer_world):
    admin, subsidy, fee_part = employer_world
    api_client.force_authenticate(admin.user)

    response = api_client.get(
        reverse("api-employer-costs", args=[admin.employer.pk]), {"month": OCTOBER}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["month"] == OCTOBER
    assert [
        (row["scheme"], row["children"], row["workers"], row["places"], row["amount"])
        for row in data["schemes"]
    ] == [
        # one worker with two children: 200.00; one child from the 15th: 109.68
        (subsidy.pk, 3, 2, 0, "309.68"),
        # every bought place: 1,500 × 10; two children per child: 900 × 2
        (fee_part.pk, 2, 0, 10, "16800.00"),
    ]
    assert data["total"] == "17109.68"


def test_another_employers_admin_gets_404_for_the_costs(api_client, employer_world):
    admin, _subsidy, _fee_part = employer_world
    api_client.force_authenticate(EmployerAdminFactory().user)

    response = api_client.get(reverse("api-employer-costs", args=[admin.employer.pk]))

    assert response.status_code == 404


def test_union_staff_see_any_employers_costs(api_client, union_staff, employer_world):
    admin, _subsidy, _fee_part = employer_world
    api_client.force_authenticate(union_staff)

    response = api_client.get(
        reverse("api-employer-costs", args=[admin.employer.pk]), {"month": OCTOBER}
    )

    assert response.json()["total"] == "17109.68"


def _enrolled(count: int):
    admin = EmployerAdminFactory()
    own = ProgrammeFactory(lead_employer=admin.employer)
    for _ in range(count):
        enrol(programme=own)
    SchemeFactory(programmes=[own])
    return admin


@pytest.mark.parametrize("count", [1, 30])
def test_costs_take_the_same_queries_for_1_and_30_enrolments(
    api_client, django_assert_num_queries, count
):
    admin = _enrolled(count)
    api_client.force_authenticate(admin.user)

    with django_assert_num_queries(5):
        response = api_client.get(
            reverse("api-employer-costs", args=[admin.employer.pk]), {"month": OCTOBER}
        )

    assert response.json()["total"] == f"{200 * count}.00"
