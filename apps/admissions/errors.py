"""The admissions app's refusal type and codes."""

from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from apps.core.errors import DomainError


class AdmissionsCode(StrEnum):
    INVALID = "invalid"
    NOT_ELIGIBLE = "not_eligible"
    AGE_MISMATCH = "age_mismatch"
    DUPLICATE_APPLICATION = "duplicate_application"
    ALREADY_ENROLLED = "already_enrolled"
    INVALID_TRANSITION = "invalid_transition"
    NO_PLACE = "no_place"
    OFFER_EXPIRED = "offer_expired"


class AdmissionsError(DomainError):
    """A refusal from the admissions app."""


def refuse(field: str, message: str, *, code: str = AdmissionsCode.INVALID) -> AdmissionsError:
    """Bad input: HTTP 400 naming the field."""
    return AdmissionsError(message, code=code, fields={field: [message]})


def conflict(message: str, *, code: str, field: str | None = None) -> AdmissionsError:
    """Refused because of the record's current state rather than the input: HTTP 409."""
    fields = {field: [message]} if field else None
    return AdmissionsError(message, code=code, fields=fields, status_code=409)


def full_clean_or_refuse(instance: models.Model, **kwargs) -> None:
    """`full_clean()` with Django's errors turned into an AdmissionsError naming the fields."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
        first = next(iter(fields.values()))[0]
        raise AdmissionsError(first, fields=fields) from error
