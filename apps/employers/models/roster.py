from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.pii import EncryptedTextField, mask

from .registry import Employer


class RosterImport(models.Model):
    """One upload of an employer's roster: checked whole, applied all or nothing."""

    class Mode(models.TextChoices):
        FULL = "full", _("full roster (people missing are marked as left)")
        ADDITIONS = "additions", _("additions and changes only")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("refused")

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="roster_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="rosters/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("file SHA-256 checksum"), max_length=64, editable=False)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.FULL)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("added"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    left_count = models.PositiveIntegerField(_("marked as left"), default=0)
    # [{"row": 3, "column": "身份证号", "reason": "..."}]; never the cell's value (it may be an ID).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="roster_import_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.original_name}"


class RosterEntry(models.Model):
    """A person on an employer's roster, as the employer's HR keeps it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("employed")
        LEFT = "left", _("left")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="roster"
    )
    full_name = models.CharField(_("full name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(max_length=64, editable=False)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    union_member = models.BooleanField(_("union member"), default=False)
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    last_import = models.ForeignKey(
        RosterImport,
        verbose_name=_("last import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["employer", "full_name", "id"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "id_number_hash"], name="roster_entry_unique_person"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)
