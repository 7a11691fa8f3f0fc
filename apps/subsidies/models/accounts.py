from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.pii import EncryptedTextField, mask


class BankAccount(models.Model):
    """Where a payee is paid: a parent, a centre or an employer. The number is encrypted."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting check")
        CHECKED = "checked", _("checked by union staff")
        REJECTED = "rejected", _("rejected")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
    )
    bank_name = models.CharField(_("bank"), max_length=100)
    account_name = models.CharField(_("account name"), max_length=100)
    account_number = EncryptedTextField(_("account number"))
    account_number_hash = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    is_current = models.BooleanField(_("current account"), default=True)
    checked_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["account_number", "account_number_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(member__isnull=False, centre__isnull=True, employer__isnull=True)
                    | Q(member__isnull=True, centre__isnull=False, employer__isnull=True)
                    | Q(member__isnull=True, centre__isnull=True, employer__isnull=False)
                ),
                name="bank_account_has_exactly_one_owner",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(is_current=True, member__isnull=False),
                name="bank_account_one_current_per_member",
            ),
            models.UniqueConstraint(
                fields=["centre"],
                condition=Q(is_current=True, centre__isnull=False),
                name="bank_account_one_current_per_centre",
            ),
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(is_current=True, employer__isnull=False),
                name="bank_account_one_current_per_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number_masked}"

    @property
    def account_number_masked(self) -> str:
        return mask(self.account_number)
