"""Expanding an iCalendar recurrence (RRULE, RDATE, EXDATE) with hard limits.

python-dateutil computes the occurrences; this module reads the rule leniently (real files
write ``BYDAY=MO, TU`` and ``FREQ=DAILY\\;COUNT=10``), refuses rules that could make it
spin (dateutil scans day by day up to the year 9999 when a filter can never match, such as
``BYMONTH=2;BYMONTHDAY=30``), stops at a horizon (only past meetings are imported) and at
``limit`` occurrences. Example::

    RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4, DTSTART 2026-11-02 09:00
    -> 2026-11-02, 11-04, 11-09, 11-11 (09:00 each)
    RRULE:FREQ=SECONDLY -> the first 1,000 seconds and the warning "expanded the first 1,000
    occurrences"
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from dateutil import rrule as du

_FREQS = {
    "YEARLY": du.YEARLY,
    "MONTHLY": du.MONTHLY,
    "WEEKLY": du.WEEKLY,
    "DAILY": du.DAILY,
    "HOURLY": du.HOURLY,
    "MINUTELY": du.MINUTELY,
    "SECONDLY": du.SECONDLY,
}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_RANGES = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 59, False),
    "BYSETPOS": (1, 366, True),
}
_DAY_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")
MAX_INTERVAL = 10_000


class RuleRefused(ValueError):
    """A rule that is broken or could not be expanded safely; the message says why."""


@dataclass(frozen=True, slots=True)
class Expansion:
    starts: list[datetime]
    capped: bool
    """More occurrences existed before the horizon than the limit allowed."""


def parse_rule(
    text: str, dtstart: datetime, parse_until: Callable[[str], datetime]
) -> dict[str, Any]:
    """RRULE text to dateutil keyword arguments (``count`` kept apart by the caller)."""
    parts: dict[str, str] = {}
    for piece in text.replace("\\", "").split(";"):
        key, sep, value = piece.partition("=")
        if sep:
            parts[key.strip().upper()] = value.replace(" ", "").strip()
    freq = _FREQS.get(parts.pop("FREQ", "").upper())
    if freq is None:
        raise RuleRefused(f"recurrence {text[:60]!r} has no known FREQ")
    kwargs: dict[str, Any] = {"freq": freq, "dtstart": dtstart}
    interval = _int(parts.pop("INTERVAL", "1"), "INTERVAL")
    if not 1 <= interval <= MAX_INTERVAL:
        raise RuleRefused(f"INTERVAL={interval} is out of range")
    kwargs["interval"] = interval
    if "COUNT" in parts:
        kwargs["count"] = _int(parts.pop("COUNT"), "COUNT")
        if kwargs["count"] < 1:
            raise RuleRefused("COUNT must be at least 1")
    if "UNTIL" in parts:
        kwargs["until"] = parse_until(parts.pop("UNTIL"))
    for key, (low, high, signed) in _RANGES.items():
        if key in parts:
            numbers = [_int(v, key) for v in parts.pop(key).split(",") if v]
            for number in numbers:
                if not (low <= abs(number) <= high if signed else low <= number <= high):
                    raise RuleRefused(f"{key}={number} is out of range")
                if signed and number == 0:
                    raise RuleRefused(f"{key}=0 is out of range")
            kwargs[key.lower()] = numbers
    if "BYDAY" in parts:
        kwargs["byweekday"] = [_weekday(v, freq) for v in parts.pop("BYDAY").split(",") if v]
    if "WKST" in parts:
        day = _DAYS.get(parts.pop("WKST").upper())
        if day is None:
            raise RuleRefused("WKST is not a weekday")
        kwargs["wkst"] = day
    return kwargs


def _int(value: str, key: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise RuleRefused(f"{key}={value[:20]!r} is not a number") from None


def _weekday(value: str, freq: int) -> du.weekday:
    day = _DAYS.get(value[-2:].upper())
    if day is None:
        raise RuleRefused(f"BYDAY={value[:20]!r} is not a weekday")
    ordinal = value[:-2]
    if not ordinal:
        return du.weekday(day)
    number = _int(ordinal.lstrip("+"), "BYDAY")
    largest = 5 if freq == du.MONTHLY else 53
    if number == 0 or abs(number) > largest:
        raise RuleRefused(f"BYDAY={value} can never occur")
    return du.weekday(day, number)


def expand(
    kwargs: dict[str, Any],
    horizon: datetime,
    limit: int,
    extra: list[datetime],
    excluded: Callable[[datetime], bool],
) -> Expansion:
    """Occurrences from DTSTART to ``horizon`` (RDATEs added, EXDATEs removed), at most
    ``limit`` of them. Raises :class:`RuleRefused` for a rule that could spin."""
    kwargs = dict(kwargs)
    count = kwargs.pop("count", None)
    _check_safe(kwargs)
    until = kwargs.get("until")
    kwargs["until"] = horizon if until is None or until > horizon else until
    wanted = limit if count is None else min(count, limit)
    rule = du.rrule(**kwargs)
    iterator = iter(rule)
    starts = [s for s in islice(iterator, wanted) if not excluded(s)]
    capped = (count is None or count > limit) and next(iterator, None) is not None
    starts += [s for s in extra if s <= horizon and not excluded(s)]
    starts = sorted(set(starts))
    if len(starts) > limit:
        starts, capped = starts[:limit], True
    return Expansion(starts, capped)


def _check_safe(kwargs: dict[str, Any]) -> None:
    freq = kwargs["freq"]
    filters = [
        k
        for k in (
            "bymonth",
            "bymonthday",
            "byyearday",
            "byweekno",
            "byweekday",
            "bysetpos",
            "byhour",
            "byminute",
            "bysecond",
        )
        if k in kwargs
    ]
    if freq > du.DAILY and filters:
        raise RuleRefused("a recurrence more often than daily with BY... filters")
    weekdays = {w.weekday for w in kwargs.get("byweekday", [])}
    start: datetime = kwargs["dtstart"]
    if (
        freq == du.DAILY
        and kwargs["interval"] % 7 == 0
        and weekdays
        and (start.weekday() not in weekdays)
    ):
        raise RuleRefused("the recurrence can never occur (its days never fall on BYDAY)")
    if any(k.upper() in _DAY_FILTERS for k in (f.upper() for f in filters)) and not _possible(
        tuple(kwargs.get("bymonth", ())),
        tuple(kwargs.get("bymonthday", ())),
        tuple(kwargs.get("byyearday", ())),
        tuple(sorted(weekdays)),
    ):
        raise RuleRefused("the recurrence can never occur (its BY... filters never match)")
    if "bysetpos" in kwargs:
        per_period = {du.DAILY: 1, du.WEEKLY: 7, du.MONTHLY: 31, du.YEARLY: 366}.get(freq, 1)
        times = 1
        for key in ("byhour", "byminute", "bysecond"):
            times *= len(kwargs.get(key, [None]))
        if min(abs(p) for p in kwargs["bysetpos"]) > per_period * times:
            raise RuleRefused("BYSETPOS points past every occurrence in a period")


@functools.lru_cache(maxsize=256)
def _possible(
    months: tuple[int, ...],
    monthdays: tuple[int, ...],
    yeardays: tuple[int, ...],
    weekdays: tuple[int, ...],
) -> bool:
    """Whether any day in a 28-year cycle (every weekday on every date, leap years too)
    passes the day filters."""
    day = date(2000, 1, 1)
    end = date(2028, 1, 1)
    while day < end:
        year_length = 366 if _leap(day.year) else 365
        month_length = (
            date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)
        ).day
        yearday = day.timetuple().tm_yday
        if (
            (not months or day.month in months)
            and (not monthdays or day.day in monthdays or day.day - month_length - 1 in monthdays)
            and (not yeardays or yearday in yeardays or yearday - year_length - 1 in yeardays)
            and (not weekdays or day.weekday() in weekdays)
        ):
            return True
        day += timedelta(days=1)
    return False


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
