"""``agenda``, ``checkin``, ``checkin list``, ``checkin link``, ``repair`` and ``digest`` end to
end through Typer's runner, on a temporary database file.

The CLI uses the real date, so every ledger here is stated with relative dates, and
every expectation holds whatever today is.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

import mutuality.cli.checkins as checkins_cli
from mutuality.cli.main import app
from mutuality.core.words import short_date
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

runner = CliRunner()

CHECKIN_KEYS = {
    "id",
    "person",
    "on",
    "my_satisfaction",
    "their_satisfaction",
    "my_better",
    "their_better",
    "my_equity",
    "their_equity",
    "commitments",
    "wish",
}
LISTED_KEYS = {
    "id",
    "on",
    "kind",
    "source",
    "my_satisfaction",
    "their_satisfaction",
    "my_better",
    "their_better",
    "my_equity",
    "their_equity",
    "message",
    "note",
    "wish_state",
    "would_hear",
}
AGENDA_KEYS = {"person", "due_on", "state", "last_on", "cadence_days", "why"}
LINK = re.compile(r"^http://127\.0\.0\.1:8765/c/([A-Za-z0-9_-]{43,})$")


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("MUTUALITY_BASE_URL", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def run(db: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", db, *args], input=input)


def ok(db: str, *args: str, input: str | None = None) -> str:
    result = run(db, *args, input=input)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(db: str, *args: str) -> Any:
    return json.loads(ok(db, *args, "--format", "json"))


def flat(text: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(text.split())


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def snapshot(db: str) -> str:
    with Mutuality.open(db, Settings()) as opened:
        return json.dumps(opened.backups.snapshot(), sort_keys=True)


def service(db: str) -> Mutuality:
    return Mutuality.open(db, Settings())


@pytest.fixture(scope="module")
def people_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ana overdue, Bo due today, Ed never in touch, Cy due in 3 days, Fay in 11 days (built
    once through the services, with the real date, and copied for each test)."""
    path = tmp_path_factory.mktemp("cli-template") / "people.db"
    with Mutuality.open(str(path), Settings()) as made:
        made.people.add("Ana Lima", context="friend", private_note="CANARY-private")
        made.people.add("Bo Chen", context="colleague")
        made.people.add("Cy Park", cadence_days=10)
        made.people.add("Ed Moss", context="friend")
        made.people.add("Fay Ng", context="friend", cadence_days=14)
        made.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee", on=ago(40))
        made.ledger.log(
            "bo", Direction.GOT, kind="introduction", what="Intro to a client", on=ago(30)
        )
        made.ledger.touch("cy", on=ago(7), initiated_by="them", channel="call")
        made.ledger.touch("fay", on=ago(3), private_note="CANARY-private")
    return path


@pytest.fixture
def people(db: str, people_template: Path) -> str:
    shutil.copyfile(people_template, db)
    return db


# --- agenda --------------------------------------------------------------------------------------


def test_agenda_json(people: str) -> None:
    items = as_json(people, "agenda")
    assert [(i["person"]["name"], i["state"], i["due_on"]) for i in items] == [
        ("Ana Lima", "overdue", ago(10)),
        ("Bo Chen", "due today", ahead(0)),
        ("Ed Moss", "never in touch", ahead(0)),
        ("Cy Park", "due soon", ahead(3)),
    ]
    assert all(set(i) == AGENDA_KEYS for i in items)
    ana = items[0]
    assert (ana["last_on"], ana["cadence_days"]) == (ago(40), 30)
    forty = date.today() - timedelta(days=40)
    assert (
        ana["why"]
        == f"last contact 40 days ago ({short_date(forty, date.today())}); cadence 30 days"
    )
    assert items[2]["last_on"] is None
    assert items[3]["cadence_days"] == 10


def test_agenda_days(people: str) -> None:
    assert [i["person"]["name"] for i in as_json(people, "agenda", "--days", "0")] == [
        "Ana Lima",
        "Bo Chen",
        "Ed Moss",
    ]
    assert "Fay Ng" in [i["person"]["name"] for i in as_json(people, "agenda", "--days", "11")]


