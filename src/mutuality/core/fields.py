"""Validation of the small fields users type: emails, phones, tags and free text.

One place for each rule; every rejection names the field and the value.
"""

from __future__ import annotations

import re

from mutuality.core.errors import InvalidInput
from mutuality.core.names import clean_name

MAX_NAME = 200
MAX_TEXT = 10_000
MAX_TAG = 100

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[0-9+().\-\s/x]+$")
_TAG = re.compile(r"^[\w][\w\-./:+ ]*$")


def person_name(value: str, field: str = "name") -> str:
    name = clean_name(value)
    if not name:
        raise InvalidInput(f"{field} must not be empty", field=field, value=value)
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"{field} is longer than {MAX_NAME} characters", field=field, value=name[:40] + "…"
        )
    return name


def email(value: str) -> str:
    text = value.strip().lower()
    if len(text) > 320 or not _EMAIL.match(text):
        raise InvalidInput(f"email {value!r} is not an email address", field="email", value=value)
    return text


def phone(value: str) -> str:
    text = " ".join(value.split())
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_CHARS.match(text) or digits < 3 or len(text) > 64:
        raise InvalidInput(f"phone {value!r} is not a phone number", field="phone", value=value)
    return text


def tag(value: str) -> str:
    text = " ".join(value.strip().lower().split())
    if not text or len(text) > MAX_TAG or not _TAG.match(text):
        raise InvalidInput(
            f"tag {value!r} must be letters, digits, spaces or - . / : + (at most {MAX_TAG})",
            field="tag",
            value=value,
        )
    return text


def tags(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({tag(value) for value in values}))


def required_text(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field} must not be empty", field=field, value=value)
    return optional_text(text, field) or text


def optional_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"{field} is longer than {MAX_TEXT} characters", field=field, value=text[:40] + "…"
        )
    return text or None
