"""Counts and dates in plain words, written once for every page, report and command.

A person reads "1 day", "280 days" and "in 3 days", never "280 day(s)"; a date near today
reads as a word ("today", "yesterday"), one further away as "22 Mar", with the year only
when it is not this year ("22 Mar 2025"). Lateness is said in words ("due 5 days ago"),
never with a health status's name.
"""

from __future__ import annotations

from datetime import date, datetime

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plural(count: float, word: str, many: str | None = None) -> str:
    """``1 day``, ``280 days``, ``0 people`` (``many`` for an irregular plural)."""
    number: float = int(count) if float(count).is_integer() else count
    return f"{number:g} {word if number == 1 else (many or word + 's')}"


def as_day(value: date) -> date:
    """The day of a date or of a moment."""
    return value.date() if isinstance(value, datetime) else value


def short_date(day: date, today: date) -> str:
    """``22 Mar``, with the year only when it is not this year: ``22 Mar 2025``."""
    day = as_day(day)
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def long_date(day: date) -> str:
    """``4 Dec 2026``: a date in words for text that does not know today's date."""
    day = as_day(day)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def relative_day(day: date, today: date) -> str:
    """``today``, ``yesterday``, ``tomorrow``, ``in 3 days``, ``3 days ago`` within a week,
    else :func:`short_date`: a person reads when, not a date to count from."""
    days = (as_day(day) - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if 0 < days < 7:
        return f"in {days} days"
    if -7 < days < 0:
        return f"{-days} days ago"
    return short_date(day, today)


def days_ago(days: int) -> str:
    """``today``, ``yesterday``, ``280 days ago``: the exact count, for a silence or a delay."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{plural(days, 'day')} ago"


def age(then: date | None, today: date) -> str:
    """``today``, ``3 days ago``, ``5 weeks ago``, ``4 months ago``, ``2 years ago``: how long
    since, in the largest unit that still reads true (``never`` for no date)."""
    if then is None:
        return "never"
    days = (today - as_day(then)).days
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= 2 * size:
            return f"{days // size} {unit}s ago"
    return days_ago(days)


def due_phrase(day: date, today: date) -> str:
    """When something falls due, in words: ``due today``, ``due 5 days ago`` (the exact
    count, however long: how late matters), ``due tomorrow``, ``due in 3 days``, ``due 22 Mar``."""
    days = (as_day(day) - today).days
    if days < 0:
        return f"due {days_ago(-days)}"
    return f"due {relative_day(day, today)}"
