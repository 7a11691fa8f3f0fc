"""Subsidy schemes, budgets, bank accounts and employers' costs.

Each side has a programme led by its employer, a scheme covering it with a budget, and a bank
account of its parent. Only union staff change schemes and budgets and check accounts; they come
after every refused role in ROLES order, so each side's object is still as built when they call.
"""

from tests.accounts.factories import PASSWORD
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS
from tests.subsidies.factories import (
    BankAccountFactory,
    BudgetFactory,
    ProgrammeFactory,
    SchemeFactory,
)


def _subsidies(w) -> dict:
    sides = {}
    for side, employer, member in (
        ("A", w.employer_a, w.member_a),
        ("B", w.employer_b, w.member_b),
    ):
        scheme = SchemeFactory(programmes=[ProgrammeFactory(lead_employer=employer)])
        sides[side] = {
            "scheme": scheme,
            "budget": BudgetFactory(scheme=scheme),
            "account": BankAccountFactory(member=member),
        }
    return sides


WORLD_EXTENSIONS.append(("subsidies", _subsidies))


def _pk(name: str):
    return lambda w, side: {"pk": w.subsidies[side][name].pk}


def _employer(w, side: str) -> dict:
    return {"pk": (w.employer_a if side == "A" else w.employer_b).pk}


OWN = "own"  # employer admins: their own side's object only, the other side's looks absent


def _roles(*, staff: int = 200, employers: int | str = 403, owners: int = 403) -> dict:
    """Anonymous 401, the reviewer 403; parents and the centre admin get `owners`."""
    return {
        "anonymous": same(401),
        "parent": same(owners),
        "other_parent": same(owners),
        "employer_admin": own_only() if employers == OWN else same(employers),
        "other_employer_admin": other_only() if employers == OWN else same(employers),
        "centre_admin": same(owners),
        "union_staff": same(staff),
        "reviewer": same(403),
    }


CASES = [
    Case(
        "api-scheme-list",
        "get",
        expect=_roles(employers=200),
        notes="Employer admins get the schemes covering their programmes.",
    ),
    Case(
        "api-scheme-list",
        "post",
        expect=_roles(staff=201),
        data=lambda w, side: {
            "name": "新托育补贴方案",
            "kind": "monthly_subsidy",
            "funder": "employer",
            "valid_from": "2026-01-01",
        },
    ),
    Case(
        "api-scheme-detail",
        "get",
        expect=_roles(employers=OWN),
        kwargs=_pk("scheme"),
    ),
    Case(
        "api-scheme-detail",
        "patch",
        expect=_roles(),
        kwargs=_pk("scheme"),
        data=lambda w, side: {"name": f"改名方案{side}"},
    ),
    Case("api-budget-list", "get", expect=_roles()),
    Case(
        "api-budget-list",
        "post",
        expect=_roles(staff=201),
        data=lambda w, side: {
            "scheme": w.subsidies["A"]["scheme"].pk,
            "year": 2031,
            "amount": "1000.00",
        },
    ),
    Case(
        "api-budget-raise",
        "post",
        expect=_roles(),
        kwargs=_pk("budget"),
        data=lambda w, side: {"amount": "200000.00", "reason": "追加预算"},
    ),
    Case(
        "api-bank-account-list",
        "get",
        expect=_roles(employers=200, owners=200),
        notes="Each owner gets their own accounts; union staff get all.",
    ),
    Case(
        "api-bank-account-list",
        "post",
        expect=_roles(staff=403, employers=201, owners=201),
        data=lambda w, side: {
            "bank_name": "中国工商银行迁安支行",
            "account_name": "户名",
            "account_number": "6217000315000099999",
            "password": PASSWORD,
        },
        notes="Owners enter their own account (the parent replaces one: password given); "
        "union staff only check them.",
    ),
    Case("api-bank-account-check", "post", expect=_roles(), kwargs=_pk("account")),
    Case(
        "api-bank-account-reject",
        "post",
        expect=_roles(),
        kwargs=_pk("account"),
        data=lambda w, side: {"reason": "户名不符"},
    ),
    Case(
        "api-employer-costs",
        "get",
        expect=_roles(employers=OWN),
        kwargs=_employer,
    ),
]
