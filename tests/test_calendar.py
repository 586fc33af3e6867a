"""The one calendar writer: ``mutuality agenda --ics`` and ``mutuality export FILE.ics`` give a
check-in or a commitment the same event under the same UID (a user who imports both files
gets each reminder once), and the writer's text is pinned byte for byte by golden files
in ``tests/data/golden/calendar/`` (a fixed date and DTSTAMP).

To write the golden files again after a deliberate change::

    MUTUALITY_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_calendar.py
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.checkins import AgendaItem, Due
from mutuality.core.requests import Commitment
from mutuality.formats.ical_write import (
    checkin_reminder,
    commitment_reminder,
    event_uid,
    return_event,
    write_calendar,
)
from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import FollowUp
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

GOLDEN = Path(__file__).parent / "data" / "golden" / "calendar"
TODAY = date(2026, 11, 23)
STAMP = datetime(2026, 11, 23, 9, 30, 0)  # naive UTC, as the services stamp files
LEDGER = "ledger-00000000-0000-4000-8000-000000000000"

runner = CliRunner()


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def vevents(text: str, *, stamp: bool = True) -> dict[str, list[str]]:
    """Each VEVENT's lines by its UID (without its DTSTAMP when ``stamp`` is false)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in unfolded(text):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT" and current is not None:
            uid = next(item for item in current if item.startswith("UID:"))
            found[uid.removeprefix("UID:")] = current
            current = None
        elif current is not None and (stamp or not line.startswith("DTSTAMP:")):
            current.append(line)
    return found


