"""Centres and their classes: the public directory, the centre's own data and approvals.

Parents, employer admins and reviewers see approved centres and their open classes (the public
directory), so both sides answer them; a centre admin sees and changes only their own centre
(side A; centre B has no admin in the world); union staff see and change every centre.
Only union staff move a centre between states, after every refused role in ROLES order.
"""

from itertools import count

from tests.centres.factories import CentreFactory
from tests.permissions.matrix import Case, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS


def _centres_in(status: str):
    def build(w) -> dict:
        return {"A": CentreFactory(status=status), "B": CentreFactory(status=status)}

    return build


WORLD_EXTENSIONS.append(("pending_centres", _centres_in("pending")))
WORLD_EXTENSIONS.append(("suspended_centres", _centres_in("suspended")))


def _centre(w, side: str) -> dict:
    return {"pk": (w.centre_a if side == "A" else w.centre_b).pk}


def _centre_class(w, side: str) -> dict:
    return {"pk": (w.class_a if side == "A" else w.class_b).pk}


def _pending(w, side: str) -> dict:
    return {"pk": w.pending_centres[side].pk}


def _suspended(w, side: str) -> dict:
    return {"pk": w.suspended_centres[side].pk}


def _reason(w, side: str) -> dict:
    return {"reason": "消防验收材料不全"}


_class_numbers = count(1)


def _new_class(w, side: str) -> dict:
    # A fresh name on every call: the centre admin and union staff both create on side A, and a
    # centre refuses a second class of the same name.
    return {
        "name": f"矩阵托小{next(_class_numbers)}班",
        "age_class": "toddler",
        "capacity": 15,
        "monthly_price": "1800.00",
    }


def _directory_read() -> dict:
    return {
        "anonymous": same(401),
        "parent": same(200),
        "other_parent": same(200),
        "employer_admin": same(200),
        "other_employer_admin": same(200),
        "centre_admin": own_only(),
        "union_staff": same(200),
        "reviewer": same(200),
    }


def _managers_write(ok: int = 200) -> dict:
    return {
        "anonymous": same(401),
        "parent": same(403),
        "other_parent": same(403),
        "employer_admin": same(403),
        "other_employer_admin": same(403),
        "centre_admin": own_only(ok),
        "union_staff": same(ok),
        "reviewer": same(403),
    }


def _union_staff_only() -> dict:
    return {
        "anonymous": same(401),
        "parent": same(403),
        "other_parent": same(403),
        "employer_admin": same(403),
        "other_employer_admin": same(403),
        "centre_admin": same(403),  # even on their own centre
        "union_staff": same(200),
        "reviewer": same(403),
    }


CASES = [
    Case(
        "api-centre-list",
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
    Case("api-centre-detail", "get", expect=_directory_read(), kwargs=_centre),
    Case(
        "api-centre-detail",
        "patch",
        expect=_managers_write(),
        kwargs=_centre,
        data=lambda w, side: {"contact_phone": "0315-5600000"},  # same value: repeatable
    ),
    Case("api-centre-class-list", "get", expect=_directory_read(), kwargs=_centre),
    Case(
        "api-centre-class-list",
        "post",
        expect=_managers_write(201),
        kwargs=_centre,
        data=_new_class,
    ),
    Case("api-centre-class-detail", "get", expect=_directory_read(), kwargs=_centre_class),
    Case(
        "api-centre-class-detail",
        "patch",
        expect=_managers_write(),
        kwargs=_centre_class,
        data=lambda w, side: {"monthly_price": "1900.00"},  # same value: repeatable
    ),
    Case(
        "api-centre-out-of-ratio",
        "get",
        expect={
            "anonymous": 401,
            "parent": 403,
            "other_parent": 403,
            "employer_admin": 403,
            "other_employer_admin": 403,
            "centre_admin": 200,
            "union_staff": 200,
            "reviewer": 403,
        },
    ),
    Case("api-centre-approve", "post", expect=_union_staff_only(), kwargs=_pending),
    Case("api-centre-refuse", "post", expect=_union_staff_only(), kwargs=_pending, data=_reason),
    Case(
        "api-centre-suspend",
        "post",
        expect=_union_staff_only(),
        kwargs=_centre,  # the sides' own centres are approved
        data=_reason,
    ),
    Case("api-centre-reinstate", "post", expect=_union_staff_only(), kwargs=_suspended),
]
