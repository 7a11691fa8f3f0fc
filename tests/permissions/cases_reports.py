"""Authorisation cases for the reports API (see tests/permissions/matrix.py).

`GET /api/v1/reports/` has no object in its URL: union staff get the city's figures, an
employer admin their employer's and a centre admin their centre's (the scoping itself is tested
in tests/reports); parents and reviewers are refused, anonymous callers must sign in. Bad
filters are a 400 for the permitted roles only: the role is checked first.
"""

from tests.permissions.matrix import Case

ALLOWED = {
    "anonymous": 401,
    "parent": 403,
    "other_parent": 403,
    "employer_admin": 200,
    "other_employer_admin": 200,
    "centre_admin": 200,
    "union_staff": 200,
    "reviewer": 403,
}
BAD_FILTER = {role: 400 if status == 200 else status for role, status in ALLOWED.items()}


def _bad_period(world, side) -> dict:
    return {"period_start": "2025-13"}


def _other_area(world, side) -> dict:
    # Another organisation's area does not widen an admin's own figures; staff may use it.
    return {"area": world.centre_b.area_id, "period_start": "2025-01", "period_end": "2025-06"}


CASES = [
    Case("api-reports", "get", ALLOWED),
    Case("api-reports", "get", ALLOWED, data=_other_area, label="area filter"),
    Case("api-reports", "get", BAD_FILTER, data=_bad_period, label="bad period"),
]
