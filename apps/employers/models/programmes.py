from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.centres.models import AgeClass

from .registry import Employer


class Programme(models.Model):
    """A caring-childcare programme (爱心托育项目): who may apply, where, and at what price."""

    class DeliveryModel(models.TextChoices):
        OWN_CENTRE = "own_centre", _("employer-owned centre (所属配套园)")
        CO_BUILT = "co_built", _("co-built centre (集中共建)")
        PURCHASED = "purchased", _("own premises + places bought from a third party")
        FEDERATION = "federation", _("welfare childcare for all union members")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    class SubsidyBasis(models.TextChoices):
        PER_WORKER = "per_worker", _("per worker")
        PER_CHILD = "per_child", _("per enrolled child")

    class Funder(models.TextChoices):
        EMPLOYER = "employer", _("employer funds")
        UNION = "union", _("union funds")
        CITY = "city", _("city funds")

    class PriorityGroup(models.TextChoices):
        SHIFT_WORKER = "shift_worker", _("shift workers")
        MULTI_CHILD = "multi_child", _("families with two or more children under six")
        BOTH_GUARDIANS = "both_guardians", _("both guardians work at eligible employers")

    name = models.CharField(_("name"), max_length=100)
    delivery_model = models.CharField(_("model"), max_length=20, choices=DeliveryModel.choices)
    lead_employer = models.ForeignKey(
        Employer,
        verbose_name=_("registered by employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_programmes",
    )
    federation = models.ForeignKey(
        "members.Union",
        verbose_name=_("union federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    # Whose workers may apply (联合办托: several; co-built: the tenant businesses).
    employers = models.ManyToManyField(
        Employer, verbose_name=_("eligible employers"), blank=True, related_name="programmes"
    )
    centres = models.ManyToManyField(
        "centres.Centre", verbose_name=_("centres"), related_name="programmes"
    )
    parent_share_percent = models.DecimalField(
        _("share of the market price the parent pays (%)"), max_digits=5, decimal_places=2
    )
    subsidy_amount = models.DecimalField(
        _("monthly subsidy to the parent (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    subsidy_basis = models.CharField(
        _("subsidy paid"),
        max_length=20,
        choices=SubsidyBasis.choices,
        default=SubsidyBasis.PER_CHILD,
    )
    subsidy_funder = models.CharField(
        _("subsidy funded by"), max_length=20, choices=Funder.choices, default=Funder.EMPLOYER
    )
    priority_groups = models.JSONField(_("priority groups, in order"), default=list, blank=True)
    offer_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=7)
    start_date = models.DateField(_("runs from"))
    end_date = models.DateField(_("runs until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[employers, centres])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("caring-childcare programme")
        verbose_name_plural = _("caring-childcare programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent_share_percent__gte=0, parent_share_percent__lte=100),
                name="programme_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(subsidy_amount__gte=0), name="programme_subsidy_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(delivery_model="federation") & Q(federation__isnull=False))
                | (~Q(delivery_model="federation") & Q(lead_employer__isnull=False)),
                name="programme_has_its_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceAgreement(models.Model):
    """Places an employer (or the federation) buys at a centre, per age class and period."""

    class PaymentMode(models.TextChoices):
        PER_ENROLLED_CHILD = (
            "per_child",
            _("per enrolled child (market price minus the parent's fee)"),
        )
        PER_BOUGHT_PLACE = "per_place", _("per bought place (agreed monthly price, used or not)")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="place_agreements",
    )
    buyer_employer = models.ForeignKey(
        Employer,
        verbose_name=_("buying employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="place_agreements",
    )
    buyer_union = models.ForeignKey(
        "members.Union",
        verbose_name=_("buying union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="place_agreements",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="place_agreements",
    )
    age_class = models.CharField(_("age class"), max_length=20, choices=AgeClass.choices)
    places = models.PositiveSmallIntegerField(_("places bought"))
    # Guarded counter: offers and enrolments holding a place; never above `places`.
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0)
    start_month = models.DateField(_("from month"))
    end_month = models.DateField(_("until month"), null=True, blank=True)
    payment_mode = models.CharField(_("employer pays"), max_length=20, choices=PaymentMode.choices)
    agreed_monthly_price = models.DecimalField(
        _("agreed monthly price per place (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "centre", "age_class", "start_month"]
        verbose_name = _("place agreement")
        verbose_name_plural = _("place agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gt=0), name="place_agreement_places_positive"
            ),
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("places")), name="place_agreement_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(buyer_employer__isnull=False) | Q(buyer_union__isnull=False),
                name="place_agreement_has_a_buyer",
            ),
            models.CheckConstraint(
                condition=~Q(payment_mode="per_place")
                | Q(agreed_monthly_price__isnull=False, agreed_monthly_price__gte=0),
                name="place_agreement_per_place_has_price",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="place_agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.centre} · {self.get_age_class_display()} × {self.places}"

    @property
    def places_free(self) -> int:
        return self.places - self.places_taken
