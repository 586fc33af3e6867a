"""iCalendar in: meetings from Google Calendar, Outlook/Exchange, Apple and Thunderbird.

Reads events one at a time (memory does not grow with the file) and yields each past
occurrence with its attendees: recurring events are expanded up to ``horizon`` and at most
``limits.max_occurrences`` times (:mod:`mutuality.formats.recurrence`); moved or cancelled
occurrences (``RECURRENCE-ID``) come out as overrides. Time zones are IANA names, Windows
names (``W. Europe Standard Time``) or the file's own VTIMEZONE; floating times and all-day
events are placed in the caller's zone. Attendees that are rooms or resources, and the
addresses inside alarms, are not attendees.

Example::

    BEGIN:VEVENT                              CalendarMeeting(
    UID:42@example.org                          uid="42@example.org", recurrence_id="",
    DTSTART;TZID=Europe/Lisbon:20261102T0900    start=2026-11-02 09:00+00:00,
    ATTENDEE;CN=Ana:mailto:ana@example.org  ->  attendees=(Attendee("ana@example.org",
    END:VEVENT                                                     "Ana"),), ...)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mutuality.core.contacts import Attendee, CalendarMeeting, ImportLimits, Problem
from mutuality.formats.contentline import ContentLine, Malformed, logical_lines, parse_line
from mutuality.formats.contentline import unescape as _unescape
from mutuality.formats.recurrence import RuleRefused, expand, parse_rule
from mutuality.formats.text import FALLBACK, byte_lines

_DATE_TIME = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?(Z)?|(Z))?$")
_NOT_PEOPLE = {"RESOURCE", "ROOM", "GROUP", "UNKNOWN"}
FILE_OCCURRENCES = 100
"""The recurring events of one file expand to at most this many times the per-event
limit together (100,000 occurrences by default); past that, each further series gives its
first occurrence only, with a warning, so that a small file cannot make millions of
meetings (10,000 endless series in a 1 MB file would otherwise make 10 million)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know that rejected nothing (a capped series, a zone)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class _Zones:
    """TZID to tzinfo: IANA, then Windows names, then the file's VTIMEZONE, else floating."""

    def __init__(self, fallback: tzinfo) -> None:
        self.fallback = fallback
        self.blocks: dict[str, list[bytes]] = {}
        self._cache: dict[str, tzinfo | None] = {}

    def get(self, tzid: str | None) -> tzinfo | None:
        if not tzid or not tzid.strip():
            return None
        if tzid not in self._cache:
            self._cache[tzid] = self._resolve(tzid)
        return self._cache[tzid]

    def _resolve(self, tzid: str) -> tzinfo | None:
        name = tzid.strip().strip('"')
        candidates = [name, "/".join(name.split("/")[-2:])]
        for candidate in candidates:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        if name in WINDOWS_TO_OLSON:
            return ZoneInfo(WINDOWS_TO_OLSON[name])
        block = self.blocks.get(tzid)
        if block:
            try:
                from icalendar import Timezone

                component = Timezone.from_ical(b"\r\n".join(block) + b"\r\n")
                if not isinstance(component, Timezone):
                    return None
                zone: tzinfo = component.to_tz(lookup_tzid=False)  # unannotated in icalendar
                return zone
            except Exception:
                return None
        return None