def test_agenda_table(people: str) -> None:
    shown = flat(ok(people, "agenda"))
    for words in (  # when in words, as the web app says it; never a status's name
        "due 10 days ago Ana Lima: last contact 40 days ago",
        "due today Bo Chen",
        "never in touch Ed Moss: no contact logged yet",
        "due in 3 days Cy Park",
        "cadence 30 days",
    ):
        assert words in shown
    assert "Fay Ng" not in shown
    assert shown.index("Ana Lima") < shown.index("Bo Chen") < shown.index("Cy Park")


def test_agenda_when_nobody_is_due(db: str) -> None:
    ok(db, "person", "add", "Ana Lima", "--context", "friend")
    ok(db, "touch", "ana")
    assert "No one is due in the next 0 days." in ok(db, "agenda", "--days", "0")
    assert as_json(db, "agenda") == []


def test_a_checkin_takes_someone_off_the_agenda(people: str) -> None:
    ok(people, "checkin", "ana", "--mine", "4")
    assert "Ana Lima" not in [i["person"]["name"] for i in as_json(people, "agenda")]


def test_agenda_ics(people: str, tmp_path: Path) -> None:
    ok(people, "checkin", "cy", "--theirs", "4", "--follow-up", "Send the article")
    target = tmp_path / "agenda.ics"
    result = run(people, "agenda", "--ics", str(target))
    assert result.exit_code == 0, result.output
    # Ana, Bo, Ed (Cy's check-in took him off) and the commitment
    assert f"Wrote 4 reminder(s) to {target}" in flat(result.stderr)
    raw = target.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"CANARY" not in raw
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(raw).walk("VEVENT"))
    assert summaries == [
        "Check in with Ana Lima",
        "Check in with Bo Chen",
        "Check in with Ed Moss",
        "Promised Cy Park: Send the article",
    ]
    assert "Ana Lima" in result.stdout  # the agenda itself is still printed


# --- checkin -------------------------------------------------------------------------------------


def test_checkin_with_flags_json(people: str) -> None:
    made = as_json(
        people,
        "checkin",
        "ana",
        "--mine",
        "4",
        "--theirs",
        "5",
        "--their-better",
        "more walks",
        "--my-better",
        "fewer cancellations",
        "--my-equity",
        "0",
        "--their-equity",
        "-1",
        "--follow-up",
        "Send the article",
        "--follow-up",
        "Book the dinner",
        "--their-follow-up",
        "Send the photos",
        "--due",
        "in 3 days",
        "--on",
        "yesterday",
        "--note",
        "CANARY-private",
    )
    assert set(made) == CHECKIN_KEYS
    assert made["person"]["name"] == "Ana Lima"
    assert made["on"] == ago(1)
    assert (made["my_satisfaction"], made["their_satisfaction"]) == (4, 5)
    assert (made["my_equity"], made["their_equity"]) == (0, -1)
    assert (made["my_better"], made["their_better"]) == ("fewer cancellations", "more walks")
    assert len(made["commitments"]) == 3
    with service(people) as opened:
        promised = {c.text: c for c in opened.commitments.list()}
    assert set(promised) == {"Send the article", "Book the dinner", "Send the photos"}
    assert {c.due_on.isoformat() for c in promised.values()} == {ahead(3)}
    assert [promised[t].mine for t in ("Send the article", "Send the photos")] == [True, False]
    assert sorted(c.id for c in promised.values()) == sorted(made["commitments"])


def test_checkin_table_and_default_due(people: str) -> None:
    shown = flat(ok(people, "checkin", "Ana Lima", "--theirs", "3", "--follow-up", "Call her"))
    assert (
        shown == f"Recorded check-in #1 with Ana Lima on {ago(0)}; 1 follow-up(s) became "
        "commitments."
    )
    with service(people) as opened:
        [commitment] = opened.commitments.list()
    assert commitment.due_on.isoformat() == ahead(7)
    assert flat(ok(people, "checkin", "bo")) == f"Recorded check-in #2 with Bo Chen on {ago(0)}."


