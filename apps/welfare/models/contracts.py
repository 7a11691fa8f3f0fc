import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.employers.models import Employer


class Provision(models.TextChoices):
    """Contract provisions that have a statutory floor; values are the contract's field names."""

    MATERNITY_LEAVE_DAYS = "maternity_leave_days", _("maternity leave (days)")
    SPOUSE_CARE_LEAVE_DAYS = "spouse_care_leave_days", _("spouse-care leave (days)")
    NURSING_MINUTES_PER_DAY = "nursing_minutes_per_day", _("nursing time (minutes a day)")
    NURSING_UNTIL_MONTHS = "nursing_until_months", _("nursing time until the child is (months)")
    PARENTAL_LEAVE_DAYS = "parental_leave_days", _("parental leave (days a year)")


# National law no province may go below: 98 days' maternity leave (女职工劳动保护特别规定 Art. 7)
# and one hour's nursing time a day until the child is one (Art. 9); the rest have no national
# floor.
NATIONAL_MINIMUM = {
    Provision.MATERNITY_LEAVE_DAYS: 98,
    Provision.SPOUSE_CARE_LEAVE_DAYS: 0,
    Provision.NURSING_MINUTES_PER_DAY: 60,
    Provision.NURSING_UNTIL_MONTHS: 12,
    Provision.PARENTAL_LEAVE_DAYS: 0,
}

# 河北省人口与计划生育条例 (2021 revision): 98 + 60 days' maternity leave, 15 days' spouse-care
# leave, 10 days' parental leave a year per parent for a child under three.
HEBEI_DEFAULT = {
    Provision.MATERNITY_LEAVE_DAYS: 158,
    Provision.SPOUSE_CARE_LEAVE_DAYS: 15,
    Provision.NURSING_MINUTES_PER_DAY: 60,
    Provision.NURSING_UNTIL_MONTHS: 12,
    Provision.PARENTAL_LEAVE_DAYS: 10,
}
HEBEI_SOURCE = "河北省人口与计划生育条例（2021年修正）；女职工劳动保护特别规定"


def _floor_not_below_national() -> Q:
    return reduce(
        operator.or_,
        (Q(provision=provision, minimum__gte=low) for provision, low in NATIONAL_MINIMUM.items()),
    )


class StatutoryFloor(models.Model):
    """The legal minimum a contract provision must meet; union staff keep it current."""

    provision = models.CharField(
        _("provision"), max_length=40, choices=Provision.choices, unique=True
    )
    minimum = models.PositiveIntegerField(_("minimum"))
    source = models.CharField(_("legal source"), max_length=200)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("statutory floor")
        verbose_name_plural = _("statutory floors")
        constraints = [
            models.CheckConstraint(
                condition=_floor_not_below_national(), name="statutory_floor_not_below_national"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provision_display()} ≥ {self.minimum}"


class CollectiveContract(models.Model):
    """A female-worker special collective contract (女职工专项集体合同) of one employer."""

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"))
    signed_file = models.FileField(
        _("signed contract"), upload_to="collective-contracts/", blank=True, max_length=200
    )
    signed_file_type = models.CharField(_("file type"), max_length=40, blank=True, editable=False)
    maternity_leave_days = models.PositiveSmallIntegerField(_("maternity leave (days)"))
    spouse_care_leave_days = models.PositiveSmallIntegerField(_("spouse-care leave (days)"))
    nursing_minutes_per_day = models.PositiveSmallIntegerField(_("nursing time (minutes a day)"))
    nursing_until_months = models.PositiveSmallIntegerField(
        _("nursing time until the child is (months)")
    )
    parental_leave_days = models.PositiveSmallIntegerField(_("parental leave (days a year)"))
    flexible_hours = models.BooleanField(_("flexible working hours"), default=False)
    flexible_hours_terms = models.TextField(_("flexible working hours: terms"), blank=True)
    job_retention = models.BooleanField(_("job kept during childcare leave"), default=False)
    job_retention_terms = models.TextField(_("job retention: terms"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on", "id"]
        verbose_name = _("female-worker collective contract")
        verbose_name_plural = _("female-worker collective contracts")
        indexes = [models.Index(fields=["employer", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=F("signed_on")), name="contract_starts_after_signing"
            ),
            # National floors are law everywhere; the configurable floors are checked by services.
            models.CheckConstraint(
                condition=Q(
                    maternity_leave_days__gte=NATIONAL_MINIMUM[Provision.MATERNITY_LEAVE_DAYS],
                    nursing_minutes_per_day__gte=NATIONAL_MINIMUM[
                        Provision.NURSING_MINUTES_PER_DAY
                    ],
                    nursing_until_months__gte=NATIONAL_MINIMUM[Provision.NURSING_UNTIL_MONTHS],
                ),
                name="contract_national_floors",
            ),
            models.CheckConstraint(
                condition=Q(flexible_hours=False) | ~Q(flexible_hours_terms=""),
                name="contract_flexible_hours_have_terms",
            ),
            models.CheckConstraint(
                condition=Q(job_retention=False) | ~Q(job_retention_terms=""),
                name="contract_job_retention_has_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.starts_on}–{self.ends_on}"


class EmployerWithoutContract(Employer):
    """Employers with no contract in force or to come: an admin list for union staff."""

    class Meta:
        proxy = True
        verbose_name = _("employer without a collective contract")
        verbose_name_plural = _("employers without a collective contract")
