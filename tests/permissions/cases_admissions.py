"""Applications and enrolments: each side has a programme at its centre for its employer's
workers, and its family has an application in each state the actions need.

Roles run in ROLES order on one world, so a permitted move changes its object before the roles
after it call: the expectations say so where it matters (409 for a move already made)."""

from types import SimpleNamespace

from apps.admissions.models import Application
from apps.employers.pricing import format_month
from tests.admissions.factories import (
    ProgrammeFactory,
    application,
    months_before,
    start_month,
)
from tests.members.factories import ChildFactory
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS

State = Application.State


def _side(w, side: str) -> SimpleNamespace:
    member = w.member_a if side == "A" else w.member_b
    employer = w.employer_a if side == "A" else w.employer_b
    centre_class = w.class_a if side == "A" else w.class_b
    setting = SimpleNamespace(
        programme=ProgrammeFactory(lead_employer=employer, centres=[centre_class.centre]),
        centre=centre_class.centre,
        centre_class=centre_class,
        employer=employer,
        agreement=None,
        age_class=centre_class.age_class,
    )

    def kin():
        birth = months_before(start_month(), 18)
        return SimpleNamespace(member=member, child=ChildFactory(guardian=member, birth_date=birth))

    built = SimpleNamespace(programme=setting.programme, fresh_child=kin().child)
    for state in (State.SUBMITTED, State.WAITING, State.OFFERED, State.ENROLLED):
        setattr(built, str(state), application(setting, state, kin=kin()))
    built.enrolment = built.enrolled.enrolment
    return built


def _admissions(w) -> dict:
    return {"A": _side(w, "A"), "B": _side(w, "B")}


WORLD_EXTENSIONS.append(("admissions", _admissions))


def _app(state: str):
    return lambda w, side: {"pk": getattr(w.admissions[side], state).pk}


def _enrolment(w, side: str) -> dict:
    return {"pk": w.admissions[side].enrolment.pk}


def _apply_body(w, side: str) -> dict:
    mine = w.admissions["A"]
    return {
        "child": mine.fresh_child.pk,
        "programme": mine.programme.pk,
        "centre": w.centre_a.pk,
        "age_class": w.class_a.age_class,
        "start_month": format_month(start_month()),
    }


def _quote_query(w, side: str) -> dict:
    body = _apply_body(w, side)
    body.pop("child")
    return body


def _reason(w, side: str) -> dict:
    return {"reason": "不符合条件"}


def _end(w, side: str) -> dict:
    return {"end_date": start_month().isoformat()}


def _only(ok_roles: dict, *, anonymous: int = 401, refused: int = 403) -> dict:
    """Every role refused (403) unless named; anonymous 401."""
    expect = {
        role: same(refused)
        for role in (
            "parent",
            "other_parent",
            "employer_admin",
            "other_employer_admin",
            "centre_admin",
            "union_staff",
            "reviewer",
        )
    }
    return {"anonymous": same(anonymous)} | expect | ok_roles


FAMILY = {"parent": own_only(), "other_parent": other_only()}

CASES = [
    Case(
        "api-application-list",
        "get",
        expect=_only(
            dict.fromkeys(
                (
                    "parent",
                    "other_parent",
                    "employer_admin",
                    "other_employer_admin",
                    "centre_admin",
                    "union_staff",
                ),
                same(200),
            )
        ),
    ),
    Case(
        "api-application-list",
        "post",
        data=_apply_body,
        expect=_only({"parent": same(201), "other_parent": same(400)}),
        notes="the other family cannot name family A's child",
    ),
    Case(
        "api-application-quote",
        "get",
        data=_quote_query,
        expect=_only({"parent": same(200), "other_parent": same(400)}),
        notes="family B works elsewhere: not eligible for family A's programme",
    ),
    Case(
        "api-application-waiting-list",
        "get",
        expect=_only({"centre_admin": same(200), "union_staff": same(200)}),
    ),
    Case(
        "api-application-detail",
        "get",
        kwargs=_app(State.SUBMITTED),
        expect=_only(
            FAMILY
            | {
                "employer_admin": own_only(),
                "other_employer_admin": other_only(),
                "centre_admin": own_only(),
                "union_staff": same(200),
            }
        ),
    ),
    Case(
        "api-application-confirm-employment",
        "post",
        kwargs=_app(State.SUBMITTED),
        expect=_only({"employer_admin": own_only(), "other_employer_admin": other_only()}),
    ),
    Case(
        "api-application-offer",
        "post",
        kwargs=_app(State.WAITING),
        expect=_only({"centre_admin": own_only()}),
    ),
    Case(
        "api-application-accept",
        "post",
        kwargs=_app(State.OFFERED),
        expect=_only(FAMILY),
    ),
    Case(
        "api-application-decline",
        "post",
        kwargs=_app(State.OFFERED),
        expect=_only(FAMILY),
    ),
    Case(
        "api-application-withdraw",
        "post",
        kwargs=_app(State.WAITING),
        expect=_only(FAMILY),
    ),
    Case(
        "api-application-reject",
        "post",
        kwargs=_app(State.SUBMITTED),
        data=_reason,
        label="submitted",
        expect=_only(
            {
                "employer_admin": own_only(),
                "other_employer_admin": other_only(),
                # Family A's application is already rejected by the time the centre admin calls.
                "centre_admin": own_only(409),
            }
        ),
    ),
    Case(
        "api-application-reject",
        "post",
        kwargs=_app(State.WAITING),
        data=_reason,
        label="waiting",
        expect=_only(
            {
                # The employer admin sees the application but that move is the centre's.
                "employer_admin": own_only(403),
                "other_employer_admin": other_only(403),
                "centre_admin": own_only(),
            }
        ),
    ),
    Case(
        "api-enrolment-list",
        "get",
        expect=_only(
            dict.fromkeys(("parent", "other_parent", "centre_admin", "union_staff"), same(200))
        ),
    ),
    Case(
        "api-enrolment-detail",
        "get",
        kwargs=_enrolment,
        expect=_only(FAMILY | {"centre_admin": own_only(), "union_staff": same(200)}),
    ),
    Case(
        "api-enrolment-end",
        "post",
        kwargs=_enrolment,
        data=_end,
        # The parent ends family A's enrolment before the centre admin calls: 409 then.
        expect=_only(FAMILY | {"centre_admin": own_only(409)}),
    ),
]
