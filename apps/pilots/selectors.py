"""Reads of the pilot-unit selection, scoped to the asking user, with related rows loaded.

Union staff see everything. An employer admin sees their own unit's applications and evidence,
and results once published. A reviewer sees only the units assigned to them. Reviewers' names
and scores reach a unit only after publication (see the serializers); the public pages use the
`public_*` selectors, which never carry them before publication.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from apps.accounts.models import Role

from .models import (
    Application,
    EvaluationRound,
    Evidence,
    ItemScore,
    Objection,
    ReviewerAssignment,
    RubricDimension,
    RubricItem,
    UnitResult,
)

Status = EvaluationRound.Status


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def _assigned_to(user, application_ref: str = "pk"):
    return Exists(
        ReviewerAssignment.objects.filter(application=OuterRef(application_ref), reviewer=user)
    )


def with_rubric(rounds: QuerySet[EvaluationRound]) -> QuerySet[EvaluationRound]:
    items = RubricItem.objects.order_by("position", "id")
    dimensions = RubricDimension.objects.order_by("position", "id").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return rounds.prefetch_related(Prefetch("dimensions", queryset=dimensions))


def round_list(*, user) -> QuerySet[EvaluationRound]:
    """Union staff: every round; anyone else signed in: rounds past the draft stage."""
    role = _role(user)
    rounds = EvaluationRound.objects.all()
    if role == Role.UNION_STAFF:
        return rounds
    if role is not None:
        return rounds.exclude(status=Status.DRAFT)
    return rounds.none()


def application_list(*, user) -> QuerySet[Application]:
    applications = Application.objects.select_related("round", "employer")
    role = _role(user)
    if role == Role.UNION_STAFF:
        return applications
    if role == Role.EMPLOYER_ADMIN:
        return applications.filter(employer__admins__user=user)
    if role == Role.REVIEWER:
        return applications.filter(_assigned_to(user))
    return applications.none()


def application_detail_list(*, user) -> QuerySet[Application]:
    """Applications with their result, sheets and reviewers' results loaded for the detail."""
    sheets = ReviewerAssignment.objects.select_related("reviewer", "review_result").order_by("id")
    return (
        application_list(user=user)
        .select_related("result")
        .prefetch_related(Prefetch("assignments", queryset=sheets))
    )


def evidence_list(*, user) -> QuerySet[Evidence]:
    evidence = Evidence.objects.select_related(
        "application__round", "application__employer", "item"
    )
    role = _role(user)
    if role == Role.UNION_STAFF:
        return evidence
    if role == Role.EMPLOYER_ADMIN:
        return evidence.filter(application__employer__admins__user=user)
    if role == Role.REVIEWER:
        return evidence.filter(_assigned_to(user, "application_id"))
    return evidence.none()


def assignment_list(*, user) -> QuerySet[ReviewerAssignment]:
    assignments = ReviewerAssignment.objects.select_related(
        "application__round", "application__employer", "reviewer"
    ).prefetch_related(Prefetch("scores", queryset=ItemScore.objects.order_by("item_id")))
    role = _role(user)
    if role == Role.UNION_STAFF:
        return assignments
    if role == Role.REVIEWER:
        return assignments.filter(reviewer=user)
    return assignments.none()


def result_list(*, user) -> QuerySet[UnitResult]:
    """Union staff: every result; anyone else signed in: results of published rounds."""
    results = UnitResult.objects.select_related("round", "application__employer")
    role = _role(user)
    if role == Role.UNION_STAFF:
        return results
    if role is not None:
        return results.filter(round__status=Status.PUBLISHED)
    return results.none()


def results_round_list(*, user) -> QuerySet[EvaluationRound]:
    """Rounds whose results the user may read."""
    if _role(user) == Role.UNION_STAFF:
        return round_list(user=user)
    return round_list(user=user).filter(status=Status.PUBLISHED)


def objection_list(*, user) -> QuerySet[Objection]:
    if _role(user) != Role.UNION_STAFF:
        return Objection.objects.none()
    return Objection.objects.select_related("round", "application__employer", "resolved_by")


# Public pages: no sign-in, no reviewer names, no scores before publication, no contacts.


def public_publicity_rounds(*, today: date) -> QuerySet[EvaluationRound]:
    """Rounds whose publicity notice is showing, with the recommended units' employers."""
    recommended = (
        UnitResult.objects.filter(recommended=True)
        .select_related("application__employer")
        .order_by("application__employer__name", "id")
    )
    return (
        EvaluationRound.objects.filter(status=Status.PUBLICITY, publicity_start__lte=today)
        .order_by("-publicity_start", "id")
        .prefetch_related(Prefetch("results", queryset=recommended, to_attr="recommended"))
    )


def public_published_rounds(
    *, level: str | None = None, year: int | None = None
) -> QuerySet[EvaluationRound]:
    recommended = (
        UnitResult.objects.filter(recommended=True)
        .select_related("application__employer", "round")
        .order_by("rank")
    )
    rounds = EvaluationRound.objects.filter(status=Status.PUBLISHED)
    if level:
        rounds = rounds.filter(level=level)
    if year:
        rounds = rounds.filter(year=year)
    return rounds.order_by("-year", "level", "id").prefetch_related(
        Prefetch("results", queryset=recommended, to_attr="recommended")
    )


def public_published_years() -> list[int]:
    return list(
        EvaluationRound.objects.filter(status=Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def public_certificate(*, pk: int) -> UnitResult | None:
    """The result behind a certificate, if the unit has been awarded."""
    result = (
        UnitResult.objects.select_related("round", "application__employer")
        .filter(pk=pk, recommended=True, round__status=Status.PUBLISHED)
        .first()
    )
    return result if result is not None and result.is_awarded else None
