"""What leaves the ledger: the agenda as an iCalendar file and the weekly digest, as text and
sent through a real SMTP server on loopback (aiosmtpd). Neither may carry a private note:
a canary planted in every kind of note must never appear."""

from __future__ import annotations

import email
import shutil
import socket
import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import TODAY, load_ledger, open_app
from icalendar import Calendar
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import InvalidInput, MutualityError, StorageError
from mutuality.services.app import Mutuality
from mutuality.services.checkins.digest import PASSWORD_ENV, digest_text, send_digest
from mutuality.services.checkins.service import FollowUp
from mutuality.services.exporting.calendar import write_agenda_calendar, write_return_event
from mutuality.services.settings import EmailSettings, load_settings

CANARY = "CANARY-7f3a-private"


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


@pytest.fixture(scope="module")
def week_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """With TODAY = 2026-11-23:

    Ana Lima (friend): I gave 53 days ago              -> overdue
    Bo Chen: nothing logged                            -> never in touch
    Cy Park (friend): a check-in today, three follow-ups -> not due; 3 open commitments
    Di Rossi (partner): a touch and a check-in 3 days ago -> due soon (in 4 days; a close
                                                          tie's clock is its check-ins)
    Eve Stone (friend): gave me two things, unthanked  -> thank them with specifics

    and the canary in a person's note, an exchange's note, a touch's note and a check-in's.
    """
    path = tmp_path_factory.mktemp("week") / "week.db"
    with open_app(path) as made:
        _fill(made)
    return path


@pytest.fixture
def week(week_template: Path, tmp_path: Path) -> Iterator[Mutuality]:
    path = tmp_path / "week.db"
    shutil.copyfile(week_template, path)
    opened = open_app(path)
    try:
        yield opened
    finally:
        opened.close()


def _fill(app: Mutuality) -> None:
    app.people.add("Ana Lima", context="friend", private_note=CANARY)
    app.people.add("Bo Chen", private_note=f"also {CANARY}")
    app.people.add("Cy Park", context="friend")
    app.people.add("Di Rossi", context="partner")
    app.people.add("Eve Stone", context="friend")
    load_ledger(
        app,
        f"""
    gave "Ana Lima" knowledge {days_ago(53)} note={CANARY} "Reviewed her deck"
    touch "Di Rossi" {days_ago(3)} note={CANARY}
    got "Eve Stone" time {days_ago(100)} benefit=3 cost=1 "Coffee chat"
    got "Eve Stone" introduction {days_ago(10)} benefit=8 cost=1 "Intro to a client"
    """,
    )
    app.checkins.record("Di Rossi", on=days_ago(3), my_satisfaction=4)
    app.checkins.record(
        "Cy Park",
        my_satisfaction=4,
        their_satisfaction=5,
        note=CANARY,
        follow_ups=(
            FollowUp("Send Cy the article"),
            FollowUp("Cy sends the photos", due="in 3 days", mine=False),
            FollowUp("Plan the trip", due="in 30 days"),
        ),
    )


# --- the agenda as an iCalendar file -------------------------------------------------------------


def events(path: Path) -> list:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_calendar_has_one_all_day_event_per_due_checkin_and_open_commitment(
    week: Mutuality, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.ics"
    assert write_agenda_calendar(week, path, 7) == 6
    found = {str(e["summary"]): e for e in events(path)}
    assert set(found) == {
        "Check in with Ana Lima",
        "Check in with Bo Chen",
        "Check in with Di Rossi",
        "Promised Cy Park: Send Cy the article",
        "Cy Park promised: Cy sends the photos",
        "Promised Cy Park: Plan the trip",
    }
    starts = {name: e.decoded("dtstart") for name, e in found.items()}
    for name, event in found.items():
        start, end = starts[name], event.decoded("dtend")
        assert type(start) is date and type(end) is date, name  # all-day, not datetime
        assert end == start + timedelta(days=1)
        assert "dtstamp" in event and "uid" in event
        assert str(event["transp"]) == "TRANSPARENT"
    # an overdue check-in is shown today, not in the past
    assert starts["Check in with Ana Lima"] == TODAY
    assert starts["Check in with Bo Chen"] == TODAY
    assert starts["Check in with Di Rossi"] == TODAY + timedelta(days=4)
    assert starts["Promised Cy Park: Send Cy the article"] == TODAY + timedelta(days=7)
    assert starts["Cy Park promised: Cy sends the photos"] == TODAY + timedelta(days=3)
    assert starts["Promised Cy Park: Plan the trip"] == TODAY + timedelta(days=30)
    assert "overdue" in str(found["Check in with Ana Lima"]["description"])
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["version"]) == "2.0" and "mutuality" in str(calendar["prodid"])


