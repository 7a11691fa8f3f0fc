from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    """Who recognised a room: the city, Tangshan (the prefecture) or Hebei province."""

    QIANAN = "qianan", _("Qian'an city level")
    TANGSHAN = "tangshan", _("Tangshan city level")
    HEBEI = "hebei", _("Hebei provincial level")


# Lowering goes one step down this ladder; below Qian'an the recognition is withdrawn.
LEVEL_ORDER = [Level.QIANAN, Level.TANGSHAN, Level.HEBEI]


class MotherRoom(models.Model):
    """A caring mother room (爱心妈妈小屋) hosted by an employer or a union."""

    class Version(models.TextChoices):
        PUBLIC = "public", _("public version (open to everyone)")
        ENTERPRISE = "enterprise", _("enterprise version (for the host's own staff)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("recognition withdrawn")

    class Function(models.TextChoices):
        HEALTH = "health", _("health care")
        FEEDING = "feeding", _("feeding")
        EARLY_EDUCATION = "early_education", _("early education")

    name = models.CharField(_("name"), max_length=100)
    host_employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("host employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mother_rooms",
    )
    host_union = models.ForeignKey(
        "members.Union",
        verbose_name=_("host union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mother_rooms",
    )
    version = models.CharField(_("version"), max_length=20, choices=Version.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    recognised_on = models.DateField(_("level recognised on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=6, decimal_places=1)
    # GCJ-02, the datum Chinese map services use; distances are computed in SQL.
    latitude = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("opening hours"), max_length=100)
    offers_health = models.BooleanField(_("health care"), default=False)
    offers_feeding = models.BooleanField(_("feeding"), default=True)
    offers_early_education = models.BooleanField(_("early education"), default=False)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("caring mother room")
        verbose_name_plural = _("caring mother rooms")
        indexes = [models.Index(fields=["status", "version", "area"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_employer__isnull=True, host_union__isnull=False)
                | Q(host_employer__isnull=False, host_union__isnull=True),
                name="mother_room_one_host",
            ),
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=3, latitude__lte=54, longitude__gte=73, longitude__lte=136
                ),
                name="mother_room_coordinates_in_china",
            ),
            models.CheckConstraint(
                condition=Q(floor_area_m2__gt=0), name="mother_room_floor_area_positive"
            ),
            # An approved room always has a level and its date; no other state carries one.
            models.CheckConstraint(
                condition=Q(status="approved", recognised_on__isnull=False) & ~Q(level="")
                | ~Q(status="approved") & Q(level="", recognised_on__isnull=True),
                name="mother_room_level_iff_approved",
            ),
            models.CheckConstraint(
                condition=Q(offers_health=True)
                | Q(offers_feeding=True)
                | Q(offers_early_education=True),
                name="mother_room_has_a_function",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def host(self):
        return self.host_employer or self.host_union

    @property
    def functions(self) -> list[str]:
        flags = {
            self.Function.HEALTH: self.offers_health,
            self.Function.FEEDING: self.offers_feeding,
            self.Function.EARLY_EDUCATION: self.offers_early_education,
        }
        return [function for function, offered in flags.items() if offered]

    @property
    def function_labels(self) -> list[str]:
        return [str(self.Function(function).label) for function in self.functions]


# Filters by function name map onto these columns.
FUNCTION_FIELDS = {
    MotherRoom.Function.HEALTH: "offers_health",
    MotherRoom.Function.FEEDING: "offers_feeding",
    MotherRoom.Function.EARLY_EDUCATION: "offers_early_education",
}


class MotherRoomInspection(models.Model):
    """A yearly inspection against the checklist; its outcome may lower or withdraw the level."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("level kept")
        LOWERED = "lowered", _("level lowered")
        WITHDRAWN = "withdrawn", _("recognition withdrawn")

    room = models.ForeignKey(
        MotherRoom, verbose_name=_("room"), on_delete=models.CASCADE, related_name="inspections"
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checklist_version = models.CharField(_("checklist version"), max_length=20)
    measured_area_m2 = models.DecimalField(
        _("measured floor area (m²)"), max_digits=6, decimal_places=1
    )
    results = models.JSONField(_("checklist results"), default=dict)
    failed_items = models.JSONField(_("failed items"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    level_before = models.CharField(_("level before"), max_length=20, choices=Level.choices)
    level_after = models.CharField(
        _("level after"), max_length=20, choices=Level.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("mother room inspection")
        verbose_name_plural = _("mother room inspections")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "inspected_on"], name="mother_room_inspection_one_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} · {self.inspected_on}"
