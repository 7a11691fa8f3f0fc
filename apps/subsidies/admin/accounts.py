"""Union staff console for payees' bank accounts: check or reject what owners entered.

Owners enter accounts in their portals, so there is no add page here, and the number is never
a form field: it is shown masked and found by its keyed hash when staff search for it.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.centres.admin import ServiceErrorsMixin
from apps.core.pii import sensitive_lookup
from apps.employers.admin.registry import _apply_each, _with_reason

from ..models import BankAccount
from ..services import accounts as services
from ..services.refusals import REASON_MAX_LENGTH

SHOWN = ["owner", "owner_kind", "bank_name", "account_name", "account_number_masked", "status"]
SHOWN += ["is_current", "checked_by", "checked_at", "rejection_reason", "created_at"]


PAYEE_KINDS = {"member": _("parent"), "centre": _("centre"), "employer": _("employer")}


class OwnerKindFilter(admin.SimpleListFilter):
    title = _("payee")
    parameter_name = "payee"

    def lookups(self, request, model_admin):
        return list(PAYEE_KINDS.items())

    def queryset(self, request, queryset):
        if self.value() in services.OWNER_FIELDS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        required=False,
        choices=[("", "—"), ("check", _("checked: pay into it")), ("reject", _("reject"))],
    )
    reason = forms.CharField(
        label=_("reason for rejection"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = BankAccount
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Give a reason."))
        return data


@admin.register(BankAccount)
class BankAccountAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = DecisionForm
    list_display = ["owner", "bank_name", "account_name", "account_number_masked", "status"]
    list_display += ["is_current", "created_at"]
    list_filter = ["status", "is_current", OwnerKindFilter]
    search_fields = ["bank_name", "account_name", "member__full_name", "centre__name"]
    search_fields += ["employer__name"]
    search_help_text = _("Name, bank, or a whole account number.")
    list_select_related = ["member", "centre", "employer", "checked_by"]
    readonly_fields = SHOWN
    fields = [*SHOWN, "decision", "reason"]
    actions = ["mark_checked", "mark_rejected"]
    service_target = "account"
    list_per_page = 50

    @admin.display(description=_("owner"))
    def owner(self, account):
        return services.account_owner(account)[1]

    @admin.display(description=_("payee"))
    def owner_kind(self, account):
        return PAYEE_KINDS[services.account_owner(account)[0]]

    @admin.display(description=_("account number"))
    def account_number_masked(self, account):
        return account.account_number_masked

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = services.normalize_account_number(search_term)
        low, high = services.ACCOUNT_NUMBER_LENGTHS
        if number.isdigit() and low <= len(number) <= high:
            results |= queryset.filter(**sensitive_lookup("account_number", number))
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # payout lines point here

    def save_model(self, request, obj, form, change):
        # A refusal (say, the account was replaced meanwhile) is shown by ServiceErrorsMixin.
        decision = form.cleaned_data.get("decision")
        if decision == "check":
            services.bank_account_check(account=obj, actor=request.user)
        elif decision == "reject":
            services.bank_account_reject(
                account=obj, actor=request.user, reason=form.cleaned_data["reason"]
            )
        obj.refresh_from_db()

    @admin.action(description=_("Mark selected accounts as checked"))
    def mark_checked(self, request, queryset):
        _apply_each(self, request, queryset, services.bank_account_check)

    @admin.action(description=_("Reject selected accounts (asks for a reason)"))
    def mark_rejected(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="mark_rejected",
            service=services.bank_account_reject,
            prompt=_("Why are these accounts rejected?"),
        )
