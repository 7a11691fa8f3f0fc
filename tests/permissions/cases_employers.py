"""The employers registry: scoped lists, the employee roster and union staff's approval moves.

Only union staff move an employer between states, and they come after every refused role in
ROLES order, so each side's object is still in its starting state when they call; the reviewer
after them is refused before the object is looked up.
"""

from tests.employers.factories import EmployerFactory
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS


def _employers_in(status: str):
    def build(w) -> dict:
        # Same grassroots unions as the sides' employers: no extra rows beyond the employers.
        return {
            "A": EmployerFactory(status=status, union=w.employer_a.union),
            "B": EmployerFactory(status=status, union=w.employer_b.union),
        }

    return build


WORLD_EXTENSIONS.append(("pending_employers", _employers_in("pending")))
WORLD_EXTENSIONS.append(("suspended_employers", _employers_in("suspended")))


def _employer(w, side: str) -> dict:
    return {"pk": (w.employer_a if side == "A" else w.employer_b).pk}


def _pending(w, side: str) -> dict:
    return {"pk": w.pending_employers[side].pk}


def _suspended(w, side: str) -> dict:
    return {"pk": w.suspended_employers[side].pk}


def _reason(w, side: str) -> dict:
    return {"reason": "材料不全"}


def _union_staff_only(ok: int = 200) -> dict:
    return {
        "anonymous": same(401),
        "parent": same(403),
        "other_parent": same(403),
        "employer_admin": same(403),
        "other_employer_admin": same(403),
        "centre_admin": same(403),
        "union_staff": same(ok),
        "reviewer": same(403),
    }


CASES = [
    Case(
        "api-employers-list",
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
        notes="Every signed-in role gets a list; the selector leaves centre admins an empty one.",
    ),
    Case(
        "api-employer-detail",
        "get",
        expect={
            "anonymous": same(401),
            "parent": own_only(),  # the employer they work at
            "other_parent": other_only(),
            "employer_admin": own_only(),
            "other_employer_admin": other_only(),
            "centre_admin": same(404),
            "union_staff": same(200),
            "reviewer": same(404),
        },
        kwargs=_employer,
    ),
    Case(
        "api-employer-employees",
        "get",
        expect={
            "anonymous": same(401),
            "parent": same(403),
            "other_parent": same(403),
            "employer_admin": own_only(),
            "other_employer_admin": other_only(),
            "centre_admin": same(403),
            "union_staff": same(200),
            "reviewer": same(403),
        },
        kwargs=_employer,
    ),
    Case(
        "api-employer-approve",
        "post",
        expect=_union_staff_only(),
        kwargs=_pending,
        notes="Side A and B are two pending employers; only union staff may approve either.",
    ),
    Case(
        "api-employer-refuse",
        "post",
        expect=_union_staff_only(),
        kwargs=_pending,
        data=_reason,
    ),
    Case(
        "api-employer-suspend",
        "post",
        expect=_union_staff_only(),
        kwargs=_employer,  # the sides' own employers are approved
        data=_reason,
    ),
    Case(
        "api-employer-reinstate",
        "post",
        expect=_union_staff_only(),
        kwargs=_suspended,
    ),
]
