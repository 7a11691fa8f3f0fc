"""The authorisation matrix: every API endpoint × role × own versus someone else's object.

The world has two of everything: side A (a family, an employer, a centre...) and side B. The
roles are people on side A (parent, employer admin, centre admin), their counterparts on side B,
union staff, a reviewer and an anonymous caller. A case names an endpoint, how to build its URL
for an object of side A and of side B, and the status each role gets for each.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "parent",
    "other_parent",
    "employer_admin",
    "other_employer_admin",
    "centre_admin",
    "union_staff",
    "reviewer",
)


@dataclass(frozen=True)
class Case:
    """`expect` maps role -> status (same for both sides) or (status on A, status on B)."""

    url_name: str
    method: str
    expect: dict[str, int | tuple[int, int]]
    kwargs: Callable[[object, str], dict] | None = None  # (world, side) -> URL kwargs
    data: Callable[[object, str], dict] | None = None  # (world, side) -> request body
    label: str = ""
    notes: str = field(default="", compare=False)

    def status_for(self, role: str, side: str) -> int:
        expected = self.expect[role]
        if isinstance(expected, tuple):
            return expected[0] if side == "A" else expected[1]
        return expected

    @property
    def sides(self) -> tuple[str, ...]:
        return ("A", "B") if self.kwargs else ("A",)


def same(status: int) -> tuple[int, int]:
    return (status, status)


def own_only(ok: int = 200, hidden: int = 404) -> tuple[int, int]:
    """Side A is the caller's own; side B belongs to someone else and must look absent."""
    return (ok, hidden)


def other_only(ok: int = 200, hidden: int = 404) -> tuple[int, int]:
    """For the side-B counterpart roles: side B is theirs, side A is someone else's."""
    return (hidden, ok)
