"""iCalendar import: meetings with people I know become touches; recurrences expanded with
a cap (I8), time zones respected, re-imports recognised by UID; every real calendar."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import table_counts
from importing_helpers import OWN, needs_real, real
from sqlalchemy import select

from mutuality.core.contacts import CalendarMeeting, Problem
from mutuality.core.errors import BadFile
from mutuality.formats.ical import Notice, read_meetings
from mutuality.services.importing.service import ImportOptions
from mutuality.services.people import PersonChanges
from mutuality.store.tables import TouchRow

LISBON = ZoneInfo("Europe/Lisbon")
HORIZON = datetime(2026, 11, 23, 23, 59, 59, tzinfo=LISBON)
REAL_CALENDARS = real("ical")


def options(**kwargs) -> ImportOptions:
    return ImportOptions(zone=LISBON, **kwargs)


def touches(app) -> list[tuple[str, date, str | None, str]]:
    names = {p.id: p.name for p in app.people.list()}
    with app.database.read() as session:
        rows = session.scalars(select(TouchRow).order_by(TouchRow.occurred_on, TouchRow.id))
        return [(names[r.person_id], r.occurred_on, r.initiated_by, r.channel) for r in rows]


@pytest.fixture
def network(populated):
    populated.people.edit("José Álvarez", PersonChanges(add_emails=("jose@example.org",)))
    return populated


def test_meetings_with_people_i_know_become_touches(network) -> None:
    report = network.imports.run(OWN / "meetings.ics", options())
    assert report.touches == 8
    assert (report.no_known_attendee, report.upcoming, report.cancelled) == (1, 1, 1)
    assert touches(network) == [
        ("Bo Chen", date(2026, 10, 5), "them", "meeting"),
        ("Bo Chen", date(2026, 10, 21), "them", "meeting"),  # moved from the 19th
        ("Ana Lima", date(2026, 11, 2), None, "meeting"),  # Bo's series: Ana declined
        ("Bo Chen", date(2026, 11, 2), "them", "meeting"),
        ("Bo Chen", date(2026, 11, 9), "them", "meeting"),
        ("José Álvarez", date(2026, 11, 10), None, "meeting"),  # all day, upper-case MAILTO
        ("Bo Chen", date(2026, 11, 16), "them", "meeting"),
        ("Bo Chen", date(2026, 11, 23), "them", "meeting"),
    ]


def test_reimport_is_recognised_by_uid(network) -> None:
    network.imports.run(OWN / "meetings.ics", options())
    before = table_counts(network)
    report = network.imports.run(OWN / "meetings.ics", options())
    assert report.touches == 0 and report.already_imported == 8
    assert table_counts(network) == before


def test_dry_run_counts_and_writes_nothing(network) -> None:
    before = table_counts(network)
    report = network.imports.run(OWN / "meetings.ics", options(dry_run=True))
    assert report.touches == 8 and table_counts(network) == before


def test_time_zone_decides_the_day() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:late\r\nDTSTART:20261102T233000Z\r\n"
        "ATTENDEE:mailto:a@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    def day(zone: str) -> date:
        (meeting,) = read_meetings(io.BytesIO(text.encode()), "t.ics", ZoneInfo(zone), HORIZON)
        assert isinstance(meeting, CalendarMeeting)
        return meeting.start.astimezone(ZoneInfo(zone)).date()

    assert day("Europe/Lisbon") == date(2026, 11, 2)
    assert day("Asia/Tokyo") == date(2026, 11, 3)


def calendar(*event_lines: str) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        "UID:u1@example.org",
        *event_lines,
        "ATTENDEE:mailto:ana@example.org",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def parsed(data: bytes) -> list[CalendarMeeting | Problem | Notice]:
    return list(read_meetings(io.BytesIO(data), "t.ics", LISBON, HORIZON))


@pytest.mark.parametrize(
    "rule",
    ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=1", "FREQ=DAILY;COUNT=1000000000"],
)
def test_runaway_recurrences_are_capped_with_a_warning(rule: str) -> None:
    """I8: an endless or huge series expands to at most 1,000 occurrences."""
    found = parsed(calendar("DTSTART:20200101T090000Z", f"RRULE:{rule}"))
    meetings = [m for m in found if isinstance(m, CalendarMeeting)]
    assert len(meetings) == 1000
    notices = [str(n) for n in found if isinstance(n, Notice)]
    assert notices == [
        "t.ics:3: event 1 (u1@example.org): expanded the first 1,000 occurrences only"
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=HOURLY;BYMONTH=2",
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
        "FREQ=MONTHLY;BYDAY=6MO",
        "FREQ=DAILY;BYSETPOS=5",
    ],
)
def test_rules_that_could_spin_are_refused(rule: str) -> None:
    found = parsed(calendar("DTSTART:20200106T090000Z", f"RRULE:{rule}"))
    assert len([m for m in found if isinstance(m, CalendarMeeting)]) == 1
    assert "only its first occurrence is used" in str(
        next(n for n in found if isinstance(n, Notice))
    )


def test_unterminated_event_is_refused_and_nothing_written(populated, tmp_path) -> None:
    path = tmp_path / "open.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261101T090000Z\r\n"
        b"ATTENDEE:mailto:ana@example.org\r\n"
    )
    before = table_counts(populated)
    with pytest.raises(BadFile, match=r"open\.ics:2: line 2: BEGIN:VEVENT is not closed"):
        populated.imports.run(path, options())
    assert table_counts(populated) == before


def test_ten_thousand_events_import(populated, tmp_path) -> None:
    """I8: 10k events in one file import in one go (the benchmark times it)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for n in range(10_000):
        day = date(2020, 1, 1).toordinal() + n % 2000
        lines += [
            "BEGIN:VEVENT",
            f"UID:e{n}",
            "DTSTART;VALUE=DATE:" + date.fromordinal(day).strftime("%Y%m%d"),
            "ATTENDEE:mailto:bo@example.com",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    path = tmp_path / "many.ics"
    path.write_text("\r\n".join(lines) + "\r\n")
    report = populated.imports.run(path, options())
    assert report.touches == 10_000 and report.meetings == 10_000


@needs_real("ical")
@pytest.mark.parametrize("path", REAL_CALENDARS, ids=[p.name for p in REAL_CALENDARS])
def test_every_real_calendar_parses(path: Path) -> None:
    with path.open("rb") as handle:
        found = list(read_meetings(handle, path.name, LISBON, datetime(2026, 11, 23, tzinfo=UTC)))
    assert any(isinstance(m, CalendarMeeting) for m in found)
    assert not [p for p in found if isinstance(p, Problem)]


@needs_real("ical")
def test_real_meetings_import_for_known_attendees_and_reimport_changes_nothing(app) -> None:
    for name, email in [
        ("John Doe", "johndoe@example.com"),
        ("Sam", "sam@company.com"),
        ("Revelation", "iam.revelation@gmail.com"),
        ("Martin", "calendar@microsoft.com"),
    ]:
        app.people.add(name, emails=(email,))
    first = {p.name: app.imports.run(p, options(skip_bad=True)).touches for p in REAL_CALENDARS}
    assert first["outlook-2010-meeting-request.ics"] == 1
    assert first["exchange-2010-empty-tzid.ics"] == 1
    assert first["zimbra-meeting-rdate-exdate-overrides.ics"] > 100  # monthly since 2012
    assert first["exchange-2010-meeting-reply-declined.ics"] == 1
    before = table_counts(app)
    again = sum(app.imports.run(p, options(skip_bad=True)).touches for p in REAL_CALENDARS)
    assert again == 0 and table_counts(app) == before
