import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .rounds import EvaluationRound, RubricItem


class Application(models.Model):
    """An employer's application to be selected as a pilot unit in one round."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DISQUALIFIED = "disqualified", _("disqualified")

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="pilot_applications",
    )
    statement = models.TextField(_("how the unit provides caring childcare"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Breaks the last tie in the ranking, so it is set once and never rewritten.
    submitted_at = models.DateTimeField(_("applied at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Figures from the portal's own data, taken when scoring opens so every reviewer sees the same.
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["indicators"])

    class Meta:
        ordering = ["round_id", "submitted_at", "id"]
        verbose_name = _("pilot application")
        verbose_name_plural = _("pilot applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "employer"],
                condition=~Q(status="withdrawn"),
                name="pilot_application_one_per_employer_and_round",
                violation_error_message=_("This employer has already applied in this round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.round}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # The name the uploader chose is kept only as data; the stored name reveals nothing.
    extension = Evidence.EXTENSIONS.get(instance.content_type, "bin")
    return f"pilots/evidence/{instance.application.round_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A file a unit attaches to one rubric item: an image or a PDF, checked by its content."""

    class ContentType(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    EXTENSIONS = {ContentType.JPEG: "jpg", ContentType.PNG: "png", ContentType.PDF: "pdf"}

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    item = models.ForeignKey(
        RubricItem, verbose_name=_("rubric item"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application_id", "item_id", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class ReviewerAssignment(models.Model):
    """A reviewer assigned to score one application; submitted sheets are locked."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="pilot_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="pilot_assignment_once_per_reviewer",
                violation_error_message=_("This reviewer is already assigned to this unit."),
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ItemScore(models.Model):
    """One reviewer's score for one rubric item of one application."""

    assignment = models.ForeignKey(
        ReviewerAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    item = models.ForeignKey(
        RubricItem, verbose_name=_("rubric item"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assignment_id", "item_id"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "item"], name="pilot_score_once_per_item"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="pilot_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"
