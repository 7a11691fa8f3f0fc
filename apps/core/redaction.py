"""Masks resident ID numbers, mobile numbers and bank account numbers in free text.

Audit reasons and log lines are free text that people and libraries fill; PIPL Art. 28 treats
these numbers as sensitive, so they are masked on the way in rather than trusted to be absent.
"""

import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)(\d{4})\d{4,11}(\d{4})(?!\d)")


def redact(text: str) -> str:
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(2)[-4:], text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _LONG_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)


def redact_value(value):
    """Redact strings inside JSON-like values, keeping their structure."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    return value