def read_meetings(
    stream: BinaryIO,
    source: str,
    zone: tzinfo,
    horizon: datetime,
    limits: ImportLimits | None = None,
    encoding: str | None = None,
) -> Iterator[CalendarMeeting | Problem | Notice]:
    """Every occurrence up to ``horizon`` (aware) of every event, problems and notices."""
    limits = limits or ImportLimits()
    fallback = encoding or FALLBACK
    zones = _Zones(zone)
    stack: list[tuple[str, int]] = []
    event: list[ContentLine] = []
    tz_lines: list[bytes] | None = None
    tz_id: str | None = None
    number = 0
    broken: Problem | None = None
    room = _Room(FILE_OCCURRENCES * limits.max_occurrences)
    for line_number, data, too_long in logical_lines(
        byte_lines(stream, limits.max_line, encoding), limits.max_line
    ):
        where = f"{source}:{line_number}"
        parsed = parse_line(line_number, data, fallback)
        if isinstance(parsed, Malformed):
            if stack and stack[-1][0] == "VEVENT":
                broken = broken or Problem(where, f"event {number}: {parsed.reason}")
            else:
                yield Problem(where, f"line {line_number}: {parsed.reason}")
            continue
        if tz_lines is not None and not (parsed.name == "END" and _word(parsed) == "VTIMEZONE"):
            tz_lines.append(data)
            if parsed.name == "TZID" and len(stack) == 2:
                tz_id = parsed.text(fallback).strip()
        if parsed.name == "BEGIN":
            component = _word(parsed)
            stack.append((component, line_number))
            if component == "VEVENT":
                number, event, broken = number + 1, [], None
            elif component == "VTIMEZONE":
                tz_lines, tz_id = [data], None
            continue
        if parsed.name == "END":
            component = _word(parsed)
            if not stack or stack[-1][0] != component:
                yield Problem(where, f"line {line_number}: END:{component} without its BEGIN")
                return
            _, begun = stack.pop()
            if component == "VTIMEZONE" and tz_lines is not None:
                tz_lines.append(data)
                if tz_id is not None:
                    zones.blocks[tz_id] = tz_lines
                tz_lines = None
            elif component == "VEVENT":
                if broken:
                    yield broken
                else:
                    yield from _occurrences(
                        event, number, f"{source}:{begun}", zones, horizon, limits, fallback, room
                    )
            continue
        if stack and stack[-1][0] == "VEVENT":
            if too_long and not parsed.name.startswith("X-") and parsed.name != "DESCRIPTION":
                broken = broken or Problem(
                    where, f"event {number}: line longer than {limits.max_line:,} bytes"
                )
            elif len(event) >= limits.max_properties:
                broken = broken or Problem(
                    where, f"event {number}: more than {limits.max_properties:,} properties"
                )
            elif not too_long:
                event.append(parsed)
        elif not stack:
            yield Problem(where, f"line {line_number}: {parsed.name} outside a calendar")
    if stack:
        component, begun = stack[-1]
        yield Problem(
            f"{source}:{begun}",
            f"line {begun}: BEGIN:{component} is not closed before the end of the file",
        )


@dataclass(slots=True)
class _Room:
    """Occurrences the file's series may still expand to (see :data:`FILE_OCCURRENCES`)."""

    left: int


def _word(line: ContentLine) -> str:
    return line.value.strip().decode("ascii", "replace").upper()


def _occurrences(
    lines: list[ContentLine],
    number: int,
    where: str,
    zones: _Zones,
    horizon: datetime,
    limits: ImportLimits,
    fallback: str,
    room: _Room,
) -> Iterator[CalendarMeeting | Problem | Notice]:
    """The event's occurrences; a series expands to what is left of the file's total
    (``room``), and never to more than the per-event limit."""
    props: dict[str, list[ContentLine]] = {}
    for line in lines:
        props.setdefault(line.name, []).append(line)

    def text(name: str) -> str | None:
        found = props.get(name)
        return _unescape(found[0].text(fallback)).strip() if found else None

    if "DTSTART" not in props:
        yield Problem(where, f"event {number} has no DTSTART")
        return
    try:
        start, all_day = _when(props["DTSTART"][0], zones, fallback)
    except ValueError as error:
        yield Problem(where, f"event {number}: DTSTART {error}")
        return
    summary = text("SUMMARY")
    uid = (
        text("UID")
        or "no-uid-"
        + hashlib.sha256(
            f"{start.isoformat()}|{summary}|{text('DESCRIPTION')}|{text('RRULE')}".encode()
        ).hexdigest()[:24]
    )
    base = CalendarMeeting(
        uid=uid[:500],
        recurrence_id="",
        start=start,
        all_day=all_day,
        attendees=tuple(_attendees(props.get("ATTENDEE", []), fallback)),
        organiser=_address(props["ORGANIZER"][0], fallback) if "ORGANIZER" in props else None,
        summary=summary[:200] if summary else None,
        status=(text("STATUS") or "").upper() or None,
        location=where,
    )
    from dataclasses import replace

    if "RECURRENCE-ID" in props:
        try:
            original, rid_all_day = _when(props["RECURRENCE-ID"][0], zones, fallback)
        except ValueError as error:
            yield Problem(where, f"event {number}: RECURRENCE-ID {error}")
            return
        rid = _occurrence_id(original, all_day or rid_all_day)
        yield replace(base, recurrence_id=rid, is_override=True)
        return
    if "RRULE" not in props and "RDATE" not in props:
        yield base
        return
    if not base.attendees:
        yield base  # counted by the importer; nothing to expand for
        return
    limit = min(limits.max_occurrences, room.left)
    total = FILE_OCCURRENCES * limits.max_occurrences
    if limit < 1:
        yield Notice(
            where,
            f"event {number} ({summary or uid}): the file's series have reached "
            f"{total:,} occurrences together; only its first occurrence is used",
        )
        yield base
        return
    try:
        starts, capped = _series(props, start, all_day, zones, horizon, limit, fallback)
    except (RuleRefused, ValueError, OverflowError) as refused:
        yield Notice(where, f"event {number}: {refused}; only its first occurrence is used")
        yield base
        return
    room.left -= len(starts)
    if capped and limit < limits.max_occurrences:
        yield Notice(
            where,
            f"event {number} ({summary or uid}): the file's series have reached "
            f"{total:,} occurrences together; expanded the first {limit:,} only",
        )
    elif capped:
        yield Notice(
            where,
            f"event {number} ({summary or uid}): expanded the first "
            f"{limits.max_occurrences:,} occurrences only",
        )
    for occurrence in starts:
        yield replace(base, start=occurrence, recurrence_id=_occurrence_id(occurrence, all_day))