def test_checkin_list(people: str) -> None:
    assert "No check-ins yet" in ok(people, "checkin", "list", "ana")
    assert as_json(people, "checkin", "list", "ana") == []
    ok(
        people,
        "checkin",
        "ana",
        "--mine",
        "4",
        "--theirs",
        "5",
        "--their-better",
        "more walks",
        "--on",
        ago(20),
    )
    ok(
        people,
        "checkin",
        "ana",
        "--mine",
        "2",
        "--my-better",
        "less talk about work",
        "--note",
        "CANARY-private",
    )
    listed = as_json(people, "checkin", "list", "ana")
    assert all(set(c) == LISTED_KEYS for c in listed)
    assert [(c["on"], c["my_satisfaction"], c["their_satisfaction"]) for c in listed] == [
        (ago(20), 4, 5),
        (ago(0), 2, None),
    ]
    assert [c["source"] for c in listed] == ["me", "me"]
    assert listed[1]["note"] == "CANARY-private"  # the owner's own view shows their note
    shown = flat(ok(people, "checkin", "list", "ana"))
    assert f"#1 {ago(20)} checkin (you): you 4/5, them 5/5" in shown
    assert f"#2 {ago(0)} checkin (you): you 2/5, them -/5" in shown
    assert "better for them: more walks" in shown and "better for you: less talk" in shown


def test_terminal_escapes_typed_into_a_checkin_are_dropped_and_never_printed(
    people: str,
) -> None:
    """Issue #15: ESC and BEL in an answer were kept and printed raw by `checkin list`."""
    payload = "\x1b[2J\x07\x1b]0;pwned\x07"
    ok(
        people,
        "checkin",
        "ana",
        "--mine",
        "4",
        "--their-better",
        f"more walks{payload}",
        "--my-better",
        "less work\x9b31m talk",
        "--note",
        f"private{payload}",
        "--follow-up",
        f"send the book{payload}",
        "--wish-as",
        "later",
    )
    [record] = as_json(people, "checkin", "list", "ana")
    assert record["their_better"] == "more walks[2J]0;pwned"
    assert record["my_better"] == "less work31m talk"
    assert record["note"] == "private[2J]0;pwned"
    shown = ok(people, "checkin", "list", "ana")
    assert not any(ch in shown for ch in "\x1b\x07\x9b")
    assert "more walks[2J]0;pwned" in flat(shown)


def test_checkin_link(people: str) -> None:
    result = run(people, "checkin", "link", "ana")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    found = LINK.match(lines[-1])
    assert found, lines[-1]
    token = found.group(1)
    assert "Send this link to Ana Lima" in flat(result.stdout)
    assert ahead(14) in flat(result.stdout)
    with service(people) as opened:
        assert opened.checkins.link_first_name(token) == "Me"
        opened.checkins.answer_link(
            token, satisfaction=2, better="call more", equity=-1, message="thanks for asking"
        )
    [answered] = as_json(people, "checkin", "list", "ana")
    assert answered["source"] == "link"
    assert (answered["their_satisfaction"], answered["their_better"]) == (2, "call more")
    assert answered["message"] == "thanks for asking"
    assert "(their link)" in ok(people, "checkin", "list", "ana")
    assert "their message: thanks for asking" in flat(ok(people, "checkin", "list", "ana"))


def test_checkin_link_options(people: str, monkeypatch: pytest.MonkeyPatch) -> None:
    out = ok(
        people,
        "checkin",
        "link",
        "ana",
        "--first-name",
        "Sam",
        "--days",
        "2",
        "--base-url",
        "https://ledger.example.org/",
    )
    url = out.strip().splitlines()[-1]
    assert url.startswith("https://ledger.example.org/c/") and "//c/" not in url
    with service(people) as opened:
        assert opened.checkins.link_first_name(url.rsplit("/", 1)[1]) == "Sam"
    assert ahead(2) in flat(out)
    monkeypatch.setenv("MUTUALITY_BASE_URL", "https://from-env.example.org")
    assert (
        ok(people, "checkin", "link", "ana")
        .strip()
        .splitlines()[-1]
        .startswith("https://from-env.example.org/c/")
    )


