"""The pilots app's refusal type and codes."""

from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from apps.core.errors import DomainError


class PilotCode(StrEnum):
    INVALID = "invalid"
    INVALID_STATE = "invalid_state"
    RUBRIC_FROZEN = "rubric_frozen"
    RUBRIC_INVALID = "rubric_invalid"
    NOT_ELIGIBLE = "not_eligible"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    NOT_A_REVIEWER = "not_a_reviewer"
    SHEET_SUBMITTED = "sheet_submitted"
    SHEET_INCOMPLETE = "sheet_incomplete"
    SCORING_INCOMPLETE = "scoring_incomplete"
    TOO_FEW_REVIEWERS = "too_few_reviewers"
    PUBLICITY_NOT_OVER = "publicity_not_over"
    OBJECTIONS_OPEN = "objections_open"
    FILE_REFUSED = "file_refused"


class PilotError(DomainError):
    """A refusal from the pilot-unit selection."""


def conflict(message: str, *, code: str, field: str | None = None) -> PilotError:
    """A refusal caused by the record's state rather than the input: HTTP 409."""
    fields = {field: [message]} if field else None
    return PilotError(message, code=code, fields=fields, status_code=409)


def full_clean_or_refuse(instance: models.Model, **kwargs) -> None:
    """`full_clean()`, with Django's errors turned into a PilotError naming the fields."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): list(messages)
            for name, messages in error.message_dict.items()
        }
        first = next(iter(fields.values()))[0]
        raise PilotError(first, fields=fields) from error
