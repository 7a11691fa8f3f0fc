"""Reviewer assignments and score sheets: who may score whom, and locking a submitted sheet."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.core.services import audit_record, notice_send
from apps.employers.models import EmployerAdmin, Employment

from ..errors import PilotCode, PilotError, conflict
from ..models import Application, EvaluationRound, ItemScore, ReviewerAssignment, RubricItem
from .common import lock_round, require_status

Status = EvaluationRound.Status
MIN_REVIEWERS = 3
COMMENT_MAX_LENGTH = 2000


def reviewer_has_conflict(*, reviewer, employer) -> bool:
    """A reviewer linked to the unit: one of its admins, or a member who works or worked there."""
    return (
        EmployerAdmin.objects.filter(user=reviewer, employer=employer).exists()
        or Employment.objects.filter(member__user=reviewer, employer=employer)
        .exclude(status=Employment.Status.REFUSED)
        .exists()
    )


def assignment_check(*, application: Application, reviewer) -> None:
    """Refuse an assignment that cannot be made: wrong state, not a reviewer, the unit's own
    people (conflict of interest), or already assigned."""
    require_status(application.round, Status.OPEN, Status.SCORING)
    if application.status != Application.Status.SUBMITTED:
        raise conflict(_("This application is no longer active."), code="invalid_state")
    if reviewer is None or reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise PilotError.for_field(
            "reviewer", _("Choose an active reviewer account."), code=PilotCode.NOT_A_REVIEWER
        )
    if reviewer_has_conflict(reviewer=reviewer, employer=application.employer):
        raise PilotError.for_field(
            "reviewer",
            _("%(name)s is linked to %(unit)s and cannot review it.")
            % {"name": reviewer.display_name, "unit": application.employer.name},
            code=PilotCode.CONFLICT_OF_INTEREST,
        )
    if ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise conflict(
            _("This reviewer is already assigned to this unit."),
            code=PilotCode.INVALID_STATE,
            field="reviewer",
        )


@transaction.atomic
def assignment_create(*, application: Application, reviewer, actor) -> ReviewerAssignment:
    """Assign a reviewer to a unit; never one linked to the unit itself."""
    lock_round(application.round)
    application = Application.objects.select_related("round", "employer").get(pk=application.pk)
    assignment_check(application=application, reviewer=reviewer)
    try:
        with transaction.atomic():
            assignment = ReviewerAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_by=actor
            )
    except IntegrityError:
        raise conflict(
            _("This reviewer is already assigned to this unit."),
            code=PilotCode.INVALID_STATE,
            field="reviewer",
        ) from None
    audit_record(actor=actor, action="pilot_assignment.create", target=assignment)
    notice_send(
        recipient=reviewer,
        title=gettext_lazy("A unit has been assigned to you for pilot scoring"),
        link=f"/reviewer/assignments/{assignment.pk}/",
    )
    return assignment


def _locked_assignment(assignment: ReviewerAssignment):
    round = lock_round(assignment.application.round)
    locked = ReviewerAssignment.objects.select_for_update().get(pk=assignment.pk)
    return round, locked


@transaction.atomic
def assignment_remove(*, assignment: ReviewerAssignment, actor) -> None:
    round, assignment = _locked_assignment(assignment)
    require_status(round, Status.OPEN, Status.SCORING)
    if assignment.is_submitted:
        raise conflict(_("A submitted score sheet cannot be removed."), code="sheet_submitted")
    audit_record(actor=actor, action="pilot_assignment.remove", target=assignment)
    assignment.delete()


def _check_sheet(round, assignment: ReviewerAssignment, actor) -> None:
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise PilotError(_("Only the assigned reviewer may score."), status_code=403)
    if assignment.is_submitted:
        raise conflict(
            _("This score sheet was submitted and is locked."), code=PilotCode.SHEET_SUBMITTED
        )
    require_status(round, Status.SCORING)


def _score(item: RubricItem, value) -> Decimal:
    field = f"scores.{item.pk}"
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PilotError.for_field(field, _("Enter a number.")) from None
    if not score.is_finite() or score.as_tuple().exponent < -2:
        raise PilotError.for_field(field, _("Use at most two decimal places."))
    if not Decimal(0) <= score <= item.max_score:
        raise PilotError.for_field(
            field,
            _("Score “%(title)s” from 0 to %(max)s.")
            % {"title": item.title, "max": format(item.max_score.normalize(), "f")},
        )
    return score


@transaction.atomic
def scores_save(
    *, assignment: ReviewerAssignment, actor, scores: list[dict], comment: str | None = None
) -> ReviewerAssignment:
    """Save (part of) a reviewer's sheet: [{"item": id, "score": n, "comment": ""}]."""
    round, assignment = _locked_assignment(assignment)
    _check_sheet(round, assignment, actor)
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        raise PilotError.for_field("comment", _("The comment is too long."))
    items = {item.pk: item for item in RubricItem.objects.filter(round=round)}
    rows = []
    for entry in scores:
        item = items.get(_item_id(entry.get("item")))
        if item is None:
            raise PilotError.for_field("scores", _("Score only the items of this round's rubric."))
        text = (entry.get("comment") or "").strip()
        if len(text) > COMMENT_MAX_LENGTH:
            raise PilotError.for_field(f"scores.{item.pk}", _("The comment is too long."))
        rows.append(
            ItemScore(
                assignment=assignment,
                item=item,
                score=_score(item, entry.get("score")),
                comment=text,
            )
        )
    ItemScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["assignment", "item"],
        update_fields=["score", "comment", "updated_at"],
    )
    if comment is not None:
        assignment.comment = comment.strip()
        assignment.save(update_fields=["comment"])
    audit_record(
        actor=actor,
        action="pilot_scores.save",
        target=assignment,
        changes={str(row.item_id): str(row.score) for row in rows},
    )
    return assignment


def _item_id(value) -> int | None:
    if isinstance(value, RubricItem):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def assignment_submit(*, assignment: ReviewerAssignment, actor) -> ReviewerAssignment:
    """Submit a complete sheet; from then on neither its scores nor its comment change."""
    round, assignment = _locked_assignment(assignment)
    _check_sheet(round, assignment, actor)
    scored = set(assignment.scores.values_list("item_id", flat=True))
    missing = [i.title for i in RubricItem.objects.filter(round=round) if i.pk not in scored]
    if missing:
        raise PilotError.for_field(
            "scores",
            _("Score every item before submitting; still to score: %(items)s.")
            % {"items": "、".join(missing)},
            code=PilotCode.SHEET_INCOMPLETE,
        )
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    audit_record(
        actor=actor, action="pilot_assignment.submit", target=assignment, to_state="submitted"
    )
    return assignment
