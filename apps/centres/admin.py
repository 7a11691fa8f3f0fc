"""Union staff console for centres: approvals, classes and their staffing, caregivers, admins.

Every save and action goes through the services, so the admin writes the same audit trail as
the API; a refusal the forms could not foresee comes back as an error message, nothing saved.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, F
from django.http import HttpResponseRedirect
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.core.validators import normalize_credit_code

from . import services
from .models import Caregiver, Centre, CentreAdmin, CentreClass
from .ratios import capacity_error
from .selectors import with_ratio

# Kept here rather than in a template file: the page is this module's alone.
REASON_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load i18n %}
{% block content %}<form method="post">{% csrf_token %}
<p>{{ question }}</p>
<ul>{% for centre in centres %}<li>{{ centre.name }} ({{ centre.get_status_display }})</li>
{% endfor %}</ul>
{{ form.as_p }}
{% for centre in centres %}<input type="hidden" name="_selected_action" value="{{ centre.pk }}">
{% endfor %}<input type="hidden" name="action" value="{{ action }}">
<input type="hidden" name="post" value="yes">
<input type="submit" value="{{ submit_label }}">
<a href="{{ request.get_full_path }}" class="button cancel-link">{% translate "Cancel" %}</a>
</form>{% endblock %}"""
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the centre's admins)"), widget=forms.Textarea, max_length=1000
    )