def test_digest_prints_the_text(people: str) -> None:
    ok(people, "checkin", "cy", "--their-follow-up", "Send the photos", "--note", "CANARY-private")
    result = run(people, "digest")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith(f"mutuality: your week from {ago(0)}\n")
    assert "Check-ins due (3):" in text
    assert "- Ana Lima: due 10 days ago" in text
    assert "Next actions:" in text
    assert f"- {ahead(7)}: from Cy Park: Send the photos" in text
    assert "CANARY" not in text


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "ana", "--mine", "6"], "my satisfaction must be 1 to 5"),
        (["checkin", "ana", "--theirs", "0"], "their satisfaction must be 1 to 5"),
        (["checkin", "ana", "--my-equity", "3"], "my equity must be -2 to 2"),
        (["checkin", "ana", "--their-equity", "-5"], "their equity must be -2 to 2"),
        (["checkin", "ana", "--mine", "4", "--on", "2999-01-01"], "in the future"),
        (["checkin", "ana", "--mine", "4", "--on", "last tuesday"], "not a date"),
        (["checkin", "ana", "--follow-up", "x", "--due", "2000-01-01"], "in the past"),
        (["checkin", "ana", "--follow-up", "  "], "follow-up must not be empty"),
        (["checkin", "ana", "--mine", "four"], "Invalid value for '--mine'"),
        (["checkin", "zed", "--mine", "4"], "no person matches 'zed'"),
        (["checkin", "list", "zed"], "no person matches 'zed'"),
        (["checkin", "link", "zed"], "no person matches 'zed'"),
        (["checkin", "link", "ana", "--days", "91"], "1 to 90 days"),
        (["checkin", "link", "ana", "--days", "0"], "1 to 90 days"),
        (["agenda", "--days", "367"], "0 to 366"),
        (["agenda", "--days", "-1"], "0 to 366"),
        (["agenda", "--ics", "/nonexistent-folder/x.ics"], "does not exist"),
        (["repair", "--with", "ana"], "interactive"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(people: str, args: list[str], message: str) -> None:
    before = snapshot(people)
    result = run(people, *args)
    assert result.exit_code == 2, result.output
    assert message in flat(result.stderr)
    assert "Traceback" not in result.output
    assert snapshot(people) == before


# --- the guided prompts (a terminal simulated) ---------------------------------------------------


class _Terminal:
    """``sys`` as the CLI sees it, except that standard input says it is a terminal."""

    class _Stdin:
        def isatty(self) -> bool:
            return True

        def __getattr__(self, name: str) -> Any:
            return getattr(sys.stdin, name)

    stdin = _Stdin()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkins_cli, "sys", _Terminal())


def test_guided_checkin(people: str, terminal: None) -> None:
    answers = "5\nmore walks\n-1\n4\n\n0\nSend the article\nBook dinner\n\n"
    result = run(people, "checkin", "ana", input=answers)
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert "Check-in with Ana Lima: listen first." in shown
    assert "Start by listening" in shown
    assert "2 follow-up(s) became commitments" in shown
    [record] = as_json(people, "checkin", "list", "ana")
    assert (record["their_satisfaction"], record["their_better"], record["their_equity"]) == (
        5,
        "more walks",
        -1,
    )
    assert (record["my_satisfaction"], record["my_better"], record["my_equity"]) == (4, None, 0)
    with service(people) as opened:
        assert sorted(c.text for c in opened.commitments.list()) == [
            "Book dinner",
            "Send the article",
        ]


@pytest.mark.parametrize(
    ("answers", "message"),
    [("9\n\n\n\n\n\n\n", "their satisfaction must be 1 to 5"), ("five\n", "five")],
)
def test_guided_checkin_bad_answer(people: str, terminal: None, answers: str, message: str) -> None:
    before = snapshot(people)
    result = run(people, "checkin", "ana", input=answers)
    assert result.exit_code == 2, result.output
    assert message in flat(result.stderr)
    assert snapshot(people) == before


def test_repair_turns(people: str, terminal: None) -> None:
    me = "3\ny\ncalm\nquiet\nn\n"
    ana = "7\ny\nhurt\nto be heard\ny\n"
    result = run(people, "repair", "--with", "ana", input=me + ana + "\n\ny\ny\n")
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert "Ana Lima is more stressed (7 against 3), so goes first." in shown
    assert shown.index("Ana Lima speaks") < shown.index("Me speaks")
    assert "feeling hurt, needing to be heard" in shown
    assert "kind repair" in shown
    [record] = as_json(people, "checkin", "list", "ana")
    assert record["kind"] == "repair"
    assert "Ana Lima: feeling hurt, needing to be heard, stress 7, relieved yes" in record["note"]


def test_repair_break(people: str, terminal: None, tmp_path: Path) -> None:
    me = "8\nn\n30\nangry\nspace\ny\n"
    ana = "2\ny\n\n\nn\n"
    target = tmp_path / "return.ics"
    result = run(people, "repair", "--with", "ana", "--ics", str(target), input=me + ana)
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert "Me asked for 30 minutes first" in shown and "Take the break." in shown
    assert f"Wrote the return time to {target}" in flat(result.stderr)
    [event] = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Come back to the conversation with Ana Lima"
    assert as_json(people, "checkin", "list", "ana") == []  # nothing recorded yet


