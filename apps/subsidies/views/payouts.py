"""Staff dashboard pages for payout runs: the list (with a start form), a run with its polling
progress bar and its buttons, its report (page and .xlsx), and its bank sheets: the one shown
here with masked accounts, and the bank's file with full numbers (audited download)."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Role
from apps.core.errors import DomainError
from apps.core.spreadsheets import XLSX_CONTENT_TYPE, content_disposition, xlsx_response
from apps.employers.pricing import parse_month

from ..models import PayoutLine, PayoutRun
from ..selectors import payouts as selectors
from ..services import payout_bank, payouts

SHEET_ROWS_PER_PAGE = 100
RUNS_PER_PAGE = 30


def union_staff_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.UNION_STAFF:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class MonthInput(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_month(value) if value else None
        except ValueError:
            raise forms.ValidationError(gettext_lazy("Give the month as YYYY-MM.")) from None


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=PayoutRun.Kind.choices)
    period = MonthInput(
        label=gettext_lazy("period (YYYY-MM)"),
        widget=forms.TextInput(attrs={"placeholder": "2026-10"}),
    )


class BankReturnForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("bank's return sheet (.xlsx or .csv)"))


def _run(request, pk: int) -> PayoutRun:
    return get_object_or_404(selectors.payout_run_list(user=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
@union_staff_required
def run_list(request):
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run, created = payouts.payout_run_start(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error("period" if "period" in error.fields else None, error.message)
        else:
            if not created:
                messages.info(request, _("This period already has a run; here it is."))
            return redirect("payout-run-detail", pk=run.pk)
    runs = Paginator(selectors.payout_run_list(user=request.user), RUNS_PER_PAGE)
    context = {"form": form, "page": runs.get_page(request.GET.get("page"))}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "subsidies/payout_list.html", context, status=status)


@require_GET
@union_staff_required
def run_detail(request, pk: int):
    run = _run(request, pk)
    sheets = []
    if run.status in payout_bank.EXPORTABLE:
        sheets = [
            {"funder": funder, "label": PayoutLine(funder=funder).get_funder_display()}
            for funder in payout_bank.funders(run)
        ]
    counts = selectors.payout_status_counts(run)
    context = {
        "run": run,
        "stuck": payouts.is_stuck(run),
        "status_rows": [
            (label, counts[value]) for value, label in PayoutLine.Status.choices if value in counts
        ],
        "sheets": sheets,
        "bank_form": BankReturnForm(),
    }
    return render(request, "subsidies/payout_detail.html", context)


def _do(request, pk: int, action: str) -> None:
    run = _run(request, pk)
    if action == "resume":
        payouts.payout_run_resume(run=run, actor=request.user)
        messages.success(request, _("The unfinished chunks were sent again."))
    elif action == "approve":
        payouts.payout_run_approve(run=run, actor=request.user)
        messages.success(request, _("The run is approved; its budget is committed."))
    elif action == "cancel":
        payouts.payout_run_cancel(run=run, actor=request.user, reason=request.POST.get("reason"))
        messages.success(request, _("The run is cancelled; its reservations are released."))
    elif action == "export":
        payouts.payout_run_export(run=run, actor=request.user)
        messages.success(request, _("The run is exported: download the bank sheets below."))
    elif action == "bank-return":
        form = BankReturnForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the bank's return sheet to upload."))
            return
        result = payout_bank.payout_run_bank_return(
            run=run, upload=form.cleaned_data["file"], actor=request.user
        )
        messages.success(
            request,
            _("%(paid)d lines paid, %(unmatched)d unmatched, %(problems)d rows not matched.")
            % {
                "paid": result.paid_lines,
                "unmatched": result.unmatched_lines,
                "problems": len(result.problems),
            },
        )
        for problem in result.problems[:20]:
            messages.warning(request, f"{problem['row']}: {problem['reason']}")
    else:
        raise Http404


@require_POST
@union_staff_required
def run_action(request, pk: int, action: str):
    try:
        _do(request, pk, action)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("payout-run-detail", pk=pk)


@require_GET
@union_staff_required
def run_report(request, pk: int):
    run = _run(request, pk)
    report = selectors.payout_run_report(run)
    sections = [
        ("scheme", _("By scheme")),
        ("funder", _("By funder")),
        ("employer", _("By employer")),
        ("centre", _("By centre")),
    ]
    if request.GET.get("format") == "xlsx":
        headers = [_("Section"), _("Name"), _("Lines"), _("Payable"), _("Held"), _("Paid")]
        rows = [
            [title, row["name"] or "—", row["lines"], row["payable"], row["held"], row["paid"]]
            for key, title in sections
            for row in report[key]
        ]
        return xlsx_response(f"payout-{run.pk}-{run.period:%Y-%m}-report.xlsx", headers, rows)
    tables = [(title, report[key]) for key, title in sections]
    return render(request, "subsidies/payout_report.html", {"run": run, "tables": tables})


def _funder(run: PayoutRun, funder: str) -> str:
    if funder not in payout_bank.funders(run):
        raise Http404
    return funder


@require_GET
@union_staff_required
def bank_sheet(request, pk: int, funder: str):
    """The sheet as shown: the bank's rows with masked account numbers."""
    run = _run(request, pk)
    if run.status not in payout_bank.EXPORTABLE:
        raise Http404
    groups = payout_bank.sheet_groups(run, _funder(run, funder))
    page = Paginator(groups, SHEET_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "funder": funder,
        "funder_label": PayoutLine(funder=funder).get_funder_display(),
        "headers": payout_bank.HEADERS,
        "rows": list(payout_bank.sheet_rows(run, page.object_list)),
        "page": page,
    }
    return render(request, "subsidies/payout_bank_sheet.html", context)


@require_GET
@union_staff_required
def bank_file(request, pk: int, funder: str):
    """The bank's file: full account numbers, decrypted only while it is written."""
    run = _run(request, pk)
    try:
        content = payout_bank.bank_file(run, _funder(run, funder), actor=request.user)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"bank-{run.period:%Y-%m}-{run.get_kind_display()}-{funder}-{run.pk}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response
