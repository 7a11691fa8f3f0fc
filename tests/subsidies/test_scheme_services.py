from datetime import date
from decimal import Decimal

import pytest

from apps.core.models import AuditRecord
from apps.employers.models import Programme
from apps.subsidies.models import Budget, SubsidyScheme
from apps.subsidies.services.budgets import budget_create, budget_raise
from apps.subsidies.services.refusals import SubsidyError
from apps.subsidies.services.schemes import scheme_create, scheme_update
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory

pytestmark = pytest.mark.django_db
Kind, Funder = SubsidyScheme.Kind, SubsidyScheme.Funder


def _create(union_staff, **fields):
    defaults = {
        "name": "鑫达钢铁职工托育补贴",
        "kind": Kind.MONTHLY_SUBSIDY,
        "funder": Funder.EMPLOYER,
        "valid_from": date(2026, 1, 1),
    }
    return scheme_create(actor=union_staff, **{**defaults, **fields})


# Schemes


def test_scheme_create_covers_the_programmes_and_is_audited(union_staff):
    programme = ProgrammeFactory()

    scheme = _create(union_staff, programmes=[programme])

    assert list(scheme.programmes.all()) == [programme]
    record = AuditRecord.objects.get(action="scheme.create")
    assert (record.target_id, record.actor, record.to_state) == (
        str(scheme.pk),
        union_staff,
        "active",
    )
    assert record.changes == {"programmes": [programme.pk]}


def test_unit_grant_with_a_cap_above_70000_is_refused(union_staff):
    with pytest.raises(SubsidyError) as refusal:
        _create(
            union_staff,
            kind=Kind.UNIT_GRANT,
            funder=Funder.CITY,
            grant_base_amount=Decimal("20000"),
            grant_cap=Decimal("70000.01"),
        )

    assert list(refusal.value.fields) == ["grant_cap"]
    assert not SubsidyScheme.objects.exists()


def test_unit_grant_needs_a_base_or_a_per_child_amount(union_staff):
    with pytest.raises(SubsidyError) as refusal:
        _create(union_staff, kind=Kind.UNIT_GRANT, funder=Funder.CITY)

    assert list(refusal.value.fields) == ["grant_base_amount"]
    assert not SubsidyScheme.objects.exists()


def test_monthly_subsidy_with_grant_amounts_is_refused(union_staff):
    with pytest.raises(SubsidyError) as refusal:
        _create(union_staff, grant_per_child_amount=Decimal("1000"))

    assert list(refusal.value.fields) == ["grant_per_child_amount"]
    assert not SubsidyScheme.objects.exists()


def test_monthly_subsidy_from_another_funder_than_the_programmes_is_refused(union_staff):
    programme = ProgrammeFactory(subsidy_funder=Programme.Funder.UNION)

    with pytest.raises(SubsidyError) as refusal:
        _create(union_staff, funder=Funder.EMPLOYER, programmes=[programme])

    assert list(refusal.value.fields) == ["programmes"]
    assert not SubsidyScheme.objects.exists()


def test_an_end_date_before_the_start_is_refused(union_staff):
    with pytest.raises(SubsidyError) as refusal:
        _create(union_staff, valid_until=date(2025, 12, 31))

    assert list(refusal.value.fields) == ["valid_until"]


def test_a_second_scheme_of_the_same_kind_for_a_programme_in_the_same_dates_is_refused(
    union_staff,
):
    programme = ProgrammeFactory()
    SchemeFactory(programmes=[programme], valid_from=date(2025, 1, 1))

    with pytest.raises(SubsidyError) as refusal:
        _create(union_staff, programmes=[programme], valid_from=date(2026, 1, 1))

    assert refusal.value.code == "overlapping_scheme"
    assert SubsidyScheme.objects.count() == 1


def test_schemes_of_one_kind_may_follow_each_other_for_a_programme(union_staff):
    programme = ProgrammeFactory()
    SchemeFactory(
        programmes=[programme], valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)
    )

    scheme = _create(union_staff, programmes=[programme], valid_from=date(2026, 1, 1))

    assert list(scheme.programmes.all()) == [programme]


def test_schemes_of_different_kinds_may_cover_one_programme(union_staff):
    programme = ProgrammeFactory()
    SchemeFactory(programmes=[programme])

    scheme = _create(union_staff, kind=Kind.EMPLOYER_FEE_PART, programmes=[programme])

    assert scheme.programmes.get() == programme


