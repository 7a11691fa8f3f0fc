"""Builders for pilot rounds in each state, with a small rubric easy to sum by hand."""

from datetime import timedelta
from decimal import Decimal
from itertools import cycle

from django.utils import timezone

from apps.accounts.models import Role
from apps.pilots import services
from apps.pilots.models import (
    Application,
    EvaluationRound,
    ItemScore,
    Level,
    ReviewerAssignment,
    RubricDimension,
    RubricItem,
)
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerFactory

# Weights 25/25/20/30; one item of 10 in three dimensions, two items (10 and 5) in management.
# A unit's total is then 2.5·I + 2.5·S + 2·A + 2·(M1 + M2).
SIMPLE_RUBRIC = [
    {"code": "infrastructure", "weight": "25", "items": [{"title": "I1", "max_score": "10"}]},
    {"code": "staffing", "weight": "25", "items": [{"title": "S1", "max_score": "10"}]},
    {"code": "activities", "weight": "20", "items": [{"title": "A1", "max_score": "10"}]},
    {
        "code": "management",
        "weight": "30",
        "items": [{"title": "M1", "max_score": "10"}, {"title": "M2", "max_score": "5"}],
    },
]

_years = cycle(range(2030, 2100))


def make_round(*, level: str = Level.QIANAN, places: int = 2, simple: bool = False, **fields):
    """A draft round whose applications are open today (use `advance` for later states)."""
    today = timezone.localdate()
    values = {
        "year": next(_years),
        "level": level,
        "places": places,
        "applications_open_on": today - timedelta(days=10),
        "applications_close_on": today + timedelta(days=10),
        "scoring_opens_on": today + timedelta(days=11),
        "scoring_closes_on": today + timedelta(days=30),
        **fields,
    }
    pilot_round = services.round_create(actor=None, **values)
    if simple:
        _use_simple_rubric(pilot_round)
    return pilot_round


def _use_simple_rubric(pilot_round) -> None:
    # Written directly for speed; tests/pilots/test_rubric.py covers the rubric services.
    RubricItem.objects.filter(round=pilot_round).delete()
    dimensions = {d.code: d for d in RubricDimension.objects.filter(round=pilot_round)}
    for spec in SIMPLE_RUBRIC:
        dimension = dimensions[spec["code"]]
        RubricDimension.objects.filter(pk=dimension.pk).update(weight=Decimal(spec["weight"]))
        RubricItem.objects.bulk_create(
            RubricItem(
                round=pilot_round,
                dimension=dimension,
                title=item["title"],
                max_score=Decimal(item["max_score"]),
                position=n,
            )
            for n, item in enumerate(spec["items"])
        )


def items_by_title(pilot_round) -> dict[str, RubricItem]:
    return {item.title: item for item in RubricItem.objects.filter(round=pilot_round)}


def ordered_items(pilot_round) -> list[RubricItem]:
    return list(
        RubricItem.objects.filter(round=pilot_round).order_by("dimension__position", "position")
    )


def open_round(**kwargs) -> EvaluationRound:
    pilot_round = make_round(**kwargs)
    return services.round_open_applications(round=pilot_round, actor=None)


def apply(pilot_round, employer=None, *, submitted_at=None) -> Application:
    return Application.objects.create(
        round=pilot_round,
        employer=employer or EmployerFactory(),
        submitted_at=submitted_at or timezone.now(),
    )


def reviewer(**kwargs):
    return UserFactory(role=Role.REVIEWER, **kwargs)


def assign(application, person=None) -> ReviewerAssignment:
    return ReviewerAssignment.objects.create(application=application, reviewer=person or reviewer())


def start_scoring(pilot_round) -> EvaluationRound:
    return services.round_open_scoring(round=pilot_round, actor=None)


def score_sheet(assignment, scores: dict[str, object], *, submit: bool = True):
    """Write a sheet: {item title: score}; submitted unless told otherwise."""
    items = items_by_title(assignment.application.round)
    ItemScore.objects.bulk_create(
        ItemScore(assignment=assignment, item=items[title], score=Decimal(str(value)))
        for title, value in scores.items()
    )
    if submit:
        ReviewerAssignment.objects.filter(pk=assignment.pk).update(submitted_at=timezone.now())
        assignment.refresh_from_db()
    return assignment


def sheet(i, s, a, m1, m2) -> dict[str, object]:
    return {"I1": i, "S1": s, "A1": a, "M1": m1, "M2": m2}


def scored_unit(pilot_round, sheets: list[dict], *, employer=None, submitted_at=None):
    """An application in a round in scoring, with one submitted sheet per dict in `sheets`."""
    application = apply(pilot_round, employer, submitted_at=submitted_at)
    for scores in sheets:
        score_sheet(assign(application), scores)
    return application


def scoring_round(**kwargs) -> EvaluationRound:
    """A simple-rubric round already in scoring (no applications yet)."""
    pilot_round = open_round(simple=True, **kwargs)
    return start_scoring(pilot_round)