class ServiceErrorsMixin:
    """Show a service refusal as an error message instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, _error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _error_text(error: DomainError) -> str:
    details = [message for messages_ in error.fields.values() for message in messages_]
    return " ".join([error.message, *[d for d in details if d != error.message]])


def _changed(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


# Centres


class InFederationFilter(admin.SimpleListFilter):
    title = _("member of the industry union federation")
    parameter_name = "in_federation"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(federation__isnull=self.value() == "no")
        return queryset


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["name", "credit_code", "operator", "address", "area", "latitude", "longitude"]
        fields += ["contact_phone", "filing_status", "filing_number", "federation"]
        fields += ["federation_staff_count", "offers_welfare_childcare"]

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])


class CentreClassInlineForm(forms.ModelForm):
    class Meta:
        model = CentreClass
        fields = ["name", "age_class", "capacity", "monthly_price", "is_active"]

    def clean(self):
        cleaned = super().clean()
        _check_capacity(self, cleaned)
        return cleaned


def _check_capacity(form, cleaned) -> None:
    age_class, capacity = cleaned.get("age_class"), cleaned.get("capacity")
    if age_class and capacity is not None:
        message = capacity_error(age_class, capacity)
        if message:
            form.add_error("capacity", message)


class CentreClassInline(admin.TabularInline):
    model = CentreClass
    form = CentreClassInlineForm
    extra = 0
    can_delete = False
    show_change_link = True
    readonly_fields = ["caregivers_active", "caregivers_needed", "within_ratio"]

    def get_queryset(self, request):
        return with_ratio(super().get_queryset(request))

    @admin.display(description=_("active caregivers"))
    def caregivers_active(self, centre_class):
        return getattr(centre_class, "caregivers_active", "-")

    @admin.display(description=_("caregivers needed"))
    def caregivers_needed(self, centre_class):
        return getattr(centre_class, "caregivers_needed", "-")

    @admin.display(description=_("within ratio"), boolean=True)
    def within_ratio(self, centre_class):
        return getattr(centre_class, "within_ratio", None)


class CentreAdminInline(admin.TabularInline):
    """New links go through centre_admin_add; existing ones can only be removed."""

    model = CentreAdmin
    extra = 0
    fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(
                role=Role.CENTRE_ADMIN, centre_admin__isnull=True, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Centre)
class CentreModelAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = CentreForm
    list_display = ["name", "credit_code", "area", "status", "filing_status", "federation"]
    list_display += ["offers_welfare_childcare", "class_count", "created_at"]
    list_filter = ["status", "area", "filing_status", InFederationFilter]
    list_filter += ["offers_welfare_childcare"]
    list_select_related = ["area", "federation"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["status", "created_at"]
    inlines = [CentreClassInline, CentreAdminInline]
    actions = ["approve_selected", "refuse_selected", "suspend_selected", "reinstate_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(class_count=Count("classes"))

    def has_delete_permission(self, request, obj=None):
        return False  # a centre is refused or suspended, never deleted: its history stays

    @admin.display(description=_("classes"), ordering="class_count")
    def class_count(self, centre):
        return centre.class_count

    def save_model(self, request, obj, form, change):
        if change:
            data = _changed(form, services.CENTRE_UPDATABLE_FIELDS)
            services.centre_update(centre=obj, actor=request.user, **data)
            return
        fields = services.CENTRE_UPDATABLE_FIELDS
        data = {name: value for name, value in form.cleaned_data.items() if name in fields}
        created = services.centre_create(actor=request.user, **data)
        obj.pk, obj.status, obj.credit_code = created.pk, created.status, created.credit_code

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is CentreClass:
            self._save_classes(request, form.instance, formset)
        else:
            self._save_admins(request, form.instance, formset)

    def _save_classes(self, request, centre, formset):
        for class_form in formset.forms:
            if not class_form.has_changed():
                continue
            if class_form.instance.pk is None:
                data = dict(class_form.cleaned_data)
                created = services.centre_class_create(
                    centre=centre,
                    actor=request.user,
                    **{k: data[k] for k in ("name", "age_class", "capacity", "monthly_price")},
                )
                if data.get("is_active") is False:
                    services.centre_class_update(
                        centre_class=created, actor=request.user, is_active=False
                    )
                formset.new_objects.append(created)
            else:
                data = _changed(class_form, services.CLASS_UPDATABLE_FIELDS)
                services.centre_class_update(
                    centre_class=class_form.instance, actor=request.user, **data
                )
                formset.changed_objects.append((class_form.instance, class_form.changed_data))

    def _save_admins(self, request, centre, formset):
        for admin_form in formset.forms:
            link = admin_form.instance
            if link.pk is not None and admin_form in formset.deleted_forms:
                services.centre_admin_remove(centre_admin=link, actor=request.user)
                formset.deleted_objects.append(link)
            elif link.pk is None and admin_form.has_changed():
                user = admin_form.cleaned_data["user"]
                created = services.centre_admin_add(centre=centre, user=user, actor=request.user)
                formset.new_objects.append(created)

    def _run(self, request, queryset, service, done_message, **kwargs):
        done = 0
        for centre in queryset:
            try:
                service(centre=centre, actor=request.user, **kwargs)
            except DomainError as error:
                self.message_user(request, _error_text(error), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    def _with_reason(self, request, queryset, *, action, service, question, submit, done):
        form = ReasonForm(request.POST if "post" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run(request, queryset, service, done, reason=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": question,
            "question": question,
            "centres": queryset,
            "form": form,
            "action": action,
            "submit_label": submit,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, REASON_PAGE, context)

    @admin.action(description=_("Approve the selected centres"))
    def approve_selected(self, request, queryset):
        self._run(request, queryset, services.centre_approve, _approved)

    @admin.action(description=_("Refuse the selected centres…"))
    def refuse_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="refuse_selected",
            service=services.centre_refuse,
            question=_("Why are these centres refused?"),
            submit=_("Refuse"),
            done=_refused,
        )

    @admin.action(description=_("Suspend the selected centres…"))
    def suspend_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="suspend_selected",
            service=services.centre_suspend,
            question=_("Why are these centres suspended?"),
            submit=_("Suspend"),
            done=_suspended,
        )

    @admin.action(description=_("Reinstate the selected centres"))
    def reinstate_selected(self, request, queryset):
        self._run(request, queryset, services.centre_reinstate, _reinstated)


def _approved(count: int) -> str:
    return ngettext("%(count)d centre approved.", "%(count)d centres approved.", count) % {
        "count": count
    }


def _refused(count: int) -> str:
    return ngettext("%(count)d centre refused.", "%(count)d centres refused.", count) % {
        "count": count
    }


def _suspended(count: int) -> str:
    return ngettext("%(count)d centre suspended.", "%(count)d centres suspended.", count) % {
        "count": count
    }


def _reinstated(count: int) -> str:
    return ngettext("%(count)d centre reinstated.", "%(count)d centres reinstated.", count) % {
        "count": count
    }


# Classes


class OutOfRatioFilter(admin.SimpleListFilter):
    title = _("staff ratio")
    parameter_name = "ratio"

    def lookups(self, request, model_admin):
        return [("out", _("out of ratio")), ("within", _("within ratio"))]

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.filter(caregivers_active__lt=F("caregivers_needed"))
        if self.value() == "within":
            return queryset.filter(caregivers_active__gte=F("caregivers_needed"))
        return queryset


class CaregiverChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, caregiver):
        return f"{caregiver.full_name} · {caregiver.centre.name}"


class CentreClassForm(forms.ModelForm):
    caregivers = CaregiverChoiceField(
        queryset=Caregiver.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("caregivers assigned"),
    )

    class Meta:
        model = CentreClass
        fields = ["centre", "name", "age_class", "capacity", "monthly_price", "is_active"]
        fields += ["caregivers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        caregivers = Caregiver.objects.select_related("centre").filter(is_active=True)
        if self.instance.pk:
            caregivers = caregivers.filter(centre_id=self.instance.centre_id)
        self.fields["caregivers"].queryset = caregivers.order_by("centre__name", "full_name")

    def clean(self):
        cleaned = super().clean()
        _check_capacity(self, cleaned)
        centre = cleaned.get("centre") or getattr(self.instance, "centre", None)
        foreign = [c for c in cleaned.get("caregivers", []) if centre and c.centre_id != centre.pk]
        if foreign:
            self.add_error("caregivers", _("Choose caregivers who work at this class's centre."))
        return cleaned


@admin.register(CentreClass)
class CentreClassModelAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
    form = CentreClassForm
    list_display = ["name", "centre", "age_class", "capacity", "monthly_price"]
    list_display += ["caregivers_active", "caregivers_needed", "within_ratio", "is_active"]
    list_filter = ["age_class", OutOfRatioFilter, "is_active"]
    list_select_related = ["centre"]
    search_fields = ["name", "centre__name"]

    def get_queryset(self, request):
        return with_ratio(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return ["centre"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # close a class instead: its history and past enrolments stay

    @admin.display(description=_("active caregivers"), ordering="caregivers_active")
    def caregivers_active(self, centre_class):
        return centre_class.caregivers_active

    @admin.display(description=_("caregivers needed"), ordering="caregivers_needed")
    def caregivers_needed(self, centre_class):
        return centre_class.caregivers_needed

    @admin.display(description=_("within ratio"), boolean=True, ordering="within_ratio")
    def within_ratio(self, centre_class):
        return centre_class.within_ratio

    def save_model(self, request, obj, form, change):
        if change:
            data = _changed(form, services.CLASS_UPDATABLE_FIELDS)
            services.centre_class_update(centre_class=obj, actor=request.user, **data)
            return
        data = dict(form.cleaned_data)
        created = services.centre_class_create(
            centre=data["centre"],
            actor=request.user,
            **{k: data[k] for k in ("name", "age_class", "capacity", "monthly_price")},
        )
        if data.get("is_active") is False:
            services.centre_class_update(centre_class=created, actor=request.user, is_active=False)
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        if "caregivers" in form.changed_data:
            services.centre_class_assign_caregivers(
                centre_class=form.instance,
                caregivers=form.cleaned_data["caregivers"],
                actor=request.user,
            )


# Caregivers and centre admins


@admin.register(Caregiver)
class CaregiverModelAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ["full_name", "centre", "role", "is_active", "class_count"]
    list_filter = ["role", "is_active"]
    list_select_related = ["centre"]
    search_fields = ["full_name", "centre__name"]
    fields = ["centre", "full_name", "role", "is_active"]
    actions = ["deactivate_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(class_count=Count("classes"))

    def get_readonly_fields(self, request, obj=None):
        return ["centre", "is_active"] if obj else ["is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # mark as no longer working here instead

    @admin.display(description=_("classes"), ordering="class_count")
    def class_count(self, caregiver):
        return caregiver.class_count

    def save_model(self, request, obj, form, change):
        if change:
            data = _changed(form, services.CAREGIVER_UPDATABLE_FIELDS)
            services.caregiver_update(caregiver=obj, actor=request.user, **data)
            return
        created = services.caregiver_create(
            centre=form.cleaned_data["centre"],
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
        obj.pk = created.pk

    @admin.action(description=_("Mark the selected caregivers as no longer working here"))
    def deactivate_selected(self, request, queryset):
        done = 0
        for caregiver in queryset:
            try:
                services.caregiver_deactivate(caregiver=caregiver, actor=request.user)
            except DomainError as error:
                self.message_user(request, _error_text(error), messages.ERROR)
            else:
                done += 1
        if done:
            message = ngettext(
                "%(count)d caregiver marked as no longer working here.",
                "%(count)d caregivers marked as no longer working here.",
                done,
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)


class CentreAdminForm(forms.ModelForm):
    class Meta:
        model = CentreAdmin
        fields = ["centre", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" not in self.fields:
            return  # the view-only page of an existing link
        self.fields["user"].queryset = User.objects.filter(
            role=Role.CENTRE_ADMIN, centre_admin__isnull=True, is_active=True
        )


@admin.register(CentreAdmin)
class CentreAdminModelAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = CentreAdminForm
    list_display = ["user", "user_full_name", "centre"]
    list_select_related = ["user", "centre"]
    search_fields = ["user__username", "user__full_name", "centre__name"]

    def has_change_permission(self, request, obj=None):
        return False  # remove the link and add another: each step is audited

    @admin.display(description=_("full name"), ordering="user__full_name")
    def user_full_name(self, link):
        return link.user.full_name

    def save_model(self, request, obj, form, change):
        created = services.centre_admin_add(
            centre=form.cleaned_data["centre"], user=form.cleaned_data["user"], actor=request.user
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.centre_admin_remove(centre_admin=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("centre"):
            services.centre_admin_remove(centre_admin=link, actor=request.user)
