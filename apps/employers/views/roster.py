"""Roster pages of the employer portal: the roster, an upload, its progress and its errors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.errors import DomainError
from apps.core.spreadsheets import xlsx_response

from ..forms import RosterImportForm, add_domain_error
from ..models import RosterEntry
from ..selectors import roster as selectors
from ..services import roster as services
from ..services.roster_rows import TEMPLATE_HEADERS
from .portal import approved_employer_required

ENTRIES_PER_PAGE = 50
ERRORS_SHOWN = 200


@require_GET
@approved_employer_required
def roster_list(request, employer):
    status = request.GET.get("status", "")
    status = status if status in RosterEntry.Status.values else ""
    search = request.GET.get("q", "").strip()[:50]
    entries = selectors.roster_entry_list(
        user=request.user, employer=employer, status=status, search=search
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "employer": employer,
        "page": page,
        "status": status,
        "search": search,
        "statuses": RosterEntry.Status.choices,
        "query": query.urlencode(),
    }
    return render(request, "employers/roster_list.html", context)


@require_http_methods(["GET", "POST"])
@approved_employer_required
def roster_import_new(request, employer):
    form = RosterImportForm(*bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = services.roster_import_submit(
                employer=employer,
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("employer_portal:roster-import", pk=roster_import.pk)
    imports = selectors.roster_import_list(user=request.user).filter(employer=employer)[:10]
    context = {"employer": employer, "form": form, "imports": imports}
    return render(request, "employers/roster_import_form.html", context, status=_status(form))


def bound_data(request) -> tuple:
    """Form data for a submission (even one with only a file), nothing for a GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_GET
@approved_employer_required
def roster_import_detail(request, employer, pk: int):
    roster_import = get_object_or_404(
        selectors.roster_import_list(user=request.user).filter(employer=employer), pk=pk
    )
    context = {
        "employer": employer,
        "roster_import": roster_import,
        "errors": roster_import.errors[:ERRORS_SHOWN],
        "more_errors": max(0, len(roster_import.errors) - ERRORS_SHOWN),
    }
    return render(request, "employers/roster_import_detail.html", context)


@require_GET
@approved_employer_required
def roster_import_errors(request, employer, pk: int):
    """The errors as a sheet: row, column, reason; never a cell's value."""
    roster_import = get_object_or_404(
        selectors.roster_import_list(user=request.user).filter(employer=employer), pk=pk
    )
    if not roster_import.errors:
        messages.info(request, _("This import has no errors."))
        return redirect("employer_portal:roster-import", pk=pk)
    return roster_errors_response(roster_import)


def roster_errors_response(roster_import):
    return xlsx_response(
        f"roster-errors-{roster_import.pk}.xlsx",
        [_("Row"), _("Column"), _("Reason")],
        services.roster_import_error_rows(roster_import),
        sheet_title=_("Errors"),
    )


@require_GET
def roster_template(request):
    """The empty template; public, it holds nothing but the column headers."""
    return xlsx_response("roster-template.xlsx", TEMPLATE_HEADERS, [], sheet_title="花名册")
