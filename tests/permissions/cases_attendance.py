"""Authorisation cases for monthly attendance and the family data export.

Attendance: centre admins report for their own centre (side A is centre A, theirs), union staff
for any. POSTs run in the roles' fixed order, so on side A the centre admin creates the month
(201) and union staff then send the same figures (200); on side B the centre admin's enrolment
is unknown to them (400) and union staff create it (201). The export is the caller's own family.
"""

from datetime import date

from tests.admissions.test_attendance_support import enrolment
from tests.permissions.matrix import Case
from tests.permissions.world import WORLD_EXTENSIONS

MONTH = "2025-10"
NOBODY_ELSE = dict.fromkeys(
    ("parent", "other_parent", "employer_admin", "other_employer_admin", "reviewer"), 403
)


def _enrolments(world) -> dict[str, object]:
    # Children of their own, so no other app's world objects meet a second enrolment.
    return {
        "A": enrolment(centre_class=world.class_a, start=date(2025, 9, 1)),
        "B": enrolment(centre_class=world.class_b, start=date(2025, 9, 1)),
    }


class _OnFirstUse:
    """Every case builds the world; only these cases need the enrolments, so make them late."""

    def __init__(self, world):
        self.world, self.made = world, None

    def __getitem__(self, side: str):
        if self.made is None:
            self.made = _enrolments(self.world)
        return self.made[side]


WORLD_EXTENSIONS.append(("attendance_enrolments", _OnFirstUse))


def _row(world, side: str) -> dict:
    return {
        "enrolment": world.attendance_enrolments[side].pk,
        "month": MONTH,
        "days_open": 21,
        "days_attended": 19,
    }


def _no_kwargs(world, side: str) -> dict:
    return {}


CASES = [
    Case(
        "api-attendance-list",
        "get",
        expect={"anonymous": 401, "centre_admin": 200, "union_staff": 200} | NOBODY_ELSE,
    ),
    Case(
        "api-attendance-list",
        "post",
        kwargs=_no_kwargs,
        data=_row,
        expect={"anonymous": 401, "centre_admin": (201, 400), "union_staff": (200, 201)}
        | NOBODY_ELSE,
    ),
    Case(
        "api-attendance-bulk",
        "post",
        kwargs=_no_kwargs,
        data=lambda world, side: {"rows": [_row(world, side)]},
        expect={"anonymous": 401, "centre_admin": (200, 400), "union_staff": (200, 200)}
        | NOBODY_ELSE,
    ),
    Case(
        "api-family-export",
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
]
