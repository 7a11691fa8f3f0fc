"""Validators for Chinese identifiers: resident ID numbers, credit codes, mobile numbers.

Normalisers turn what people type into the canonical form we store and hash; validators
accept raw input too (they normalise first), so a form can validate then store `normalize_*`.
Error messages never repeat an ID number: they end up in logs and API responses.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QIANAN_REGION_CODE = "130283"

# GB 11643-1999: weights are 2^(17-i) mod 11, the check value indexes this string.
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARACTERS = "10X98765432"
ID_NUMBER_EARLIEST_BIRTH = date(1900, 1, 1)

# GB 32100-2015: I, O, Z, S and V are left out so they cannot be misread as 1, 0, 2, 5 and U.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# [0-9] rather than \d: \d also matches Arabic-Indic and other Unicode digits.
_ID_NUMBER_RE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_WHITESPACE_RE = re.compile(r"\s+")
_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-()]+")


def _canonical_text(value: object) -> str:
    # NFKC turns full-width digits and letters typed with a Chinese IME ("１３０２ｘ") into ASCII.
    return unicodedata.normalize("NFKC", "" if value is None else str(value))


# Resident ID numbers (GB 11643-1999)


def normalize_id_number(value: str) -> str:
    """Drop all whitespace and upper-case a trailing x."""
    return _WHITESPACE_RE.sub("", _canonical_text(value)).upper()


def id_number_check_character(body17: str) -> str:
    """The check character for the first 17 digits of a resident ID number."""
    total = sum(
        int(digit) * weight for digit, weight in zip(body17, ID_NUMBER_WEIGHTS, strict=True)
    )
    return ID_NUMBER_CHECK_CHARACTERS[total % 11]


def _parse_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_birth_date(value: str) -> date:
    """The date of birth encoded in characters 7 to 14; the number must be valid."""
    validate_id_number(value)
    number = normalize_id_number(value)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate_id_number(value: str) -> None:
    number = normalize_id_number(value)
    if not _ID_NUMBER_RE.fullmatch(number):
        raise ValidationError(
            _(
                "Enter a valid resident ID number: 18 characters, 17 digits followed by "
                "a digit or X."
            ),
            code="id_number_format",
        )
    if number[0] not in "12345678":
        raise ValidationError(
            _("Enter a valid resident ID number: the first digit must be 1 to 8."),
            code="id_number_format",
        )
    _validate_birth_date(number)
    if id_number_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("Enter a valid resident ID number: the check digit does not match."),
            code="id_number_check_digit",
        )


def _validate_birth_date(number: str) -> None:
    birth = _parse_birth_date(number)
    if birth is None:
        message = _(
            "Enter a valid resident ID number: characters 7 to 14 are not a real date of birth."
        )
    elif birth > timezone.localdate():
        message = _("Enter a valid resident ID number: the date of birth is in the future.")
    elif birth < ID_NUMBER_EARLIEST_BIRTH:
        message = _("Enter a valid resident ID number: the date of birth is before 1900.")
    else:
        return
    raise ValidationError(message, code="id_number_birth_date")


def make_id_number(
    region: str = QIANAN_REGION_CODE, birth: date = date(1990, 1, 1), sequence: int = 1
) -> str:
    """A valid ID number for tests and demo data; an odd sequence reads as male, even as female."""
    if not re.fullmatch(r"[1-8][0-9]{5}", region):
        raise ValueError("region must be six digits starting with 1 to 8")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be between 0 and 999")
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + id_number_check_character(body)


# Unified social credit codes (GB 32100-2015)


def normalize_credit_code(value: str) -> str:
    return _WHITESPACE_RE.sub("", _canonical_text(value)).upper()


def credit_code_check_character(body17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(character) * weight
        for character, weight in zip(body17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _(
                "Enter a valid unified social credit code: it has 18 characters, "
                "this one has %(length)d."
            ),
            code="credit_code_length",
            params={"length": len(code)},
        )
    for position, character in enumerate(code, start=1):
        if character not in CREDIT_CODE_ALPHABET:
            raise ValidationError(
                _(
                    "Enter a valid unified social credit code: “%(character)s” at position "
                    "%(position)d is not allowed; only digits and capital letters other than "
                    "I, O, Z, S and V are used."
                ),
                code="credit_code_character",
                params={"character": character, "position": position},
            )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("Enter a valid unified social credit code: the check character does not match."),
            code="credit_code_check_character",
        )


def make_credit_code(body17: str) -> str:
    """Append the check character to 17 characters from the credit code alphabet."""
    body = normalize_credit_code(body17)
    if len(body) != 17 or any(character not in CREDIT_CODE_ALPHABET for character in body):
        raise ValueError("body17 must be 17 characters from the credit code alphabet")
    return body + credit_code_check_character(body)


# Mainland mobile numbers


def normalize_mobile(value: str) -> str:
    """Drop spaces, hyphens and brackets, and the +86 / 86 country code."""
    number = _MOBILE_SEPARATORS_RE.sub("", _canonical_text(value))
    number = number.removeprefix("+")
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    return number


def validate_mobile(value: str) -> None:
    if not _MOBILE_RE.fullmatch(normalize_mobile(value)):
        raise ValidationError(
            _(
                "Enter a valid mainland mobile number: 11 digits starting with 13 to 19, "
                "for example 13800138000."
            ),
            code="mobile_format",
        )
