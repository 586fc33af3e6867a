"""Server-rendered pages: one router per area, each rendering a template of its own.

Form helpers live here: forms send text, and these turn it into what the services take
(lists from comma-separated text, numbers or nothing), naming the field when they cannot.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form

from mutuality.core.errors import InvalidInput
from mutuality.core.fields import MAX_INPUT

Small = Annotated[str, Form(max_length=200)]
"""A short form field: a name, a choice, a date, a number."""
Text = Annotated[str, Form(max_length=MAX_INPUT)]
"""A form's free text; the service holds it to its own limit."""


def split_list(text: str | None) -> tuple[str, ...]:
    """``"a, b,,c"`` → ``("a", "b", "c")``: how forms enter emails, phones and tags."""
    parts = (text or "").replace("\n", ",").split(",")
    return tuple(part.strip() for part in parts if part.strip())


def number(text: str | None, field: str) -> float | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"{field} {value!r} is not a number", field=field, value=value) from None


def whole(text: str | None, field: str) -> int | None:
    found = number(text, field)
    if found is None:
        return None
    if not found.is_integer():
        raise InvalidInput(f"{field} must be a whole number", field=field, value=text)
    return int(found)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another origin."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
