"""Portal home pages: the employer's (sign-up status, notices, work waiting) and the parent's
(verification, employments, membership, children), plus the small forms they post."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import Role
from apps.centres.models import RegistrationStatus
from apps.core.errors import DomainError
from apps.members.services import child_create

from ..forms import ChildAddForm, EmploymentClaimForm, ReasonForm, add_domain_error
from ..models import Employment, RosterEntry, RosterImport
from ..selectors import registry as registry_selectors
from ..selectors import roster as roster_selectors
from ..selectors import signup as selectors
from ..services import registry as registry_services
from ..services.signup import PRIVACY_NOTICE_VERSION, employment_claim


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


def approved_employer_required(view):
    """The employer admin's employer, approved (roster and verification wait for approval)."""

    @role_required(Role.EMPLOYER_ADMIN)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        employer = registry_selectors.employer_actable_list(user=request.user).first()
        if employer is None:
            messages.info(request, _("This page opens once union staff approve your employer."))
            return redirect("employer_portal:home")
        return view(request, employer, *args, **kwargs)

    return wrapped


# Employer portal


@require_GET
def employer_home(request):
    if not request.user.is_authenticated:
        return render(request, "employers/landing.html")
    if request.user.role != Role.EMPLOYER_ADMIN:
        raise PermissionDenied
    employer = selectors.employer_of_admin(user=request.user)
    context = {"employer": employer, "notices": selectors.notice_list(user=request.user)}
    if employer is not None and employer.status == RegistrationStatus.REFUSED:
        context["refusal_reason"] = selectors.refusal_reason(employer)
    if employer is not None and employer.status == RegistrationStatus.APPROVED:
        entries = RosterEntry.objects.filter(employer=employer)
        context.update(
            pending_count=Employment.objects.filter(
                employer=employer, status=Employment.Status.PENDING
            ).count(),
            roster_count=entries.filter(status=RosterEntry.Status.ACTIVE).count(),
            left_count=entries.filter(status=RosterEntry.Status.LEFT).count(),
            last_import=RosterImport.objects.filter(employer=employer).first(),
        )
    return render(request, "employers/home.html", context)


@require_GET
@approved_employer_required
def pending_list(request, employer):
    employments = roster_selectors.pending_employment_list(user=request.user, employer=employer)
    context = {"employer": employer, "employments": employments, "reason_form": ReasonForm()}
    return render(request, "employers/pending_list.html", context)


@require_POST
@approved_employer_required
def employment_decide(request, employer, pk: int, decision: str):
    employment = get_object_or_404(
        roster_selectors.employment_actable_list(user=request.user).filter(employer=employer),
        pk=pk,
    )
    try:
        if decision == "confirm":
            registry_services.employment_confirm(employment=employment, actor=request.user)
            messages.success(request, _("%(name)s is confirmed.") % {"name": employment.member})
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give a reason for the refusal."))
                return redirect("employer_portal:pending")
            registry_services.employment_refuse(
                employment=employment, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("%(name)s is refused.") % {"name": employment.member})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("employer_portal:pending")


# Parent portal


def _parent_context(request, member, **forms) -> dict:
    return {
        "member": member,
        "employments": list(member.employments.all()),
        "children": list(member.children.all()),
        "notices": selectors.notice_list(user=request.user),
        "child_form": forms.get("child_form") or ChildAddForm(),
        "claim_form": forms.get("claim_form") or EmploymentClaimForm(),
        "notice_version": PRIVACY_NOTICE_VERSION,
    }


@require_GET
def parent_home(request):
    if not request.user.is_authenticated:
        return render(request, "parents/landing.html")
    if request.user.role != Role.PARENT:
        raise PermissionDenied
    member = selectors.parent_member(user=request.user)
    if member is None:  # an account made by union staff: the member details are still to come
        return render(request, "parents/landing.html", {"needs_details": True})
    return render(request, "parents/home.html", _parent_context(request, member))


def _member_or_signup(request):
    return selectors.parent_member(user=request.user)


@require_POST
@role_required(Role.PARENT)
def child_add(request):
    """Record the guardian's consent (with the notice version) and the child, together."""
    member = _member_or_signup(request)
    if member is None:
        return redirect("parent_portal:signup")
    form = ChildAddForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
        try:
            child_create(
                guardian=member,
                consent_notice_version=PRIVACY_NOTICE_VERSION,
                actor=request.user,
                **data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": data["full_name"]})
            return redirect("parent_portal:home")
    context = _parent_context(request, member, child_form=form)
    return render(request, "parents/home.html", context, status=400)


@require_POST
@role_required(Role.PARENT)
def employment_add(request):
    member = _member_or_signup(request)
    if member is None:
        return redirect("parent_portal:signup")
    form = EmploymentClaimForm(request.POST)
    if form.is_valid():
        try:
            employment = employment_claim(
                member=member, employer=form.cleaned_data["employer"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if employment.status == Employment.Status.ACTIVE:
                messages.success(request, _("Your employment is verified from the roster."))
            else:
                messages.info(request, _("Your employer will confirm that you work there."))
            return redirect("parent_portal:home")
    context = _parent_context(request, member, claim_form=form)
    return render(request, "parents/home.html", context, status=400)