def test_calendar_uids_are_unique_and_stable(week: Mutuality, tmp_path: Path) -> None:
    first, second = tmp_path / "one.ics", tmp_path / "two.ics"
    write_agenda_calendar(week, first, 7)
    write_agenda_calendar(week, second, 7)
    uids = [str(e["uid"]) for e in events(first)]
    assert len(set(uids)) == len(uids) == 6
    assert all(uid.endswith("@mutuality") for uid in uids)
    assert {str(e["summary"]): str(e["uid"]) for e in events(first)} == {
        str(e["summary"]): str(e["uid"]) for e in events(second)
    }
    # the person's check-in keeps its UID when its date moves
    ana = next(str(e["uid"]) for e in events(first) if "Ana" in str(e["summary"]))
    week.ledger.touch("Ana Lima", on=days_ago(25))
    write_agenda_calendar(week, second, 7)
    moved = next(e for e in events(second) if "Ana" in str(e["summary"]))
    assert str(moved["uid"]) == ana
    assert moved.decoded("dtstart") == TODAY + timedelta(days=5)


def test_calendar_file_is_crlf_private_and_holds_no_note(week: Mutuality, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "agenda.ics"
    write_agenda_calendar(week, path, 366)
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r\r" not in raw
    unfolded = raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    assert CANARY.encode() not in unfolded and b"CANARY" not in unfolded
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["agenda.ics"]  # no temp file left


def test_calendar_excludes_kept_commitments_and_respects_the_horizon(
    week: Mutuality, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.ics"
    article = next(c for c in week.commitments.list() if c.text == "Send Cy the article")
    week.commitments.keep(article.id)
    assert write_agenda_calendar(week, path, 0) == 4  # Ana, Bo, and two open commitments
    summaries = {str(e["summary"]) for e in events(path)}
    assert "Check in with Di Rossi" not in summaries
    assert "Promised Cy Park: Send Cy the article" not in summaries


def test_calendar_of_an_empty_ledger(app: Mutuality, tmp_path: Path) -> None:
    path = tmp_path / "empty.ics"
    assert write_agenda_calendar(app, path, 7) == 0
    assert events(path) == []


def test_calendar_into_a_missing_folder_is_a_clear_error(week: Mutuality, tmp_path: Path) -> None:
    with pytest.raises(StorageError) as raised:
        write_agenda_calendar(week, tmp_path / "nowhere" / "agenda.ics", 7)
    assert "does not exist" in raised.value.message


def test_calendar_uids_differ_between_ledgers(tmp_path: Path) -> None:
    uids = []
    for folder, name in (("home", "Ana Lima"), ("work", "Bo Chen")):
        (tmp_path / folder).mkdir()
        with open_app(tmp_path / folder / "ledger.db") as ledger_app:
            ledger_app.people.add(name)
            write_agenda_calendar(ledger_app, tmp_path / folder / "agenda.ics", 7)
        [event] = events(tmp_path / folder / "agenda.ics")
        uids.append(str(event["uid"]))
    assert uids[0] != uids[1]


def test_return_event_is_one_timed_event(tmp_path: Path) -> None:
    path = tmp_path / "return.ics"
    start = datetime(2026, 11, 23, 21, 0)
    write_return_event(path, "Come back to the conversation with Alex", start, 45)
    [event] = events(path)
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + timedelta(minutes=45)
    assert str(event["summary"]) == "Come back to the conversation with Alex"
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


# --- the digest as text --------------------------------------------------------------------------


def test_digest_text(week: Mutuality) -> None:
    digest = digest_text(week)
    lines = digest.splitlines()
    assert lines[0] == "mutuality: your week from 2026-11-23"
    assert "Check-ins due (3):" in lines
    start = lines.index("Check-ins due (3):")
    assert [line.split(":")[0] for line in lines[start + 1 : start + 4]] == [
        "- Ana Lima",
        "- Bo Chen",
        "- Di Rossi",
    ]
    # when in words, never a status's name ("overdue" is a relationship's health)
    assert lines[start + 1].startswith("- Ana Lima: due 23 days ago (last contact 53 days ago")
    assert lines[start + 2].startswith("- Bo Chen: never in touch (no contact logged yet")
    assert lines[start + 3].startswith("- Di Rossi: due in ")
    actions = lines[lines.index("Next actions:") + 1 : lines.index("Commitments due:") - 1]
    people = [line[2:].split(":")[0] for line in actions if line.startswith("- ")]
    assert set(people) == {"Ana Lima", "Bo Chen", "Cy Park", "Di Rossi", "Eve Stone"}
    eve = actions.index(next(line for line in actions if line.startswith("- Eve Stone")))
    assert actions[eve].startswith("- Eve Stone: thank them with specifics. You receive")
    assert not any(": overdue." in line for line in actions)  # each reason said once
    assert actions[eve + 1] == f"    they gave you: Intro to a client ({days_ago(10)})"
    due = lines[lines.index("Commitments due:") + 1 :]
    assert due == [
        f"- {TODAY + timedelta(days=3)}: from Cy Park: Cy sends the photos",
        f"- {TODAY + timedelta(days=7)}: you to Cy Park: Send Cy the article",
    ]  # "Plan the trip", due in 30 days, is past the week
    assert digest.endswith("\n")
    assert "CANARY" not in digest


def test_digest_of_an_empty_ledger(app: Mutuality) -> None:
    digest = digest_text(app)
    assert "- nobody is due" in digest and "- nothing to do" in digest
    assert "Commitments due" not in digest


def test_digest_lists_overdue_commitments(week: Mutuality) -> None:
    later = open_app(week.database.path, today=TODAY + timedelta(days=10))
    try:
        due = digest_text(later).split("Commitments due:\n")[1]
        assert "you to Cy Park: Send Cy the article" in due
        assert "from Cy Park: Cy sends the photos" in due
    finally:
        later.close()


# --- sending it ----------------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def settings_for(port: int, **changes) -> EmailSettings:
    values = {
        "host": "127.0.0.1",
        "port": port,
        "sender": "me@example.org",
        "to": "me+digest@example.org",
        "starttls": False,
    }
    return EmailSettings(**{**values, **changes})


def test_send_digest_through_a_local_server(week: Mutuality, smtp) -> None:
    inbox, port = smtp
    sent = send_digest(week, settings_for(port))
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "me@example.org"
    assert envelope.rcpt_tos == ["me+digest@example.org"]
    received = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "mutuality: your week from 2026-11-23" == sent["Subject"]
    assert received["From"] == "me@example.org"
    assert received["To"] == "me+digest@example.org"
    body = received.get_content()
    assert body.replace("\r\n", "\n") == digest_text(week)
    assert b"CANARY" not in envelope.original_content


def test_send_uses_the_apps_email_settings(tmp_path: Path, smtp) -> None:
    from mutuality.services.settings import Settings

    inbox, port = smtp
    with open_app(tmp_path / "s.db", Settings(email=settings_for(port))) as configured:
        send_digest(configured)
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize(
    "email_settings",
    [
        EmailSettings(),
        EmailSettings(host="127.0.0.1"),
        EmailSettings(host="127.0.0.1", sender="me@example.org"),
    ],
)
def test_send_without_a_server_configured(week: Mutuality, email_settings) -> None:
    with pytest.raises(InvalidInput) as raised:
        send_digest(week, email_settings)
    assert "no email server configured" in raised.value.message
    assert raised.value.field == "email"


def test_send_to_a_server_that_is_down(week: Mutuality) -> None:
    port = free_port()  # bound, then closed: nothing listens there
    with pytest.raises(StorageError) as raised:
        send_digest(week, settings_for(port))
    assert f"127.0.0.1:{port}" in raised.value.message
    assert raised.value.message.startswith("could not send the digest through")


def test_a_failed_login_names_the_server_and_not_the_password(
    week: Mutuality, smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-password-canary")
    with pytest.raises(StorageError) as raised:  # the local server offers no AUTH
        send_digest(week, settings_for(port, username="me"))
    assert f"127.0.0.1:{port}" in str(raised.value)
    assert "s3cret" not in str(raised.value)
    assert inbox.envelopes == []


def test_starttls_is_required_by_default(week: Mutuality, smtp) -> None:
    inbox, port = smtp  # the local server offers no STARTTLS: no plaintext fallback
    with pytest.raises(StorageError) as raised:
        send_digest(week, settings_for(port, starttls=True))
    assert f"127.0.0.1:{port}" in raised.value.message
    assert inbox.envelopes == []


def write_config(path: Path, port: int, to: str = "me@example.org") -> Path:
    path.write_text(
        "[email]\n"
        'host = "127.0.0.1"\n'
        f"port = {port}\n"
        'sender = "me@example.org"\n'
        f'to = "{to}"\n'
        "starttls = false\n",
        encoding="utf-8",
    )
    return path


def test_email_settings_from_the_config_file(tmp_path: Path) -> None:
    loaded = load_settings(write_config(tmp_path / "config.toml", 2525)).email
    assert loaded == EmailSettings(
        "127.0.0.1", 2525, "me@example.org", "me@example.org", starttls=False
    )
    assert loaded.configured


def test_a_line_break_in_the_recipient_is_a_clear_error(week: Mutuality, tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "config.toml", free_port(), to="me@example.org\\nBcc: x@evil.test"
    )
    with pytest.raises(MutualityError):
        send_digest(week, load_settings(path).email)


# --- the digest command --------------------------------------------------------------------------

runner = CliRunner()


def test_cli_digest_send(tmp_path: Path, smtp, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    monkeypatch.setenv("MUTUALITY_CONFIG", str(write_config(tmp_path / "config.toml", port)))
    db = str(tmp_path / "cli.db")
    assert runner.invoke(cli, ["--db", db, "person", "add", "Ana Lima"]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "digest", "--send"])
    assert result.exit_code == 0, result.output
    assert "Sent the digest to me@example.org" in result.stderr
    [envelope] = inbox.envelopes
    body = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert "- Ana Lima: never in touch" in body.get_content()


def test_cli_digest_send_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "cli.db")
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "absent.toml"))
    result = runner.invoke(cli, ["--db", db, "digest", "--send"])
    assert result.exit_code == 2
    assert "no email server configured" in result.stderr and "Traceback" not in result.output
    port = free_port()
    monkeypatch.setenv("MUTUALITY_CONFIG", str(write_config(tmp_path / "config.toml", port)))
    result = runner.invoke(cli, ["--db", db, "digest", "--send"])
    assert result.exit_code == 2
    assert f"127.0.0.1:{port}" in result.stderr
