from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .accounts import BankAccount
from .schemes import SubsidyScheme


class PayoutRun(models.Model):
    """One calculation of what is owed: a month of subsidies, or a round of unit grants."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly payout")
        GRANT_ROUND = "grant_round", _("unit grant round")

    class Status(models.TextChoices):
        CALCULATING = "calculating", _("calculating")
        CALCULATED = "calculated", _("calculated")
        APPROVED = "approved", _("approved")
        EXPORTED = "exported", _("exported to the bank")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    # The first day of the month paid (monthly), or of the grant round's month.
    period = models.DateField(_("period"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CALCULATING
    )
    started_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The schemes this run pays, fixed when it starts: a resumed or repeated chunk applies the
    # same ones even if a scheme is switched on or off meanwhile.
    schemes = models.ManyToManyField(
        SubsidyScheme, verbose_name=_("schemes paid"), blank=True, related_name="payout_runs"
    )
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    total_amount = models.DecimalField(
        _("total payable"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    held_amount = models.DecimalField(
        _("total held"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    progressed_at = models.DateTimeField(_("last progress at"), auto_now_add=True)
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        constraints = [
            # Starting a period again resumes its run instead of creating a second one.
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=~Q(status="cancelled"),
                name="payout_run_one_live_per_period",
            ),
            models.CheckConstraint(
                condition=Q(chunks_done__lte=F("chunks_total")),
                name="payout_run_progress_within_total",
            ),
            # Four eyes: the second union staff member approves, never the one who started it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("started_by")),
                name="payout_run_approved_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(period__day=1), name="payout_run_period_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period:%Y-%m}"


class PayoutChunk(models.Model):
    """A slice of a run (an id range of enrolments or employers) that one task computes."""

    class Kind(models.TextChoices):
        ENROLMENTS = "enrolments", _("enrolments")
        AGREEMENTS = "agreements", _("place agreements")
        EMPLOYERS = "employers", _("employers")
        CARRIED = "carried", _("lines carried from earlier runs")

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    # What the id range counts: a chunk of enrolments, place agreements, employers or held lines.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENROLMENTS)
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    lines = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="payout_chunk_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.number}"


class PayoutLine(models.Model):
    """One amount owed to one payee under one scheme in one run; it can exist only once."""

    class Status(models.TextChoices):
        PAYABLE = "payable", _("payable")
        HELD_BUDGET = "held_budget", _("held: budget exhausted")
        HELD_ATTENDANCE = "held_attendance", _("held: attendance missing")
        HELD_ACCOUNT = "held_account", _("held: no checked bank account")
        NOTHING_DUE = "nothing_due", _("nothing due")
        CARRIED = "carried", _("carried into a later run")
        PAID = "paid", _("paid")
        UNMATCHED = "unmatched", _("not matched in the bank's return")

    class PayeeKind(models.TextChoices):
        PARENT = "parent", _("parent")
        CENTRE = "centre", _("centre")
        EMPLOYER = "employer", _("employer")

    # Seven single-column indexes made each inserted line cost as much as its row: the ones
    # covered by the composite indexes below, or never looked up alone, are left out.
    run = models.ForeignKey(
        PayoutRun, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    scheme = models.ForeignKey(
        SubsidyScheme, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    # What the line is for: "enrolment:<id>", "member:<id>", "agreement:<id>" or "employer:<id>";
    # with run and scheme it is unique, so a repeated chunk inserts nothing new.
    subject = models.CharField(max_length=40)
    enrolment = models.ForeignKey(
        "admissions.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    payee_kind = models.CharField(max_length=20, choices=PayeeKind.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "centres.Centre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    funder = models.CharField(max_length=20, choices=SubsidyScheme.Funder.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    days_enrolled = models.PositiveSmallIntegerField(null=True, blank=True)
    days_in_month = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PAYABLE)
    # Orders the holds when the budget falls short: the latest start is held first (then the
    # highest subject id), so the same lines are held whichever worker wrote them first.
    starts_on = models.DateField(null=True, blank=True)
    # A correction of a line in an approved run, or a held line brought forward.
    adjusts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "scheme", "subject"]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        indexes = [
            models.Index(fields=["run", "status"]),
            models.Index(
                fields=["adjusts"],
                condition=Q(adjusts__isnull=False),
                name="payout_line_adjusts_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "scheme", "subject"], name="payout_line_once_per_run_scheme_subject"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(adjusts__isnull=False),
                name="payout_line_negative_only_as_adjustment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.subject} · {self.amount}"
