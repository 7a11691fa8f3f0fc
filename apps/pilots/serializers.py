"""Input and output shapes of the pilots API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import Role

from .models import (
    Application,
    Dimension,
    EvaluationRound,
    Evidence,
    ItemScore,
    Level,
    Objection,
    ReviewerAssignment,
    RubricDimension,
    RubricItem,
    UnitResult,
)
from .services.common import REASON_MAX_LENGTH


@extend_schema_field(OpenApiTypes.STR)
class TextChoiceField(serializers.ChoiceField):
    """A choice field shown as a string in the schema: other apps have their own `status`,
    `level` and `outcome` enums, and the schema's enum components would collide by name."""


def choice(choices, **kwargs) -> serializers.ChoiceField:
    values = ", ".join(str(value) for value, _label in choices)
    return TextChoiceField(choices=choices, help_text=f"One of: {values}.", **kwargs)


# Rounds and rubric


class PilotRubricItemOutput(serializers.ModelSerializer):
    class Meta:
        model = RubricItem
        fields = ["id", "title", "guidance", "max_score", "position"]


class PilotRubricDimensionOutput(serializers.ModelSerializer):
    code = choice(Dimension.choices, read_only=True)
    label = serializers.CharField(source="get_code_display", read_only=True)
    items = PilotRubricItemOutput(many=True, read_only=True)

    class Meta:
        model = RubricDimension
        fields = ["id", "code", "label", "weight", "position", "items"]


