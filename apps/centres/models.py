from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.validators import validate_credit_code

from .ratios import MAX_CLASS_SIZE, AgeClass


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("pending approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    SUSPENDED = "suspended", _("suspended")


# China's bounding box; a point outside it is a typo or a swapped latitude and longitude.
CHINA_LATITUDE_RANGE = (3, 54)
CHINA_LONGITUDE_RANGE = (73, 136)


class Centre(models.Model):
    """A childcare centre or kindergarten (托育机构 / 幼儿园)."""

    class Filing(models.TextChoices):
        NOT_FILED = "not_filed", _("not filed")
        SUBMITTED = "submitted", _("filing submitted")
        FILED = "filed", _("filed with the health commission")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("A centre with this unified social credit code exists.")},
    )
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True)
    filing_status = models.CharField(
        _("filing status"), max_length=20, choices=Filing.choices, default=Filing.NOT_FILED
    )
    operator = models.CharField(_("operator"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    # GCJ-02, the datum Chinese map services use; distances are computed in SQL.
    latitude = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    federation = models.ForeignKey(
        "members.Union",
        verbose_name=_("industry union federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centres",
        limit_choices_to={"kind": "industry_federation"},
    )
    federation_staff_count = models.PositiveIntegerField(_("staff in the federation"), default=0)
    offers_welfare_childcare = models.BooleanField(
        _("offers welfare childcare to union members"), default=False
    )
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
        verbose_name = _("childcare centre")
        verbose_name_plural = _("childcare centres")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=CHINA_LATITUDE_RANGE[0],
                    latitude__lte=CHINA_LATITUDE_RANGE[1],
                    longitude__gte=CHINA_LONGITUDE_RANGE[0],
                    longitude__lte=CHINA_LONGITUDE_RANGE[1],
                ),
                name="centre_coordinates_in_china",
                violation_error_message=_(
                    "This point is outside China: the latitude must be between 3 and 54 and "
                    "the longitude between 73 and 136."
                ),
            ),
            models.CheckConstraint(
                condition=Q(federation__isnull=False) | Q(federation_staff_count=0),
                name="centre_staff_only_in_federation",
                violation_error_message=_(
                    "Only a centre in the industry union federation has staff in it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(filing_status="filed") | ~Q(filing_number=""),
                name="centre_filed_has_number",
                violation_error_message=_(
                    "A centre filed with the health commission needs its filing number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_federation(self) -> bool:
        return self.federation_id is not None


class Caregiver(models.Model):
    class Role(models.TextChoices):
        CAREGIVER = "caregiver", _("caregiver")
        TEACHER = "teacher", _("teacher")
        NURSE = "nurse", _("care worker")

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="caregivers"
    )
    full_name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CAREGIVER)
    is_active = models.BooleanField(_("working here"), default=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")

    def __str__(self) -> str:
        return self.full_name


class CentreClass(models.Model):
    """A class (托班 / 班级) at a centre: its age class, capacity and monthly market price."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="classes"
    )
    name = models.CharField(_("name"), max_length=50)
    age_class = models.CharField(_("age class"), max_length=20, choices=AgeClass.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    # Offers and enrolments holding a place here; changed only by conditional UPDATEs in the
    # admissions services, and the constraint below makes overbooking impossible.
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0)
    monthly_price = models.DecimalField(
        _("monthly market price (yuan)"), max_digits=12, decimal_places=2
    )
    caregivers = models.ManyToManyField(
        Caregiver, verbose_name=_("caregivers assigned"), blank=True, related_name="classes"
    )
    is_active = models.BooleanField(_("open"), default=True)
    history = HistoricalRecords(m2m_fields=[caregivers])

    class Meta:
        ordering = ["centre", "age_class", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "name"],
                name="centre_class_name_unique",
                violation_error_message=_("This centre already has a class with this name."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="centre_class_capacity_positive",
                violation_error_message=_("A class has room for at least one child."),
            ),
            models.CheckConstraint(
                condition=Q(places_taken__lte=models.F("capacity")),
                name="centre_class_not_overbooked",
                violation_error_message=_("The class has no free place left."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_price__gte=0),
                name="centre_class_price_not_negative",
                violation_error_message=_("The monthly price must be 0 yuan or more."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    *[Q(age_class=age, capacity__lte=size) for age, size in MAX_CLASS_SIZE.items()],
                    _connector=Q.OR,
                ),
                name="centre_class_capacity_within_national_size",
                violation_error_message=_(
                    "The capacity is above the national maximum for this age class."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.name}"

    @property
    def places_free(self) -> int:
        return self.capacity - self.places_taken


class CentreAdmin(models.Model):
    """Links a centre-admin account to its centre (the link lives on the organisation's side)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="centre_admin",
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="admins"
    )

    class Meta:
        verbose_name = _("centre admin")
        verbose_name_plural = _("centre admins")

    def __str__(self) -> str:
        return f"{self.user} · {self.centre}"
