"""The welfare app's refusal type and codes."""

from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from apps.core.errors import DomainError


class WelfareCode(StrEnum):
    INVALID = "invalid"
    INVALID_STATE = "invalid_state"
    CLASS_FULL = "class_full"
    CLASS_NOT_OPEN = "class_not_open"
    ALREADY_ENROLLED = "already_enrolled"
    NOT_ELIGIBLE = "not_eligible"
    BELOW_STATUTORY_FLOOR = "below_statutory_floor"


class WelfareError(DomainError):
    pass


def conflict(message: str, *, code: str, field: str | None = None) -> WelfareError:
    """A refusal caused by the object's state rather than the input: HTTP 409."""
    fields = {field: [message]} if field else None
    return WelfareError(message, code=code, fields=fields, status_code=409)


def full_clean_or_refuse(instance: models.Model, **kwargs) -> None:
    """`full_clean()`, with Django's errors turned into a WelfareError naming the fields."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in error.message_dict.items()
        }
        first = next(iter(fields.values()))[0]
        raise WelfareError(first, fields=fields) from error
