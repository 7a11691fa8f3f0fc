"""Union staff console for monthly attendance: find, report and correct any centre's figures.

Saving goes through the attendance service (checks, audit); a month a payout run has used is
shown read-only, and nothing is deleted here: a wrong month is corrected, not removed.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.employers.pricing import format_month, parse_month

from .models import Attendance
from .services import attendance as services


class LockedFilter(admin.SimpleListFilter):
    title = _("used by a payout run")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(used_by_payout_run_id__isnull=self.value() == "no")
        return queryset


class AttendanceAdminForm(forms.ModelForm):
    month_text = forms.CharField(label=_("month (YYYY-MM)"), max_length=7)

    class Meta:
        model = Attendance
        fields = ["enrolment", "days_open", "days_attended"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["month_text"].initial = format_month(self.instance.month)
            # The enrolment and month identify the row; a correction changes only the figures.
            for name in ("enrolment", "month_text"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_month_text(self):
        try:
            return parse_month(self.cleaned_data["month_text"])
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None

    def entry(self) -> services.AttendanceEntry:
        data = self.cleaned_data
        return services.AttendanceEntry(
            data["enrolment"].pk, data["month_text"], data["days_open"], data["days_attended"]
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        found = services.attendance_check(entries=[self.entry()], actor=None).get("", {})
        for field, field_messages in found.items():
            target = {"month": "month_text"}.get(field, field)
            for message in field_messages:
                self.add_error(target if target in self.fields else None, message)
        return cleaned

    def _post_clean(self):
        # The service validates and writes; the model's own full_clean would need the month.
        pass


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    form = AttendanceAdminForm
    list_display = ["child_name", "centre_name", "class_name", "month_label", "days_open"]
    list_display += ["days_attended", "is_locked", "reported_by", "reported_at"]
    list_filter = [LockedFilter, "month", "enrolment__centre"]
    search_fields = ["enrolment__child__full_name", "enrolment__centre__name", "=enrolment__id"]
    # The class's centre too: each row's checkbox is labelled with str(row), which names it.
    list_select_related = [
        "enrolment__child",
        "enrolment__centre",
        "enrolment__centre_class__centre",
        "reported_by",
    ]
    raw_id_fields = ["enrolment"]
    readonly_fields = ["reported_by", "reported_at", "used_by_payout_run_id"]

    @admin.display(description=_("child"), ordering="enrolment__child__full_name")
    def child_name(self, row: Attendance) -> str:
        return row.enrolment.child.full_name

    @admin.display(description=_("centre"), ordering="enrolment__centre__name")
    def centre_name(self, row: Attendance) -> str:
        return row.enrolment.centre.name

    @admin.display(description=_("class"))
    def class_name(self, row: Attendance) -> str:
        return row.enrolment.centre_class.name

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, row: Attendance) -> str:
        return format_month(row.month)

    @admin.display(description=_("used by a payout run"), boolean=True)
    def is_locked(self, row: Attendance) -> bool:
        return row.used_by_payout_run_id is not None

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.used_by_payout_run_id is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        saved = services.attendance_report_batch(entries=[form.entry()], actor=request.user)[0]
        # The admin goes on with `obj` (its log entry, its redirect): make it the saved row.
        for field in Attendance._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved.attendance, field.attname))
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.AttendanceError as error:
            # A payout run took the month between the form's check and the save.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
