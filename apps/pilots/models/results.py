from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .applications import Application, ReviewerAssignment
from .rounds import EvaluationRound, Level


class UnitResult(models.Model):
    """A unit's evaluated score and rank in a round; rewritten whole by each evaluation."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the higher level's decision")
        APPROVED = "approved", _("approved")
        NOT_APPROVED = "not_approved", _("not approved")

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results"
    )
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="result"
    )
    reviewer_count = models.PositiveSmallIntegerField(_("reviewers"))
    trimmed = models.BooleanField(_("highest and lowest dropped"), default=False)
    score_infrastructure = models.DecimalField(_("infrastructure"), max_digits=5, decimal_places=2)
    score_staffing = models.DecimalField(_("staffing"), max_digits=5, decimal_places=2)
    score_activities = models.DecimalField(_("activities"), max_digits=5, decimal_places=2)
    score_management = models.DecimalField(
        _("childcare management"), max_digits=5, decimal_places=2
    )
    total = models.DecimalField(_("total (out of 100)"), max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    recommended = models.BooleanField(_("recommended"), default=False)
    # {item id: aggregated score, rounded to 2 places}, for the unit's and staff's detail views.
    item_scores = models.JSONField(_("item scores"), default=dict)
    decision = models.CharField(
        _("higher level's decision"), max_length=20, choices=Decision.choices, blank=True
    )
    decision_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("document or note"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["round_id", "rank"]
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [
            models.UniqueConstraint(fields=["round", "rank"], name="pilot_result_rank_unique"),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=100), name="pilot_result_total_range"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["approved", "not_approved"], decision_on__isnull=False)
                | (~Q(decision__in=["approved", "not_approved"]) & Q(decision_on__isnull=True)),
                name="pilot_result_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.application.employer} ({self.total})"

    @property
    def is_awarded(self) -> bool:
        """Published and recommended; a nomination counts once the higher level approves it."""
        if not self.recommended or self.round.status != EvaluationRound.Status.PUBLISHED:
            return False
        return self.round.level == Level.QIANAN or self.decision == self.Decision.APPROVED


class ReviewerResult(models.Model):
    """One reviewer's own total for a unit, against the mean of the other reviewers' totals."""

    result = models.ForeignKey(
        UnitResult,
        verbose_name=_("unit result"),
        on_delete=models.CASCADE,
        related_name="reviewer_results",
    )
    assignment = models.OneToOneField(
        ReviewerAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="review_result",
    )
    total = models.DecimalField(_("reviewer's total"), max_digits=5, decimal_places=2)
    others_mean = models.DecimalField(
        _("mean of the other reviewers"), max_digits=5, decimal_places=2
    )
    deviation = models.DecimalField(_("difference"), max_digits=6, decimal_places=2)
    flagged = models.BooleanField(_("flagged (differs by more than 15)"), default=False)

    class Meta:
        ordering = ["result_id", "assignment_id"]
        verbose_name = _("reviewer result")
        verbose_name_plural = _("reviewer results")

    def __str__(self) -> str:
        return f"{self.assignment} = {self.total}"


class Objection(models.Model):
    """An objection lodged during publicity, by a named person; resolved by union staff."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("unit objected to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    full_name = models.CharField(_("real name"), max_length=50)
    # Shown to union staff only, never on a public page, in an audit record or in a log line.
    contact = models.CharField(_("contact"), max_length=100)
    reason = models.TextField(_("reason"))
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["contact"])

    class Meta:
        ordering = ["-lodged_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="resolved", resolved_at__isnull=False)
                    & ~Q(outcome="")
                    & ~Q(resolution="")
                )
                | Q(status="open", outcome="", resolved_at__isnull=True),
                name="pilot_objection_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.full_name}"
