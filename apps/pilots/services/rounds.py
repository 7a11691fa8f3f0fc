"""Evaluation rounds: creating them, their dates, and opening applications and scoring."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.services import audit_record, notice_send

from ..errors import PilotCode, PilotError, full_clean_or_refuse
from ..indicators import indicators_for
from ..models import Application, EvaluationRound, RubricItem
from ..rubric import rubric_problems
from .common import lock_round, require_status, today_or
from .rubric import rubric_copy_template

logger = logging.getLogger(__name__)

Status = EvaluationRound.Status
DATE_FIELDS = (
    "applications_open_on",
    "applications_close_on",
    "scoring_opens_on",
    "scoring_closes_on",
)
# Which fields may still change in each state: once units apply, the year and level are fixed;
# once scoring opens, only the quota and the scoring deadline; once evaluated, only the title.
EDITABLE = {
    Status.DRAFT: {"year", "level", "title", "places", *DATE_FIELDS},
    Status.OPEN: {"title", "places", *DATE_FIELDS},
    Status.SCORING: {"title", "places", "scoring_closes_on"},
    Status.EVALUATED: {"title"},
    Status.PUBLICITY: {"title"},
    Status.PUBLISHED: set(),
}


@transaction.atomic
def round_create(
    *,
    actor,
    year: int,
    level: str,
    places: int,
    applications_open_on: date,
    applications_close_on: date,
    scoring_opens_on: date,
    scoring_closes_on: date,
    title: str = "",
) -> EvaluationRound:
    """A draft round with a copy of the template rubric (fixtures/pilot_rubric.json)."""
    round = EvaluationRound(
        year=year,
        level=level,
        title=title,
        places=places,
        applications_open_on=applications_open_on,
        applications_close_on=applications_close_on,
        scoring_opens_on=scoring_opens_on,
        scoring_closes_on=scoring_closes_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    full_clean_or_refuse(round)
    round.save()
    rubric_copy_template(round=round)
    audit_record(actor=actor, action="pilot_round.create", target=round, to_state=round.status)
    return round


@transaction.atomic
def round_update(*, round: EvaluationRound, actor, **fields) -> EvaluationRound:
    round = lock_round(round)
    allowed = EDITABLE[round.status]
    refused = sorted(name for name, value in fields.items() if getattr(round, name) != value)
    refused = [name for name in refused if name not in allowed]
    if refused:
        message = _("This can no longer change while the round is %(status)s.") % {
            "status": round.get_status_display()
        }
        raise PilotError(
            message, code=PilotCode.INVALID_STATE, fields={n: [message] for n in refused}
        )
    changes = {}
    for name, value in fields.items():
        if getattr(round, name) != value:
            changes[name] = [str(getattr(round, name)), str(value)]
            setattr(round, name, value)
    full_clean_or_refuse(round)
    round.save()
    if changes:
        audit_record(actor=actor, action="pilot_round.update", target=round, changes=changes)
    return round


def _move(round: EvaluationRound, actor, action: str, to: str, **extra) -> EvaluationRound:
    before = round.status
    round.status = to
    for name, value in extra.items():
        setattr(round, name, value)
    round.save()
    audit_record(actor=actor, action=action, target=round, from_state=before, to_state=to)
    return round


@transaction.atomic
def round_open_applications(*, round: EvaluationRound, actor) -> EvaluationRound:
    round = lock_round(round)
    require_status(round, Status.DRAFT)
    return _move(round, actor, "pilot_round.open_applications", Status.OPEN)


def _rubric_as_specs(round: EvaluationRound) -> list[dict]:
    items = list(RubricItem.objects.filter(round=round).values_list("dimension_id", flat=True))
    return [
        {"code": d.code, "weight": d.weight, "items": [i for i in items if i == d.pk]}
        for d in round.dimensions.all()
    ]


@transaction.atomic
def round_open_scoring(
    *, round: EvaluationRound, actor, today: date | None = None
) -> EvaluationRound:
    """Freeze the rubric (weights must add up to 100), take the units' indicators so every
    reviewer sees the same figures, and tell the assigned reviewers."""
    round = lock_round(round)
    require_status(round, Status.OPEN)
    problems = rubric_problems(_rubric_as_specs(round))
    if problems:
        raise PilotError(
            _("The rubric is not ready to be frozen."),
            code=PilotCode.RUBRIC_INVALID,
            fields=problems,
        )
    applications = list(round.applications.filter(status=Application.Status.SUBMITTED))
    figures = indicators_for([a.employer_id for a in applications], on=today_or(today))
    for application in applications:
        application.indicators = figures[application.employer_id]
    Application.objects.bulk_update(applications, ["indicators"], batch_size=500)
    round = _move(
        round, actor, "pilot_round.open_scoring", Status.SCORING, rubric_frozen_at=timezone.now()
    )
    _tell_reviewers(round)
    return round


def _tell_reviewers(round: EvaluationRound) -> None:
    from django.contrib.auth import get_user_model

    reviewers = (
        get_user_model()
        .objects.filter(
            pilot_assignments__application__round=round,
            pilot_assignments__submitted_at__isnull=True,
        )
        .distinct()
    )
    for reviewer in reviewers:
        notice_send(
            recipient=reviewer,
            title=gettext_lazy("Pilot-unit scoring is open"),
            body=gettext_lazy("Units are waiting for your scores on the reviewer pages."),
            link="/reviewer/",
        )


def rounds_advance(*, today: date | None = None) -> dict[str, int]:
    """Daily: open applications and scoring on their planned dates. A round whose rubric is
    not ready stays open for applications and is logged for union staff."""
    today = today_or(today)
    counts = {"opened": 0, "scoring": 0, "held": 0}
    for round in EvaluationRound.objects.filter(
        status=Status.DRAFT, applications_open_on__lte=today
    ):
        round_open_applications(round=round, actor=None)
        counts["opened"] += 1
    for round in EvaluationRound.objects.filter(status=Status.OPEN, scoring_opens_on__lte=today):
        try:
            round_open_scoring(round=round, actor=None, today=today)
        except PilotError as error:
            logger.warning("pilot round %s not moved to scoring: %s", round.pk, error.message)
            counts["held"] += 1
        else:
            counts["scoring"] += 1
    return counts
