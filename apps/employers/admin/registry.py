"""Union staff console for employers, their admins and employments; actions call services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template import engines
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.members.admin import MemberAdmin, ReadOnlyMixin, add_domain_error, adopt
from apps.members.models import Member

from ..models import Employer, EmployerAdmin, Employment
from ..services import registry as services

# Kept here rather than in a template file: the page is small and only these actions use it.
REASON_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load i18n %}
{% block content %}
<form method="post">{% csrf_token %}
  <p>{{ prompt }}</p>
  <ul>{% for obj in queryset %}<li>{{ obj }}</li>{% endfor %}</ul>
  {{ form.as_p }}
  {% for obj in queryset %}
  <input type="hidden" name="{{ checkbox_name }}" value="{{ obj.pk }}">{% endfor %}
  <input type="hidden" name="action" value="{{ action }}">
  <input type="hidden" name="apply" value="1">
  <input type="submit" value="{% translate 'Confirm' %}">
  <a href="" class="button cancel-link">{% translate 'Cancel' %}</a>
</form>
{% endblock %}"""
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=services.REASON_MAX_LENGTH, widget=forms.Textarea
    )


def _apply_each(model_admin, request, queryset, service, **kwargs) -> None:
    """Call the service once per row; a refused row is reported and does not stop the others."""
    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                service(actor=request.user, **{model_admin.service_target: obj}, **kwargs)
        except DomainError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        message = ngettext("%(count)d record changed.", "%(count)d records changed.", done)
        model_admin.message_user(request, message % {"count": done}, messages.SUCCESS)


def _with_reason(model_admin, request, queryset, *, action, service, prompt):
    """Ask for a reason on an intermediate page, then call the service for each row."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        _apply_each(model_admin, request, queryset, service, reason=form.cleaned_data["reason"])
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": prompt,
        "prompt": prompt,
        "queryset": queryset,
        "form": form,
        "action": action,
        "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, REASON_PAGE, context)


# Employers


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "credit_code", "kind", "address", "area", "union"]
        fields += ["contact_name", "contact_phone"]

    def clean(self):
        cleaned = super().clean()
        if "credit_code" in cleaned:
            try:
                cleaned["credit_code"] = services.employer_check(
                    credit_code=cleaned["credit_code"],
                    union=cleaned.get("union"),
                    employer=self.instance,
                )
            except DomainError as error:
                add_domain_error(self, error)
        return cleaned


class EmployerAdminInlineForm(forms.ModelForm):
    class Meta:
        model = EmployerAdmin
        fields = ["user"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("user") is not None:
            try:
                services.employer_admin_check(cleaned["user"])
            except DomainError as error:
                add_domain_error(self, error)
        return cleaned


class EmployerAdminInline(admin.TabularInline):
    """New links go through `employer_admin_add`; existing ones can only be removed."""

    model = EmployerAdmin
    form = EmployerAdminInlineForm
    fields = ["user"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.EMPLOYER_ADMIN).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Employer)
class EmployerModelAdmin(SimpleHistoryAdmin):
    form = EmployerForm
    inlines = [EmployerAdminInline]
    list_display = ["name", "credit_code", "kind", "area", "union", "status", "created_at"]
    list_filter = ["status", "kind", "area"]
    search_fields = ["name", "=credit_code", "address", "union__name"]
    list_select_related = ["area", "union"]
    list_per_page = 50
    readonly_fields = ["status", "created_at"]
    actions = ["approve", "refuse", "suspend", "reinstate"]
    service_target = "employer"

    def has_delete_permission(self, request, obj=None):
        return False  # refuse or suspend instead; employments and history point here

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in EmployerForm.Meta.fields}
        if change:
            saved = services.employer_update(
                employer=Employer.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            saved = services.employer_create(actor=request.user, **data)
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        if formset.model is not EmployerAdmin:
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        for link in formset.deleted_objects:
            services.employer_admin_remove(employer_admin=link, actor=request.user)
        for link in links:
            if link.pk is None:
                services.employer_admin_add(
                    employer=form.instance, user=link.user, actor=request.user
                )
        return None

    @admin.action(description=_("Approve selected employers"))
    def approve(self, request, queryset):
        _apply_each(self, request, queryset, services.employer_approve)

    @admin.action(description=_("Refuse selected employers (asks for a reason)"))
    def refuse(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="refuse",
            service=services.employer_refuse,
            prompt=_("Why are these employers refused?"),
        )

    @admin.action(description=_("Suspend selected employers (asks for a reason)"))
    def suspend(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="suspend",
            service=services.employer_suspend,
            prompt=_("Why are these employers suspended?"),
        )

    @admin.action(description=_("Reinstate selected employers"))
    def reinstate(self, request, queryset):
        _apply_each(self, request, queryset, services.employer_reinstate)


class EmployerAdminAccountForm(forms.ModelForm):
    class Meta:
        model = EmployerAdmin
        fields = ["user", "employer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # absent on the read-only change page
            self.fields["user"].queryset = User.objects.filter(
                role=Role.EMPLOYER_ADMIN, employer_admin__isnull=True
            ).order_by("username")

    def clean(self):
        cleaned = super().clean()
        try:
            services.employer_admin_check(cleaned.get("user"))
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


@admin.register(EmployerAdmin)
class EmployerAdminAccountAdmin(admin.ModelAdmin):
    """Links between employer-admin accounts and employers; added and removed, never edited."""

    form = EmployerAdminAccountForm
    list_display = ["user", "employer"]
    list_filter = ["employer__status"]
    search_fields = ["user__username", "user__full_name", "employer__name"]
    list_select_related = ["user", "employer"]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        link = services.employer_admin_add(
            employer=form.cleaned_data["employer"],
            user=form.cleaned_data["user"],
            actor=request.user,
        )
        adopt(obj, link)

    def delete_model(self, request, obj):
        services.employer_admin_remove(employer_admin=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("employer"):
            services.employer_admin_remove(employer_admin=link, actor=request.user)


# Employments


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    """Employments change state through the actions; the record itself is read-only."""

    list_display = ["member", "employer", "department", "status", "verified_by", "start_date"]
    list_display += ["end_date", "created_at"]
    list_filter = ["status", "verified_by", "employer__kind"]
    search_fields = ["member__full_name", "employer__name", "=employer__credit_code"]
    list_select_related = ["member", "employer"]
    list_per_page = 50
    actions = ["confirm", "refuse", "end_today"]
    service_target = "employment"

    def has_add_permission(self, request):
        return False  # a member claims an employment from the parent portal, or a roster does

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Confirm selected employments"))
    def confirm(self, request, queryset):
        _apply_each(self, request, queryset, services.employment_confirm)

    @admin.action(description=_("Refuse selected employments (asks for a reason)"))
    def refuse(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            action="refuse",
            service=services.employment_refuse,
            prompt=_("Why are these employments refused?"),
        )

    @admin.action(description=_("End selected employments today"))
    def end_today(self, request, queryset):
        _apply_each(self, request, queryset, services.employment_end, end_date=timezone.localdate())


class EmploymentInline(ReadOnlyMixin, admin.TabularInline):
    model = Employment
    fields = ["employer", "department", "status", "verified_by", "start_date", "end_date"]
    readonly_fields = fields
    extra = 0


# The members app cannot import employers (imports point one way), so the member admin gets
# its employment inline here.
admin.site.unregister(Member)


@admin.register(Member)
class MemberWithEmploymentsAdmin(MemberAdmin):
    inlines = [*MemberAdmin.inlines, EmploymentInline]
