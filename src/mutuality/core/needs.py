"""Needs, offers and a person's current moment, as immutable values.

The essays ask us to "keep in mind what they want ... in case you come across a person or
resource where an introduction would be welcomed": a need is what someone is seeking, an
offer what someone can give, and a state (a current challenge or a busy period) tells
whether now is the right moment to ask them for anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutuality.core.errors import InvalidInput
from mutuality.core.fields import clean_line

MAX_WISH_TEXT = 1_000
"""A need or offer is one or two sentences; longer text is refused (say it shorter and keep
the details in a note), so that matching and messages stay readable."""


class WishKind(StrEnum):
    NEED = "need"
    OFFER = "offer"


class Source(StrEnum):
    """Where a need or offer came from."""

    THEM = "them"
    """Said by them."""
    ME = "me"
    """Noted by me."""
    REQUEST = "request"
    """A request I declined or postponed, kept in mind (needs only)."""
    CHECKIN = "checkin"
    """What they said at a check-in would make it better, confirmed as a need (needs only)."""


class StateKind(StrEnum):
    CHALLENGE = "challenge"
    """Something they face now: help that meets it comes at the right moment."""
    BUSY = "busy"
    """A saturated moment: suggestions do not ask them for anything until it ends."""


@dataclass(frozen=True, slots=True)
class Wish:
    """A need or an offer: same shape, different side of a match."""

    id: int
    kind: WishKind
    person_id: int
    text: str
    tags: tuple[str, ...]
    source: Source
    status: str
    """``open`` or ``closed``."""
    created_on: date
    expires_on: date | None = None
    closed_on: date | None = None
    request_id: int | None = None

    def is_open(self, today: date) -> bool:
        """Open and not past its expiry: only these are matched."""
        return self.status == "open" and (self.expires_on is None or self.expires_on >= today)


@dataclass(frozen=True, slots=True)
class PersonState:
    id: int
    person_id: int
    kind: StateKind
    text: str
    starts_on: date
    ends_on: date | None = None

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


def wish_text(value: str, kind: WishKind | str, field: str = "text") -> str:
    """One line (:func:`mutuality.core.fields.clean_line`: white space collapsed, control
    characters removed); empty or longer than :data:`MAX_WISH_TEXT` is an error that says
    how long it was and what the limit is, naming ``field``."""
    known = {k.value for k in WishKind}
    label = f"{kind} text" if str(kind) in known else str(kind)
    text = clean_line(value)
    if not text:
        raise InvalidInput(f"{label} must not be empty", field=field, value=value)
    if len(text) > MAX_WISH_TEXT:
        raise InvalidInput(
            f"{label} is {len(text):,} characters; the limit is {MAX_WISH_TEXT:,}: say it in a "
            "sentence or two",
            field=field,
            value=text[:40] + "…",
        )
    return text


def sources(kind: WishKind) -> tuple[Source, ...]:
    """Where a need (a declined request too) or an offer may come from."""
    return (Source.THEM, Source.ME) + ((Source.REQUEST,) if kind is WishKind.NEED else ())
