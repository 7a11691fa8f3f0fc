"""Authorisation cases for the programme API (see tests/permissions/matrix.py).

Each side has an approved programme of its employer at its centre (open to its family), a draft
with no centre (submitting it is refused, so nothing changes) and one awaiting approval.
Requests that would change state send bodies the services refuse wherever that keeps the world
unchanged; approving and buying places really happen, once per side.
"""

from types import SimpleNamespace

from django.utils import timezone

from tests.employers.test_programme_factories import ProgrammeFactory
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS

SIDES = ("A", "B")


def _build(world) -> SimpleNamespace:
    programmes = SimpleNamespace(approved={}, draft={}, submitted={})
    for side in SIDES:
        employer = world.employer_a if side == "A" else world.employer_b
        centre = world.centre_a if side == "A" else world.centre_b
        programmes.approved[side] = ProgrammeFactory(
            lead_employer=employer, employers=[employer], centres=[centre]
        )
        programmes.draft[side] = ProgrammeFactory(lead_employer=employer, status="draft")
        programmes.submitted[side] = ProgrammeFactory(
            lead_employer=employer, status="submitted", centres=[centre]
        )
    return programmes


WORLD_EXTENSIONS.append(("programmes", _build))


def _pk(kind: str):
    return lambda world, side: {"pk": getattr(world.programmes, kind)[side].pk}


def _centre(world, side):
    return world.centre_a if side == "A" else world.centre_b


NOBODY_ELSE = {"anonymous": 401, "reviewer": 403}
NO_PARENTS = {"parent": 403, "other_parent": 403}
STAFF_ONLY = {
    **NOBODY_ELSE,
    **NO_PARENTS,
    "employer_admin": 403,
    "other_employer_admin": 403,
    "centre_admin": 403,
}


def _organisers(status: int) -> dict:
    """Employer admins act on their own programme; union staff on both; nobody else at all."""
    return {
        **NOBODY_ELSE,
        **NO_PARENTS,
        "centre_admin": 403,
        "employer_admin": own_only(status),
        "other_employer_admin": other_only(status),
        "union_staff": same(status),
    }


def _viewers(status: int = 200) -> dict:
    return {
        **NOBODY_ELSE,
        "parent": own_only(status),
        "other_parent": other_only(status),
        "employer_admin": own_only(status),
        "other_employer_admin": other_only(status),
        "centre_admin": own_only(status),
        "union_staff": same(status),
    }


def _registration(world, side) -> dict:
    return {
        "name": "职工子女托育",
        "delivery_model": "own_centre",
        "centres": [world.centre_a.pk],
        "parent_share_percent": "85",
        "offer_days": 7,
        "start_date": timezone.localdate().isoformat(),
    }


def _agreement(world, side) -> dict:
    return {
        "centre": _centre(world, side).pk,
        "age_class": "toddler",
        "places": 1,
        "start_month": timezone.localdate().strftime("%Y-%m"),
        "payment_mode": "per_child",
    }


CASES = [
    Case(
        "api-programme-list",
        "get",
        expect={
            **NOBODY_ELSE,
            **dict.fromkeys(
                (
                    "parent",
                    "other_parent",
                    "employer_admin",
                    "other_employer_admin",
                    "centre_admin",
                    "union_staff",
                ),
                200,
            ),
        },
    ),
    Case(
        "api-programme-list",
        "post",
        expect={
            **NOBODY_ELSE,
            **NO_PARENTS,
            "centre_admin": 403,
            "employer_admin": 201,
            "other_employer_admin": 201,
            "union_staff": 400,  # an own-centre programme needs its lead employer named
        },
        data=_registration,
        label="own-centre programme",
    ),
    Case("api-programme-detail", "get", expect=_viewers(), kwargs=_pk("approved")),
    Case(
        "api-programme-detail",
        "patch",
        expect=_organisers(400),
        kwargs=_pk("draft"),
        data=lambda world, side: {"parent_share_percent": "150"},
        label="share above 100",
    ),
    Case(
        "api-programme-submit",
        "post",
        expect=_organisers(400),
        kwargs=_pk("draft"),
        label="draft without a centre",
    ),
    Case(
        "api-programme-approve",
        "post",
        expect={**STAFF_ONLY, "union_staff": same(200)},
        kwargs=_pk("submitted"),
    ),
    Case(
        "api-programme-refuse",
        "post",
        expect={**STAFF_ONLY, "union_staff": same(400)},
        kwargs=_pk("submitted"),
        label="no reason",
    ),
    Case(
        "api-programme-suspend",
        "post",
        expect={**STAFF_ONLY, "union_staff": same(400)},
        kwargs=_pk("approved"),
        label="no reason",
    ),
    Case(
        "api-programme-end",
        "post",
        expect=_organisers(409),
        kwargs=_pk("draft"),
        label="a draft cannot end",
    ),
    Case(
        "api-programme-place-agreements",
        "get",
        expect={**_organisers(200), "centre_admin": own_only()},
        kwargs=_pk("approved"),
    ),
    Case(
        "api-programme-place-agreements",
        "post",
        expect=_organisers(201),
        kwargs=_pk("approved"),
        data=_agreement,
    ),
    Case(
        "api-programme-quote",
        "get",
        expect=_viewers(),
        kwargs=_pk("approved"),
        data=lambda world, side: {"centre": _centre(world, side).pk, "age_class": "toddler"},
    ),
    Case(
        "api-places",
        "get",
        expect={**STAFF_ONLY, "centre_admin": 200, "union_staff": 200},
    ),
]
