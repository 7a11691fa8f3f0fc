"""Admin pages for roster imports and entries: union staff import and correct any roster.

Imports are records (read-only); a new one starts from "Import a roster", for any employer or
from the employer's own change page. Entries are corrected through the roster services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.pii import sensitive_lookup
from apps.core.validators import normalize_id_number
from apps.members.admin import adopt, id_number_search, masked_id_number

from ..forms import RosterImportForm, add_domain_error
from ..models import Employer, RosterEntry, RosterImport
from ..services import roster as services
from ..services.roster_rows import check_entry_fields
from ..views.roster import bound_data, roster_errors_response

ERRORS_SHOWN = 200


class StaffRosterImportForm(RosterImportForm):
    employer = forms.ModelChoiceField(
        label=_("employer"), queryset=Employer.objects.order_by("name", "id")
    )
    field_order = ["employer", "file", "mode"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["employer", "original_name", "mode", "status", "rows_done", "rows_total"]
    list_display += ["created_count", "updated_count", "left_count", "uploaded_by", "created_at"]
    list_filter = ["status", "mode"]
    search_fields = ["employer__name", "=employer__credit_code", "original_name"]
    list_select_related = ["employer", "uploaded_by"]
    list_per_page = 50
    fields = ["employer", "original_name", "mode", "status", "rows_total", "rows_done"]
    fields += ["created_count", "updated_count", "left_count", "uploaded_by", "created_at"]
    fields += ["finished_at"]
    readonly_fields = fields
    change_list_template = "employers/admin/rosterimport_change_list.html"
    change_form_template = "employers/admin/rosterimport_change_form.html"

    def has_add_permission(self, request):
        return False  # through import_view, which checks and runs the file

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="employers_rosterimport_import"),
            path(
                "import/<int:employer_id>/",
                wrap(self.import_view),
                name="employers_rosterimport_import_for",
            ),
            path(
                "<int:pk>/errors.xlsx",
                wrap(self.errors_view),
                name="employers_rosterimport_errors",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        roster_import = get_object_or_404(RosterImport, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "roster_import": roster_import,
            "errors": roster_import.errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(roster_import.errors) - ERRORS_SHOWN),
            "errors_url": reverse("admin:employers_rosterimport_errors", args=[object_id]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def import_view(self, request, employer_id: int | None = None):
        if not request.user.has_perm("employers.add_rosterimport"):
            raise PermissionDenied
        employer = get_object_or_404(Employer, pk=employer_id) if employer_id else None
        form_class = RosterImportForm if employer else StaffRosterImportForm
        form = form_class(*bound_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                roster_import = services.roster_import_submit(
                    employer=employer or form.cleaned_data["employer"],
                    upload=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                self.message_user(request, _("The roster file was received."), messages.SUCCESS)
                return redirect("admin:employers_rosterimport_change", roster_import.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a roster for %(name)s") % {"name": employer}
            if employer
            else _("Import a roster"),
            "form": form,
            "employer": employer,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "employers/admin/roster_import_form.html", context)

    def errors_view(self, request, pk: int):
        if not request.user.has_perm("employers.view_rosterimport"):
            raise PermissionDenied
        return roster_errors_response(get_object_or_404(RosterImport, pk=pk))


def _check_entry(form: forms.ModelForm, names: list[str]) -> dict:
    """The services' own checks, so every refusal lands on its field before saving."""
    cleaned = form.cleaned_data
    fields = {name: cleaned.get(name) for name in names if name in cleaned}
    if "id_number_entry" in cleaned:
        fields["id_number"] = cleaned["id_number_entry"]
    try:
        checked = check_entry_fields(fields)
    except DomainError as error:
        renamed = {
            ("id_number_entry" if k == "id_number" else k): v for k, v in error.fields.items()
        }
        add_domain_error(form, DomainError(error.message, fields=renamed))
        return cleaned
    employer = cleaned.get("employer")
    number = checked.get("id_number")
    if (
        employer is not None
        and number
        and RosterEntry.objects.filter(
            employer=employer,
            **sensitive_lookup("id_number", number, normalize=normalize_id_number),
        ).exists()
    ):
        form.add_error("id_number_entry", _("This person is already on the employer's roster."))
    return cleaned


class RosterEntryChangeForm(forms.ModelForm):
    class Meta:
        model = RosterEntry
        fields = ["full_name", "mobile", "department", "union_member", "start_date", "status"]

    def clean(self):
        super().clean()
        return _check_entry(self, self.Meta.fields)


class RosterEntryAddForm(forms.ModelForm):
    id_number_entry = forms.CharField(label=_("resident ID number"), max_length=30)

    class Meta:
        model = RosterEntry
        fields = ["employer", "full_name", "id_number_entry", "mobile", "department"]
        fields += ["union_member", "start_date"]

    def clean(self):
        super().clean()
        return _check_entry(self, self.Meta.fields)


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    """Corrections by union staff; ID numbers shown masked and searched by exact value only."""

    list_display = ["full_name", "masked_id_number", "employer", "department", "union_member"]
    list_display += ["start_date", "status", "left_on", "updated_at"]
    list_filter = ["status", "union_member", "employer__kind"]
    search_fields = ["full_name", "employer__name", "=employer__credit_code", "department"]
    search_help_text = _("Name, employer, department or exact ID number.")
    list_select_related = ["employer"]
    list_per_page = 50
    raw_id_fields = ["employer"]

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return masked_id_number(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = RosterEntryChangeForm if obj is not None else RosterEntryAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["employer", "masked_id_number", "left_on", "last_import", "updated_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return RosterEntryAddForm.Meta.fields
        return ["employer", "masked_id_number", *RosterEntryChangeForm.Meta.fields, "left_on"]

    def has_delete_permission(self, request, obj=None):
        return False  # mark as left instead: a roster keeps who worked here

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | id_number_search(queryset, search_term), may_have_duplicates

    def save_form(self, request, form, change):
        return form.save(commit=False)

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            saved = services.roster_entry_update(
                entry=RosterEntry.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            saved = services.roster_entry_create(
                actor=request.user, id_number=data.pop("id_number_entry"), **data
            )
        adopt(obj, saved)


# The employer's change page links to its roster; the employer admin class is another module's,
# so it is extended here rather than edited.
_EmployerAdminBase = type(admin.site._registry[Employer])


class EmployerWithRosterAdmin(_EmployerAdminBase):
    readonly_fields = [*_EmployerAdminBase.readonly_fields, "roster_links"]

    @admin.display(description=_("roster"))
    def roster_links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:employers_rosterimport_import_for", args=[obj.pk]),
            _("Import a roster for this employer"),
            reverse("admin:employers_rosterentry_changelist") + f"?employer__id__exact={obj.pk}",
            _("See its roster"),
        )


admin.site.unregister(Employer)
admin.site.register(Employer, EmployerWithRosterAdmin)
