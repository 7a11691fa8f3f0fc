"""Payout runs: union staff only, on both sides (runs belong to the city, not to a side of the
world); every other role is refused (403) and an anonymous caller asked to sign in (401).

The world holds a run of each status per side, each its own period, so union staff can resume,
approve, cancel and export on side A and then on side B. The bank return takes a multipart
file, so the matrix's JSON body gets 415 from union staff.
"""

from datetime import date

from apps.accounts.models import Role
from apps.subsidies.models import PayoutRun
from tests.accounts.factories import UserFactory
from tests.permissions.matrix import Case, same
from tests.permissions.world import WORLD_EXTENSIONS

STATUSES = ["calculating", "calculated", "approved", "exported"]


def _runs(world) -> dict:
    starter = UserFactory(role=Role.UNION_STAFF)
    runs = {}
    for n, status in enumerate(STATUSES):
        runs[status] = {
            side: PayoutRun.objects.create(
                kind="monthly",
                period=date(2025, 2 * n + offset + 1, 1),
                status=status,
                started_by=starter,
                chunks_total=1,
                chunks_done=0 if status == "calculating" else 1,
            )
            for offset, side in enumerate(("A", "B"))
        }
    return runs


if not any(name == "payouts" for name, _hook in WORLD_EXTENSIONS):
    WORLD_EXTENSIONS.append(("payouts", _runs))


def staff_only(status=200, *, anonymous=401) -> dict:
    refused = dict.fromkeys(
        [
            "parent",
            "other_parent",
            "employer_admin",
            "other_employer_admin",
            "centre_admin",
            "reviewer",
        ],
        403,
    )
    return {"anonymous": anonymous, **refused, "union_staff": status}


def _run(status: str):
    return lambda world, side: {"pk": world.payouts[status][side].pk}


CASES = [
    Case("api-payout-run-list", "get", staff_only(200)),
    Case("api-payout-run-list", "post", staff_only(400), label="period missing"),
    Case("api-payout-run-detail", "get", staff_only(same(200)), kwargs=_run("calculated")),
    Case("api-payout-run-resume", "post", staff_only(same(200)), kwargs=_run("calculating")),
    Case("api-payout-run-approve", "post", staff_only(same(200)), kwargs=_run("calculated")),
    Case(
        "api-payout-run-cancel",
        "post",
        staff_only(same(200)),
        kwargs=_run("calculated"),
        data=lambda world, side: {"reason": "重新计算"},
    ),
    Case("api-payout-run-export", "post", staff_only(same(200)), kwargs=_run("approved")),
    Case("api-payout-run-bank-return", "post", staff_only(same(415)), kwargs=_run("exported")),
    Case("api-payout-run-lines", "get", staff_only(same(200)), kwargs=_run("approved")),
    Case("api-payout-run-report", "get", staff_only(same(200)), kwargs=_run("approved")),
]
