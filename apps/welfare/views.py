from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import MotherRoomFilterForm

ROOMS_PER_PAGE = 20


@require_GET
def mother_room_list(request):
    """Public room finder, phone first: approved public rooms only, no personal data."""
    form = MotherRoomFilterForm(request.GET or None)
    filters = form.selector_kwargs() if form.is_bound and form.is_valid() else {}
    rooms = selectors.mother_room_public_list(**filters)
    page = Paginator(rooms, ROOMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "welfare/mother_room_list.html",
        {
            "form": form,
            "page": page,
            "rooms": page.object_list,
            "query": query.urlencode(),
            "located": filters.get("latitude") is not None,
        },
    )
