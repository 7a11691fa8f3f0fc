"""Authorisation matrix cases for the pilots API (see tests/permissions/matrix.py).

Side A is employer A's application in a round in scoring, which the world's reviewer is assigned
to; side B is employer B's, scored by another reviewer. A second round is published, for the
results everyone signed in may read. Bodies are chosen so that a permitted caller is stopped by
validation or by the round's state (400/409/415) and nothing changes between roles.
"""

from datetime import date, timedelta
from itertools import cycle
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from apps.pilots.demo import _png
from apps.pilots.models import (
    EvaluationRound,
    Evidence,
    Level,
    Objection,
    RubricDimension,
    RubricItem,
    UnitResult,
)
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS
from tests.pilots.factories import SIMPLE_RUBRIC, apply, assign, reviewer

WORLD_FILE = "pilots/evidence/matrix/world.png"
SIGNED_IN = ("parent", "other_parent", "employer_admin", "other_employer_admin", "centre_admin")
SIGNED_IN += ("union_staff", "reviewer")
_years = cycle(range(2001, 2100))


def _evidence(application, item) -> Evidence:
    # One small file shared by every world, so the matrix leaves nothing new behind.
    if not default_storage.exists(WORLD_FILE):
        default_storage.save(WORLD_FILE, ContentFile(_png()))
    return Evidence.objects.create(
        application=application,
        item=item,
        file=WORLD_FILE,
        original_name="平面图.png",
        content_type=Evidence.ContentType.PNG,
        size=len(_png()),
        sha256="0" * 64,
    )


def _round(**fields) -> EvaluationRound:
    today = timezone.localdate()
    return EvaluationRound.objects.create(
        year=next(_years),
        places=1,
        applications_open_on=today - timedelta(30),
        applications_close_on=today - timedelta(20),
        scoring_opens_on=today - timedelta(19),
        scoring_closes_on=today + timedelta(10),
        **fields,
    )


def _scoring_round(world) -> SimpleNamespace:
    """A round in scoring, written directly (the services are tested elsewhere; this is fast)."""
    pilots = SimpleNamespace(round=_round(level=Level.QIANAN, status="open"))
    dimension = RubricDimension.objects.create(round=pilots.round, code="management", weight=100)
    item = RubricItem.objects.create(
        round=pilots.round, dimension=dimension, title="M1", max_score=10
    )
    pilots.application = {
        "A": apply(pilots.round, world.employer_a),
        "B": apply(pilots.round, world.employer_b),
    }
    pilots.assignment = {
        "A": assign(pilots.application["A"], world.users["reviewer"]),
        "B": assign(pilots.application["B"], reviewer()),
    }
    pilots.evidence = {side: _evidence(app, item) for side, app in pilots.application.items()}
    EvaluationRound.objects.filter(pk=pilots.round.pk).update(
        status="scoring", rubric_frozen_at=timezone.now()
    )
    return pilots


def _build(world) -> SimpleNamespace:
    pilots = _scoring_round(world)
    now, monday = timezone.now(), date(2026, 3, 2)
    pilots.published = _round(
        level=Level.TANGSHAN,
        status="published",
        rubric_frozen_at=now,
        evaluated_at=now,
        publicity_start=monday,
        publicity_end=date(2026, 3, 9),
        published_at=now,
    )
    top = apply(pilots.published, world.employer_a)
    pilots.result = UnitResult.objects.create(
        round=pilots.published,
        application=top,
        reviewer_count=3,
        score_infrastructure=20,
        score_staffing=20,
        score_activities=15,
        score_management=25,
        total=80,
        rank=1,
        recommended=True,
        decision="pending",
        computed_at=now,
    )
    pilots.objection = Objection.objects.create(
        round=pilots.published,
        application=top,
        full_name="王建国",
        contact="13800138000",
        reason="该单位申报材料与实际不符。",
    )
    return pilots


# Built on first use, so the other apps' cases do not pay for the pilots' objects.
WORLD_EXTENSIONS.append(("pilots", lambda world: SimpleLazyObject(lambda: _build(world))))


def _round_kwargs(world, side):
    return {"pk": world.pilots.round.pk}


def _published(world, side):
    return {"pk": world.pilots.published.pk}


def _application(world, side):
    return {"pk": world.pilots.application[side].pk}


def _evidence_kwargs(world, side):
    return {"pk": world.pilots.evidence[side].pk}


def _assignment(world, side):
    return {"pk": world.pilots.assignment[side].pk}


def _objection(world, side):
    return {"pk": world.pilots.objection.pk}


def _result(world, side):
    return {"pk": world.pilots.result.pk}


def everyone(status: int) -> dict:
    return {"anonymous": 401} | dict.fromkeys(SIGNED_IN, status)


def staff_only(status) -> dict:
    return {"anonymous": 401} | dict.fromkeys(SIGNED_IN, 403) | {"union_staff": status}


