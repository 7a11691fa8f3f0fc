"""Rounds with their rubric inline (editable until scoring opens), and the holiday table."""

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import EvaluationRound, PublicHoliday, RubricDimension, RubricItem
from ..services.rounds import EDITABLE
from .common import adopt, ask_then_run, run_each

STATE_FIELDS = [
    "status",
    "weights_total",
    "rubric_frozen_at",
    "evaluated_at",
    "publicity_start",
    "publicity_end",
    "published_at",
]
ROUND_FIELDS = [
    "year",
    "level",
    "title",
    "places",
    "applications_open_on",
    "applications_close_on",
    "scoring_opens_on",
    "scoring_closes_on",
]


class _FrozenAware:
    """Inline rows are read-only, and none added or removed, once the rubric is frozen."""

    def _editable(self, obj) -> bool:
        return obj is not None and not obj.rubric_frozen

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class RubricDimensionInline(_FrozenAware, admin.TabularInline):
    model = RubricDimension
    fields = ["code", "weight"]
    readonly_fields = ["code"]
    extra = 0
    verbose_name_plural = _("rubric dimensions and weights (they must add up to 100)")

    def has_add_permission(self, request, obj=None):
        return False  # always the four dimensions

    def has_delete_permission(self, request, obj=None):
        return False


class RubricItemInline(_FrozenAware, admin.TabularInline):
    model = RubricItem
    fields = ["dimension", "title", "max_score", "position", "guidance"]
    extra = 0
    verbose_name_plural = _("rubric items")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            round_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = RubricDimension.objects.filter(round_id=round_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {"guidance": forms.Textarea(attrs={"rows": 2, "cols": 40})}
        return super().get_formset(request, obj, **kwargs)


class StartPublicityForm(forms.Form):
    start = forms.DateField(label=_("publicity starts on"), help_text=_("Today or later."))


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(SimpleHistoryAdmin):
    list_display = ["display_title", "year", "level", "places", "status", "publicity_start"]
    list_display += ["publicity_end", "published_at"]
    list_filter = ["status", "level", "year"]
    search_fields = ["title", "=year"]
    list_per_page = 50
    actions = ["open_applications", "open_scoring", "evaluate", "start_publicity", "publish"]

    def get_fields(self, request, obj=None):
        return ROUND_FIELDS if obj is None else [*ROUND_FIELDS, *STATE_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = [name for name in ROUND_FIELDS if name not in EDITABLE[obj.status]]
        return [*fixed, *STATE_FIELDS]

    def get_inlines(self, request, obj):
        return [] if obj is None else [RubricDimensionInline, RubricItemInline]

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == EvaluationRound.Status.DRAFT

    @admin.display(description=_("weights total"))
    def weights_total(self, obj) -> str:
        total = obj.dimensions.aggregate(total=Sum("weight"))["total"] or 0
        if total == 100:
            return f"{total:.2f}"
        return format_html('<strong style="color:#a00">{} ≠ 100</strong>', f"{total:.2f}")

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ROUND_FIELDS if name in form.cleaned_data}
        if change:
            current = EvaluationRound.objects.get(pk=obj.pk)
            saved = services.round_update(round=current, actor=request.user, **data)
        else:
            saved = services.round_create(actor=request.user, **data)
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        # Each row goes through the rubric services, which refuse a frozen rubric; the lists
        # below are what the admin's change message reads.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is RubricDimension:
            self._save_weights(request, formset)
        elif formset.model is RubricItem:
            self._save_items(request, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_weights(self, request, formset) -> None:
        for row in formset.forms:
            # has_changed() is False for rows the admin shows read-only (a frozen rubric).
            if row.instance.pk and row.has_changed() and "weight" in row.changed_data:
                saved = services.rubric_dimension_set_weight(
                    dimension=row.instance, weight=row.cleaned_data["weight"], actor=request.user
                )
                formset.changed_objects.append((saved, ["weight"]))

    def _save_items(self, request, round, formset) -> None:
        for row in formset.deleted_forms:
            if row.instance.pk:
                services.rubric_item_delete(item=row.instance, actor=request.user)
                formset.deleted_objects.append(row.instance)
        for row in formset.forms:
            data = getattr(row, "cleaned_data", None)
            if not data or data.get("DELETE") or not row.has_changed():
                continue
            created = row.instance.pk is None
            saved = services.rubric_item_save(
                round=round,
                dimension=data["dimension"],
                title=data["title"],
                max_score=data["max_score"],
                guidance=data.get("guidance", ""),
                position=data.get("position") or 0,
                item=None if created else row.instance,
                actor=request.user,
            )
            if created:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, row.changed_data))

    @admin.action(description=_("Open for applications"))
    def open_applications(self, request, queryset):
        run_each(
            self, request, queryset, lambda r, a: services.round_open_applications(round=r, actor=a)
        )

    @admin.action(description=_("Open scoring (freezes the rubric)"))
    def open_scoring(self, request, queryset):
        run_each(
            self, request, queryset, lambda r, a: services.round_open_scoring(round=r, actor=a)
        )

    @admin.action(description=_("Evaluate (runs on the workers)"))
    def evaluate(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda r, a: services.round_evaluation_request(round=r, actor=a),
        )

    @admin.action(description=_("Start publicity (asks for the start date)"))
    def start_publicity(self, request, queryset):
        return ask_then_run(
            self,
            request,
            queryset,
            form_class=StartPublicityForm,
            action="start_publicity",
            prompt=_("When does the publicity notice start?"),
            service=lambda r, a, start: services.round_publicity_start(
                round=r, actor=a, start=start
            ),
        )

    @admin.action(description=_("Publish results"))
    def publish(self, request, queryset):
        run_each(self, request, queryset, lambda r, a: services.round_publish(round=r, actor=a))


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    # Reference data without business rules: the plain admin form is the editor.
    list_display = ["date", "weekday", "name"]
    list_filter = ["name"]
    search_fields = ["name"]
    date_hierarchy = "date"
    list_per_page = 100

    @admin.display(description=_("weekday"))
    def weekday(self, obj) -> str:
        return date_format(obj.date, "l")
