"""The one DRF exception handler and the shared pagination class."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .errors import DomainError, ErrorCode

logger = logging.getLogger(__name__)


class DescriptionMetadata(SimpleMetadata):
    """OPTIONS answers the endpoint's name, description and formats. DRF's default also builds
    every writable serializer to describe its fields, which fails on views that choose their
    serializer per method or role; the OpenAPI schema at /api/schema/ describes them instead."""

    def determine_metadata(self, request, view) -> dict:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request, view) -> dict:
        return {}


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    fields[f"{name}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        fields[f"{name}.{index}.{sub}"] = messages
            else:
                fields[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return fields
    return {}


def _body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def exception_handler(exc, context) -> Response | None:
    """Render every error as {"code", "message", "fields"} with the fitting status."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "; ".join(exc.messages) if not fields else _("Some fields are not valid.")
        fields = {k: [str(m) for m in v] for k, v in fields.items()}
        return Response(_body(ErrorCode.INVALID, message, fields), status=400)
    if isinstance(exc, Http404):
        return Response(_body(ErrorCode.NOT_FOUND, _("Not found.")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail)
        fields.pop("non_field_errors", None)
        if isinstance(detail, dict) and "non_field_errors" in detail:
            message = " ".join(str(m) for m in detail["non_field_errors"])
        elif isinstance(detail, list):
            message = " ".join(str(m) for m in detail)
        else:
            message = _("Some fields are not valid.")
        return Response(_body(ErrorCode.INVALID, message, fields), status=400)
    if isinstance(exc, exceptions.Throttled):
        response = Response(_body(ErrorCode.RATE_LIMITED, str(exc.detail)), status=429)
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response
    if isinstance(
        exc,
        (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied),
    ):
        request = context.get("request")
        logger.warning(
            "access refused",
            extra={
                "path": getattr(request, "path", ""),
                "user_id": getattr(getattr(request, "user", None), "pk", None),
                "status": exc.status_code,
            },
        )
    if isinstance(exc, exceptions.APIException):
        code = {
            401: ErrorCode.NOT_AUTHENTICATED,
            403: ErrorCode.PERMISSION_DENIED,
            404: ErrorCode.NOT_FOUND,
        }.get(exc.status_code, exc.default_code)
        response = Response(_body(str(code), str(exc.detail)), status=exc.status_code)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        return response
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("database unavailable: %s", type(exc).__name__)
        return Response(
            _body(ErrorCode.SERVICE_UNAVAILABLE, _("The database is unavailable; try again.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return None
