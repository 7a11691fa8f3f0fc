"""Evaluating a round: set-based, in a handful of queries whatever the number of units.

The scores are aggregated in PostgreSQL (per unit and item: count, sum, lowest, highest; per
sheet and dimension: sum) and the arithmetic is done exactly in `scoring`. The round's results
are replaced in one transaction under the round's row lock, so running it twice, or twice at
once, leaves the same rows.
"""

import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import BigIntegerField, Count, Max, Min, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audit_record

from ..errors import PilotCode, PilotError, conflict
from ..models import (
    Application,
    EvaluationRound,
    ItemScore,
    ReviewerResult,
    RubricItem,
    UnitResult,
)
from ..scoring import Rubric, UnitScore, aggregate_item, check_numerators, rank_units, score_unit
from .common import delete_results, lock_round
from .reviews import MIN_REVIEWERS

Status = EvaluationRound.Status
EVALUABLE = (Status.SCORING, Status.EVALUATED)


def _active_applications(round: EvaluationRound):
    return round.applications.filter(status=Application.Status.SUBMITTED)


def evaluation_problems(round: EvaluationRound) -> PilotError | None:
    """Why the round cannot be evaluated now, or None: every active unit needs at least three
    submitted sheets and no sheet still open."""
    if round.status not in EVALUABLE:
        return conflict(
            _("Only a round in scoring can be evaluated; this one is %(status)s.")
            % {"status": round.get_status_display()},
            code=PilotCode.INVALID_STATE,
        )
    counts = list(
        _active_applications(round)
        .annotate(
            sheets=Count("assignments"),
            submitted=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
        )
        .values_list("sheets", "submitted")
    )
    if not counts:
        return conflict(_("No unit has applied in this round."), code=PilotCode.INVALID_STATE)
    open_sheets = sum(sheets - submitted for sheets, submitted in counts)
    if open_sheets:
        return conflict(
            _("%(count)d score sheets are not submitted yet; wait for them or remove them.")
            % {"count": open_sheets},
            code=PilotCode.SCORING_INCOMPLETE,
        )
    short = sum(1 for _sheets, submitted in counts if submitted < MIN_REVIEWERS)
    if short:
        return conflict(
            _("%(count)d units have fewer than %(min)d submitted score sheets.")
            % {"count": short, "min": MIN_REVIEWERS},
            code=PilotCode.TOO_FEW_REVIEWERS,
        )
    return None


def round_evaluation_request(*, round: EvaluationRound, actor) -> str:
    """Check the round can be evaluated, then queue the evaluation after commit; returns the
    task id to follow it by."""
    from ..tasks import evaluate_round

    with transaction.atomic():
        round = lock_round(round)
        problem = evaluation_problems(round)
        if problem is not None:
            raise problem
        task_id = str(uuid.uuid4())
        audit_record(
            actor=actor, action="pilot_round.evaluation_requested", target=round, to_state=task_id
        )
        transaction.on_commit(lambda: evaluate_round.apply_async(args=[round.pk], task_id=task_id))
    return task_id


def _rubric(round: EvaluationRound) -> Rubric:
    weights = {d.code: d.weight for d in round.dimensions.all()}
    items = RubricItem.objects.filter(round=round).values_list("pk", "dimension__code", "max_score")
    return Rubric.from_items(weights, items)


def _submitted_scores(round: EvaluationRound):
    return ItemScore.objects.filter(
        assignment__application__round=round,
        assignment__application__status=Application.Status.SUBMITTED,
        assignment__submitted_at__isnull=False,
    )


def _cents(expression):
    # Scores have two decimal places, so hundredths are exact integers; Python then adds ints.
    return Cast(expression * 100, BigIntegerField())


