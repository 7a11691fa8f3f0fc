"""Sign-up pages for employers and parents (the centre's is in apps/centres/views.py)."""

import time

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.middleware import LOGIN_AT
from apps.accounts.models import Role
from apps.core.errors import DomainError
from apps.core.ratelimit import rate_limit

from ..forms import EmployerSignupForm, ParentSignupForm, add_domain_error
from ..services import signup as services
from ..services.signup import PRIVACY_NOTICE_VERSION

SIGNUPS_PER_MINUTE = 10


def _posted(request):
    # An empty POST is still a submission: bind the form so it reports the missing fields.
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def sign_in_new_account(request, user) -> None:
    """Sign the person who just signed up in, as the sign-in page would."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LOGIN_AT] = int(time.time())


@rate_limit("signup-employer", limit=SIGNUPS_PER_MINUTE, period=60)
@require_http_methods(["GET", "POST"])
def employer_signup(request):
    """An employer and its first admin; the admin is signed in and sees 'awaiting approval'."""
    if request.user.is_authenticated:
        return render(request, "employers/signup.html", {"signed_in": True})
    form = EmployerSignupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            _employer, user = services.employer_signup(**form.service_kwargs())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            sign_in_new_account(request, user)
            messages.success(
                request,
                _("Thank you. Union staff will review your sign-up; you will get a notice."),
            )
            return redirect("employer_portal:home")
    return render(request, "employers/signup.html", {"form": form}, status=_status(form))


@rate_limit("signup-parent", limit=SIGNUPS_PER_MINUTE, period=60)
@require_http_methods(["GET", "POST"])
def parent_signup(request):
    """Phone first. A visitor gets an account too; a signed-in parent without a member record
    completes their details; anyone else is asked to sign out first."""
    user = request.user if request.user.is_authenticated else None
    if user is not None and (user.role != Role.PARENT or hasattr(user, "member")):
        if user.role == Role.PARENT:
            return redirect("parent_portal:home")
        return render(request, "parents/signup.html", {"signed_in": True})
    form = ParentSignupForm(_posted(request), with_account=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            member, employment = services.parent_signup(**form.service_kwargs(), user=user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if user is None:
                sign_in_new_account(request, member.user)
            if employment.status == employment.Status.ACTIVE:
                messages.success(request, _("Your employment is verified from the roster."))
            else:
                messages.info(request, _("Your employer will confirm that you work there."))
            return redirect("parent_portal:home")
    context = {"form": form, "notice_version": PRIVACY_NOTICE_VERSION}
    return render(request, "parents/signup.html", context, status=_status(form))
