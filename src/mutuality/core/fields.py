"""Validation of the small fields users type: choices, emails, phones, tags and free text.

One place for each rule; every rejection names the field and the value.

Control characters: every free-text field is cleaned by :func:`clean_text` (multi-line:
notes, descriptions, messages) or :func:`clean_line` (one line: titles, organisations,
tags, what a wish or a date says; names go through :func:`mutuality.core.names.clean_name`,
which is stricter still). Whatever comes in (the CLI, the web pages and API, the private
check-in link, contact and calendar files) goes through one of them, so nothing stored can
move a terminal's cursor, clear its screen, set its title or ring its bell. What a terminal
is shown goes through :func:`visible` as well, for text stored before this rule.

What goes: C0 controls (but tab and line feed in multi-line text; carriage returns become
line feeds), DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069), which reorder the text after them as it is displayed and so
can make a name or a file name read as something else. What stays: every letter of every
script (Hebrew and Arabic are ordered by the Unicode bidirectional algorithm without any
control), the left-to-right and right-to-left marks (U+200E, U+200F, U+061C: they only
settle the direction of the punctuation and digits beside them, never reorder letters), the
zero-width joiner and non-joiner (emoji sequences and many scripts are spelt with them),
variation selectors and every other character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TypeVar

from mutuality.core.errors import InvalidInput
from mutuality.core.names import clean_name

MAX_NAME = 200
MAX_TEXT = 10_000
MAX_TAG = 100
MAX_INPUT = 2 * MAX_TEXT
"""The most characters an adapter (a web form or API field) reads of one text: twice
:data:`MAX_TEXT`, so a text a little too long is told the limit by the service's own rule,
and a far longer one is refused before it is read."""

Choice = TypeVar("Choice", bound=StrEnum)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[0-9+().\-\s/x]+$")
_TAG = re.compile(r"^[\w][\w\-./:+ ]*$")

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
"""What multi-line text may not hold: every control but tab and line feed (a carriage
return included), and the bidi controls."""
_UNSAFE_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_SPACING_CONTROLS = str.maketrans(dict.fromkeys("\x0b\x0c\x1c\x1d\x1e\x1f\x85", " "))
"""Controls Python counts as white space (vertical tab, form feed, the information
separators, next line): they part words, so they become a space rather than nothing."""


def clean_text(value: str) -> str:
    """Multi-line free text as stored: line breaks as ``\\n`` (``\\r\\n`` and a lone ``\\r``
    too), tabs kept, every other control character and the bidi controls removed (see the
    module's notes). Idempotent; the caller trims."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE_IN_TEXT.search(text) is None:
        return text
    return _UNSAFE_IN_TEXT.sub("", text.translate(_SPACING_CONTROLS))


def clean_line(value: str) -> str:
    """One-line free text as stored: white space (tabs and line breaks too) collapsed to
    single spaces and trimmed, every control character and the bidi controls removed."""
    text = " ".join(value.split())
    if _UNSAFE_IN_LINE.search(text) is None:
        return text
    return " ".join(_UNSAFE_IN_LINE.sub("", text).split())


def visible(text: str) -> str:
    """``text`` safe to write to a terminal: each character :func:`clean_text` would remove
    (a carriage return too) written out as ``\\u001b``, so it shows and does nothing; tab and
    line feed kept. Inside a JSON string the result is still valid JSON, meaning the same."""
    if _UNSAFE_IN_TEXT.search(text) is None:
        return text
    return _UNSAFE_IN_TEXT.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def choice(
    enum: type[Choice],
    value: str | Choice,
    field: str,
    *,
    among: Iterable[Choice] | None = None,
    aliases: Mapping[str, Choice] | None = None,
    refusal: str = "unknown {field} {value!r}; use one of: {known}",
) -> Choice:
    """One of ``enum``'s members as a user types it: case and surrounding space ignored,
    ``aliases`` (other words for a member, in lower case) accepted, only the members
    ``among`` allowed (all of them by default).

    Anything else is :class:`InvalidInput` naming ``field`` and ``value``, in the words of
    ``refusal``: a template given ``field``, ``value`` and the members allowed, as ``known``
    (``a, b, c``) and as ``either`` (``a, b or c``).
    """
    text = str(value).strip().lower()
    allowed = tuple(enum) if among is None else tuple(among)
    found = aliases.get(text) if aliases else None
    if found is None:
        try:
            found = enum(text)
        except ValueError:
            found = None
    if found is None or found not in allowed:
        names = [member.value for member in allowed]
        either = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        raise InvalidInput(
            refusal.format(field=field, value=value, known=", ".join(names), either=either),
            field=field,
            value=value,
        )
    return found


def within_limits(
    settings: object, limits: Iterable[tuple[str, float, float]], section: str = ""
) -> None:
    """Each named setting of ``settings`` lies in its ``(name, low, high)`` range, or the
    first that does not is refused naming it (``section.name`` when a section is given): the
    one rule every section of the settings file checks its numbers with."""
    for name, low, high in limits:
        value = getattr(settings, name)
        if not low <= value <= high:
            shown = f"{section}.{name}" if section else name
            raise InvalidInput(
                f"{shown} must be from {low:g} to {high:g}, got {value:g}", field=name, value=value
            )


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
    if len(text) > 320 or not _EMAIL.match(text) or _UNSAFE_IN_LINE.search(text):
        raise InvalidInput(f"email {value!r} is not an email address", field="email", value=value)
    return text


def phone(value: str) -> str:
    text = " ".join(value.split())
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_CHARS.match(text) or digits < 3 or len(text) > 64:
        raise InvalidInput(f"phone {value!r} is not a phone number", field="phone", value=value)
    return text


def tag(value: str) -> str:
    text = clean_line(value).lower()
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
    """Multi-line text that must say something: cleaned (:func:`clean_text`), trimmed, at
    most :data:`MAX_TEXT` characters."""
    text = optional_text(value, field)
    if text is None:
        raise InvalidInput(f"{field} must not be empty", field=field, value=value)
    return text


def optional_text(value: str | None, field: str) -> str | None:
    """Multi-line text or ``None`` (for nothing, or nothing left once cleaned and trimmed)."""
    if value is None:
        return None
    return _at_most(clean_text(value).strip(), MAX_TEXT, field) or None


def optional_line(value: str | None, field: str, limit: int = MAX_NAME) -> str | None:
    """One line (a title, an organisation) or ``None``: cleaned by :func:`clean_line`, at
    most ``limit`` characters."""
    if value is None:
        return None
    return _at_most(clean_line(value), limit, field) or None


def _at_most(text: str, limit: int, field: str) -> str:
    if len(text) > limit:
        raise InvalidInput(
            f"{field} is longer than {limit} characters", field=field, value=text[:40] + "…"
        )
    return text


def web_address(url: str, field: str = "public_url") -> str:
    """``url`` as the base of links others open: http or https, a host, no query or
    fragment, no final slash (``serve --public-url`` and the config file's
    ``[web] public_url`` both read it here)."""
    from urllib.parse import urlsplit

    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - reading it checks it (1 to 65535)
    except ValueError:  # a malformed port or IPv6 address
        host = None
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInput(
            f"{text!r} is no web address: give one like https://ledger.example.org or "
            "http://192.168.1.20:8765",
            field=field,
            value=url,
        )
    if parts.query or parts.fragment or any(ch in text for ch in " \r\n\t\"'<>"):
        raise InvalidInput(
            f"{text!r} must be a plain address, without ?, # or spaces", field=field, value=url
        )
    return text.rstrip("/")
