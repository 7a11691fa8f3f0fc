from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

UNIT_GRANT_CAP = Decimal("70000.00")  # 最高不超过7万元/家


class SubsidyScheme(models.Model):
    """A rule for paying money: to whom, from which funder, for which programmes, how much."""

    class Kind(models.TextChoices):
        MONTHLY_SUBSIDY = "monthly_subsidy", _("monthly childcare subsidy to the parent")
        EMPLOYER_FEE_PART = "employer_fee_part", _("employer's part of the fee, to the centre")
        UNIT_GRANT = "unit_grant", _("unit grant to a caring-childcare employer")

    class Funder(models.TextChoices):
        EMPLOYER = "employer", _("employer funds")
        UNION = "union", _("union funds")
        CITY = "city", _("city funds")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    funder = models.CharField(_("funder"), max_length=20, choices=Funder.choices)
    programmes = models.ManyToManyField(
        "employers.Programme",
        verbose_name=_("programmes covered"),
        blank=True,
        related_name="subsidy_schemes",
    )
    # Default rules; a scheme may change them.
    prorate_by_days = models.BooleanField(_("prorate by calendar days enrolled"), default=True)
    hold_without_attendance = models.BooleanField(
        _("hold a month whose attendance is missing"), default=True
    )
    zero_attendance_pays_nothing = models.BooleanField(
        _("a month with no day attended pays nothing"), default=True
    )
    # Unit grants: base + per enrolled child, capped (never above 70,000 yuan per unit in total).
    grant_base_amount = models.DecimalField(
        _("grant base amount"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    grant_per_child_amount = models.DecimalField(
        _("grant amount per enrolled child"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    grant_cap = models.DecimalField(
        _("grant cap per unit"), max_digits=12, decimal_places=2, default=UNIT_GRANT_CAP
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[programmes])

    class Meta:
        ordering = ["name"]
        verbose_name = _("subsidy scheme")
        verbose_name_plural = _("subsidy schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_base_amount__gte=0, grant_per_child_amount__gte=0),
                name="scheme_grant_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(grant_cap__gte=0, grant_cap__lte=UNIT_GRANT_CAP),
                name="scheme_grant_cap_within_city_limit",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="scheme_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """A scheme's money for one year: reserved by calculated runs, committed by approved ones."""

    scheme = models.ForeignKey(
        SubsidyScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    reserved = models.DecimalField(
        _("reserved by calculated runs"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    committed = models.DecimalField(
        _("committed by approved runs"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "scheme"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="budget_one_per_scheme_year"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0, committed__gte=0), name="budget_parts_not_negative"
            ),
            # The guard against overspending: concurrent runs update these with F() expressions.
            models.CheckConstraint(
                condition=Q(amount__gte=F("reserved") + F("committed")),
                name="budget_never_exceeded",
                violation_error_message=_("The budget would be exceeded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.year}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.reserved - self.committed
