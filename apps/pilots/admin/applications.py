"""Applications, their evidence and reviewer assignments (self-review refused)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User

from .. import services
from ..errors import PilotError
from ..models import Application, EvaluationRound, Evidence, ReviewerAssignment
from .common import ReadOnlyMixin, add_service_errors, adopt, ask_then_run


def _file_link(evidence: Evidence) -> str:
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("pilots:evidence-file", args=[evidence.pk]),
        evidence.original_name,
    )


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    fields = ["item", "file_link", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("file"))
    def file_link(self, obj) -> str:
        return _file_link(obj)


class AssignmentInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewerAssignment
    fk_name = "application"
    fields = ["reviewer", "assigned_at", "submitted_at"]
    readonly_fields = fields
    extra = 0


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Units apply from their portal; union staff read, follow and may disqualify."""

    list_display = ["employer", "round", "status", "submitted_at", "reviewers"]
    list_filter = ["status", "round"]
    search_fields = ["employer__name", "=employer__credit_code"]
    list_select_related = ["employer", "round"]
    list_per_page = 50
    fields = ["round", "employer", "status", "status_reason", "submitted_at", "statement"]
    fields += ["indicators"]
    readonly_fields = fields
    inlines = [EvidenceInline, AssignmentInline]
    actions = ["disqualify"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(reviewer_total=Count("assignments"))

    @admin.display(description=_("reviewers"), ordering="reviewer_total")
    def reviewers(self, obj) -> int:
        return obj.reviewer_total

    @admin.action(description=_("Disqualify selected units (asks for a reason)"))
    def disqualify(self, request, queryset):
        return ask_then_run(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            action="disqualify",
            prompt=_("Why are these units disqualified?"),
            service=lambda a, actor, reason: services.application_disqualify(
                application=a, actor=actor, reason=reason
            ),
        )


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "application", "item", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type", "application__round"]
    search_fields = ["original_name", "application__employer__name"]
    list_select_related = ["application__employer", "application__round", "item"]
    list_per_page = 50
    fields = ["application", "item", "file_link", "original_name", "content_type", "size"]
    fields += ["sha256", "description", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def file_link(self, obj) -> str:
        return _file_link(obj)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = ReviewerAssignment
        fields = ["application", "reviewer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reviewer" in self.fields:
            self.fields["reviewer"].queryset = User.objects.filter(
                role=Role.REVIEWER, is_active=True
            ).order_by("username")
            self.fields["application"].queryset = Application.objects.filter(
                status=Application.Status.SUBMITTED,
                round__status__in=[EvaluationRound.Status.OPEN, EvaluationRound.Status.SCORING],
            ).select_related("employer", "round")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("application") and cleaned.get("reviewer"):
            try:
                services.assignment_check(
                    application=cleaned["application"], reviewer=cleaned["reviewer"]
                )
            except PilotError as error:
                add_service_errors(self, error)
        return cleaned


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    """Assignments are added (never a reviewer linked to the unit) and removed until submitted."""

    form = AssignmentForm
    list_display = ["application", "reviewer", "assigned_at", "submitted_at", "flagged"]
    list_filter = ["application__round", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["application__employer__name", "reviewer__username", "reviewer__full_name"]
    list_select_related = ["application__employer", "application__round", "reviewer"]
    list_select_related += ["review_result"]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("flagged"), boolean=True)
    def flagged(self, obj) -> bool | None:
        result = getattr(obj, "review_result", None)
        return None if result is None else result.flagged

    def save_model(self, request, obj, form, change):
        saved = services.assignment_create(
            application=form.cleaned_data["application"],
            reviewer=form.cleaned_data["reviewer"],
            actor=request.user,
        )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        services.assignment_remove(assignment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.assignment_remove(assignment=assignment, actor=request.user)