def test_scheme_update_audits_each_change_from_old_to_new(union_staff):
    scheme = SchemeFactory(name="旧名称")
    programme = ProgrammeFactory()

    scheme_update(
        scheme=scheme,
        actor=union_staff,
        name="新名称",
        prorate_by_days=False,
        programmes=[programme],
    )

    scheme.refresh_from_db()
    assert (scheme.name, scheme.prorate_by_days) == ("新名称", False)
    assert AuditRecord.objects.get(action="scheme.update").changes == {
        "name": ["旧名称", "新名称"],
        "prorate_by_days": [True, False],
        "programmes": [[], [programme.pk]],
    }


def test_scheme_kind_cannot_change(union_staff):
    scheme = SchemeFactory()

    with pytest.raises(SubsidyError) as refusal:
        scheme_update(scheme=scheme, actor=union_staff, kind=Kind.UNIT_GRANT)

    assert refusal.value.status_code == 409
    scheme.refresh_from_db()
    assert scheme.kind == Kind.MONTHLY_SUBSIDY
    assert not AuditRecord.objects.exists()


# Budgets


def test_budget_create_is_audited(union_staff):
    scheme = SchemeFactory()

    budget = budget_create(scheme=scheme, year=2026, amount=Decimal("720000"), actor=union_staff)

    assert (budget.amount, budget.reserved, budget.committed) == (
        Decimal("720000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert AuditRecord.objects.get(action="budget.create").to_state == "720000.00"


def test_a_second_budget_for_the_same_scheme_and_year_is_refused(union_staff):
    budget = BudgetFactory(year=2026)

    with pytest.raises(SubsidyError) as refusal:
        budget_create(scheme=budget.scheme, year=2026, amount=Decimal("1"), actor=union_staff)

    assert list(refusal.value.fields) == ["year"]
    assert Budget.objects.count() == 1


def test_budget_raise_sets_the_new_total_and_audits_old_new_and_reason(union_staff):
    budget = BudgetFactory(amount=Decimal("100000.00"))

    budget_raise(budget=budget, amount=Decimal("150000"), actor=union_staff, reason="追加预算")

    budget.refresh_from_db()
    assert budget.amount == Decimal("150000.00")
    record = AuditRecord.objects.get(action="budget.raise")
    assert (record.from_state, record.to_state, record.reason) == (
        "100000.00",
        "150000.00",
        "追加预算",
    )
    assert budget.history.count() == 2  # created, raised


def test_budget_may_be_lowered_down_to_what_runs_reserved_and_committed(union_staff):
    budget = BudgetFactory(
        amount=Decimal("100000"), reserved=Decimal("30000"), committed=Decimal("20000")
    )

    budget_raise(budget=budget, amount=Decimal("50000"), actor=union_staff, reason="核减")

    budget.refresh_from_db()
    assert budget.amount == Decimal("50000.00")


def test_budget_below_what_runs_reserved_and_committed_is_refused(union_staff):
    budget = BudgetFactory(
        amount=Decimal("100000"), reserved=Decimal("30000"), committed=Decimal("20000")
    )

    with pytest.raises(SubsidyError) as refusal:
        budget_raise(budget=budget, amount=Decimal("49999.99"), actor=union_staff, reason="核减")

    assert refusal.value.code == "below_commitments"
    budget.refresh_from_db()
    assert budget.amount == Decimal("100000.00")
    assert not AuditRecord.objects.filter(action="budget.raise").exists()


def test_budget_raise_needs_a_reason(union_staff):
    budget = BudgetFactory(amount=Decimal("100000"))

    with pytest.raises(SubsidyError) as refusal:
        budget_raise(budget=budget, amount=Decimal("200000"), actor=union_staff, reason=" ")

    assert list(refusal.value.fields) == ["reason"]
    budget.refresh_from_db()
    assert budget.amount == Decimal("100000.00")


def test_budget_raise_refuses_amounts_below_the_fen(union_staff):
    budget = BudgetFactory(amount=Decimal("100000"))

    with pytest.raises(SubsidyError) as refusal:
        budget_raise(budget=budget, amount=Decimal("100000.005"), actor=union_staff, reason="x")

    assert list(refusal.value.fields) == ["amount"]
