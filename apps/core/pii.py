"""Sensitive personal information (PIPL Art. 28): encrypted at rest, found by keyed hash.

A sensitive value lives in two columns: `<name>` (EncryptedTextField, Fernet ciphertext that
differs on every write) and `<name>_hash` (HMAC-SHA256 of the normalised value, indexed).
Write both with `set_sensitive`, look up with `sensitive_lookup`. Nothing here logs a value.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models

Normalizer = Callable[[str], str]

HASH_FIELD_SUFFIX = "_hash"
ALLOWED_LOOKUPS = frozenset({"isnull"})


class PIIDecryptionError(ValueError):
    """Stored ciphertext cannot be read with PII_ENCRYPTION_KEY (wrong key or damaged value)."""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    # Keyed by the key value, so override_settings and key changes get a fresh object.
    return Fernet(key)


def _current_fernet() -> Fernet:
    return _fernet(settings.PII_ENCRYPTION_KEY)


def _strip(value: str) -> str:
    return value.strip()


def pii_hash(value: str, *, normalize: Normalizer = _strip) -> str:
    """HMAC-SHA256 hex of the normalised value, keyed by PII_HASH_KEY; 64 characters."""
    key = settings.PII_HASH_KEY.encode("utf-8")
    return hmac.new(key, normalize(value).encode("utf-8"), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _current_fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        # `from None`: a UnicodeError message would quote the stored value into the traceback.
        raise PIIDecryptionError(
            "A stored sensitive value cannot be decrypted: check PII_ENCRYPTION_KEY."
        ) from None


def mask(value: str | None, keep_start: int = 4, keep_end: int = 4) -> str:
    """'130283199001011234' -> '1302**********1234'; short values show at most half, at the end."""
    if not value:
        return ""
    if len(value) > keep_start + keep_end:
        hidden = len(value) - keep_start - keep_end
        return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]
    shown = min(keep_end, len(value) // 2)
    return "*" * (len(value) - shown) + value[len(value) - shown :]


class EncryptedTextField(models.TextField):
    """Fernet-encrypted text; plaintext in Python. Only `isnull` lookups: query `<name>_hash`."""

    description = "Encrypted text (query the paired hash field)"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            # Ciphertext is randomised, so equality or pattern matching can never find a row.
            raise FieldError(
                f"{self.__class__.__name__} '{self.name}' does not support the "
                f"'{lookup_name}' lookup because its values are encrypted; filter on "
                f"'{self.name}{HASH_FIELD_SUFFIX}' instead, e.g. with "
                f"apps.core.pii.sensitive_lookup()."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def hash_field_name(field_name: str) -> str:
    return f"{field_name}{HASH_FIELD_SUFFIX}"


def set_sensitive(
    instance: models.Model, field_name: str, value: str | None, *, normalize: Normalizer = _strip
) -> str | None:
    """Set `<field>` to the normalised value and `<field>_hash` to its hash; returns the value.

    Does not save, so it serves `save()`, `bulk_create()` and `bulk_update()` alike.
    """
    hash_field = instance._meta.get_field(hash_field_name(field_name))
    instance._meta.get_field(field_name)  # fail early on a typo, before anything is set
    if value is None or value == "":
        setattr(instance, field_name, value)
        setattr(instance, hash_field.attname, None if hash_field.null else "")
        return value
    normalized = normalize(value)
    setattr(instance, field_name, normalized)
    setattr(instance, hash_field.attname, pii_hash(normalized, normalize=normalize))
    return normalized


def sensitive_lookup(
    field_name: str, value: str, *, normalize: Normalizer = _strip
) -> dict[str, str]:
    """Filter kwargs finding `value`: `Model.objects.filter(**sensitive_lookup("id_number", v))`."""
    return {hash_field_name(field_name): pii_hash(value, normalize=normalize)}
