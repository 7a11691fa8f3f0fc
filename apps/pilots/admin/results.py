"""Results with each reviewer's deviation, the higher level's decisions, and objections."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.pii import mask

from .. import services
from ..models import Objection, ReviewerResult, UnitResult
from .common import ReadOnlyMixin, adopt, ask_then_run


class ReviewerResultInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewerResult
    fields = ["assignment", "total", "others_mean", "deviation", "flagged"]
    readonly_fields = fields
    extra = 0


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (UnitResult.Decision.APPROVED, UnitResult.Decision.APPROVED.label),
            (UnitResult.Decision.NOT_APPROVED, UnitResult.Decision.NOT_APPROVED.label),
        ],
    )
    decided_on = forms.DateField(label=_("decided on"))
    note = forms.CharField(label=_("document or note"), max_length=200, required=False)


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Computed by the evaluation; union staff record the higher level's decision."""

    list_display = ["rank", "application", "round", "total", "recommended", "reviewer_count"]
    list_display += ["decision", "decision_on"]
    list_filter = ["round", "recommended", "decision"]
    search_fields = ["application__employer__name"]
    list_select_related = ["application__employer", "application__round", "round"]
    list_per_page = 100
    fields = ["round", "application", "rank", "total", "score_infrastructure"]
    fields += ["score_staffing", "score_activities", "score_management", "reviewer_count"]
    fields += ["trimmed", "recommended", "item_scores", "decision", "decision_on"]
    fields += ["decision_note", "computed_at"]
    readonly_fields = fields
    inlines = [ReviewerResultInline]
    actions = ["record_decision"]

    @admin.action(description=_("Record the higher level's decision (asks for it)"))
    def record_decision(self, request, queryset):
        return ask_then_run(
            self,
            request,
            queryset,
            form_class=DecisionForm,
            action="record_decision",
            prompt=_("What did Tangshan or Hebei decide, and when?"),
            service=lambda result, actor, **data: services.result_record_decision(
                result=result, actor=actor, **data
            ),
        )


LODGED_FIELDS = ["round", "application", "full_name", "contact", "reason", "lodged_at"]


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["outcome", "resolution"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.round.status == self.instance.round.Status.PUBLISHED:
            raise forms.ValidationError(_("The results are already published."))
        if not cleaned.get("outcome"):
            self.add_error("outcome", _("Choose upheld or dismissed."))
        if not (cleaned.get("resolution") or "").strip():
            self.add_error("resolution", _("Say how the objection was resolved."))
        return cleaned


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    """Lodged by the public; union staff record how each was resolved (then it is closed)."""

    form = ObjectionForm
    list_display = ["lodged_at", "round", "application", "full_name", "masked_contact", "status"]
    list_display += ["outcome"]
    list_filter = ["status", "outcome", "round"]
    search_fields = ["full_name", "reason", "application__employer__name"]
    list_select_related = ["round", "application__employer", "application__round"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Objection.Status.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        return [*LODGED_FIELDS, "outcome", "resolution", "resolved_by", "resolved_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*LODGED_FIELDS, "resolved_by", "resolved_at"]

    @admin.display(description=_("contact"))
    def masked_contact(self, obj) -> str:
        return mask(obj.contact, keep_start=3, keep_end=2)

    def save_model(self, request, obj, form, change):
        saved = services.objection_resolve(
            objection=Objection.objects.get(pk=obj.pk),
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            resolution=form.cleaned_data["resolution"],
        )
        adopt(obj, saved)
