"""Reading the dates users type: ISO dates and a few words, never a date in the future.

Dates are kept to a range a ledger can mean: things that happened from 1900 on, and things
due at most 100 years ahead. ``0001-01-01`` is a typo, not a date to count months from.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mutuality.core.errors import InvalidInput

EARLIEST = date(1900, 1, 1)
"""The first day an exchange, a check-in or anything else that happened may be dated."""
YEARS_AHEAD = 100
"""How far ahead a due date, an expiry or an end date may lie."""

_AGO = re.compile(r"^(\d{1,5})\s*(d|day|days|w|week|weeks)(\s+ago)?$")


def parse_past_date(text: str, today: date, field: str = "date") -> date:
    """Parse ``YYYY-MM-DD``, ``today``, ``yesterday``, ``3d``, ``2 weeks ago``; never the future."""
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    found = _AGO.match(value)
    if found:
        amount = int(found.group(1))
        days = amount * 7 if found.group(2).startswith("w") else amount
        return check_not_future(today - timedelta(days=days), today, field)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{field} {text!r} is not a date; use YYYY-MM-DD, 'today', 'yesterday' or '3 days ago'",
            field=field,
            value=text,
        ) from None
    return check_not_future(parsed, today, field)


def past_date(on: str | date | None, today: date, field: str = "date") -> date:
    """A date as the user gave it (text or a date), or today when none; never the future."""
    if on is None:
        return today
    if isinstance(on, date):
        return check_not_future(on, today, field)
    return parse_past_date(on, today, field)


def check_not_future(value: date, today: date, field: str = "date") -> date:
    """Exchanges are logged after they happen: a future date is a typo, and so is one
    before :data:`EARLIEST`."""
    if value < EARLIEST:
        raise InvalidInput(
            f"{field} {value.isoformat()} is too long ago: dates start at {EARLIEST.isoformat()}",
            field=field,
            value=value.isoformat(),
        )
    if value > today:
        raise InvalidInput(
            f"{field} {value.isoformat()} is in the future (today is {today.isoformat()})",
            field=field,
            value=value.isoformat(),
        )
    return value


_AHEAD = re.compile(r"^(in\s+)?(\d{1,4})\s*(d|day|days|w|week|weeks)$")


def parse_due_date(text: str, today: date, field: str = "due") -> date:
    """Parse a due date: ``YYYY-MM-DD``, ``today``, ``tomorrow``, ``in 3 days``, ``2w``;
    a date in the past is refused (a commitment is due from now on)."""
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    found = _AHEAD.match(value)
    if found:
        amount = int(found.group(2))
        days = amount * 7 if found.group(3).startswith("w") else amount
        return check_not_too_far(today + timedelta(days=days), today, field)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{field} {text!r} is not a date; use YYYY-MM-DD, 'tomorrow' or 'in 5 days'",
            field=field,
            value=text,
        ) from None
    if parsed < today:
        raise InvalidInput(
            f"{field} {parsed.isoformat()} is in the past (today is {today.isoformat()})",
            field=field,
            value=parsed.isoformat(),
        )
    return check_not_too_far(parsed, today, field)


def check_not_too_far(value: date, today: date, field: str = "due") -> date:
    """A date ahead is at most :data:`YEARS_AHEAD` years away (``9999-12-31`` is a typo)."""
    if value.year - today.year > YEARS_AHEAD:
        raise InvalidInput(
            f"{field} {value.isoformat()} is too far ahead: at most {YEARS_AHEAD} years "
            f"from today ({today.isoformat()})",
            field=field,
            value=value.isoformat(),
        )
    return value
