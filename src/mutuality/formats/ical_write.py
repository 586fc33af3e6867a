"""iCalendar out: all-day reminders (check-ins due, commitments) that Google Calendar,
Apple Calendar and Outlook import. Lines are folded at 75 octets and end in CRLF.

Example::

    Reminder(uid="3f..@mutuality", summary="Check in with Ana Lima", on=date(2026, 12, 1),
             every_days=30)
    -> BEGIN:VEVENT / UID:3f..@mutuality / DTSTART;VALUE=DATE:20261201 /
       RRULE:FREQ=DAILY;INTERVAL=30 / SUMMARY:Check in with Ana Lima / ... / END:VEVENT
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from mutuality.core.contacts import Reminder
from mutuality.formats.contentline import escape, fold

PRODUCT_ID = "-//mutuality//reminders//EN"


def write_reminders(reminders: Iterable[Reminder], stamp: datetime, name: str) -> str:
    """A whole calendar; ``stamp`` (UTC) is every event's DTSTAMP."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    when = stamp.strftime("%Y%m%dT%H%M%SZ")
    for reminder in reminders:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{reminder.uid}",
            f"DTSTAMP:{when}",
            f"DTSTART;VALUE=DATE:{reminder.on.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(reminder.on + timedelta(days=1)).strftime('%Y%m%d')}",
        ]
        if reminder.every_days:
            lines.append(f"RRULE:FREQ=DAILY;INTERVAL={reminder.every_days}")
        lines.append(f"SUMMARY:{escape(reminder.summary)}")
        if reminder.description:
            lines.append(f"DESCRIPTION:{escape(reminder.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