def participants(*, unit, other_unit, staff, reviewer) -> dict:
    """Union staff, both units' admins and the reviewer; parents and centre admins refused."""
    return staff_only(staff) | {
        "employer_admin": unit,
        "other_employer_admin": other_unit,
        "reviewer": reviewer,
    }


SEEN_BY_SCOPE = participants(
    unit=own_only(), other_unit=other_only(), staff=same(200), reviewer=own_only()
)
UNIT_ACTION = staff_only(403) | {
    "employer_admin": own_only(409),
    "other_employer_admin": other_only(409),
}

CASES = [
    Case("api-pilot-round-list", "get", everyone(200)),
    Case("api-pilot-round-list", "post", staff_only(400), label="empty body"),
    Case("api-pilot-round-detail", "get", everyone(200), kwargs=_round_kwargs),
    Case(
        "api-pilot-round-detail",
        "patch",
        staff_only(400),
        kwargs=_round_kwargs,
        data=lambda w, s: {"places": 0},
        label="no places",
    ),
    Case("api-pilot-round-rubric", "get", everyone(200), kwargs=_round_kwargs),
    Case(
        "api-pilot-round-rubric",
        "put",
        staff_only(409),
        kwargs=_round_kwargs,
        data=lambda w, s: {"dimensions": SIMPLE_RUBRIC},
        label="frozen rubric",
    ),
    Case("api-pilot-round-open-applications", "post", staff_only(409), kwargs=_round_kwargs),
    Case("api-pilot-round-open-scoring", "post", staff_only(409), kwargs=_round_kwargs),
    Case("api-pilot-round-evaluate", "post", staff_only(409), kwargs=_round_kwargs),
    Case("api-pilot-round-start-publicity", "post", staff_only(409), kwargs=_round_kwargs),
    Case("api-pilot-round-publish", "post", staff_only(409), kwargs=_round_kwargs),
    Case(
        "api-pilot-round-applications",
        "get",
        participants(unit=200, other_unit=200, staff=200, reviewer=200),
        kwargs=_round_kwargs,
    ),
    Case(
        "api-pilot-round-applications",
        "post",
        participants(unit=409, other_unit=409, staff=403, reviewer=403),
        kwargs=_round_kwargs,
        label="round not open",
    ),
    Case(
        "api-pilot-round-results",
        "get",
        everyone(404) | {"union_staff": 200},
        kwargs=_round_kwargs,
        label="not published",
    ),
    Case("api-pilot-round-results", "get", everyone(200), kwargs=_published, label="published"),
    Case("api-pilot-round-objections", "get", staff_only(200), kwargs=_round_kwargs),
    Case("api-pilot-application-detail", "get", SEEN_BY_SCOPE, kwargs=_application),
    Case("api-pilot-application-withdraw", "post", UNIT_ACTION, kwargs=_application),
    Case(
        "api-pilot-application-disqualify",
        "post",
        staff_only(400),
        kwargs=_application,
        label="no reason",
    ),
    Case("api-pilot-application-evidence", "get", SEEN_BY_SCOPE, kwargs=_application),
    Case(
        "api-pilot-application-evidence",
        "post",
        staff_only(403)
        | {"employer_admin": own_only(415), "other_employer_admin": other_only(415)},
        kwargs=_application,
        label="not multipart",
    ),
    Case("api-pilot-application-assignments", "get", staff_only(200), kwargs=_application),
    Case(
        "api-pilot-application-assignments",
        "post",
        staff_only(400),
        kwargs=_application,
        label="no reviewer",
    ),
    Case("api-pilot-evidence-detail", "get", SEEN_BY_SCOPE, kwargs=_evidence_kwargs),
    Case("api-pilot-evidence-detail", "delete", UNIT_ACTION, kwargs=_evidence_kwargs),
    Case("api-pilot-evidence-file", "get", SEEN_BY_SCOPE, kwargs=_evidence_kwargs),
    Case("api-pilot-assignment-list", "get", staff_only(200) | {"reviewer": 200}),
    Case(
        "api-pilot-assignment-detail",
        "get",
        staff_only(200) | {"reviewer": own_only()},
        kwargs=_assignment,
    ),
    Case("api-pilot-assignment-detail", "delete", staff_only(204), kwargs=_assignment),
    Case(
        "api-pilot-assignment-scores",
        "put",
        staff_only(403) | {"reviewer": own_only(400)},
        kwargs=_assignment,
        label="empty sheet",
    ),
    Case(
        "api-pilot-assignment-submit",
        "post",
        staff_only(403) | {"reviewer": own_only(400)},
        kwargs=_assignment,
        label="incomplete sheet",
    ),
    Case(
        "api-pilot-objection-resolve",
        "post",
        staff_only(400),
        kwargs=_objection,
        label="empty body",
    ),
    Case("api-pilot-result-decision", "post", staff_only(400), kwargs=_result, label="empty body"),
]
