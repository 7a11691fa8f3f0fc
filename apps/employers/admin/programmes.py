"""Union staff console for programmes and place agreements; every write goes through services."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.centres.admin import ServiceErrorsMixin
from apps.core.errors import DomainError
from apps.members.admin import add_domain_error, adopt

from ..models import PlaceAgreement, Programme
from ..services import programmes as services
from .registry import _apply_each, _with_reason

PROGRAMME_FIELDS = [
    "name",
    "delivery_model",
    "lead_employer",
    "federation",
    "employers",
    "centres",
    "parent_share_percent",
    "subsidy_amount",
    "subsidy_basis",
    "subsidy_funder",
    "priority_groups",
    "offer_days",
    "start_date",
    "end_date",
    "description",
]


class ProgrammeForm(forms.ModelForm):
    priority_groups = forms.MultipleChoiceField(
        label=_("priority groups, in order"),
        choices=Programme.PriorityGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk and self.instance.status not in services.EDITABLE_STATES:
            raise forms.ValidationError(_("Only a draft or refused programme can be changed."))
        plain = [name for name in PROGRAMME_FIELDS if name not in ("employers", "centres")]
        candidate = Programme(pk=self.instance.pk, **{name: cleaned.get(name) for name in plain})
        try:
            services.programme_check(
                candidate,
                employers=list(cleaned.get("employers") or []),
                centres=list(cleaned.get("centres") or []),
            )
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned

    def _post_clean(self):
        # The service's refusal names the field; the model's constraint would only name itself.
        if not self.errors:
            super()._post_clean()


class PlaceAgreementInline(admin.TabularInline):
    """Read-only here: agreements are bought through their own page (capacity is checked)."""

    model = PlaceAgreement
    fields = ["link", "centre", "age_class", "places", "places_taken", "start_month"]
    fields += ["end_month", "payment_mode", "agreed_monthly_price"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("agreement"))
    def link(self, agreement):
        url = reverse("admin:employers_placeagreement_change", args=[agreement.pk])
        return format_html('<a href="{}">#{}</a>', url, agreement.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("centre")


@admin.register(Programme)
class ProgrammeAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = ProgrammeForm
    inlines = [PlaceAgreementInline]
    list_display = ["name", "delivery_model", "organiser", "status", "parent_share_percent"]
    list_display += ["subsidy_amount", "subsidy_basis", "subsidy_funder", "start_date", "end_date"]
    list_filter = ["delivery_model", "status", "subsidy_funder", "subsidy_basis"]
    search_fields = ["name", "lead_employer__name", "federation__name", "description"]
    list_select_related = ["lead_employer", "federation"]
    autocomplete_fields = ["lead_employer", "employers", "centres"]
    readonly_fields = ["status", "approved_at", "registered_by", "created_at"]
    list_per_page = 50
    actions = ["approve", "refuse", "suspend"]
    service_target = "programme"

    @admin.display(description=_("run by"))
    def organiser(self, programme):
        return programme.lead_employer or programme.federation

    def has_delete_permission(self, request, obj=None):
        return False  # end or suspend instead; agreements and history point here

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in PROGRAMME_FIELDS}
        if change:
            saved = services.programme_update(
                programme=Programme.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            saved = services.programme_create(actor=request.user, **data)
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # The service has set the employers and centres; the read-only inline saves nothing,
        # but the admin's change message reads what its formset would have saved.
        for formset in formsets:
            formset.save(commit=False)

    @admin.action(description=_("Approve selected programmes"))
    def approve(self, request, queryset):
        _apply_each(self, request, queryset, services.programme_approve)

    @admin.action(description=_("Refuse selected programmes (asks for a reason)"))
    def refuse(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="refuse",
            service=services.programme_refuse,
            prompt=_("Why are these programmes refused?"),
        )

    @admin.action(description=_("Suspend selected programmes (asks for a reason)"))
    def suspend(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="suspend",
            service=services.programme_suspend,
            prompt=_("Why are these programmes suspended?"),
        )


# Place agreements

AGREEMENT_CHANGEABLE = ["places", "end_month", "agreed_monthly_price"]
AGREEMENT_FIELDS = ["programme", "centre", "age_class", "start_month", "payment_mode"]
AGREEMENT_FIELDS += AGREEMENT_CHANGEABLE


class PlaceAgreementForm(forms.ModelForm):
    class Meta:
        model = PlaceAgreement
        fields = AGREEMENT_FIELDS

    def _post_clean(self):
        super()._post_clean()
        agreement = self.instance
        if self.errors or agreement.programme_id is None:
            return
        try:
            services.place_agreement_check(agreement, exclude_pk=agreement.pk)
        except DomainError as error:
            add_domain_error(self, error)


@admin.register(PlaceAgreement)
class PlaceAgreementAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = PlaceAgreementForm
    list_display = ["programme", "centre", "age_class", "places", "places_taken", "start_month"]
    list_display += ["end_month", "payment_mode", "agreed_monthly_price", "buyer"]
    list_filter = ["payment_mode", "age_class", "programme__delivery_model"]
    search_fields = ["programme__name", "centre__name", "buyer_employer__name"]
    list_select_related = ["programme", "centre", "buyer_employer", "buyer_union"]
    autocomplete_fields = ["programme", "centre"]
    list_per_page = 50

    @admin.display(description=_("buyer"))
    def buyer(self, agreement):
        return agreement.buyer_employer or agreement.buyer_union

    def get_readonly_fields(self, request, obj=None):
        readonly = ["places_taken", "buyer_employer", "buyer_union", "created_at"]
        if obj is not None:
            readonly += [f for f in AGREEMENT_FIELDS if f not in AGREEMENT_CHANGEABLE]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return False  # offers and enrolments will hold places from it

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.place_agreement_update(
                agreement=PlaceAgreement.objects.get(pk=obj.pk),
                actor=request.user,
                **{name: form.cleaned_data[name] for name in AGREEMENT_CHANGEABLE},
            )
        else:
            saved = services.place_agreement_create(
                programme=form.cleaned_data["programme"],
                actor=request.user,
                **{name: form.cleaned_data[name] for name in AGREEMENT_FIELDS[1:]},
            )
        adopt(obj, saved)
