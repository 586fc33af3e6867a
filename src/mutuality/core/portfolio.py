"""The shareable portfolio as records, and the rules for what of the ledger may appear in it.

Pure: the service reads what the owner marked shareable and hands the rows' words here;
these rules decide how a person is named and which words go out. Private notes never
reach this module, so no renderer can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

FORMAT_NAME = "mutuality-portfolio"
FORMAT_VERSION = 1


class ShareKind(StrEnum):
    EXCHANGE = "exchange"
    INTRODUCTION = "intro"
    PERSON = "person"


def first_name(name: str) -> str:
    """The first word of a name: how others appear unless I marked them fine to name."""
    words = name.split()
    return words[0] if words else name


def public_name(name: str, shared: bool, wording: str | None) -> str:
    """A person as others may read it: the wording I chose, the full name when I marked
    them fine to name, else the first name only (their privacy is not mine to give away)."""
    if not shared:
        return first_name(name)
    return wording or name


def public_words(
    wording: str | None, text: str | None, outcome: str | None
) -> tuple[str | None, str | None]:
    """What I'd say publicly replaces the ledger's words entirely (what and outcome), so a
    rewording never sits beside the text it was meant to soften."""
    if wording:
        return wording, None
    return text, outcome


@dataclass(frozen=True, slots=True)
class SharedIntroduction:
    on: date
    a: str
    b: str
    text: str | None
    """The public wording, when I gave one."""
    outcome: str | None


@dataclass(frozen=True, slots=True)
class SharedHelp:
    """An exchange I marked shareable: help I gave (``person`` received it) or received."""

    on: date
    person: str
    kind: str
    text: str
    outcome: str | None


@dataclass(frozen=True, slots=True)
class Portfolio:
    owner: str | None
    """My name, which titles the page; ``None`` while it is not set (no placeholder)."""
    made_on: date
    introductions: tuple[SharedIntroduction, ...]
    given: tuple[SharedHelp, ...]
    received: tuple[SharedHelp, ...]

    @property
    def empty(self) -> bool:
        return not (self.introductions or self.given or self.received)
