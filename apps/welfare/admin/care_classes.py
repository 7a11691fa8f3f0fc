from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import CareClass, CareClassEnrolment, CareClassSession
from ..services.care_classes import CLASS_FIELDS
from .common import adopt, run_action


class CareClassForm(forms.ModelForm):
    class Meta:
        model = CareClass
        fields = ["organiser_union", "organiser_employer", *CLASS_FIELDS]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < self.instance.enrolled:
            raise forms.ValidationError(
                _("%(enrolled)d children are enrolled; the capacity cannot be lower.")
                % {"enrolled": self.instance.enrolled}
            )
        return capacity


class SessionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.attendance.exists():
                raise forms.ValidationError(
                    _("Attendance has been recorded for a session; it cannot be deleted.")
                )


class SessionInline(admin.TabularInline):
    model = CareClassSession
    formset = SessionFormSet
    extra = 1


@admin.register(CareClass)
class CareClassAdmin(SimpleHistoryAdmin):
    form = CareClassForm
    list_display = [
        "name",
        "organiser",
        "kind",
        "status",
        "capacity",
        "enrolled",
        "fee",
        "recognised_by",
    ]
    list_filter = ["kind", "status", "recognised_by", "area"]
    search_fields = ["name", "organiser_union__name", "organiser_employer__name"]
    list_select_related = ["organiser_union", "organiser_employer", "area"]
    raw_id_fields = ["organiser_union", "organiser_employer"]
    readonly_fields = ["status", "enrolled", "recognised_by", "recognised_on", "created_at"]
    inlines = [SessionInline]
    actions = ["open_classes", "close_classes", "recognise_tangshan", "recognise_qianan"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in CLASS_FIELDS}
        if change:
            services.care_class_update(care_class=obj, actor=request.user, **fields)
            return
        care_class = services.care_class_create(
            actor=request.user,
            organiser_union=form.cleaned_data["organiser_union"],
            organiser_employer=form.cleaned_data["organiser_employer"],
            **fields,
        )
        adopt(obj, care_class)

    def save_formset(self, request, form, formset, change):
        sessions = formset.save(commit=False)
        for session in formset.deleted_objects:
            services.care_class_session_delete(session=session, actor=request.user)
        for session in sessions:
            session.care_class_id = form.instance.pk
            services.care_class_session_save(session=session, actor=request.user)

    def _status(self, request, queryset, status: str) -> None:
        run_action(
            self,
            request,
            queryset,
            lambda care_class, actor: services.care_class_set_status(
                care_class=care_class, status=status, actor=actor
            ),
        )

    @admin.action(description=_("Open for enrolment"))
    def open_classes(self, request, queryset):
        self._status(request, queryset, CareClass.Status.OPEN)

    @admin.action(description=_("Close"))
    def close_classes(self, request, queryset):
        self._status(request, queryset, CareClass.Status.CLOSED)

    def _recognise(self, request, queryset, by: str) -> None:
        today = timezone.localdate()
        run_action(
            self,
            request,
            queryset,
            lambda care_class, actor: services.care_class_recognise(
                care_class=care_class, recognised_by=by, recognised_on=today, actor=actor
            ),
        )

    @admin.action(description=_("Recognised by the Tangshan federation (today)"))
    def recognise_tangshan(self, request, queryset):
        self._recognise(request, queryset, CareClass.RecognisedBy.TANGSHAN)

    @admin.action(description=_("Recognised by the Qian'an federation (today)"))
    def recognise_qianan(self, request, queryset):
        self._recognise(request, queryset, CareClass.RecognisedBy.QIANAN)


@admin.register(CareClassEnrolment)
class CareClassEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["care_class", "child", "status", "created_at"]
    list_filter = ["status", "care_class"]
    search_fields = ["care_class__name", "child__full_name"]
    list_select_related = ["care_class", "child"]
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel and free the place"))
    def cancel(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            lambda enrolment, actor: services.care_class_enrolment_cancel(
                enrolment=enrolment, actor=actor
            ),
        )
