"""Programme pages: the parent's programme finder (phone first), the employer's programmes and
place agreements, the centre's free places and union staff's places across the city."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Role
from apps.core.errors import DomainError
from apps.members.selectors import child_list

from ..forms_programmes import PlaceAgreementForm, ProgrammeForm, ProgrammeSearchForm
from ..pricing import (
    age_classes_for,
    age_in_months,
    agreement_monthly_cost,
    format_month,
    month_start,
    parse_month,
    programme_quote,
)
from ..selectors import programmes as selectors
from ..selectors.registry import employer_actable_list
from ..services import programmes as services

PROGRAMMES_PER_PAGE = 10


def role_required(role: str):
    """Signed in with `role`; anyone else signed in gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role != role:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _form_errors(form, error: DomainError) -> None:
    if not error.fields:
        form.add_error(None, error.message)
    for field, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Parents


@require_GET
@role_required(Role.PARENT)
def parent_programmes(request):
    """Programmes open to the parent from the start month, centres nearest first when located,
    with free places and the price for the chosen child's age class."""
    children = list(child_list(user=request.user).prefetch_related(None))
    form = ProgrammeSearchForm(request.GET or None, children=children)
    filters = None
    if not form.is_bound:
        filters = selectors.ListingFilters(month=selectors.default_start_month())
    elif form.is_valid():
        filters = _parent_filters(form, children)
    page = None
    if filters is not None:
        member = selectors.member_for(request.user)
        programmes = selectors.programme_listing(
            programmes=selectors.programme_open_list(member=member, month=filters.month),
            filters=filters,
        )
        page = Paginator(programmes, PROGRAMMES_PER_PAGE).get_page(request.GET.get("page"))
        selectors.attach_offers(
            list(page.object_list), month=filters.month, age_classes=filters.age_classes
        )
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "month_label": format_month(filters.month) if filters else "",
        "query": _query_without_page(request),
    }
    return render(request, "programmes/parent_list.html", context)


def _parent_filters(form, children):
    child_id = form.cleaned_data.get("child")
    if child_id is None:
        return form.filters()
    month = form.cleaned_data.get("start_month") or selectors.default_start_month()
    child = next(c for c in children if c.pk == child_id)
    months = age_in_months(child.birth_date, month)
    classes = age_classes_for(months)
    if not classes:
        form.add_error(
            "child",
            _(
                "%(name)s is %(months)d months old then: programmes take children aged 6 months to "
                "6 years."
            )
            % {"name": child.full_name, "months": months},
        )
        return None
    return form.filters(age_classes=tuple(classes))


# Employers


def _approved_employer(request):
    """The admin's employer if approved; otherwise None, with a message saying why."""
    employer = employer_actable_list(user=request.user).first()
    if employer is None:
        messages.info(request, _("Programmes open once union staff approve your employer."))
    return employer


@require_GET
@role_required(Role.EMPLOYER_ADMIN)
def employer_programmes(request):
    employer = _approved_employer(request)
    led = selectors.programme_manageable_list(user=request.user).prefetch_related("centres")
    listed = selectors.programme_list(user=request.user).exclude(pk__in=led.values("pk"))
    return render(
        request,
        "programmes/employer_list.html",
        {"employer": employer, "led": led, "listed": listed},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.EMPLOYER_ADMIN)
def employer_programme_create(request):
    employer = _approved_employer(request)
    if employer is None:
        return redirect("programmes:employer-list")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, lead_employer=employer, **form.cleaned_data
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The programme is saved as a draft."))
            return redirect("programmes:employer-detail", pk=programme.pk)
    return render(request, "programmes/employer_form.html", {"form": form, "programme": None})