class PilotRoundOutput(serializers.ModelSerializer):
    level = choice(Level.choices, read_only=True)
    status = choice(EvaluationRound.Status.choices, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rubric_frozen = serializers.BooleanField(read_only=True)

    class Meta:
        model = EvaluationRound
        fields = ["id", "year", "level", "level_label", "title", "display_title", "places"]
        fields += ["applications_open_on", "applications_close_on", "scoring_opens_on"]
        fields += ["scoring_closes_on", "status", "status_label", "rubric_frozen"]
        fields += ["rubric_frozen_at", "evaluated_at", "publicity_start", "publicity_end"]
        fields += ["published_at"]


class PilotRoundDetailOutput(PilotRoundOutput):
    dimensions = PilotRubricDimensionOutput(many=True, read_only=True)

    class Meta(PilotRoundOutput.Meta):
        fields = [*PilotRoundOutput.Meta.fields, "dimensions"]


class PilotRubricOutput(serializers.Serializer):
    frozen = serializers.BooleanField(source="rubric_frozen")
    dimensions = PilotRubricDimensionOutput(many=True)


class PilotRoundCreateInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = choice(Level.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    places = serializers.IntegerField(min_value=1, max_value=1000)
    applications_open_on = serializers.DateField()
    applications_close_on = serializers.DateField()
    scoring_opens_on = serializers.DateField()
    scoring_closes_on = serializers.DateField()


class PilotRoundUpdateInput(PilotRoundCreateInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class PilotRubricItemInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    max_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)


class PilotRubricDimensionInput(serializers.Serializer):
    code = choice(Dimension.choices)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    items = PilotRubricItemInput(many=True)


class PilotRubricInput(serializers.Serializer):
    dimensions = PilotRubricDimensionInput(many=True)


class PilotPublicityInput(serializers.Serializer):
    start = serializers.DateField(required=False, help_text=_("Defaults to today."))


# Applications and evidence


class PilotResultOutput(serializers.ModelSerializer):
    decision = choice(UnitResult.Decision.choices, read_only=True, allow_blank=True)
    employer_name = serializers.CharField(source="application.employer.name", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    awarded = serializers.BooleanField(source="is_awarded", read_only=True)
    certificate_url = serializers.SerializerMethodField()

    class Meta:
        model = UnitResult
        fields = ["id", "round", "application", "employer_name", "rank", "total"]
        fields += ["score_infrastructure", "score_staffing", "score_activities"]
        fields += ["score_management", "reviewer_count", "trimmed", "recommended"]
        fields += ["item_scores", "decision", "decision_label", "decision_on", "decision_note"]
        fields += ["awarded", "certificate_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_certificate_url(self, result) -> str | None:
        if not result.is_awarded:
            return None
        return reverse("pilots:certificate", args=[result.pk])


class PilotReviewOutput(serializers.Serializer):
    """A reviewer's sheet as the unit sees it after publication, or staff see it at any time."""

    reviewer_name = serializers.CharField(source="reviewer.display_name")
    submitted_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    total = serializers.DecimalField(
        source="review_result.total", max_digits=5, decimal_places=2, allow_null=True, default=None
    )


class PilotStaffReviewOutput(PilotReviewOutput):
    id = serializers.IntegerField()
    reviewer = serializers.IntegerField(source="reviewer_id")
    flagged = serializers.BooleanField(source="review_result.flagged", default=False)
    deviation = serializers.DecimalField(
        source="review_result.deviation",
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        default=None,
    )


def _published(application) -> bool:
    return application.round.status == EvaluationRound.Status.PUBLISHED


class PilotApplicationOutput(serializers.ModelSerializer):
    """`result` and `reviews` are filled for union staff, and for the unit itself only once the
    round is published; a reviewer never sees other reviewers."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    status = choice(Application.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    result = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "round", "employer", "employer_name", "statement", "status"]
        fields += ["status_label", "status_reason", "submitted_at", "indicators", "result"]
        fields += ["reviews"]

    def _role(self) -> str | None:
        user = self.context.get("user")
        return getattr(user, "role", None)

    def _may_see_outcome(self, application) -> bool:
        role = self._role()
        return role == Role.UNION_STAFF or (role == Role.EMPLOYER_ADMIN and _published(application))

    @extend_schema_field(PilotResultOutput(allow_null=True))
    def get_result(self, application):
        result = (
            getattr(application, "result", None) if self._may_see_outcome(application) else None
        )
        return PilotResultOutput(result).data if result is not None else None

    @extend_schema_field(PilotStaffReviewOutput(many=True))
    def get_reviews(self, application):
        if not self._may_see_outcome(application) or "assignments" not in getattr(
            application, "_prefetched_objects_cache", {}
        ):
            return []
        output = PilotStaffReviewOutput if self._role() == Role.UNION_STAFF else PilotReviewOutput
        sheets = [
            a
            for a in application.assignments.all()
            if a.is_submitted or output is PilotStaffReviewOutput
        ]
        return output(sheets, many=True).data


class PilotApplicationInput(serializers.Serializer):
    statement = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class PilotReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True)


class PilotRequiredReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class PilotEvidenceOutput(serializers.ModelSerializer):
    content_type = choice(Evidence.ContentType.choices, read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "application", "item", "item_title", "original_name", "content_type"]
        fields += ["size", "sha256", "description", "uploaded_at", "file_url"]

    def get_file_url(self, evidence) -> str:
        return reverse("api-pilot-evidence-file", args=[evidence.pk])


class PilotEvidenceInput(serializers.Serializer):
    item = serializers.IntegerField()
    file = serializers.FileField(max_length=200, allow_empty_file=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


# Reviewers


class PilotItemScoreOutput(serializers.ModelSerializer):
    class Meta:
        model = ItemScore
        fields = ["item", "score", "comment", "updated_at"]


class PilotAssignmentOutput(serializers.ModelSerializer):
    round = serializers.IntegerField(source="application.round_id", read_only=True)
    round_title = serializers.CharField(source="application.round.display_title", read_only=True)
    employer_name = serializers.CharField(source="application.employer.name", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    scores = PilotItemScoreOutput(many=True, read_only=True)

    class Meta:
        model = ReviewerAssignment
        fields = ["id", "round", "round_title", "application", "employer_name", "reviewer"]
        fields += ["reviewer_name", "assigned_at", "submitted_at", "comment", "scores"]


class PilotAssignmentInput(serializers.Serializer):
    reviewer = serializers.IntegerField()


class PilotItemScoreInput(serializers.Serializer):
    item = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PilotScoresInput(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    scores = PilotItemScoreInput(many=True, allow_empty=False)


# Publicity and results


class PilotObjectionOutput(serializers.ModelSerializer):
    employer_name = serializers.CharField(
        source="application.employer.name", read_only=True, default=None
    )
    status = choice(Objection.Status.choices, read_only=True)
    outcome = choice(Objection.Outcome.choices, read_only=True, allow_blank=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    resolved_by_name = serializers.CharField(
        source="resolved_by.display_name", read_only=True, default=None
    )

    class Meta:
        model = Objection
        fields = ["id", "round", "application", "employer_name", "full_name", "contact"]
        fields += ["reason", "lodged_at", "status", "status_label", "outcome", "resolution"]
        fields += ["resolved_by_name", "resolved_at"]


class PilotObjectionResolveInput(serializers.Serializer):
    outcome = choice(Objection.Outcome.choices)
    resolution = serializers.CharField(max_length=2000)


class PilotDecisionInput(serializers.Serializer):
    decision = choice(
        [
            (UnitResult.Decision.APPROVED, UnitResult.Decision.APPROVED.label),
            (UnitResult.Decision.NOT_APPROVED, UnitResult.Decision.NOT_APPROVED.label),
        ]
    )
    decided_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
