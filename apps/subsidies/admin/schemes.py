"""Union staff console for subsidy schemes and budgets; every write goes through services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.centres.admin import ServiceErrorsMixin
from apps.core.errors import DomainError
from apps.members.admin import add_domain_error, adopt

from ..models import Budget, SubsidyScheme
from ..services import budgets as budget_services
from ..services import schemes as scheme_services
from ..services.refusals import REASON_MAX_LENGTH

SCHEME_FIELDS = ["name", "kind", "funder", "programmes", "prorate_by_days"]
SCHEME_FIELDS += ["hold_without_attendance", "zero_attendance_pays_nothing"]
SCHEME_FIELDS += ["grant_base_amount", "grant_per_child_amount", "grant_cap"]
SCHEME_FIELDS += ["valid_from", "valid_until", "is_active"]


class SchemeForm(forms.ModelForm):
    class Meta:
        model = SubsidyScheme
        fields = SCHEME_FIELDS

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            scheme_services.scheme_check(
                self.instance, programmes=list(self.cleaned_data.get("programmes") or [])
            )
        except DomainError as error:
            add_domain_error(self, error)


@admin.register(SubsidyScheme)
class SubsidySchemeAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = SchemeForm
    list_display = ["name", "kind", "funder", "valid_from", "valid_until", "is_active"]
    list_filter = ["kind", "funder", "is_active"]
    search_fields = ["name", "programmes__name"]
    filter_horizontal = ["programmes"]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # budgets and payout lines point here; end it with "valid until"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in SCHEME_FIELDS if name in form.fields}
        if change:
            data.pop("kind", None)
            saved = scheme_services.scheme_update(
                scheme=SubsidyScheme.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            saved = scheme_services.scheme_create(actor=request.user, **data)
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        return None  # the service has set the programmes


class BudgetForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason for the change"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Required when the amount of an existing budget changes."),
    )

    class Meta:
        model = Budget
        fields = ["scheme", "year", "amount"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and "amount" in self.changed_data and not data.get("reason"):
            self.add_error("reason", _("Give a reason."))
        return data


@admin.register(Budget)
class BudgetAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = BudgetForm
    list_display = ["scheme", "year", "amount", "reserved", "committed", "available"]
    list_filter = ["year", "scheme__kind", "scheme__funder"]
    search_fields = ["scheme__name"]
    list_select_related = ["scheme"]
    autocomplete_fields = ["scheme"]
    list_per_page = 50

    @admin.display(description=_("available"))
    def available(self, budget):
        return budget.available if budget.amount is not None else "-"

    def get_readonly_fields(self, request, obj=None):
        readonly = ["reserved", "committed", "available"]
        return readonly + (["scheme", "year"] if obj is not None else [])

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            budget = Budget.objects.get(pk=obj.pk)
            if "amount" in form.changed_data:
                budget = budget_services.budget_raise(
                    budget=budget, amount=data["amount"], actor=request.user, reason=data["reason"]
                )
        else:
            budget = budget_services.budget_create(
                scheme=data["scheme"], year=data["year"], amount=data["amount"], actor=request.user
            )
        adopt(obj, budget)