def _managed(request, pk: int):
    return get_object_or_404(
        selectors.programme_manageable_list(user=request.user).prefetch_related(
            "employers", "centres"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.EMPLOYER_ADMIN)
def employer_programme_edit(request, pk: int):
    programme = _managed(request, pk)
    if programme.status not in services.EDITABLE_STATES:
        messages.error(request, _("Only a draft or refused programme can be changed."))
        return redirect("programmes:employer-detail", pk=pk)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("programmes:employer-detail", pk=pk)
    return render(request, "programmes/employer_form.html", {"form": form, "programme": programme})


def _agreements_with_costs(request, programme, month):
    """The programme's agreements, each with what it costs the employer in `month`."""
    agreements = list(selectors.place_agreement_list(user=request.user, programme=programme))
    figures = selectors.class_figures({a.centre_id for a in agreements})
    for agreement in agreements:
        row = figures.get((agreement.centre_id, agreement.age_class))
        part = (
            programme_quote(programme=programme, market_price=row["lowest"]).employer_part
            if row
            else 0
        )
        agreement.market_price = row["lowest"] if row else None
        agreement.monthly_cost = agreement_monthly_cost(
            payment_mode=agreement.payment_mode,
            places=agreement.places,
            places_taken=agreement.places_taken,
            agreed_monthly_price=agreement.agreed_monthly_price,
            employer_part_per_child=part,
        )
        agreement.valid_now = agreement.start_month <= month and (
            agreement.end_month is None or agreement.end_month >= month
        )
    return agreements


@require_GET
@role_required(Role.EMPLOYER_ADMIN)
def employer_programme_detail(request, pk: int):
    """The programme, its place agreements with what they cost, and what can be done next."""
    return _detail_page(request, _managed(request, pk))


def _detail_page(request, programme, agreement_form=None, status: int = 200):
    month = month_start(timezone.localdate())
    agreements = _agreements_with_costs(request, programme, month)
    context = {
        "programme": programme,
        "agreements": agreements,
        "monthly_total": sum(a.monthly_cost for a in agreements if a.valid_now),
        "month_label": format_month(month),
        "editable": programme.status in services.EDITABLE_STATES,
        "can_buy": programme.status not in services.CLOSED_FOR_AGREEMENTS,
        "agreement_form": agreement_form or PlaceAgreementForm(programme=programme),
    }
    return render(request, "programmes/employer_detail.html", context, status=status)


@require_POST
@role_required(Role.EMPLOYER_ADMIN)
def employer_programme_submit(request, pk: int):
    programme = _managed(request, pk)
    try:
        services.programme_submit(programme=programme, actor=request.user)
    except DomainError as error:
        details = [m for field_messages in error.fields.values() for m in field_messages]
        messages.error(request, " ".join(dict.fromkeys([error.message, *details])))
    else:
        messages.success(request, _("The programme is submitted for approval."))
    return redirect("programmes:employer-detail", pk=pk)


@require_POST
@role_required(Role.EMPLOYER_ADMIN)
def employer_agreement_create(request, pk: int):
    programme = _managed(request, pk)
    form = PlaceAgreementForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.place_agreement_create(
                programme=programme, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The places are recorded."))
            return redirect("programmes:employer-detail", pk=pk)
    return _detail_page(request, programme, agreement_form=form, status=400)


# Centres and union staff


def _month_from(request):
    try:
        return parse_month(request.GET.get("month", ""))
    except ValueError:
        return month_start(timezone.localdate())


@require_GET
@role_required(Role.CENTRE_ADMIN)
def centre_places(request):
    """The centre's free places per class, and the places programmes bought there."""
    month = _month_from(request)
    summary = selectors.places_summary(user=request.user, month=month)
    return render(
        request,
        "programmes/centre_places.html",
        {"summary": summary, "month_label": format_month(month)},
    )


@require_GET
@role_required(Role.UNION_STAFF)
def dashboard_places(request):
    """Places bought, used and free across the city; running programmes by model and funder."""
    month = _month_from(request)
    summary = selectors.places_summary(user=request.user, month=month)
    groupings = [(_("By model"), summary.by_model), (_("By funder"), summary.by_funder)]
    return render(
        request,
        "programmes/dashboard_places.html",
        {"summary": summary, "groupings": groupings, "month_label": format_month(month)},
    )
