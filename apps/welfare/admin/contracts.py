from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import selectors, services
from ..errors import WelfareError
from ..models import CollectiveContract, EmployerWithoutContract, StatutoryFloor
from ..models.contracts import NATIONAL_MINIMUM, Provision
from ..services.contracts import contract_date_errors, signed_file_type
from .common import add_service_errors, adopt

DATES = ["signed_on", "starts_on", "ends_on"]
PROVISIONS = [provision.value for provision in Provision]
TERMS = ["flexible_hours", "flexible_hours_terms", "job_retention", "job_retention_terms"]


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("expiring within 90 days")),
            ("in_force", _("in force")),
            ("expired", _("expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expiring":
            expiring = selectors.collective_contract_expiring_list(today=today)
            return queryset.filter(pk__in=expiring.values("pk"))
        if self.value() == "in_force":
            return queryset.filter(starts_on__lte=today, ends_on__gte=today)
        if self.value() == "expired":
            return queryset.filter(ends_on__lt=today)
        return queryset


class ContractForm(forms.ModelForm):
    """New contracts start from the statutory floors; lower values are refused on their field."""

    class Meta:
        model = CollectiveContract
        fields = ["employer", *DATES, "signed_file", *PROVISIONS, *TERMS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for provision, minimum in services.statutory_floors().items():
                self.fields[provision].initial = minimum

    def clean_signed_file(self):
        upload = self.files.get(self.add_prefix("signed_file"))
        if upload is not None:
            try:
                signed_file_type(upload)
            except WelfareError as error:
                raise forms.ValidationError(error.message) from error
        return self.cleaned_data.get("signed_file")

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            return data
        values = {name: data[name] for name in PROVISIONS if data.get(name) is not None}
        add_service_errors(self, services.provision_errors(values, services.statutory_floors()))
        if data.get("employer") and all(data.get(name) for name in DATES):
            add_service_errors(
                self, contract_date_errors(data["employer"], *(data[name] for name in DATES))
            )
        return data


@admin.register(CollectiveContract)
class CollectiveContractAdmin(SimpleHistoryAdmin):
    form = ContractForm
    list_display = [
        "employer",
        "signed_on",
        "starts_on",
        "ends_on",
        "maternity_leave_days",
        "spouse_care_leave_days",
        "parental_leave_days",
        "file_link",
    ]
    list_filter = [ExpiryFilter, "flexible_hours", "job_retention"]
    search_fields = ["employer__name", "employer__credit_code"]
    list_select_related = ["employer"]
    raw_id_fields = ["employer"]
    date_hierarchy = "ends_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["file_link"]
        # A signed contract is a record: only a (re)scanned file may be attached later.
        return ["employer", *DATES, *PROVISIONS, *TERMS, "file_link"]

    @admin.display(description=_("signed contract"))
    def file_link(self, obj):
        if not obj.signed_file:
            return "-"
        url = reverse("api-collective-contract-file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.signed_file_type.upper())

    def save_model(self, request, obj, form, change):
        upload = form.files.get(form.add_prefix("signed_file"))
        if change:
            if upload is not None:
                services.collective_contract_attach_file(
                    contract=obj, upload=upload, actor=request.user
                )
            return
        data = form.cleaned_data
        contract = services.collective_contract_create(
            employer=data["employer"],
            actor=request.user,
            signed_file=upload,
            **{name: data[name] for name in [*DATES, *PROVISIONS, *TERMS]},
        )
        adopt(obj, contract)


@admin.register(EmployerWithoutContract)
class EmployerWithoutContractAdmin(admin.ModelAdmin):
    """Approved employers with no female-worker contract in force or signed for later."""

    list_display = ["name", "credit_code", "area", "last_contract_ended_on"]
    search_fields = ["name", "credit_code"]
    list_filter = ["area"]
    list_select_related = ["area"]

    def get_queryset(self, request):
        return selectors.employer_without_contract_list(
            today=timezone.localdate(), employers=EmployerWithoutContract.objects
        )

    @admin.display(description=_("last contract ended on"))
    def last_contract_ended_on(self, obj):
        return obj.last_contract_ended_on or "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatutoryFloorForm(forms.ModelForm):
    class Meta:
        model = StatutoryFloor
        fields = ["minimum", "source"]

    def clean_minimum(self):
        minimum = self.cleaned_data["minimum"]
        national = NATIONAL_MINIMUM[Provision(self.instance.provision)]
        if minimum is not None and minimum < national:
            raise forms.ValidationError(
                _("National law sets this at %(national)d or more.") % {"national": national}
            )
        return minimum


@admin.register(StatutoryFloor)
class StatutoryFloorAdmin(SimpleHistoryAdmin):
    form = StatutoryFloorForm
    list_display = ["provision", "minimum", "national_minimum", "source", "updated_at"]
    readonly_fields = ["provision", "national_minimum", "updated_at"]
    search_fields = ["provision", "source"]

    @admin.display(description=_("national minimum"))
    def national_minimum(self, obj):
        return NATIONAL_MINIMUM[Provision(obj.provision)]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.statutory_floor_update(
            floor=obj,
            minimum=form.cleaned_data["minimum"],
            source=form.cleaned_data["source"],
            actor=request.user,
        )
