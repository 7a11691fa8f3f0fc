"""Unions, the parent's own member record and children.

Unions are the city's public registry: every signed-in role reads them. A child is seen by its
guardians and by union staff only; the employer admin never sees children (DESIGN.md).
"""

from datetime import date, timedelta

from tests.accounts.factories import PASSWORD
from tests.permissions.matrix import Case, other_only, own_only, same


def _union(w, side: str) -> dict:
    employer = w.employer_a if side == "A" else w.employer_b
    return {"pk": employer.union_id}


def _child(w, side: str) -> dict:
    return {"pk": (w.child_a if side == "A" else w.child_b).pk}


def _new_child(w, side: str) -> dict:
    # About a year old whenever the suite runs: inside the childcare age range, not in the future.
    return {
        "full_name": "矩阵小雨",
        "birth_date": (date.today() - timedelta(days=400)).isoformat(),
        "sex": "F",
        "relation": "mother",
        "consent_notice_version": "2026-01",
    }


CASES = [
    Case(
        "api-unions-list",
        "get",
        expect={
            "anonymous": 401,
            "parent": 200,
            "other_parent": 200,
            "employer_admin": 200,
            "other_employer_admin": 200,
            "centre_admin": 200,
            "union_staff": 200,
            "reviewer": 200,
        },
    ),
    Case(
        "api-union-detail",
        "get",
        expect={
            "anonymous": same(401),
            "parent": same(200),
            "other_parent": same(200),
            "employer_admin": same(200),
            "other_employer_admin": same(200),
            "centre_admin": same(200),
            "union_staff": same(200),
            "reviewer": same(200),
        },
        kwargs=_union,
        notes="Active unions are a public registry: no side is hidden from anyone signed in.",
    ),
    Case(
        "api-member-me",
        "get",
        expect={
            "anonymous": 401,
            "parent": 200,
            "other_parent": 200,
            "employer_admin": 403,
            "other_employer_admin": 403,
            "centre_admin": 403,
            "union_staff": 403,
            "reviewer": 403,
        },
    ),
    Case(
        "api-member-me",
        "patch",
        expect={
            "anonymous": 401,
            "parent": 200,
            "other_parent": 200,
            "employer_admin": 403,
            "other_employer_admin": 403,
            "centre_admin": 403,
            "union_staff": 403,
            "reviewer": 403,
        },
        data=lambda w, side: {"mobile": "13912345678", "password": PASSWORD},
    ),
    Case(
        "api-children-list",
        "get",
        expect={
            "anonymous": 401,
            "parent": 200,
            "other_parent": 200,
            "employer_admin": 403,
            "other_employer_admin": 403,
            "centre_admin": 403,
            "union_staff": 200,
            "reviewer": 403,
        },
    ),
    Case(
        "api-children-list",
        "post",
        expect={
            "anonymous": 401,
            "parent": 201,
            "other_parent": 201,
            "employer_admin": 403,
            "other_employer_admin": 403,
            "centre_admin": 403,
            "union_staff": 403,
            "reviewer": 403,
        },
        data=_new_child,
        notes="Union staff read children but never add one: consent is the guardian's to give.",
    ),
    Case(
        "api-child-detail",
        "get",
        expect={
            "anonymous": same(401),
            "parent": own_only(),
            "other_parent": other_only(),
            "employer_admin": same(403),
            "other_employer_admin": same(403),
            "centre_admin": same(403),
            "union_staff": same(200),
            "reviewer": same(403),
        },
        kwargs=_child,
    ),
]
