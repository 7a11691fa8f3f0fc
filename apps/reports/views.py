"""Report pages: the union staff dashboard (the city, by area or union), its lists of rows, the
employer's and the centre's own figures, and their spreadsheet exports. Reads only."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.models import Role
from apps.core.models import Area
from apps.members.models import Union

from . import charts, exports, presentation, rendering, selectors
from .columns import COLUMNS
from .definitions import DEFINITIONS, ROW_TITLES
from .filters import Filters, read_filters
from .selectors.rows import SOURCES, RowParamError, row_list, row_params
from .selectors.scopes import Kind, Scope

ROWS_PER_PAGE = 50
EXPORT_URLS = {
    Kind.CITY: "reports:export",
    Kind.EMPLOYER: "reports:employer-export",
    Kind.CENTRE: "reports:centre-export",
}


def role_required(role: str):
    """Signed in with `role` (else the sign-in page, or 403 for another role)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _own_scope(request) -> Scope:
    scope = selectors.scope_for_user(request.user)
    if scope is None:
        raise PermissionDenied(_("Your organisation is not approved yet."))
    return scope


def _query(filters: Filters, **params) -> str:
    return urlencode({**filters.query, **{k: v for k, v in params.items() if v is not None}})


def rows_link(filters: Filters):
    """`link(figure, **params)`: the rows page of a figure, with the page's filters."""
    paths: dict[str, str] = {}
    base = urlencode(filters.query)

    def link(figure: str, **params) -> str:
        if figure not in paths:  # a page links each list many times: reverse it once
            paths[figure] = f"{reverse('reports:rows', args=[figure])}?{base}"
        extra = urlencode({k: v for k, v in params.items() if v is not None})
        return f"{paths[figure]}&{extra}" if extra else paths[figure]

    return link


def _figures(scope: Scope, filters: Filters) -> dict:
    return selectors.scope_figures(scope=scope, period=filters.period)


def _scope(kind: Kind, request, filters: Filters) -> Scope:
    if kind == Kind.CITY:
        return Scope.city(area=filters.area, union=filters.union)
    return _own_scope(request)


def _page(request, kind: Kind, *, title: str):
    filters, errors = read_filters(request.GET)
    context = {"title": title, "kind": str(kind), "errors": errors, "query": request.GET}
    if kind == Kind.CITY:
        context["areas"] = Area.objects.filter(is_active=True)
        context["unions"] = Union.objects.filter(is_active=True).order_by("kind", "name")
    if errors:
        return render(request, "reports/dashboard.html", context, status=400)
    scope = _scope(kind, request, filters)
    figures = _figures(scope, filters)
    link = rows_link(filters) if kind == Kind.CITY else presentation.no_link
    found_tables = presentation.tables(figures, link)
    export = EXPORT_URLS[kind]
    query = _query(filters)
    context.update(
        filters=filters,
        scope_label=scope.label,
        sections=presentation.cards(figures, link),
        tables=[
            {
                "table": table,
                "chart": charts.chart_for(table),
                "chart_id": f"chart-data-{table.key}",
                "chart_height": charts.height(table),
                "html": rendering.table_html(table),
                "export": f"{reverse(export, args=[table.key])}?{query}",
            }
            for table in found_tables
        ],
        summary_export=f"{reverse(export, args=['summary'])}?{query}",
    )
    return render(request, "reports/dashboard.html", context)


@require_GET
@role_required(Role.UNION_STAFF)
def dashboard(request):
    """The city's figures for union staff; every figure links to the rows behind it."""
    return _page(request, Kind.CITY, title=_("Caring childcare at a glance"))


@require_GET
@role_required(Role.EMPLOYER_ADMIN)
def employer_figures(request):
    """The employer admin's own employer's figures only."""
    return _page(request, Kind.EMPLOYER, title=_("Our caring-childcare figures"))


@require_GET
@role_required(Role.CENTRE_ADMIN)
def centre_figures(request):
    """The centre admin's own centre's figures only."""
    return _page(request, Kind.CENTRE, title=_("Our centre's figures"))


def _export(request, kind: Kind, report: str):
    with translation.override(exports.EXPORT_LANGUAGE):
        filters, errors = read_filters(request.GET)
        if errors:
            return _bad_request(request, errors)
        scope = _scope(kind, request, filters)
        figures = _figures(scope, filters)
        label = "" if kind == Kind.CITY else scope.label
        if report == "summary":
            sections = presentation.cards(figures)
            return exports.summary_response(sections, period=filters.period, scope_label=label)
        if report not in presentation.TABLES:
            raise Http404
        table = presentation.table(report, figures)
        if table is None:
            raise Http404
        return exports.table_response(table, period=filters.period, scope_label=label)


@require_GET
@role_required(Role.UNION_STAFF)
def dashboard_export(request, report: str):
    return _export(request, Kind.CITY, report)


@require_GET
@role_required(Role.EMPLOYER_ADMIN)
def employer_export(request, report: str):
    return _export(request, Kind.EMPLOYER, report)


@require_GET
@role_required(Role.CENTRE_ADMIN)
def centre_export(request, report: str):
    return _export(request, Kind.CENTRE, report)


def _bad_request(request, errors: dict, **context):
    context.update(errors=errors, title=_("These filters cannot be used"))
    return render(request, "reports/rows.html", context, status=400)


def _rows_query(request, figure: str):
    """(filters, rows) of the figure from the request, or (None, error response)."""
    if figure not in SOURCES:
        raise Http404
    filters, errors = read_filters(request.GET)
    if errors:
        return None, _bad_request(request, errors)
    try:
        params = row_params(figure, request.GET, filters.period)
    except RowParamError as error:
        return None, _bad_request(request, {error.name: [_("This value is not valid here.")]})
    scope = Scope.city(area=filters.area, union=filters.union)
    return filters, row_list(figure, scope=scope, period=filters.period, params=params)


def _admin_change_url(row) -> str | None:
    meta = row._meta
    if not admin.site.is_registered(type(row)):
        return None
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    except NoReverseMatch:
        return None


@require_GET
@role_required(Role.UNION_STAFF)
def rows(request, figure: str):
    """The rows behind one figure of the dashboard, with the dashboard's filters, paged."""
    filters, found = _rows_query(request, figure)
    if filters is None:
        return found
    page = Paginator(found, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    columns = COLUMNS[figure]
    without_page = request.GET.copy()
    without_page.pop("page", None)
    rows = [
        {"cells": [(c.header, c.value(row)) for c in columns], "admin": _admin_change_url(row)}
        for row in page
    ]
    context = {
        "title": ROW_TITLES[figure],
        "definition": DEFINITIONS[figure],
        "rows": rows,
        "table": rendering.rows_html([column.header for column in columns], rows),
        "page": page,
        "query": without_page.urlencode(),
        "export": f"{reverse('reports:rows-export', args=[figure])}?{without_page.urlencode()}",
        "dashboard": f"{reverse('reports:dashboard')}?{_query(filters)}",
        "filters": filters,
    }
    return render(request, "reports/rows.html", context)


@require_GET
@role_required(Role.UNION_STAFF)
def rows_export(request, figure: str):
    with translation.override(exports.EXPORT_LANGUAGE):
        filters, found = _rows_query(request, figure)
        if filters is None:
            return found
        return exports.rows_response(figure, found, period=filters.period)