def _series(
    props: dict[str, list[ContentLine]],
    start: datetime,
    all_day: bool,
    zones: _Zones,
    horizon: datetime,
    limit: int,
    fallback: str,
) -> tuple[list[datetime], bool]:
    def as_rule_time(moment: datetime) -> datetime:
        return moment.replace(tzinfo=None) if all_day else moment

    def parse_until(value: str) -> datetime:
        moment, is_date = _parse(value, start.tzinfo, start.tzinfo)
        if is_date:
            moment = datetime.combine(moment.date(), time(23, 59, 59), start.tzinfo)
        return as_rule_time(moment.astimezone(start.tzinfo))

    extra = [
        as_rule_time(when)
        for line in props.get("RDATE", [])
        for when in _many(line, zones, fallback, start.tzinfo)
    ]
    excluded_times = {
        as_rule_time(when)
        for line in props.get("EXDATE", [])
        for when in _many(line, zones, fallback, start.tzinfo)
    }
    excluded_days = {
        (when.date())
        for line in props.get("EXDATE", [])
        if (line.param("VALUE") or "").upper() == "DATE"
        for when in _many(line, zones, fallback, start.tzinfo)
    }

    def excluded(moment: datetime) -> bool:
        return moment in excluded_times or (not all_day and moment.date() in excluded_days)

    kwargs = (
        parse_rule(props["RRULE"][0].text(fallback), as_rule_time(start), parse_until)
        if "RRULE" in props
        else {"freq": 0, "dtstart": as_rule_time(start), "count": 1, "interval": 1}
    )
    limit_at = as_rule_time(horizon.astimezone(start.tzinfo))
    expansion = expand(kwargs, limit_at, limit, extra, excluded)
    tz = start.tzinfo
    return [s.replace(tzinfo=tz) if all_day else s for s in expansion.starts], expansion.capped


def _many(
    line: ContentLine, zones: _Zones, fallback: str, default: tzinfo | None
) -> list[datetime]:
    zone = zones.get(line.param("TZID")) or default
    found = []
    for value in line.text(fallback).split(","):
        value = value.strip().split("/")[0]
        if not value:
            continue
        try:
            found.append(_parse(value, zone, default)[0])
        except ValueError:
            continue
    return found


def _when(line: ContentLine, zones: _Zones, fallback: str) -> tuple[datetime, bool]:
    """An aware start and whether it is a whole day (``VALUE=DATE`` or a bare date)."""
    zone = zones.get(line.param("TZID")) or zones.fallback
    value = line.text(fallback).strip()
    moment, is_date = _parse(value, zone, zones.fallback)
    return moment, is_date or (line.param("VALUE") or "").upper() == "DATE"


def _parse(value: str, zone: tzinfo | None, fallback: tzinfo | None) -> tuple[datetime, bool]:
    found = _DATE_TIME.match(value.strip())
    if not found:
        raise ValueError(f"{value[:40]!r} is not a date or date-time")
    year, month, day, hour, minute, second, utc, _date_utc = found.groups()
    if not 1800 <= int(year) <= 9000:
        raise ValueError(f"{value[:40]!r} is out of range (years 1800 to 9000)")
    if hour is None:
        moment = datetime.combine(date(int(year), int(month), int(day)), time(), fallback)
        return moment, True
    naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if utc:
        return naive.replace(tzinfo=UTC), False
    return naive.replace(tzinfo=zone or fallback), False


def _occurrence_id(start: datetime, all_day: bool) -> str:
    if all_day:
        return start.strftime("%Y%m%d")
    return start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _address(line: ContentLine, fallback: str) -> str | None:
    email = line.param("EMAIL") or line.text(fallback).strip()
    if email.lower().startswith("mailto:"):
        email = email[7:]
    email = email.strip().strip("'\"").lower()
    return email if "@" in email and len(email) <= 320 else None


def _attendees(lines: list[ContentLine], fallback: str) -> Iterator[Attendee]:
    seen: set[str] = set()
    for line in lines:
        if (line.param("CUTYPE") or "INDIVIDUAL").upper() in _NOT_PEOPLE:
            continue
        email = _address(line, fallback)
        if email is None or email in seen:
            continue
        seen.add(email)
        name = line.param("CN")
        yield Attendee(
            email=email,
            name=name.strip().strip("'\"")[:200] if name else None,
            declined=(line.param("PARTSTAT") or "").upper() == "DECLINED",
        )
