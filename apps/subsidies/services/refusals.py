"""The subsidies app's refusal type and the checks its services share."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.redaction import redact

REASON_MAX_LENGTH = 200


class SubsidyCode(StrEnum):
    INVALID = "invalid"
    INVALID_STATE = "invalid_state"
    OVERLAPPING_SCHEME = "overlapping_scheme"
    BELOW_COMMITMENTS = "below_commitments"
    PASSWORD_REQUIRED = "password_required"  # noqa: S105 - an error code, not a password
    QUEUE_UNAVAILABLE = "queue_unavailable"


class SubsidyError(DomainError):
    """A refusal about a scheme, a budget or a bank account."""


def refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise SubsidyError(first, fields=errors)


def clean_or_refuse(instance: models.Model, **kwargs) -> None:
    """`full_clean()`, with Django's errors turned into a SubsidyError naming the fields."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        refuse_if(
            {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): list(messages)
                for name, messages in error.message_dict.items()
            }
        )


def conflict(message: str, *, field: str = "status") -> SubsidyError:
    """A refusal caused by the record's state rather than the input: HTTP 409."""
    return SubsidyError(
        message, code=SubsidyCode.INVALID_STATE, fields={field: [message]}, status_code=409
    )


def required_reason(reason: str | None) -> str:
    """The reason, stripped and with any long number masked; refused when empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise SubsidyError.for_field("reason", _("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise SubsidyError.for_field(
            "reason",
            _("Keep the reason to %(count)d characters.") % {"count": REASON_MAX_LENGTH},
        )
    return redact(reason)
