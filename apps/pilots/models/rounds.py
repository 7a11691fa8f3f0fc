from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    """What a round selects for: Qian'an's own title, or nomination to a higher level."""

    QIANAN = "qianan", _("Qian'an city level")
    TANGSHAN = "tangshan", _("nomination to Tangshan city level")
    HEBEI = "hebei", _("nomination to Hebei province level")


NOMINATION_LEVELS = (Level.TANGSHAN, Level.HEBEI)


class Dimension(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    STAFFING = "staffing", _("Staffing")
    ACTIVITIES = "activities", _("Activities")
    MANAGEMENT = "management", _("Childcare management")


# The order dimensions are shown in, and the order they break a tie in total score.
DISPLAY_ORDER = (
    Dimension.INFRASTRUCTURE,
    Dimension.STAFFING,
    Dimension.ACTIVITIES,
    Dimension.MANAGEMENT,
)
TIE_BREAK_ORDER = (
    Dimension.MANAGEMENT,
    Dimension.STAFFING,
    Dimension.INFRASTRUCTURE,
    Dimension.ACTIVITIES,
)


class EvaluationRound(models.Model):
    """One year's selection of pilot units (试点选树) for one level."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for applications")
        SCORING = "scoring", _("scoring")
        EVALUATED = "evaluated", _("evaluated")
        PUBLICITY = "publicity", _("in publicity")
        PUBLISHED = "published", _("published")

    # Until scoring opens the rubric may change; from then on it is frozen.
    RUBRIC_EDITABLE = (Status.DRAFT, Status.OPEN)

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(
        _("places to award"), validators=[MinValueValidator(1)]
    )
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    scoring_opens_on = models.DateField(_("scoring opens on"))
    scoring_closes_on = models.DateField(_("scoring closes on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    rubric_frozen_at = models.DateTimeField(_("rubric frozen at"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level"],
                name="pilot_round_one_per_year_and_level",
                violation_error_message=_("There is already a round for this year and level."),
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="pilot_round_places_positive"),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=F("applications_open_on"))
                & Q(scoring_opens_on__gte=F("applications_close_on"))
                & Q(scoring_closes_on__gte=F("scoring_opens_on")),
                name="pilot_round_dates_in_order",
                violation_error_message=_(
                    "Dates must follow each other: applications open, applications close, "
                    "scoring opens, scoring closes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open"]) | Q(rubric_frozen_at__isnull=False),
                name="pilot_round_rubric_frozen_once_scoring",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["publicity", "published"])
                | Q(publicity_start__isnull=False, publicity_end__isnull=False),
                name="pilot_round_publicity_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(publicity_end__isnull=True) | Q(publicity_end__gt=F("publicity_start")),
                name="pilot_round_publicity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | (~Q(status="published") & Q(published_at__isnull=True)),
                name="pilot_round_published_at_exactly_when_published",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"{self.year} · {self.get_level_display()}"

    @property
    def rubric_frozen(self) -> bool:
        return self.rubric_frozen_at is not None

    @property
    def is_nomination(self) -> bool:
        return self.level in NOMINATION_LEVELS


class RubricDimension(models.Model):
    """One of the four dimensions of a round's rubric, with its weight out of 100."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    code = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round_id", "position", "id"]
        verbose_name = _("rubric dimension")
        verbose_name_plural = _("rubric dimensions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"], name="pilot_dimension_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="pilot_dimension_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.weight})"


class RubricItem(models.Model):
    """An item reviewers score from 0 to its maximum."""

    # Repeats the dimension's round so the admin can edit items inline on the round's page and
    # the frozen-rubric guard needs no join; the services keep the two in step.
    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="items"
    )
    dimension = models.ForeignKey(
        RubricDimension,
        verbose_name=_("dimension"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("what reviewers look for"), blank=True)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round_id", "position", "id"]
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="pilot_item_max_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (≤ {self.max_score})"


class PublicHoliday(models.Model):
    """A public holiday (State Council schedule), skipped when counting publicity working days.

    Union staff add the coming year's dates when the State Council publishes them (November).
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("holiday"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
