"""Employer admin page: applications waiting for the employer to confirm employment. Only the
applicant's name, the employer, programme, age class and start month are shown: no child."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Role

from ..forms import RequiredReasonForm
from ..models import Application
from ..selectors.applications import application_list, confirmation_list
from ..services import applications as services
from .common import act, form_errors, role_required

employer_only = role_required(Role.EMPLOYER_ADMIN)


@employer_only
def confirmation_list_page(request):
    applications = confirmation_list(user=request.user)
    flagged = application_list(user=request.user).filter(
        employment_left_flag=True, state__in=Application.OPEN_STATES
    )
    return render(
        request,
        "admissions/employer_confirmations.html",
        {"applications": applications, "flagged": flagged, "reason_form": RequiredReasonForm()},
    )


@require_POST
@employer_only
def confirmation_act(request, pk: int, action: str):
    application = get_object_or_404(confirmation_list(user=request.user), pk=pk)
    back = reverse("admissions:employer-confirmations")
    if action == "confirm":
        return act(
            request,
            lambda: services.application_confirm_employment(
                application=application, actor=request.user
            ),
            success=_("Employment confirmed."),
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