# --- both commands, one set of events ------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Ana overdue, Bo never in touch, Cy checked in today (three follow-ups: two mine, one
    theirs), Di due in 20 days; built with the real date, as the CLI uses it."""
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "no-config.toml"))
    path = tmp_path / "ledger.db"
    today = date.today()
    with Mutuality.open(str(path), Settings()) as made:
        made.people.add("Ana Lima", context="friend", private_note="CANARY-private")
        made.people.add("Bo Chen", context="colleague")
        made.people.add("Cy Park", context="friend")
        made.people.add("Di Rossi", context="friend")
        made.ledger.log(
            "ana", Direction.GAVE, kind="time", what="Coffee", on=str(today - timedelta(40))
        )
        made.ledger.touch("di", on=str(today - timedelta(10)))
        made.checkins.record(
            "Cy Park",
            my_satisfaction=4,
            follow_ups=(
                FollowUp("Send Cy the article"),
                FollowUp("Cy sends the photos", due="in 3 days", mine=False),
                FollowUp("Plan the trip; book the train, the hotel", due="in 30 days"),
            ),
        )
    return str(path)


def cli_calendar(db: str, tmp_path: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return next(Path(a) for a in args if a.endswith(".ics")).read_bytes().decode("utf-8")


def test_agenda_and_export_write_the_same_events_under_the_same_uids(
    db: str, tmp_path: Path
) -> None:
    agenda = cli_calendar(db, tmp_path, "agenda", "--days", "366", "--ics", str(tmp_path / "a.ics"))
    export = cli_calendar(db, tmp_path, "export", str(tmp_path / "e.ics"))
    from_agenda, from_export = vevents(agenda, stamp=False), vevents(export, stamp=False)
    assert len(from_export) == 7  # four check-ins and three open commitments
    assert from_agenda.keys() == from_export.keys()
    assert from_agenda == from_export  # every line of every event, but its DTSTAMP
    # the agenda's shorter horizon gives fewer events, each the same as the export's
    week = vevents(cli_calendar(db, tmp_path, "agenda", "--ics", str(tmp_path / "w.ics")))
    assert 0 < len(week) < len(from_export)
    for uid, lines in week.items():
        assert [line for line in lines if not line.startswith("DTSTAMP:")] == from_export[uid]
    assert "CANARY" not in agenda + export


def test_the_uids_are_the_ledgers_and_stable(db: str, tmp_path: Path) -> None:
    with Mutuality.open(db, Settings()) as opened:
        ledger = opened.people.ledger_id()
        people = {p.name: p.id for p in opened.people.list()}
        commitments = {c.text: c.id for c in opened.commitments.list()}
        export_uids = {r.uid for r in opened.exports.reminders()}
        agenda_uids = {r.uid for r in opened.calendar.reminders(366)}
    assert (
        export_uids
        == agenda_uids
        == {
            *(event_uid(ledger, "checkin", pid) for pid in people.values()),
            *(event_uid(ledger, "commitment", cid) for cid in commitments.values()),
        }
    )
    # a second run of either command gives the same UIDs
    one = cli_calendar(db, tmp_path, "export", str(tmp_path / "one.ics"))
    two = cli_calendar(db, tmp_path, "agenda", "--days", "366", "--ics", str(tmp_path / "t.ics"))
    assert set(vevents(one)) == set(vevents(two)) == export_uids


def test_event_uid_is_the_documented_scheme() -> None:
    # the first 24 hex digits of SHA-256("ledger-x|checkin|7")
    assert event_uid("ledger-x", "checkin", 7) == "cc2e5e522fe13f47405a6107@mutuality"
    assert event_uid("ledger-x", "checkin", 7) != event_uid("ledger-y", "checkin", 7)
    assert event_uid("ledger-x", "checkin", 7) != event_uid("ledger-x", "commitment", 7)


# --- the writer, byte for byte ----------------------------------------------------------------


def commitment(
    id: int, text: str, mine: bool, due_on: date, made_on: date = TODAY - timedelta(days=2)
) -> Commitment:
    return Commitment(
        id=id,
        person_id=3,
        mine=mine,
        text=text,
        kind=None,
        benefit=0.0,
        cost=0.0,
        hours=None,
        made_on=made_on,
        due_on=due_on,
        status="open",
        closed_on=None,
        request_id=None,
        exchange_id=None,
    )


def reminders_calendar() -> str:
    events = [
        # overdue: shown today, repeating every cadence days
        checkin_reminder(
            LEDGER,
            "Ana Lima",
            AgendaItem(1, TODAY - timedelta(days=23), Due.OVERDUE, TODAY - timedelta(53), 30),
            TODAY,
        ),
        checkin_reminder(LEDGER, "Bo Chen", AgendaItem(2, TODAY, Due.NEVER, None, 90), TODAY),
        # a name in another script, and one long enough to fold
        checkin_reminder(
            LEDGER,
            "José Álvarez-Ñúñez de la Fuente y Ψηλορείτης",
            AgendaItem(4, TODAY + timedelta(days=4), Due.SOON, TODAY - timedelta(17), 21),
            TODAY,
        ),
        commitment_reminder(
            LEDGER, commitment(11, "Send Cy the article", True, TODAY + timedelta(7)), "Cy Park"
        ),
        # a comma, a semicolon, a backslash and a line break are escaped
        commitment_reminder(
            LEDGER,
            commitment(12, "Photos; the good ones, C:\\trip\nand the map", False, TODAY),
            "Cy Park",
        ),
        # a title past 200 characters is cut
        commitment_reminder(
            LEDGER, commitment(13, "Plan the trip " * 20, True, TODAY + timedelta(30)), "Cy Park"
        ),
    ]
    return write_calendar(events, STAMP, "mutuality check-ins")


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("reminders.ics", reminders_calendar),
        (
            "return.ics",
            lambda: write_calendar(
                [
                    return_event(
                        "Come back to the conversation with Ana", datetime(2026, 11, 23, 21), 45
                    )
                ],
                STAMP,
            ),
        ),
        (
            "return-utc.ics",
            lambda: write_calendar(
                [return_event("Back to it", datetime(2026, 11, 23, 21, tzinfo=UTC), 30)],
                STAMP.replace(tzinfo=UTC),
            ),
        ),
        ("empty.ics", lambda: write_calendar([], STAMP, "mutuality agenda")),
    ],
)
def test_calendar_writer_matches_its_golden_file(name: str, make) -> None:
    written = make().encode("utf-8")
    golden = GOLDEN / name
    if os.environ.get("MUTUALITY_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(written)
    assert written == golden.read_bytes()


def test_golden_files_are_valid_icalendar() -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical((GOLDEN / "reminders.ics").read_bytes())
    found = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    ana = found["Check in with Ana Lima"]
    assert ana.decoded("dtstart") == TODAY and ana.decoded("dtend") == TODAY + timedelta(1)
    assert dict(ana["rrule"]) == {"FREQ": ["DAILY"], "INTERVAL": [30]}
    assert str(ana["description"]).startswith("overdue: last contact 53 days ago")
    photos = found["Cy Park promised: Photos; the good ones, C:\\trip\nand the map"]
    assert "rrule" not in photos
    long = next(s for s in found if s.startswith("Promised Cy Park: Plan the trip"))
    assert len(long) == 200
    assert "José Álvarez-Ñúñez de la Fuente y Ψηλορείτης" in " ".join(found)
    [back] = Calendar.from_ical((GOLDEN / "return.ics").read_bytes()).walk("VEVENT")
    assert back.decoded("dtstart") == datetime(2026, 11, 23, 21)
    assert back.decoded("dtend") == datetime(2026, 11, 23, 21, 45)
