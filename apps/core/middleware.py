import logging
import re
import uuid

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .logging import request_id_var

logger = logging.getLogger(__name__)

# A caller-supplied id is kept only when it is short and plain, so it cannot forge log content.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives 503 with a plain message, never a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        message = _("The service is temporarily unavailable. Please try again shortly.")
        if request.path.startswith("/api/") or request.path == "/healthz":
            return JsonResponse(
                {"code": "service_unavailable", "message": message, "fields": {}}, status=503
            )
        response = TemplateResponse(request, "503.html", {"message": message}, status=503)
        return response.render()


class ChineseFirstMiddleware:
    """Serve zh-hans unless the visitor chose English with the language switch.

    Browsers' Accept-Language is ignored: the portal's users are the city's workers and staff, and
    many phones here run an English system language; the switch (a cookie) is the only choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
