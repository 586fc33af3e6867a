"""The agenda as an iCalendar file: check-ins due and open commitments, as all-day events
that Google Calendar, Apple Calendar and Outlook import. UIDs are stable (the ledger and the
person or the commitment), so importing a newer file updates the events instead of
duplicating them. Private notes never go into the file."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

from mutuality.store.files import atomic_text_file, check_folder

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality

PRODUCT_ID = "-//mutuality//agenda//EN"


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@mutuality"


def agenda_calendar(app: Mutuality, horizon_days: int) -> tuple[Calendar, int]:
    today = app.today()
    ledger = app.people.ledger_id()  # UIDs must be unique across every calendar
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "mutuality agenda")
    count = 0
    for person, item in app.checkins.agenda(horizon_days):
        when = max(item.due_on, today)
        calendar.add_component(
            _event(
                _uid(ledger, "checkin", person.id),
                f"Check in with {person.name}",
                when,
                f"{item.state.value}: {item.why(today)}. Ask how satisfied they are and what "
                "would make it more valuable for them.",
            )
        )
        count += 1
    names = {p.id: p.name for p in app.people.list()}
    for commitment in app.commitments.list():
        who = names.get(commitment.person_id, "someone")
        title = (
            f"Promised {who}: {commitment.text}"
            if commitment.mine
            else f"{who} promised: {commitment.text}"
        )
        calendar.add_component(
            _event(
                _uid(ledger, "commitment", commitment.id),
                title,
                commitment.due_on,
                f"Commitment #{commitment.id}, made on {commitment.made_on}. Mark it with "
                f"`mutuality commitments keep {commitment.id}`.",
            )
        )
        count += 1
    return calendar, count


def _event(uid: str, summary: str, on: date, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def write_return_event(path: Path, summary: str, start: datetime, minutes: int = 60) -> None:
    """One timed event (the return from a repair conversation's break) as a file."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", _uid("return", start.isoformat(), summary))
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    calendar.add_component(event)
    _write(path, calendar)


def _write(path: Path, calendar: Calendar) -> None:
    text = calendar.to_ical().decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    with atomic_text_file(path) as handle:
        handle.write(text)


def write_agenda_calendar(app: Mutuality, path: Path, horizon_days: int) -> int:
    """Write the agenda atomically; returns how many events it holds."""
    check_folder(path)
    calendar, count = agenda_calendar(app, horizon_days)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for component in calendar.walk("VEVENT"):
        component.add("dtstamp", stamp)
    _write(path, calendar)
    return count
