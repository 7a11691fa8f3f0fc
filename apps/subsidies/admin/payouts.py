"""Payout runs in the union staff console: progress bar and stuck flag in the list, a start form,
and resume / approve / cancel / export / bank-return steps that call the services. Runs and
their lines are read-only here at every status; an approved run is never changed."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError

from ..models import PayoutLine, PayoutRun
from ..services import payout_bank, payouts
from ..views.payouts import BankReturnForm, StartForm

LINES_SHOWN = 50
RUN_FIELDS = ["kind", "period", "status", "progress", "stuck", "total_amount", "held_amount"]
RUN_FIELDS += ["schemes", "started_by", "started_at", "progressed_at", "calculated_at"]
RUN_FIELDS += ["approved_by", "approved_at", "exported_at", "paid_at"]
ACTIONS = {
    "resume": lambda run, user, reason: payouts.payout_run_resume(run=run, actor=user),
    "approve": lambda run, user, reason: payouts.payout_run_approve(run=run, actor=user),
    "cancel": lambda run, user, reason: payouts.payout_run_cancel(
        run=run, actor=user, reason=reason
    ),
    "export": lambda run, user, reason: payouts.payout_run_export(run=run, actor=user),
}


class PayoutActionForm(ActionForm):
    reason = forms.CharField(label=_("reason (to cancel)"), required=False, max_length=200)


class FirstLinesFormSet(BaseInlineFormSet):
    def get_queryset(self):
        # A run has up to a line per child: the page shows the first ones, the dashboard all.
        return super().get_queryset()[:LINES_SHOWN]


class PayoutLineInline(admin.TabularInline):
    model = PayoutLine
    formset = FirstLinesFormSet
    fields = ["scheme", "subject", "payee_kind", "payee", "funder", "amount", "days_enrolled"]
    fields += ["status", "adjusts"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("lines (the first 50; all of them on the dashboard)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("payee"))
    def payee(self, line):
        return {"parent": line.member, "centre": line.centre}.get(line.payee_kind, line.employer)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("scheme", "member", "centre", "employer")
            .order_by("id")
        )


@admin.register(PayoutRun)
class PayoutRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress", "stuck", "total_amount", "held_amount"]
    list_display += ["started_by", "approved_by", "started_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=id", "started_by__username", "approved_by__username"]
    list_select_related = ["started_by", "approved_by"]
    list_per_page = 50
    fields = RUN_FIELDS
    readonly_fields = RUN_FIELDS
    inlines = [PayoutLineInline]
    action_form = PayoutActionForm
    actions = ["resume_runs", "approve_runs", "cancel_runs", "export_runs"]
    change_list_template = "subsidies/payout_admin_change_list.html"
    change_form_template = "subsidies/payout_admin_change_form.html"

    @admin.display(description=_("progress"))
    def progress(self, run):
        return format_html(
            '<progress max="{}" value="{}"></progress> {} / {}',
            run.chunks_total or 1,
            run.chunks_done if run.status == PayoutRun.Status.CALCULATING else run.chunks_total,
            run.chunks_done,
            run.chunks_total,
        )

    @admin.display(description=_("stuck"), boolean=True)
    def stuck(self, run):
        return payouts.is_stuck(run)

    def has_add_permission(self, request):
        return False  # runs start from the start form, which calls the service

    def has_change_permission(self, request, obj=None):
        return False  # read-only: every step is a button calling a service

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("start/", wrap(self.start_view), name="subsidies_payoutrun_start"),
            path(
                "<int:pk>/step/<str:step>/",
                wrap(require_POST(self.step_view)),
                name="subsidies_payoutrun_step",
            ),
            path(
                "<int:pk>/bank-return/",
                wrap(self.bank_return_view),
                name="subsidies_payoutrun_bank_return",
            ),
            *super().get_urls(),
        ]

    def _require(self, request, perm: str = "view"):
        if not request.user.has_perm(f"subsidies.{perm}_payoutrun"):
            raise PermissionDenied

    def start_view(self, request):
        self._require(request)
        form = StartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run, created = payouts.payout_run_start(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if not created:
                    self.message_user(request, _("This period already has a run; here it is."))
                return redirect("admin:subsidies_payoutrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start a payout run"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "subsidies/payout_admin_form.html", context)

    def step_view(self, request, pk: int, step: str):
        self._require(request)
        run = get_object_or_404(PayoutRun, pk=pk)
        if step not in ACTIONS:
            raise PermissionDenied
        try:
            ACTIONS[step](run, request.user, request.POST.get("reason", ""))
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("Done."), messages.SUCCESS)
        return redirect("admin:subsidies_payoutrun_change", pk)

    def bank_return_view(self, request, pk: int):
        self._require(request)
        run = get_object_or_404(PayoutRun, pk=pk)
        form = BankReturnForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            try:
                result = payout_bank.payout_run_bank_return(
                    run=run, upload=form.cleaned_data["file"], actor=request.user
                )
            except DomainError as error:
                form.add_error("file", error.message)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the bank's return for %(run)s") % {"run": run},
            "form": form,
            "result": result,
            "run": run,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "subsidies/payout_admin_form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(PayoutRun, pk=object_id)
        steps = {
            PayoutRun.Status.CALCULATING: ["resume"],
            PayoutRun.Status.CALCULATED: ["approve", "cancel"],
            PayoutRun.Status.APPROVED: ["export"],
        }.get(run.status, [])
        extra_context = {
            **(extra_context or {}),
            "run": run,
            "steps": [
                (step, reverse("admin:subsidies_payoutrun_step", args=[run.pk, step]))
                for step in steps
            ],
            "bank_return_url": reverse("admin:subsidies_payoutrun_bank_return", args=[run.pk])
            if run.status in payout_bank.EXPORTABLE
            else "",
            "dashboard_url": reverse("payout-run-detail", args=[run.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _each(self, request, queryset, step: str):
        reason = request.POST.get("reason", "")
        done = 0
        for run in queryset.order_by("pk"):
            try:
                ACTIONS[step](run, request.user, reason)
            except DomainError as error:
                self.message_user(request, f"{run}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d runs done.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Resume selected runs (send unfinished chunks again)"))
    def resume_runs(self, request, queryset):
        self._each(request, queryset, "resume")

    @admin.action(description=_("Approve selected runs (not one you started)"))
    def approve_runs(self, request, queryset):
        self._each(request, queryset, "approve")

    @admin.action(description=_("Cancel selected runs (give a reason)"))
    def cancel_runs(self, request, queryset):
        self._each(request, queryset, "cancel")

    @admin.action(description=_("Export selected runs to the bank"))
    def export_runs(self, request, queryset):
        self._each(request, queryset, "export")
