"""iCalendar out: the one calendar writer. ``mutuality agenda --ics``, ``mutuality export
FILE.ics`` and the repair conversation's ``--ics`` all write through it, so a check-in or a
commitment is the same event, under the same UID, whichever command wrote the file.

- :func:`event_uid` is the one UID scheme: stable across runs, and (for reminders) made
  from the ledger's id, so two ledgers' reminders never collide in one calendar.
- :func:`checkin_reminder` and :func:`commitment_reminder` decide each event's words.
- :func:`write_calendar` lays the events out: lines folded at 75 octets, CRLF, all-day
  reminders as ``DTSTART;VALUE=DATE`` (a check-in repeating every cadence days), timed
  events in floating local time (or UTC when the time carries a zone).

Example::

    Reminder(uid="3f..@mutuality", summary="Check in with Ana Lima", on=date(2026, 12, 1),
             every_days=30)
    -> BEGIN:VEVENT / UID:3f..@mutuality / DTSTART;VALUE=DATE:20261201 /
       RRULE:FREQ=DAILY;INTERVAL=30 / SUMMARY:Check in with Ana Lima / ... / END:VEVENT
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mutuality.core.checkins import AgendaItem
from mutuality.core.contacts import Reminder
from mutuality.core.requests import Commitment
from mutuality.formats.contentline import escape, fold

PRODUCT_ID = "-//mutuality//reminders//EN"
SUMMARY_LIMIT = 200
"""Characters of an event's title; calendars cut longer ones (Outlook at 255)."""


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """An event at a time of day (the return from a repair conversation's break)."""

    uid: str
    summary: str
    start: datetime
    """Naive: floating local time; with a zone: written in UTC."""
    minutes: int = 60


def event_uid(*parts: object) -> str:
    """A stable UID from what identifies the event: the first 24 hex digits of the SHA-256
    of the parts joined by ``|``, then ``@mutuality``. Reminders pass the ledger's id
    first (``event_uid(ledger, "checkin", person_id)``, ``event_uid(ledger, "commitment",
    commitment_id)``)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@mutuality"


def checkin_reminder(ledger: str, name: str, item: AgendaItem, today: date) -> Reminder:
    """A relationship's next check-in: shown today when overdue, then every cadence days.
    The UID is the ledger's and the person's, so it stays when the date moves."""
    return Reminder(
        uid=event_uid(ledger, "checkin", item.person_id),
        summary=f"Check in with {name}"[:SUMMARY_LIMIT],
        on=max(item.due_on, today),
        description=f"{item.state.value}: {item.why(today)}. Ask how satisfied they are and "
        "what would make it more valuable for them.",
        every_days=item.cadence_days,
    )


def commitment_reminder(ledger: str, commitment: Commitment, who: str) -> Reminder:
    """An open commitment on its due date, mine ("Promised Ana: ...") or theirs."""
    title = (
        f"Promised {who}: {commitment.text}"
        if commitment.mine
        else f"{who} promised: {commitment.text}"
    )
    return Reminder(
        uid=event_uid(ledger, "commitment", commitment.id),
        summary=title[:SUMMARY_LIMIT],
        on=commitment.due_on,
        description=f"Commitment #{commitment.id}, made on {commitment.made_on}. Mark it with "
        f"`mutuality commitments keep {commitment.id}`.",
    )


def return_event(summary: str, start: datetime, minutes: int = 60) -> TimedEvent:
    """One timed event; its UID is its start and title (there is no ledger record)."""
    return TimedEvent(event_uid("return", start.isoformat(), summary), summary, start, minutes)


def write_calendar(
    events: Iterable[Reminder | TimedEvent], stamp: datetime, name: str | None = None
) -> str:
    """A whole calendar; ``stamp`` (UTC, naive or not) is every event's DTSTAMP and
    ``name``, when given, the calendar's name in the apps that show one."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN"]
    if name is not None:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    when = _utc(stamp)
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{when}"]
        if isinstance(event, TimedEvent):
            end = event.start + timedelta(minutes=event.minutes)
            lines += [f"DTSTART:{_time(event.start)}", f"DTEND:{_time(end)}"]
            lines += [f"SUMMARY:{escape(event.summary)}", "END:VEVENT"]
            continue
        lines += [
            f"DTSTART;VALUE=DATE:{event.on.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.on + timedelta(days=1)).strftime('%Y%m%d')}",
        ]
        if event.every_days:
            lines.append(f"RRULE:FREQ=DAILY;INTERVAL={event.every_days}")
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _time(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return _utc(moment)