def test_repair_asks_again_after_a_typo(people: str, terminal: None) -> None:
    """One typo at the stress question (or any other) asks again instead of ending it."""
    me = "three\n11\n3\ny\ncalm\nquiet\nn\n"  # a word, then out of range, then 3
    ana = "7\nmaybe\ny\nhurt\nto be heard\nyes\n"  # a confirm answered wrongly, then y
    result = run(people, "repair", "--with", "ana", input=me + ana + "\n\ny\ny\n")
    assert result.exit_code == 0, result.output
    assert flat(result.stderr).count("Please answer with a whole number from 0 to 10.") == 2
    shown = flat(result.stdout)
    assert "Ana Lima is more stressed (7 against 3), so goes first." in shown
    [record] = as_json(people, "checkin", "list", "ana")
    assert "Me: feeling calm, needing quiet, stress 3, relieved yes" in record["note"]


def test_repair_break_minutes_are_asked_again_until_valid(
    people: str, terminal: None, tmp_path: Path
) -> None:
    me = "8\nn\n\n5\nhalf an hour\n30\nangry\nspace\ny\n"  # blank, too short, words, then 30
    ana = "2\ny\n\n\nn\n"
    result = run(people, "repair", "--with", "ana", input=me + ana)
    assert result.exit_code == 0, result.output
    assert flat(result.stderr).count("from 10 to 4320") == 3
    assert "Me asked for 30 minutes first" in flat(result.stdout)


def test_repair_ends_cleanly_on_end_of_input(people: str, terminal: None) -> None:
    result = run(people, "repair", "--with", "ana", input="3\ny\n")
    assert result.exit_code == 1
    assert "Stopped: nothing was recorded." in flat(result.stderr)
    assert "Traceback" not in result.output
    assert as_json(people, "checkin", "list", "ana") == []


# --- what they said would make it better: wishes -------------------------------------------------

WISH_KEYS = {
    "checkin_id",
    "person",
    "on",
    "text",
    "their_satisfaction",
    "my_satisfaction",
    "source",
    "proposed",
    "reason",
}
PROMPT = (
    "They said: 'Phones away at dinner'. Make it a commitment of yours (c), a need of theirs "
    "to keep in mind (n), or leave it for now (Enter)?"
)


def test_a_wish_offered_in_a_terminal_becomes_a_commitment(people: str, terminal: None) -> None:
    result = run(
        people,
        "checkin",
        "ana",
        "--theirs",
        "3",
        "--their-better",
        "Phones away at dinner",
        input="x\nc\nlast year\n\n",  # a typo, c, a bad date, then the default
    )
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert PROMPT in shown
    assert "It reads as a commitment" in shown
    assert "Please answer c (a commitment), n (a need) or press Enter (later)." in flat(
        result.stderr
    )
    assert "try again" in flat(result.stderr)
    assert f"'Phones away at dinner', due {ahead(14)}." in shown
    [commitment] = as_json(people, "commitments")
    assert (commitment["text"], commitment["mine"], commitment["due_on"]) == (
        "Phones away at dinner",
        True,
        ahead(14),
    )
    assert as_json(people, "checkin", "wishes") == []
    [record] = as_json(people, "checkin", "list", "ana")
    assert record["wish_state"] == "commitment"


def test_a_wish_left_for_now_waits_in_the_list(people: str, terminal: None) -> None:
    result = run(
        people,
        "checkin",
        "ana",
        "--theirs",
        "3",
        "--their-better",
        "Phones away at dinner",
        input="\n",
    )
    assert result.exit_code == 0, result.output
    assert "Their wish waits for you" in flat(result.stdout)
    [wish] = as_json(people, "checkin", "wishes")
    assert set(wish) == WISH_KEYS
    assert (wish["text"], wish["proposed"], wish["their_satisfaction"]) == (
        "Phones away at dinner",
        "commitment",
        3,
    )
    assert wish["person"]["name"] == "Ana Lima"
    listed = flat(ok(people, "checkin", "list", "ana"))
    adopt = f"`mutuality checkin wishes adopt {wish['checkin_id']}`"
    assert f"their wish waits for you (reads as a commitment): {adopt}" in listed


