"""Parent pages, phone first: apply (with the price shown before sending), follow the family's
applications and offers, answer an offer, withdraw, end an enrolment."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.centres.models import AgeClass
from apps.core.errors import DomainError
from apps.core.idempotency import fingerprint, run_once
from apps.employers.pricing import format_month
from apps.employers.selectors.programmes import member_for

from ..forms import ApplyForm, EndForm
from ..models import Application
from ..selectors.applications import application_list, enrolment_list
from ..services import applications as services
from ..services import offers
from ..services.enrolments import enrolment_end
from .common import act, form_errors, role_required

parent_only = role_required(Role.PARENT)
State = Application.State
WITHDRAWABLE = (State.SUBMITTED, State.EMPLOYMENT_CONFIRMED, State.WAITING, State.OFFERED)


@parent_only
def application_list_page(request):
    applications = list(application_list(user=request.user))
    offered = [a for a in applications if a.state == State.OFFERED]
    return render(
        request,
        "admissions/parent_applications.html",
        {"offered": offered, "applications": applications},
    )


@parent_only
def application_detail_page(request, pk: int):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    enrolment = enrolment_list(user=request.user).filter(application=application).first()
    return render(
        request,
        "admissions/parent_application_detail.html",
        {
            "application": application,
            "enrolment": enrolment,
            "end_form": EndForm(),
            "can_withdraw": application.state in WITHDRAWABLE,
        },
    )


def _fingerprint(form: ApplyForm) -> str:
    data = {name: value for name, value in form.cleaned_data.items() if name != "token"}
    data = {k: getattr(v, "pk", v) for k, v in data.items()}
    data["start_month"] = format_month(data["start_month"])
    return fingerprint(method="POST", path="parent/apply", body=data)


def _submit(request, form: ApplyForm, member):
    data = {name: value for name, value in form.cleaned_data.items() if name != "token"}

    def create():
        application = services.application_submit(member=member, actor=request.user, **data)
        return 201, {"application": application.pk}

    _status, body, _replayed = run_once(
        user=request.user,
        key=f"form:{form.cleaned_data['token']}",
        print_=_fingerprint(form),
        action=create,
    )
    return redirect("admissions:parent-application-detail", pk=body["application"])


@parent_only
def apply_page(request):
    """Step 1 chooses; "preview" shows the quote; "submit" applies once per page token."""
    member = member_for(request.user)
    if member is None:
        messages.error(request, _("Register your member details before applying."))
        return redirect("/parent/")
    initial = {name: request.GET.get(name) for name in ("programme", "centre", "age_class")}
    form = ApplyForm(request.POST or None, user=request.user, member=member, initial=initial)
    quote = None
    step = request.POST.get("step")
    if request.method == "POST" and step != "edit" and form.is_valid():
        try:
            if step == "submit" and form.cleaned_data["token"]:
                return _submit(request, form, member)
            checked = services.application_check(
                member=member,
                child=form.cleaned_data["child"],
                programme=form.cleaned_data["programme"],
                centre=form.cleaned_data["centre"],
                age_class=form.cleaned_data["age_class"],
                start_month=form.cleaned_data["start_month"],
            )
            quote = checked.quote
        except DomainError as error:
            for field, errors in error.fields.items():
                form.add_error(field if field in form.fields else None, errors)
            if not error.fields:
                form.add_error(None, error.message)
            quote = None
    token = ApplyForm.new_token() if quote else ""
    return render(
        request,
        "admissions/apply.html",
        {
            "form": form,
            "quote": quote,
            "token": token,
            "age_class_label": AgeClass(form.cleaned_data["age_class"]).label if quote else "",
        },
    )


ANSWERS = {
    "accept": (
        lambda application, user: offers.offer_accept(application=application, actor=user),
        gettext_lazy("You accepted the place. Welcome!"),
    ),
    "decline": (
        lambda application, user: offers.offer_decline(application=application, actor=user),
        gettext_lazy("You declined the place; it goes to the next family in line."),
    ),
    "withdraw": (
        lambda application, user: services.application_withdraw(
            application=application, actor=user
        ),
        gettext_lazy("The application was withdrawn."),
    ),
}


@require_POST
@parent_only
def application_answer(request, pk: int, action: str):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    service, success = ANSWERS[action]
    back = reverse("admissions:parent-application-detail", kwargs={"pk": pk})
    return act(request, lambda: service(application, request.user), success=success, back=back)


@require_POST
@parent_only
def enrolment_end_page(request, pk: int):
    """End the enrolment of the family's application `pk`."""
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    enrolment = get_object_or_404(enrolment_list(user=request.user), application=application)
    back = reverse("admissions:parent-application-detail", kwargs={"pk": pk})
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
