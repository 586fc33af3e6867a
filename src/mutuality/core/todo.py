"""The to-do list's one ranking rule, and the rule of a snooze (pure: no I/O).

The dashboard gathers what waits on me from every part of the ledger (the next action per
relationship, check-ins due, commitments, requests, introductions, dates) into
:class:`TodoItem` values; :func:`rank` puts them in one order, the same wherever the list
is shown. The order, first to last (:class:`Tier`):

1. **Waiting on you, late**: a promise of mine past its due day, a request asked of me that
   I have not decided (the asker is waiting), an introduction both sides agreed to (only I
   can make it). What someone else is counting on comes before what the ledger infers.
2. **Today**: whatever falls due today or has passed (a promise due today, a birthday
   today, their promise to me now late: ask how it is going).
3. **Your relationships**: the next action of each relationship (check in, thank,
   congratulate, give back...), most urgent first, in the health rules' own order
   (:mod:`mutuality.core.health`), then check-ins due by the cadence.
4. **Coming up**: later this week: promises and dates ahead, introductions waiting for
   consent.

Within a tier: the order its source gave first (the health rules' urgency puts the
relationships' own next actions ahead of the check-ins the cadence alone asks for), then
the earliest day (an item with no day after the dated ones), then the name.

A snooze keeps a relationship's nudges (its next action, its check-in, its dates) off the
list until a day: the person comes back on that day. Promises and requests stay on the
list while the person is snoozed: someone is counting on those, whatever the mood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from typing import TypeGuard

from mutuality.core.dates import parse_due_date
from mutuality.core.errors import InvalidInput
from mutuality.core.health_rules import Status
from mutuality.core.why import RelationshipHealth, action_words


class Tier(IntEnum):
    """Where an item stands in the list; a lower tier comes first."""

    WAITING_ON_YOU = 0
    TODAY = 1
    RELATIONSHIPS = 2
    COMING_UP = 3

    @property
    def heading(self) -> str:
        """The tier as the list's heading says it."""
        return _TIER_HEADINGS[self]


_TIER_HEADINGS = {
    Tier.WAITING_ON_YOU: "Waiting on you",
    Tier.TODAY: "Today",
    Tier.RELATIONSHIPS: "Your relationships",
    Tier.COMING_UP: "Coming up this week",
}


class TodoKind(StrEnum):
    """What kind of thing an item is, and so which button it carries."""

    COMMITMENT = "commitment"
    """A promise I made (keep it) or one made to me (follow it up)."""
    REQUEST = "request"
    """A request asked of me, to decide."""
    INTRODUCTION = "introduction"
    """An introduction waiting for consent, or ready to make."""
    ACTION = "action"
    """A relationship's next action from its health (check in, thank, congratulate...)."""
    CHECK_IN = "check-in"
    """A check-in due by the relationship's cadence."""
    DATE = "date"
    """A birthday or an important date."""


@dataclass(frozen=True, slots=True)
class TodoItem:
    """One thing to do, with what it is about and where its button leads."""

    kind: TodoKind
    tier: Tier
    person_id: int
    person: str
    """Their name."""
    title: str
    """The action, as a short imperative: ``Keep your promise``, ``Thank them``."""
    detail: str
    """What it rests on, in a sentence."""
    on: date | None = None
    """The day it is for (due, asked, the birthday); ``None``: no day of its own."""
    ref: int | None = None
    """The id of the commitment, request, introduction or date; ``None`` for a relationship's
    action or check-in."""
    order: int = 0
    """Its place in its source's own order (the health rules' urgency)."""
    action: str | None = None
    """For :attr:`TodoKind.ACTION`, the health rules' action (``check in``, ``thank them with
    specifics``...)."""
    cite: tuple[str, ...] = ()
    """What they gave me that a thank-you can name."""


def rank(items: list[TodoItem]) -> list[TodoItem]:
    """The one order of the to-do list (see the module's docstring)."""
    return sorted(
        items,
        key=lambda item: (
            item.tier,
            item.order,
            item.on is None,
            item.on or date.min,
            item.person.casefold(),
            item.ref or 0,
        ),
    )