def test_a_wish_kept_as_their_need_in_a_terminal(people: str, terminal: None) -> None:
    result = run(
        people,
        "checkin",
        "bo",
        "--their-better",
        "Introductions to people in publishing",
        input="n\n",
    )
    assert result.exit_code == 0, result.output
    assert "Kept it as their need #" in flat(result.stdout)
    [need] = as_json(people, "need", "list")
    assert (need["text"], need["source"], need["person"]) == (
        "Introductions to people in publishing",
        "checkin",
        "Bo Chen",
    )


def test_wish_flags(people: str) -> None:
    made = as_json(
        people,
        "checkin",
        "ana",
        "--their-better",
        "Phones away at dinner",
        "--wish-as",
        "commitment",
        "--wish-due",
        "in 3 days",
    )
    assert made["wish"]["state"] == "commitment" and made["wish"]["due_on"] == ahead(3)
    later = as_json(people, "checkin", "bo", "--their-better", "More calls", "--wish-as", "later")
    assert later["wish"] == {"state": None, "commitment_id": None, "need_id": None, "due_on": None}
    need = as_json(people, "checkin", "cy", "--their-better", "More calls", "--wish-as", "need")
    assert need["wish"]["state"] == "need" and need["wish"]["need_id"]
    plain = as_json(people, "checkin", "ed", "--mine", "4")
    assert plain["wish"] is None
    assert [w["person"]["name"] for w in as_json(people, "checkin", "wishes")] == ["Bo Chen"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--their-better", "x", "--wish-as", "need", "--wish-due", "tomorrow"],
            "only a commitment has a due date",
        ),
        (["--their-better", "x", "--wish-due", "2000-01-01"], "in the past"),
        (["--mine", "4", "--wish-as", "need"], "need --their-better"),
        (["--their-better", "x", "--wish-as", "maybe"], "Invalid value for '--wish-as'"),
    ],
)
def test_bad_wish_flags_record_nothing(people: str, args: list[str], message: str) -> None:
    before = snapshot(people)
    result = run(people, "checkin", "ana", *args)
    assert result.exit_code == 2, result.output
    assert message in flat(result.stderr)
    assert snapshot(people) == before


def test_checkin_wishes_adopt_and_set_aside(people: str) -> None:
    one = as_json(
        people, "checkin", "ana", "--their-better", "I'd love to hear more about your research"
    )
    two = as_json(people, "checkin", "bo", "--their-better", "Phones away at dinner")
    table = flat(ok(people, "checkin", "wishes"))
    assert (
        f"#{one['id']}" in table and "proposed: need" in table and "proposed: commitment" in table
    )
    assert [w["checkin_id"] for w in as_json(people, "checkin", "wishes", "--person", "bo")] == [
        two["id"]
    ]
    adopted = as_json(
        people,
        "checkin",
        "wishes",
        "adopt",
        str(two["id"]),
        "--due",
        "in 2 weeks",
        "--text",
        "Phones in the drawer at dinner",
    )
    assert (adopted["state"], adopted["due_on"], adopted["text"]) == (
        "commitment",
        ahead(14),
        "Phones in the drawer at dinner",
    )
    shown = flat(ok(people, "checkin", "wishes", "set-aside", str(one["id"])))
    assert "Set aside check-in" in shown and "hear more about your research" in shown
    assert flat(ok(people, "checkin", "wishes")) == "No wishes wait for you."
    assert "their wish: set aside" in flat(ok(people, "checkin", "list", "ana"))
    for args, message in (
        (["adopt", str(two["id"])], f"check-in #{two['id']}'s wish was already made a commitment"),
        (["set-aside", "999"], "no check-in #999"),
        (["adopt", str(one["id"]), "--as", "need"], "was set aside"),
    ):
        result = run(people, "checkin", "wishes", *args)
        assert result.exit_code == 2 and message in flat(result.stderr), result.output


def test_checkin_list_shows_whether_they_would_hear(people: str) -> None:
    with service(people) as opened:
        made = opened.checkins.make_link("ana")
        opened.checkins.answer_link(
            made.token, satisfaction=4, better=None, equity=None, message="Hi", would_hear=True
        )
    assert "they would like to hear what would make it better for you" in flat(
        ok(people, "checkin", "list", "ana")
    )
    [record] = as_json(people, "checkin", "list", "ana")
    assert (record["message"], record["would_hear"]) == ("Hi", True)
