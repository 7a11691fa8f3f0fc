"""Parent portal privacy page: what the portal keeps and for how long, and a download of the
family's data as JSON (the same document as GET /api/v1/family/export/)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.models import Role

from ..services import privacy


def _parent_only(request) -> None:
    if not request.user.has_role(Role.PARENT):
        raise PermissionDenied


@require_GET
@login_required
def privacy_page(request):
    _parent_only(request)
    return render(
        request,
        "admissions/privacy.html",
        {"retention_days": privacy.retention_days()},
    )


@never_cache
@require_GET
@login_required
def privacy_export(request):
    """The family's data as a JSON file; ID numbers in full, since they are the family's own."""
    _parent_only(request)
    data = privacy.family_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="family-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
