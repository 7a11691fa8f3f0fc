from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.centres.models import RegistrationStatus


class Employer(models.Model):
    """An employer (用人单位) of one of the design's kinds, tenant businesses included."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        PARK = "park", _("industrial or market park")
        SUBDISTRICT_OFFICE = "subdistrict_office", _("sub-district office")
        COMMUNITY = "community", _("community")
        TENANT_BUSINESS = "tenant_business", _("tenant business")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    union = models.ForeignKey(
        "members.Union",
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers",
        limit_choices_to={"kind": "grassroots"},
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class EmployerAdmin(models.Model):
    """Links an employer-admin account to its employer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="employer_admin",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="admins"
    )

    class Meta:
        verbose_name = _("employer admin")
        verbose_name_plural = _("employer admins")

    def __str__(self) -> str:
        return f"{self.user} · {self.employer}"


class Employment(models.Model):
    """A member works at an employer; how it was verified decides what they may apply for."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        ACTIVE = "active", _("employed")
        REFUSED = "refused", _("not employed here")
        LEFT = "left", _("left")

    class VerifiedBy(models.TextChoices):
        ROSTER = "roster", _("roster match")
        EMPLOYER = "employer", _("employer admin")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="employments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    verified_by = models.CharField(
        _("verified by"), max_length=20, choices=VerifiedBy.choices, blank=True
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(fields=["member", "employer"], name="employment_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.employer}"