def dated_tier(on: date, today: date) -> Tier:
    """A dated item of no urgency of its own: today's (or past) first, else coming up."""
    return Tier.TODAY if on <= today else Tier.COMING_UP


# --- a person's page: the decision first --------------------------------------------------------

_HEADLINES = {
    Status.THRIVING: "You and {name} are thriving: both of you come out ahead, and you keep "
    "in touch.",
    Status.BALANCED: "You and {name} are about even, though not thriving yet.",
    Status.OVER_GIVING: "Lately the ledger shows you giving {name} more than you receive (it "
    "may not be the whole story).",
    Status.OVER_RECEIVING: "Lately the ledger shows {name} giving you more than you give back "
    "(it may not be the whole story).",
    Status.FADING: "You and {name} have drifted: far less contact than before.",
    Status.OVERDUE: "It has been longer than usual since you were in touch with {name}.",
    Status.NEW: "{name} is new in your ledger.",
    Status.QUIET: "Nothing is logged with {name} yet.",
    Status.UNEVEN_BY_CHOICE: "With {name} the giving is uneven by choice, and nothing is owed.",
}
"""Each status in plain words, without figures (the figures are the arithmetic's)."""


def headline(health: RelationshipHealth, name: str) -> tuple[str, str]:
    """What a person's page opens with: the status in words, and the next action in a
    sentence (:func:`mutuality.core.why.action_words`, the same words as ``why``)."""
    return _HEADLINES[health.status].format(name=name), action_words(health)


# --- snooze --------------------------------------------------------------------------------

MAX_SNOOZE_DAYS = 366
"""The longest snooze: a year. Longer is not a pause but an ending, which deserves a
decision of its own (an intent, or forgetting them)."""

_SPAN = re.compile(r"^(\d{1,3})\s*(d|day|days|w|week|weeks|m|month|months)$")


def snooze_until(today: date, until: str | date | None = None, span: str | None = None) -> date:
    """The day a snooze ends, from a day (``2027-03-22``, ``in 10 days``) or a span (``1w``,
    ``2w``, ``10d``, ``1m``: months count by the calendar, from ``today``). Exactly one is
    given; the day is after today and at most :data:`MAX_SNOOZE_DAYS` away."""
    if until is not None and span:
        raise InvalidInput(
            "give the day the snooze ends or how long it lasts, not both",
            field="until",
            value=str(until),
        )
    if until is None and not span:
        raise InvalidInput(
            "say how long to snooze: a day it ends (until) or a span (for), like 2w",
            field="until",
            value=None,
        )
    if span:
        found = _SPAN.match(span.strip().lower())
        if found is None:
            raise InvalidInput(
                f"snooze for {span!r}: use a number of days, weeks or months, like 10d, 2w or 1m",
                field="for",
                value=span,
            )
        amount, unit = int(found.group(1)), found.group(2)[0]
        if unit == "m":
            ends = add_months(today, amount)
        else:
            ends = today + timedelta(days=amount * (7 if unit == "w" else 1))
        field, shown = "for", span
    elif isinstance(until, date):
        ends, field, shown = until, "until", until.isoformat()
    else:
        assert until is not None
        ends, field, shown = parse_due_date(until, today, "until"), "until", until
    if ends <= today:
        raise InvalidInput(
            f"a snooze ends after today ({today.isoformat()}): {shown} does not",
            field=field,
            value=shown,
        )
    if (ends - today).days > MAX_SNOOZE_DAYS:
        raise InvalidInput(
            f"a snooze lasts at most a year: {shown} ends on {ends.isoformat()}",
            field=field,
            value=shown,
        )
    return ends


def add_months(day: date, months: int) -> date:
    """``day`` so many calendar months later, on the last day of a shorter month
    (31 January and one month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + timedelta(days=day.day - 1),
        following - timedelta(days=1),
    )


def snoozed(until: date | None, today: date) -> TypeGuard[date]:
    """Whether a snooze ending on ``until`` still holds today (the person is back on it)."""
    return until is not None and until > today
