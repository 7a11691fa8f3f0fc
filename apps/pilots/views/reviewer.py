"""Reviewer pages: my assignments, a score sheet per unit, submitting it (then read-only)."""

from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.accounts.models import Role

from .. import selectors, services
from ..errors import PilotError
from ..forms import ScoreSheetForm, add_domain_error
from ..models import EvaluationRound
from ..scoring import Rubric, round_ratio, to_cents
from .indicators import indicator_rows


def reviewer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.REVIEWER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reviewer_required
def home(request):
    assignments = selectors.assignment_list(user=request.user).order_by(
        "-application__round__year", "application__employer__name", "id"
    )
    groups = {"to_score": [], "waiting": [], "submitted": []}
    for assignment in assignments:
        if assignment.is_submitted:
            groups["submitted"].append(assignment)
        elif assignment.application.round.status == EvaluationRound.Status.SCORING:
            groups["to_score"].append(assignment)
        else:
            groups["waiting"].append(assignment)
    return render(request, "pilots/reviewer_home.html", {"groups": groups})


def _sheet(request, pk: int):
    assignment = get_object_or_404(selectors.assignment_list(user=request.user), pk=pk)
    round = selectors.with_rubric(
        EvaluationRound.objects.filter(pk=assignment.application.round_id)
    ).get()
    return assignment, round


def _context(assignment, round, form) -> dict:
    evidence = defaultdict(list)
    for file in assignment.application.evidence.order_by("uploaded_at", "id"):
        evidence[file.item_id].append(file)
    scores = {score.item_id: score for score in assignment.scores.all()}
    dimensions = [
        {
            "dimension": dimension,
            "items": [
                {
                    "item": item,
                    "score": scores.get(item.pk),
                    "evidence": evidence.get(item.pk, []),
                    "field": form[f"score_{item.pk}"] if form else None,
                    "comment_field": form[f"comment_{item.pk}"] if form else None,
                }
                for item in dimension.items.all()
            ],
        }
        for dimension in round.dimensions.all()
    ]
    editable = form is not None
    return {
        "assignment": assignment,
        "round": round,
        "application": assignment.application,
        "dimensions": dimensions,
        "form": form,
        "editable": editable,
        "indicators": indicator_rows(assignment.application.indicators),
        "own_total": _own_total(round, scores) if len(scores) else None,
    }


def _own_total(round, scores: dict):
    items = [item for dimension in round.dimensions.all() for item in dimension.items.all()]
    rubric = Rubric.from_items(
        {d.code: d.weight for d in round.dimensions.all()},
        [(item.pk, item.dimension.code, item.max_score) for item in items],
    )
    sums = defaultdict(int)
    for score in scores.values():
        sums[rubric.item_dimension[score.item_id]] += to_cents(score.score)
    return round_ratio(rubric.sheet_numerator(sums), rubric.denominator)


def _can_edit(assignment, round) -> bool:
    return not assignment.is_submitted and round.status == EvaluationRound.Status.SCORING


@reviewer_required
def assignment(request, pk: int):
    assignment, round = _sheet(request, pk)
    if not _can_edit(assignment, round):
        return render(request, "pilots/reviewer_sheet.html", _context(assignment, round, None))
    items = [item for dimension in round.dimensions.all() for item in dimension.items.all()]
    scores = {score.item_id: score for score in assignment.scores.all()}
    form = ScoreSheetForm(
        request.POST or None, items=items, scores=scores, assignment_comment=assignment.comment
    )
    if request.method == "POST" and form.is_valid():
        entries = form.score_entries()
        try:
            services.scores_save(
                assignment=assignment,
                actor=request.user,
                scores=entries,
                comment=form.cleaned_data["comment"],
            )
        except PilotError as error:
            add_domain_error(form, error)
        else:
            if "submit" in request.POST:
                return redirect("pilots:reviewer-submit", pk=assignment.pk)
            messages.success(request, _("Scores saved. You can change them until you submit."))
            return redirect("pilots:reviewer-assignment", pk=assignment.pk)
    return render(request, "pilots/reviewer_sheet.html", _context(assignment, round, form))


@reviewer_required
def submit(request, pk: int):
    """Confirm, then lock the sheet."""
    assignment, round = _sheet(request, pk)
    if not _can_edit(assignment, round):
        return redirect("pilots:reviewer-assignment", pk=assignment.pk)
    context = _context(assignment, round, None)
    if request.method == "POST":
        try:
            services.assignment_submit(assignment=assignment, actor=request.user)
        except PilotError as error:
            context["error"] = error.message
        else:
            messages.success(request, _("Your scores are submitted and can no longer change."))
            return redirect("pilots:reviewer-home")
    return render(request, "pilots/reviewer_submit.html", context)