def _unit_scores(round: EvaluationRound, rubric: Rubric) -> dict[int, UnitScore]:
    units = {
        pk: UnitScore(application_id=pk, applied_at=applied_at)
        for pk, applied_at in _active_applications(round).values_list("pk", "submitted_at")
    }
    aggregates = (
        _submitted_scores(round)
        .values("assignment__application_id", "item_id")
        .annotate(
            n=Count("id"),
            total=_cents(Sum("score")),
            low=_cents(Min("score")),
            high=_cents(Max("score")),
        )
        .values_list("assignment__application_id", "item_id", "n", "total", "low", "high")
        .order_by()
    )
    for application_id, item_id, n, total, low, high in aggregates:
        unit = units[application_id]
        unit.items[item_id] = aggregate_item(n, total, low, high)
        unit.reviewer_count = max(unit.reviewer_count, n)
    for unit in units.values():
        score_unit(unit, rubric)
    return units


def _sheet_sums(round: EvaluationRound):
    """{application id: {assignment id: {dimension code: that reviewer's sum in hundredths}}}."""
    sums: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        _submitted_scores(round)
        .values("assignment__application_id", "assignment_id", "item__dimension__code")
        .annotate(total=_cents(Sum("score")))
        .values_list(
            "assignment__application_id", "assignment_id", "item__dimension__code", "total"
        )
        .order_by()
    )
    for application_id, assignment_id, code, total in rows:
        sums[application_id][assignment_id][code] = total
    return sums


def _result_row(round, unit: UnitScore, now) -> UnitResult:
    return UnitResult(
        round=round,
        application_id=unit.application_id,
        reviewer_count=unit.reviewer_count,
        trimmed=unit.reviewer_count >= 5,
        score_infrastructure=unit.published_dimension("infrastructure"),
        score_staffing=unit.published_dimension("staffing"),
        score_activities=unit.published_dimension("activities"),
        score_management=unit.published_dimension("management"),
        total=unit.published_total,
        rank=unit.rank,
        recommended=unit.recommended,
        item_scores={str(k): str(v) for k, v in unit.published_items().items()},
        computed_at=now,
    )


def _reviewer_rows(result: UnitResult, sheets: dict, rubric: Rubric) -> list[ReviewerResult]:
    numerators = {a: rubric.sheet_numerator(sums) for a, sums in sheets.items()}
    rows = []
    for assignment_id, check in check_numerators(numerators, rubric.denominator).items():
        total, others_mean, deviation = check.published()
        rows.append(
            ReviewerResult(
                result=result,
                assignment_id=assignment_id,
                total=total,
                others_mean=others_mean,
                deviation=deviation,
                flagged=check.flagged,
            )
        )
    return rows


@transaction.atomic
def round_evaluate(*, round_id: int, actor=None) -> dict:
    """Compute and store the round's results: per-item means (trimmed from five reviewers),
    weighted totals, ranks with tie-breaks, recommendations and flagged reviewers."""
    round = EvaluationRound.objects.select_for_update().get(pk=round_id)
    problem = evaluation_problems(round)
    if problem is not None:
        raise problem
    rubric = _rubric(round)
    ranked = rank_units(_unit_scores(round, rubric).values(), round.places)
    sheets = _sheet_sums(round)
    now = timezone.now()
    delete_results(round)
    results = UnitResult.objects.bulk_create(
        [_result_row(round, unit, now) for unit in ranked], batch_size=1000
    )
    reviewer_rows = [
        row
        for result in results
        for row in _reviewer_rows(result, sheets[result.application_id], rubric)
    ]
    ReviewerResult.objects.bulk_create(reviewer_rows, batch_size=2000)
    before = round.status
    round.status, round.evaluated_at = Status.EVALUATED, now
    round.save(update_fields=["status", "evaluated_at"])
    summary = {
        "round": round.pk,
        "units": len(results),
        "recommended": sum(1 for unit in ranked if unit.recommended),
        "flagged_reviewers": sum(1 for row in reviewer_rows if row.flagged),
    }
    audit_record(
        actor=actor,
        action="pilot_round.evaluate",
        target=round,
        from_state=before,
        to_state=round.status,
        changes=summary,
    )
    return summary
