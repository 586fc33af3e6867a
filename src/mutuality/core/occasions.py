"""Birthdays and important dates: reading them, their next occurrence, and what is coming up.

A day is kept with an optional year (``1980-04-15``, or ``--04-15`` when the year is not
known). A yearly date comes back every year on its month and day; 29 February falls on
28 February in a year that has no 29th. When the year is known, the age (a birthday) or
the years since (an anniversary) are said with it::

    >>> next_occurrence(2, 29, date(2027, 1, 10))
    datetime.date(2027, 2, 28)
    >>> [u.summary for u in upcoming([(1, "Ana", Birthday(11, 26, 1986))], [], date(2026, 11, 23))]
    ['Ana: birthday, in 3 days (turns 40)']
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutuality.core.contacts import Birthday
from mutuality.core.errors import InvalidInput
from mutuality.core.fields import clean_line

NO_YEAR = 1604
"""The year stored for a yearly date whose year is not known: a leap year (so 29 February
can be kept), and the one Apple and CardBook write for "no year"."""
UPCOMING_DAYS = 7
"""How far ahead birthdays and dates are shown by default: a week, time to call or send a card."""
MAX_DAYS = 366
MAX_DATE_TEXT = 200

_FULL = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$|^--(\d{2})(\d{2})$")


class OccasionKind(StrEnum):
    BIRTHDAY = "birthday"
    DATE = "date"
    """An important date a person keeps (:class:`ImportantDate`)."""


@dataclass(frozen=True, slots=True)
class ImportantDate:
    """A date a person keeps besides their birthday: an anniversary, a child's birthday,
    the day someone died. A yearly one comes back every year; the other happens once."""

    id: int
    person_id: int
    text: str
    occurs_on: date
    """The date; when ``year_known`` is false its year is :data:`NO_YEAR`."""
    yearly: bool = True
    year_known: bool = True
    person: str = ""
    """The person's name, for lists."""

    @property
    def day(self) -> Birthday:
        """The month and day, with the year when it is known."""
        year = self.occurs_on.year if self.year_known else None
        return Birthday(self.occurs_on.month, self.occurs_on.day, year)

    def iso(self) -> str:
        """``1996-04-15``, or ``--04-15`` when the year is not known."""
        return self.day.iso()

    def next_on(self, today: date) -> date | None:
        """The next time it happens, today included; ``None`` for a one-off in the past."""
        if not self.yearly:
            return self.occurs_on if self.occurs_on >= today else None
        return next_occurrence(self.occurs_on.month, self.occurs_on.day, today)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """A birthday or an important date within the next few days."""

    person_id: int
    person: str
    kind: OccasionKind
    text: str
    """``birthday``, or the important date's own words."""
    on: date
    in_days: int
    years: int | None = None
    """The age they turn, or the years since the date, when its year is known."""
    date_id: int | None = None

    @property
    def when(self) -> str:
        return when_words(self.in_days)

    @property
    def detail(self) -> str:
        """``birthday (turns 40)``, ``Wedding anniversary (10 years)``."""
        if self.years is None:
            return self.text
        if self.kind is OccasionKind.BIRTHDAY:
            return f"{self.text} (turns {self.years})"
        return f"{self.text} ({self.years} year{'s' if self.years != 1 else ''})"

    @property
    def summary(self) -> str:
        """``Ana Lima: birthday, in 3 days (turns 40)``."""
        years = self.detail[len(self.text) :]
        return f"{self.person}: {self.text}, {self.when}{years}"


# --- reading what users type --------------------------------------------------------------------


def parse_day(text: str, field: str = "date") -> Birthday:
    """``1980-04-15`` (or ``19800415``), or with no year ``04-15``, ``--04-15``, ``--0415``.
    Raises :class:`InvalidInput` naming ``field`` for anything else or a day that does not
    exist (29 February is kept without a year: it falls in leap years)."""
    value = text.strip()
    year: int | None
    if found := _FULL.match(value):
        year, month, day = (int(part) for part in found.groups())
    elif found := _NO_YEAR.match(value):
        parts = [int(p) for p in found.groups() if p is not None]
        year, (month, day) = None, parts
    else:
        raise InvalidInput(
            f"{field} {text!r} is not a date; use YYYY-MM-DD, or MM-DD when the year is not known",
            field=field,
            value=text,
        )
    try:
        date(year or NO_YEAR, month, day)
    except ValueError:
        raise InvalidInput(
            f"{field} {text!r} is not a real date", field=field, value=text
        ) from None
    if year is not None and year < 1800:
        raise InvalidInput(
            f"{field} {text!r} is too long ago; leave the year out when it is not known",
            field=field,
            value=text,
        )
    return Birthday(month=month, day=day, year=year)


