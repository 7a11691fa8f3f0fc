"""Centre admin pages: open offers and recent applications, the whole waiting list in order
(offer a place, reject with a reason) and enrolments (end one with an end date)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.employers.models import Programme

from ..forms import EndForm, RequiredReasonForm
from ..models import Enrolment
from ..selectors.applications import application_list, enrolment_list, offer_list, waiting_list
from ..services import applications as services
from ..services import offers
from ..services.enrolments import enrolment_end
from .common import PER_PAGE, act, form_errors, role_required

centre_only = role_required(Role.CENTRE_ADMIN)
GROUP_LABELS = dict(Programme.PriorityGroup.choices)


@centre_only
def application_list_page(request):
    recent = Paginator(application_list(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "admissions/centre_applications.html",
        {"offers": offer_list(user=request.user), "page": recent},
    )


@centre_only
def waiting_list_page(request):
    rows = list(waiting_list(user=request.user))
    for row in rows:
        row.priority_labels = [GROUP_LABELS.get(g, g) for g in row.priority_groups]
    return render(
        request,
        "admissions/centre_waiting_list.html",
        {"rows": rows, "reason_form": RequiredReasonForm()},
    )


@require_POST
@centre_only
def application_act(request, pk: int, action: str):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    back = reverse("admissions:centre-waiting-list")
    if action == "offer":
        return act(
            request,
            lambda: offers.application_offer(application=application, actor=request.user),
            success=_("The place was offered."),
            back=back,
        )
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return act(
        request,
        lambda: services.application_reject(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("The application was rejected."),
        back=back,
    )


@centre_only
def enrolment_list_page(request):
    enrolments = enrolment_list(user=request.user).filter(status=Enrolment.Status.ACTIVE)
    page = Paginator(enrolments, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "admissions/centre_enrolments.html", {"page": page, "end_form": EndForm()}
    )


@require_POST
@centre_only
def enrolment_end_page(request, pk: int):
    enrolment = get_object_or_404(enrolment_list(user=request.user), pk=pk)
    back = reverse("admissions:centre-enrolments")
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return act(
        request,
        lambda: enrolment_end(enrolment=enrolment, actor=request.user, **form.cleaned_data),
        success=_("The enrolment ends on %(date)s.") % {"date": form.cleaned_data["end_date"]},
        back=back,
    )
