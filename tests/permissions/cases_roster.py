"""Rosters, roster imports, employees awaiting confirmation, and the public sign-ups.

An employer admin sees and acts for their own employer only; union staff for every employer.
Confirming changes state: the side's own admin comes first in ROLES order and confirms (200),
so union staff after them find it already confirmed (409). Refusing without a reason is 400
for every permitted role and changes nothing. Sign-ups are open to anyone: an empty body is
400 whoever sends it.
"""

from apps.employers.models import RosterImport
from tests.employers.factories import EmploymentFactory
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS


def _imports(w) -> dict:
    return {
        side: RosterImport.objects.create(
            employer=employer, original_name="roster.csv", status="done", file=""
        )
        for side, employer in (("A", w.employer_a), ("B", w.employer_b))
    }


def _pending(w) -> dict:
    return {
        "A": EmploymentFactory(employer=w.employer_a, status="pending", verified_by=""),
        "B": EmploymentFactory(employer=w.employer_b, status="pending", verified_by=""),
    }


WORLD_EXTENSIONS.append(("roster_imports", _imports))
WORLD_EXTENSIONS.append(("pending_employments", _pending))


def _employer(w, side: str) -> dict:
    return {"pk": (w.employer_a if side == "A" else w.employer_b).pk}


def _import(w, side: str) -> dict:
    return {"pk": w.roster_imports[side].pk}


def _employment(w, side: str) -> dict:
    return {"pk": w.pending_employments[side].pk}


def _scoped(ok: int, staff: int | tuple[int, int] | None = None) -> dict:
    """Own employer's admin and union staff; everyone else refused or shown nothing."""
    return {
        "anonymous": same(401),
        "parent": same(403),
        "other_parent": same(403),
        "employer_admin": own_only(ok),
        "other_employer_admin": other_only(ok),
        "centre_admin": same(403),
        "union_staff": same(ok) if staff is None else staff,
        "reviewer": same(403),
    }


def _everyone(status: int) -> dict:
    roles = ["anonymous", "parent", "other_parent", "employer_admin", "other_employer_admin"]
    roles += ["centre_admin", "union_staff", "reviewer"]
    return dict.fromkeys(roles, status)


CASES = [
    Case("api-roster-import-detail", "get", expect=_scoped(200), kwargs=_import),
    Case(
        "api-employer-roster-imports",
        "post",
        expect=_scoped(415),
        kwargs=_employer,
        notes="The upload is multipart; a JSON body reaches the parser only when permitted.",
    ),
    Case("api-employer-roster", "get", expect=_scoped(200), kwargs=_employer),
    Case("api-employer-pending-employees", "get", expect=_scoped(200), kwargs=_employer),
    Case(
        "api-employment-confirm",
        "post",
        expect=_scoped(200, staff=same(409)),
        kwargs=_employment,
    ),
    Case(
        "api-employment-refuse",
        "post",
        expect=_scoped(400),
        kwargs=_employment,
        label="no reason",
    ),
    Case("api-signup-parent", "post", expect=_everyone(400), label="empty body"),
    Case("api-signup-employer", "post", expect=_everyone(400), label="empty body"),
    Case("api-signup-centre", "post", expect=_everyone(400), label="empty body"),
    Case("api-signup-employers", "get", expect=_everyone(200)),
]
