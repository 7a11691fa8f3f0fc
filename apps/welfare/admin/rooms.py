from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..checklist import load_checklist
from ..models import Level, MotherRoom, MotherRoomInspection
from ..services.rooms import ROOM_FIELDS
from .common import adopt, run_action


class MotherRoomForm(forms.ModelForm):
    class Meta:
        model = MotherRoom
        fields = ["host_employer", "host_union", *ROOM_FIELDS]

    def clean(self):
        data = super().clean()
        minimum = load_checklist().min_area_m2
        if data.get("floor_area_m2") is not None and data["floor_area_m2"] < minimum:
            self.add_error(
                "floor_area_m2",
                _("A caring mother room needs at least %(minimum)s m² of floor area.")
                % {"minimum": minimum},
            )
        return data


@admin.register(MotherRoom)
class MotherRoomAdmin(SimpleHistoryAdmin):
    form = MotherRoomForm
    list_display = ["name", "host", "version", "status", "level", "recognised_on", "area"]
    list_filter = ["status", "version", "level", "area"]
    search_fields = ["name", "address", "host_employer__name", "host_union__name"]
    list_select_related = ["host_employer", "host_union", "area"]
    raw_id_fields = ["host_employer", "host_union"]
    readonly_fields = ["status", "level", "recognised_on", "refusal_reason", "created_at"]
    actions = ["approve_qianan", "set_level_tangshan", "set_level_hebei"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in ROOM_FIELDS}
        if change:
            services.mother_room_update(room=obj, actor=request.user, **fields)
            return
        room = services.mother_room_propose(
            actor=request.user,
            host_employer=form.cleaned_data["host_employer"],
            host_union=form.cleaned_data["host_union"],
            **fields,
        )
        adopt(obj, room)

    @admin.action(description=_("Approve at Qian'an level (recognised today)"))
    def approve_qianan(self, request, queryset):
        today = timezone.localdate()
        run_action(
            self,
            request,
            queryset,
            lambda room, actor: services.mother_room_approve(
                room=room, level=Level.QIANAN, recognised_on=today, actor=actor
            ),
        )

    def _set_level(self, request, queryset, level: str) -> None:
        today = timezone.localdate()
        run_action(
            self,
            request,
            queryset,
            lambda room, actor: services.mother_room_set_level(
                room=room, level=level, recognised_on=today, actor=actor
            ),
        )

    @admin.action(description=_("Set Tangshan city level (recognised today)"))
    def set_level_tangshan(self, request, queryset):
        self._set_level(request, queryset, Level.TANGSHAN)

    @admin.action(description=_("Set Hebei provincial level (recognised today)"))
    def set_level_hebei(self, request, queryset):
        self._set_level(request, queryset, Level.HEBEI)


class InspectionForm(forms.ModelForm):
    """One tick box per checklist item; the area item is judged from the measured area."""

    class Meta:
        model = MotherRoomInspection
        fields = ["room", "inspected_on", "measured_area_m2", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = MotherRoom.objects.filter(status=MotherRoom.Status.APPROVED)
        for item in load_checklist().ticked_items:
            self.fields[f"item_{item.code}"] = forms.BooleanField(label=item.label, required=False)

    def results(self) -> dict[str, bool]:
        return {
            item.code: self.cleaned_data.get(f"item_{item.code}", False)
            for item in load_checklist().ticked_items
        }

    def clean(self):
        data = super().clean()
        room, day = data.get("room"), data.get("inspected_on")
        if day and day > timezone.localdate():
            self.add_error("inspected_on", _("The date cannot be in the future."))
        elif room and day and room.inspections.filter(inspected_on=day).exists():
            self.add_error("inspected_on", _("This room already has an inspection on this date."))
        return data

    def _post_clean(self):
        # The outcome, levels and inspector are the service's to set; nothing to validate here.
        pass


@admin.register(MotherRoomInspection)
class MotherRoomInspectionAdmin(admin.ModelAdmin):
    form = InspectionForm
    list_display = ["room", "inspected_on", "outcome", "level_before", "level_after"]
    list_filter = ["outcome", "level_before"]
    search_fields = ["room__name"]
    list_select_related = ["room"]
    date_hierarchy = "inspected_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Recorded inspections are read only; the checklist form is for new ones.
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)
        return [
            "room",
            "inspected_on",
            "measured_area_m2",
            "results",
            "failed_items",
            "outcome",
            "level_before",
            "level_after",
            "notes",
        ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        inspection = services.mother_room_inspect(
            room=form.cleaned_data["room"],
            inspected_on=form.cleaned_data["inspected_on"],
            measured_area_m2=form.cleaned_data["measured_area_m2"],
            results=form.results(),
            notes=form.cleaned_data["notes"],
            actor=request.user,
        )
        adopt(obj, inspection)
