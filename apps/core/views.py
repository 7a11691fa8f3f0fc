from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


def home(request):
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request):
    parts = {"database": health.database_ok(), "broker": health.broker_ok()}
    body = {"status": "ok" if all(parts.values()) else "down"}
    body.update({name: "ok" if up else "down" for name, up in parts.items()})
    return JsonResponse(body, status=200 if all(parts.values()) else 503)


# What each portal will hold; the pages fill in as the features land.
PORTALS = {
    "dashboard": {
        "title": _("Union staff dashboard"),
        "role": "union_staff",
        "summary": _(
            "City-wide figures: centres in the industry federation, places bought, used and "
            "vacant, applications, children enrolled, subsidies paid against budget, pilot units "
            "and caring mother rooms."
        ),
    },
    "employer": {
        "title": _("Employer portal"),
        "role": "employer_admin",
        "summary": _(
            "Register your organisation and its caring-childcare programmes, keep the employee "
            "roster, confirm applicants' employment and see what the programme costs."
        ),
    },
    "centre": {
        "title": _("Childcare centre portal"),
        "role": "centre_admin",
        "summary": _(
            "Keep your classes, capacity, prices and caregivers; offer places; report monthly "
            "attendance; see vacant places."
        ),
    },
    "parent": {
        "title": _("Parent portal"),
        "role": "parent",
        "summary": _(
            "Prove who you are, add your children, see the programmes open to you with the real "
            "price, apply for a discounted place, accept an offer and follow every step."
        ),
    },
    "reviewer": {
        "title": _("Pilot evaluation reviewers"),
        "role": "reviewer",
        "summary": _("Score the units assigned to you on the pilot-unit rubric."),
    },
    "pilots": {
        "title": _("Caring-childcare pilot units"),
        "role": None,
        "summary": _("Pilot units selected each year, publicity notices and published results."),
    },
}

# Staff and reviewer pages hold nothing for visitors; the other portals greet them with sign-in.
_LOGIN_REQUIRED = {"dashboard", "reviewer"}


def portal(request, portal: str):
    spec = PORTALS[portal]
    if portal in _LOGIN_REQUIRED:
        return _private_portal(request, portal=portal, spec=spec)
    return render(request, "core/portal.html", {"portal": portal, "spec": spec})


@login_required
def _private_portal(request, *, portal: str, spec: dict):
    if request.user.role != spec["role"] and not request.user.is_superuser:
        raise PermissionDenied
    return render(request, "core/portal.html", {"portal": portal, "spec": spec})
