from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.centres.models import AgeClass


class Application(models.Model):
    """A parent's application for a discounted place for one child in one programme."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        EMPLOYMENT_CONFIRMED = "employment_confirmed", _("employment confirmed")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("place offered")
        ENROLLED = "enrolled", _("enrolled")
        DECLINED = "declined", _("offer declined")
        EXPIRED = "expired", _("offer expired")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REJECTED = "rejected", _("rejected")
        ENDED = "ended", _("ended")

    OPEN_STATES = (
        State.SUBMITTED,
        State.EMPLOYMENT_CONFIRMED,
        State.WAITING,
        State.OFFERED,
        State.ENROLLED,
    )
    # States in which the application holds a place in a class (and an agreement, if any).
    HOLDING_STATES = (State.OFFERED, State.ENROLLED)

    child = models.ForeignKey(
        "members.Child",
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        "members.Member",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer confirming employment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    programme = models.ForeignKey(
        "employers.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    age_class = models.CharField(_("age class"), max_length=20, choices=AgeClass.choices)
    start_month = models.DateField(_("start month"))
    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.SUBMITTED
    )
    # Lower is earlier in line: the index of the first priority group that applies, else 99.
    priority_rank = models.PositiveSmallIntegerField(_("priority rank"), default=99)
    priority_groups = models.JSONField(_("priority groups that apply"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)
    # The place an offer or enrolment holds; set exactly while the state is offered or enrolled.
    centre_class = models.ForeignKey(
        "centres.CentreClass",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    place_agreement = models.ForeignKey(
        "employers.PlaceAgreement",
        verbose_name=_("place agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The quote shown when the parent applied, for the record (the enrolment keeps its own).
    quote = models.JSONField(_("quote when applying"), default=dict, blank=True)
    employment_left_flag = models.BooleanField(_("applicant has left the employer"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_rank", "submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["programme", "centre", "age_class", "state"]),
            models.Index(fields=["state", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "programme"],
                condition=Q(
                    state__in=[
                        "submitted",
                        "employment_confirmed",
                        "waiting",
                        "offered",
                        "enrolled",
                    ]
                ),
                name="application_one_open_per_child_and_programme",
                violation_error_message=_(
                    "This child already has an open application for this programme."
                ),
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(state="enrolled"),
                name="application_one_enrolment_per_child",
                violation_error_message=_("This child is already enrolled."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["offered", "enrolled"], centre_class__isnull=False)
                | (~Q(state__in=["offered", "enrolled"]) & Q(centre_class__isnull=True)),
                name="application_holds_a_place_exactly_when_offered_or_enrolled",
            ),
            models.CheckConstraint(
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
                name="application_offer_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} · {self.programme}"


class Enrolment(models.Model):
    """A child's place at a centre, with the price as it was when it began (never rewritten)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("enrolled")
        ENDED = "ended", _("ended")

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="enrolment",
    )
    child = models.ForeignKey(
        "members.Child",
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    programme = models.ForeignKey(
        "employers.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    centre_class = models.ForeignKey(
        "centres.CentreClass",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    place_agreement = models.ForeignKey(
        "employers.PlaceAgreement",
        verbose_name=_("place agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Price snapshot (yuan): the quote when the enrolment began.
    market_price = models.DecimalField(_("market price"), max_digits=12, decimal_places=2)
    parent_share_percent = models.DecimalField(
        _("parent share (%)"), max_digits=5, decimal_places=2
    )
    parent_fee = models.DecimalField(_("fee the parent pays"), max_digits=12, decimal_places=2)
    employer_part = models.DecimalField(_("employer's part"), max_digits=12, decimal_places=2)
    subsidy_amount = models.DecimalField(_("monthly subsidy"), max_digits=12, decimal_places=2)
    subsidy_basis = models.CharField(_("subsidy paid"), max_length=20)
    subsidy_funder = models.CharField(_("subsidy funded by"), max_length=20)
    payment_mode = models.CharField(_("employer pays"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["status", "start_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="active"),
                name="enrolment_one_active_per_child",
                violation_error_message=_("This child is already enrolled."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrolment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="active", end_date__isnull=True)
                | Q(status="ended", end_date__isnull=False),
                name="enrolment_end_date_exactly_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} · {self.centre_class}"


class Attendance(models.Model):
    """Days open and days attended for one enrolment in one month, as the centre reports them."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendance"
    )
    month = models.DateField(_("month"))
    days_open = models.PositiveSmallIntegerField(_("days open"))
    days_attended = models.PositiveSmallIntegerField(_("days attended"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    # Set when a payout run has used this month: from then on it cannot be corrected. An id, not a
    # foreign key, because subsidies sits to the right of admissions in the import order.
    used_by_payout_run_id = models.BigIntegerField(_("used by payout run"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "enrolment_id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "month"], name="attendance_one_per_month"),
            models.CheckConstraint(
                condition=Q(days_open__lte=31, days_attended__lte=F("days_open")),
                name="attendance_days_within_month",
                violation_error_message=_("Days attended cannot exceed days open, nor 31."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="attendance_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.month:%Y-%m}"
