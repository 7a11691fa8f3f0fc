"""Public pages: publicity notices, published results, objections and certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.core.ratelimit import rate_limit

from .. import selectors, services
from ..api.applications import evidence_file_response
from ..errors import PilotError
from ..forms import ObjectionForm, add_domain_error
from ..models import Level
from ..services.publicity import publicity_is_running


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def index(request):
    """Notices in publicity (unit names only) and published results by level and year."""
    today = timezone.localdate()
    level = request.GET.get("level") if request.GET.get("level") in Level.values else None
    year = _int_or_none(request.GET.get("year"))
    notices = list(selectors.public_publicity_rounds(today=today))
    for notice in notices:
        notice.accepting_objections = publicity_is_running(notice, today)
    return render(
        request,
        "pilots/index.html",
        {
            "notices": notices,
            "published": selectors.public_published_rounds(level=level, year=year),
            "levels": Level.choices,
            "years": selectors.public_published_years(),
            "level": level,
            "year": year,
        },
    )


@rate_limit("pilot-objection", limit=5, period=60 * 60)
def objection(request, pk: int):
    today = timezone.localdate()
    round = get_object_or_404(
        selectors.public_publicity_rounds(today=today), pk=pk, publicity_end__gte=today
    )
    form = ObjectionForm(request.POST or None, units=round.recommended)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = next(
            (r.application for r in round.recommended if r.application_id == data["application"]),
            None,
        )
        try:
            services.objection_lodge(
                round=round,
                application=application,
                full_name=data["full_name"],
                contact=data["contact"],
                reason=data["reason"],
            )
        except PilotError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Your objection was received. Union staff will contact you.")
            )
            return redirect("pilots:index")
    return render(request, "pilots/objection.html", {"round": round, "form": form})


@require_GET
def certificate(request, pk: int):
    result = selectors.public_certificate(pk=pk)
    if result is None:
        raise Http404
    return render(request, "pilots/certificate.html", {"result": result, "round": result.round})


@login_required
@require_GET
def evidence_file(request, pk: int):
    """An evidence file for union staff, the unit's admins and its assigned reviewers only."""
    evidence = get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
    return evidence_file_response(evidence)
