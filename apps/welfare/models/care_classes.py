from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# School age as the issue defines it for union care classes.
SCHOOL_AGE_MIN = 6
SCHOOL_AGE_MAX = 12


class CareClass(models.Model):
    """A union care class (爱心托管班) for school-age children; capacity guarded in the database."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday care class")
        AFTER_SCHOOL = "after_school", _("after-school care class")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for enrolment")
        CLOSED = "closed", _("closed")

    class RecognisedBy(models.TextChoices):
        QIANAN = "qianan", _("Qian'an Federation of Trade Unions")
        TANGSHAN = "tangshan", _("Tangshan Federation of Trade Unions")

    name = models.CharField(_("name"), max_length=100)
    organiser_union = models.ForeignKey(
        "members.Union",
        verbose_name=_("organising union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_classes",
    )
    organiser_employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("organising employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_classes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    place = models.CharField(_("place"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    min_age = models.PositiveSmallIntegerField(_("youngest age (years)"), default=SCHOOL_AGE_MIN)
    max_age = models.PositiveSmallIntegerField(_("oldest age (years)"), default=SCHOOL_AGE_MAX)
    capacity = models.PositiveIntegerField(_("capacity"))
    enrolled = models.PositiveIntegerField(_("children enrolled"), default=0, editable=False)
    fee = models.DecimalField(
        _("fee (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    restricted_to_organiser = models.BooleanField(
        _("only for the organiser's members or staff"), default=False
    )
    recognised_by = models.CharField(
        _("recognised by"), max_length=20, choices=RecognisedBy.choices, blank=True
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["enrolled"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("union care class")
        verbose_name_plural = _("union care classes")
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser_union__isnull=True, organiser_employer__isnull=False)
                | Q(organiser_union__isnull=False, organiser_employer__isnull=True),
                name="care_class_one_organiser",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="care_class_capacity_set"),
            # The last line of defence against overbooking, behind the conditional update.
            models.CheckConstraint(
                condition=Q(enrolled__lte=F("capacity")), name="care_class_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(
                    min_age__gte=SCHOOL_AGE_MIN,
                    max_age__lte=SCHOOL_AGE_MAX,
                    min_age__lte=F("max_age"),
                ),
                name="care_class_school_age",
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="care_class_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(recognised_by="", recognised_on__isnull=True)
                | ~Q(recognised_by="") & Q(recognised_on__isnull=False),
                name="care_class_recognition_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organiser(self):
        return self.organiser_employer or self.organiser_union

    @property
    def places_left(self) -> int:
        return self.capacity - self.enrolled


class CareClassSession(models.Model):
    care_class = models.ForeignKey(
        CareClass, verbose_name=_("care class"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place (if not the class's)"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("care class session")
        verbose_name_plural = _("care class sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="care_class_session_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["care_class", "date", "starts_at"], name="care_class_session_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_class} · {self.date} {self.starts_at:%H:%M}"


class CareClassEnrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        CANCELLED = "cancelled", _("cancelled")

    care_class = models.ForeignKey(
        CareClass,
        verbose_name=_("care class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    child = models.ForeignKey(
        "members.Child", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    guardian = models.ForeignKey(
        "members.Member", verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED
    )
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("care class enrolment")
        verbose_name_plural = _("care class enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["care_class", "child"],
                condition=Q(status="enrolled"),
                name="care_class_enrolment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.care_class} · #{self.pk}"


class CareClassAttendance(models.Model):
    session = models.ForeignKey(
        CareClassSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    enrolment = models.ForeignKey(
        CareClassEnrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("care class attendance")
        verbose_name_plural = _("care class attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="care_class_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · #{self.enrolment_id}"