def parse_birthday(text: str, today: date) -> Birthday | None:
    """A birthday as typed; an empty text is none (it clears a birthday on edit)."""
    if not text.strip():
        return None
    found = parse_day(text, "birthday")
    if found.year is not None and date(found.year, found.month, found.day) > today:
        raise InvalidInput(
            f"birthday {text.strip()} is in the future (today is {today.isoformat()})",
            field="birthday",
            value=text,
        )
    return found


def date_text(text: str) -> str:
    """What an important date is called: one line (control characters removed), not
    empty, at most 200 characters."""
    value = clean_line(text)
    if not value:
        raise InvalidInput("say what the date is, e.g. 'Wedding anniversary'", field="text")
    if len(value) > MAX_DATE_TEXT:
        raise InvalidInput(
            f"the date's text is longer than {MAX_DATE_TEXT} characters",
            field="text",
            value=value[:40] + "…",
        )
    return value


def stored_day(day: Birthday, yearly: bool) -> tuple[date, bool]:
    """``(occurs_on, year_known)`` as an important date is stored; a one-off needs its year."""
    if day.year is None and not yearly:
        raise InvalidInput(
            f"a date that happens once needs its year (got {day.iso()}); "
            "give YYYY-MM-DD, or make it --yearly",
            field="on",
            value=day.iso(),
        )
    return date(day.year or NO_YEAR, day.month, day.day), day.year is not None


def check_days(days: int) -> int:
    if not 0 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be 0 to {MAX_DAYS}, got {days}", field="days", value=days)
    return days


# --- when -------------------------------------------------------------------------------------


def occurrence_in(month: int, day: int, year: int) -> date:
    """The day a yearly date falls on in ``year``: 29 February is 28 February when ``year``
    has no 29th."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def next_occurrence(month: int, day: int, on_or_after: date) -> date:
    """The first day on or after ``on_or_after`` that a yearly date falls on."""
    this_year = occurrence_in(month, day, on_or_after.year)
    if this_year >= on_or_after:
        return this_year
    return occurrence_in(month, day, on_or_after.year + 1)


def years_at(year: int | None, occurrence: date) -> int | None:
    """The age turned, or the years since, at ``occurrence``; ``None`` without a year or on
    the first occurrence itself."""
    if year is None or occurrence.year <= year:
        return None
    return occurrence.year - year


def when_words(days: int) -> str:
    """``today``, ``tomorrow``, ``in 3 days``."""
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def upcoming(
    birthdays: Iterable[tuple[int, str, Birthday]],
    dates: Iterable[ImportantDate],
    today: date,
    days: int = UPCOMING_DAYS,
) -> list[Upcoming]:
    """The birthdays (``(person id, name, birthday)``) and dates that fall from ``today`` to
    ``days`` days ahead, soonest first (then by name; a birthday before a date)."""
    found: list[Upcoming] = []
    for person_id, name, birthday in birthdays:
        on = next_occurrence(birthday.month, birthday.day, today)
        if (on - today).days <= days:
            found.append(
                Upcoming(
                    person_id,
                    name,
                    OccasionKind.BIRTHDAY,
                    "birthday",
                    on,
                    (on - today).days,
                    years_at(birthday.year, on),
                )
            )
    for kept in dates:
        on_or_none = kept.next_on(today)
        if on_or_none is None or (on_or_none - today).days > days:
            continue
        found.append(
            Upcoming(
                kept.person_id,
                kept.person,
                OccasionKind.DATE,
                kept.text,
                on_or_none,
                (on_or_none - today).days,
                years_at(kept.day.year, on_or_none) if kept.yearly else None,
                kept.id,
            )
        )
    order = {OccasionKind.BIRTHDAY: 0, OccasionKind.DATE: 1}
    found.sort(key=lambda u: (u.on, u.person.casefold(), order[u.kind], u.text))
    return found
