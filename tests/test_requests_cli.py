"""``mutuality ask`` and ``mutuality commitments`` end to end through Typer's runner.

The command line uses today's real date, so dates here are relative ("in 5 days") and the
expected ones are computed from :func:`date.today`. Under the runner stdin is not a terminal,
so ``ask`` never prompts: without ``--accept`` or ``--decide`` it records the request
undecided and prints the proposal.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mutuality.cli.main import app

runner = CliRunner()

CANARY = "CANARY-91c2-private"

REQUEST_KEYS = {
    "id",
    "person_id",
    "person",
    "from_me",
    "text",
    "benefit",
    "cost",
    "kind",
    "made_on",
    "due_on",
    "proposal",
    "reason",
    "decision",
    "decided_on",
    "third_option",
    "status",
}
COMMITMENT_KEYS = {
    "id",
    "person_id",
    "person",
    "mine",
    "text",
    "kind",
    "benefit",
    "cost",
    "hours",
    "made_on",
    "due_on",
    "status",
    "closed_on",
    "late",
    "request_id",
    "exchange_id",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding Ana Lima, made once per module (making the schema takes a while)."""
    path = tmp_path_factory.mktemp("requests_cli") / "template.db"
    ok(str(path), "person", "add", "Ana Lima")
    return path


def copy(template: Path, path: Path) -> str:
    shutil.copyfile(template, path)
    path.chmod(0o600)
    return str(path)


@pytest.fixture
def db(tmp_path: Path, template: Path) -> str:
    return copy(template, tmp_path / "cli.db")


def run(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    """Rich wraps long lines at the console width: compare words, not line breaks."""
    return " ".join(text.split())


def as_json(db: str, *args: str) -> Any:
    return json.loads(ok(db, *args, "--format", "json"))


def snapshot(db: str) -> str:
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings

    with Mutuality.open(db, Settings()) as opened:
        return json.dumps(opened.backups.snapshot(), sort_keys=True)


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


# --- ask ----------------------------------------------------------------------------------------


def test_ask_records_the_request_and_prints_the_proposal(db: str) -> None:
    printed = flat(
        ok(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2", "--due", "in 10 days")
    )
    assert "Request #1 from Ana Lima: proposed yes." in printed
    assert "easy yes" in printed
    assert "mutuality ask decide 1 --accept" in printed
    [request] = as_json(db, "ask", "list")
    assert set(request) == REQUEST_KEYS
    assert request["person"] == "Ana Lima" and request["from_me"] is False
    assert (request["benefit"], request["cost"]) == (8.0, 2.0)
    assert (request["proposal"], request["decision"], request["status"]) == ("yes", None, "open")
    assert request["due_on"] == in_days(10) and request["made_on"] == in_days(0)
    assert "easy yes" in request["reason"]
    assert as_json(db, "commitments") == []


def test_ask_as_json_is_the_request(db: str) -> None:
    shown = as_json(db, "ask", "ana", "Help me move house", "-b", "2", "-c", "8", "--kind", "time")
    assert set(shown) == REQUEST_KEYS
    assert (shown["proposal"], shown["kind"], shown["decision"]) == ("no", "time", None)
    assert "easy no" in shown["reason"]


def test_ask_accept_makes_a_commitment(db: str) -> None:
    printed = flat(
        ok(
            db,
            "ask",
            "ana",
            "Review my grant",
            "-b",
            "8",
            "-c",
            "2",
            "--due",
            "in 10 days",
            "--accept",
        )
    )
    assert "Request #1: yes." in printed and "the proposal was" not in printed
    assert f"You committed to it, due {in_days(10)} (commitment #1)." in printed
    [commitment] = as_json(db, "commitments")
    assert set(commitment) == COMMITMENT_KEYS
    assert commitment["mine"] is True and commitment["request_id"] == 1
    assert (commitment["status"], commitment["due_on"]) == ("open", in_days(10))


def test_ask_accept_as_json_holds_the_commitment(db: str) -> None:
    shown = as_json(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2", "--accept")
    assert set(shown) == REQUEST_KEYS | {"commitment"}
    assert shown["decision"] == "yes" and shown["decided_on"] == in_days(0)
    assert set(shown["commitment"]) == COMMITMENT_KEYS
    assert shown["commitment"]["due_on"] == in_days(14)
    assert shown["commitment"]["person"] == "Ana Lima"


def test_ask_decide_overrides_the_proposal(db: str) -> None:
    printed = flat(
        ok(db, "ask", "ana", "Intro to a publisher", "-b", "8", "-c", "2", "--decide", "no")
    )
    assert "Request #1: no (the proposal was yes)." in printed
    assert "Kept in mind as an open need of Ana Lima" in printed
    assert "mutuality ask decline 1" in printed
    [request] = as_json(db, "ask", "list")
    assert (request["proposal"], request["decision"]) == ("yes", "no")


def test_ask_decide_negotiate_with_a_third_option(db: str) -> None:
    """A third option agreed becomes my commitment; one only offered keeps their ask as an
    open need until they agree."""
    printed = flat(
        ok(
            db,
            "ask",
            "ana",
            "Co-write a chapter",
            "-b",
            "7",
            "-c",
            "8",
            "--decide",
            "negotiate",
            "--third-option",
            "An hour of feedback on her outline",
        )
    )
    assert ": negotiate." in printed and "the proposal was" not in printed
    assert (
        "You committed to the third option “An hour of feedback on her outline”, due "
        f"{in_days(14)} (commitment #1)."
    ) in printed
    shown = as_json(
        db,
        "ask",
        "ana",
        "Co-write another",
        "-b",
        "7",
        "-c",
        "8",
        "--accept",
        "--third-option",
        "A call",
        "--not-agreed",
    )
    assert (shown["decision"], shown["third_option"], shown["commitment"]) == (
        "negotiate",
        "A call",
        None,
    )
    [need] = as_json(db, "need", "list", "ana")
    assert (need["text"], need["request_id"]) == ("Co-write another", 2)
    # they agree to it later: it becomes my commitment, due when I say, and the need is met
    decided = as_json(db, "ask", "decide", "2", "--decision", "negotiate", "--due", "in 3 days")
    assert decided["commitment"]["text"] == "A call"
    assert decided["commitment"]["due_on"] == in_days(3)
    assert decided["commitment"]["request_id"] == 2 and decided["commitment"]["mine"]
    assert as_json(db, "need", "list", "ana") == []
    assert [c["text"] for c in as_json(db, "commitments")] == [
        "A call",
        "An hour of feedback on her outline",
    ]


def test_ask_decide_accepts_a_proposed_negotiate_with_a_third_option(db: str) -> None:
    ok(db, "ask", "ana", "Help me move all weekend", "-b", "7", "-c", "8")
    offered = flat(
        ok(db, "ask", "decide", "1", "--accept", "--third-option", "Saturday", "--not-agreed")
    )
    assert "Third option offered, not agreed yet: Saturday" in offered
    assert "Kept in mind as an open need of Ana Lima" in offered
    printed = flat(
        ok(
            db,
            "ask",
            "decide",
            "1",
            "--accept",
            "--third-option",
            "I'll come Saturday morning and bring Jo",
            "--due",
            "in 4 days",
        )
    )
    assert (
        "You committed to the third option “I'll come Saturday morning and bring Jo”, "
        f"due {in_days(4)}"
    ) in printed
    [commitment] = as_json(db, "commitments")
    assert commitment["text"] == "I'll come Saturday morning and bring Jo"
    assert commitment["request_id"] == 1


def test_ask_from_me(db: str) -> None:
    ok(db, "person", "add", "Bo Chen")
    shown = as_json(
        db, "ask", "bo", "Intro to your investor", "-b", "6", "-c", "3", "--from-me", "--accept"
    )
    assert shown["from_me"] is True and shown["decision"] == "yes"
    assert shown["commitment"]["mine"] is False and shown["commitment"]["person"] == "Bo Chen"
    assert "Bo Chen → you" in flat(ok(db, "commitments"))
    assert "to Bo Chen" in flat(ok(db, "ask", "list"))
    printed = flat(
        ok(db, "ask", "bo", "Read my draft", "-b", "2", "-c", "8", "--from-me", "--decide", "later")
    )
    assert "Kept in mind as an open need of yours" in printed
    # A request I make of Bo is announced as going to him, never as coming from him.
    printed = flat(ok(db, "ask", "bo", "Lend me a ladder", "-b", "3", "-c", "1", "--from-me"))
    assert "Request #3 to Bo Chen: proposed" in printed
    assert "from Bo Chen" not in printed
    table = flat(ok(db, "ask", "list"))
    assert "to Bo Chen" in table and "from Bo Chen" not in table


# --- ask decide / list / reconsider / decline ---------------------------------------------------


def test_ask_decide_later(db: str) -> None:
    ok(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2", "--due", "in 10 days")
    shown = as_json(db, "ask", "decide", "1", "--accept")
    assert set(shown) == REQUEST_KEYS | {"commitment"}
    assert shown["decision"] == "yes" and shown["commitment"]["due_on"] == in_days(10)
    ok(db, "ask", "ana", "Read my CV", "-b", "8", "-c", "2")
    shown = as_json(
        db, "ask", "decide", "2", "--decision", "yes", "--due", "in 3 days", "--hours", "1.5"
    )
    assert shown["commitment"]["due_on"] == in_days(3) and shown["commitment"]["hours"] == 1.5
    ok(db, "ask", "ana", "Move house", "-b", "2", "-c", "8")
    printed = flat(ok(db, "ask", "decide", "3", "--accept"))
    assert "Request #3: no." in printed and "open need of Ana Lima" in printed
    # a no may become a yes
    printed = flat(ok(db, "ask", "decide", "3", "--decision", "yes"))
    assert "Request #3: yes (the proposal was no)." in printed
    assert "(commitment #3)" in printed


def test_ask_decide_needs_accept_or_a_decision(db: str) -> None:
    ok(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2")
    before = snapshot(db)
    result = run(db, "ask", "decide", "1")
    assert result.exit_code == 2
    assert "--accept" in result.stderr
    assert snapshot(db) == before


def test_ask_list(db: str) -> None:
    ok(db, "person", "add", "Bo Chen")
    ok(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2", "--accept")
    ok(db, "ask", "bo", "Intro to your investor", "-b", "6", "-c", "3", "--from-me")
    ok(db, "ask", "ana", "Coffee chat", "-b", "5", "-c", "4")
    everything = as_json(db, "ask", "list")
    assert [r["id"] for r in everything] == [3, 2, 1]
    assert [r["person"] for r in everything] == ["Ana Lima", "Bo Chen", "Ana Lima"]
    assert [r["id"] for r in as_json(db, "ask", "list", "--open")] == [3, 2]
    table = flat(ok(db, "ask", "list"))
    assert "3 requests" in table
    assert "Coffee chat" in table and "5/4" in table and "negotiate" in table
    assert "to Bo Chen" in table and "from Ana Lima" in table
    assert "1 requests" not in flat(ok(db, "ask", "list", "--open"))
    assert "2 requests" in flat(ok(db, "ask", "list", "--open"))


def test_ask_reconsider_once_the_budget_is_raised(db: str) -> None:
    ok(db, "person", "add", "Cy Park")
    ok(db, "capacity", "5")
    ok(
        db,
        "gave",
        "cy",
        "--kind",
        "time",
        "--what",
        "Helped him move",
        "--benefit",
        "3",
        "--cost",
        "5",
        "--on",
        "today",
    )
    shown = as_json(db, "ask", "ana", "Review my grant", "-b", "8", "-c", "2", "--accept")
    assert shown["decision"] == "later" and "used up" in shown["reason"]
    assert "Nothing to reconsider" in ok(db, "ask", "reconsider")
    assert as_json(db, "ask", "reconsider") == []
    ok(db, "capacity", "50")
    printed = flat(ok(db, "ask", "reconsider"))
    assert "#1 from Ana Lima: Review my grant: now yes." in printed
    assert "mutuality ask decide ID --decision yes" in printed
    [again] = as_json(db, "ask", "reconsider")
    assert set(again) == REQUEST_KEYS | {"now", "now_reason"}
    assert (again["id"], again["decision"], again["now"]) == (1, "later", "yes")
    ok(db, "capacity", "--clear")
    assert [r["now"] for r in as_json(db, "ask", "reconsider")] == ["yes"]
    ok(db, "ask", "decide", "1", "--decision", "yes")
    assert as_json(db, "ask", "reconsider") == []


def test_ask_decline_drafts_a_kind_reply_without_private_notes(db: str) -> None:
    ok(db, "person", "edit", "ana", "--note", f"{CANARY} in her note")
    ok(db, "gave", "ana", "--kind", "time", "--what", "Coffee", "--note", CANARY)
    ok(
        db,
        "ask",
        "ana",
        "Co-write a chapter",
        "-b",
        "7",
        "-c",
        "8",
        "--decide",
        "negotiate",
        "--third-option",
        "An hour of feedback on your outline",
        "--not-agreed",
    )
    ok(db, "ask", "ana", "Help me move house", "-b", "2", "-c", "8", "--accept")
    negotiated = flat(ok(db, "ask", "decline", "1"))
    assert negotiated.startswith("Hi Ana,") and "Lima" not in negotiated
    assert "Co-write a chapter" in negotiated
    assert "What I could do instead: An hour of feedback on your outline." in negotiated
    declined = flat(ok(db, "ask", "decline", "2"))
    assert "Help me move house" in declined and "more than I can give" in declined
    for draft in (negotiated, declined):
        assert CANARY not in draft


# --- commitments --------------------------------------------------------------------------------


def _three_commitments(db: str) -> None:
    ok(db, "ask", "ana", "Later one", "-b", "8", "-c", "2", "--due", "in 9 days", "--accept")
    ok(db, "ask", "ana", "Sooner one", "-b", "8", "-c", "2", "--due", "tomorrow", "--accept")
    ok(
        db,
        "ask",
        "ana",
        "Middle one",
        "-b",
        "7",
        "-c",
        "3",
        "--due",
        "in 5 days",
        "--kind",
        "knowledge",
        "--accept",
    )


def test_commitments_are_listed_by_due_date(db: str) -> None:
    _three_commitments(db)
    listed = as_json(db, "commitments")
    assert [c["text"] for c in listed] == ["Sooner one", "Middle one", "Later one"]
    assert all(set(c) == COMMITMENT_KEYS for c in listed)
    table = ok(db, "commitments")
    lines = [line for line in table.splitlines() if line.startswith("#")]
    assert [line.split(":")[1].strip() for line in lines] == [
        "Sooner one (open)",
        "Middle one (open)",
        "Later one (open)",
    ]
    assert f"#2 due {in_days(1)} You → Ana Lima" in table
    assert "follow-through" not in table  # nothing was due yet


def test_commitments_keep_and_break(db: str) -> None:
    _three_commitments(db)
    kept = flat(ok(db, "commitments", "keep", "3"))
    assert kept == "Kept #3; logged as exchange #1."
    timeline = as_json(db, "timeline", "ana")
    [logged] = timeline["exchanges"]
    assert (logged["description"], logged["kind"], logged["benefit"], logged["cost"]) == (
        "Middle one",
        "knowledge",
        7.0,
        3.0,
    )
    broken = run(db, "commitments", "break", "2")
    assert broken.exit_code == 0 and "Marked #2 broken." in broken.output
    assert [c["id"] for c in as_json(db, "commitments")] == [1]
    closed = {c["id"]: c for c in as_json(db, "commitments", "--all")}
    assert set(closed) == {1, 2, 3}
    assert (closed[3]["status"], closed[3]["exchange_id"], closed[3]["late"]) == ("kept", 1, False)
    assert (closed[2]["status"], closed[2]["closed_on"]) == ("broken", in_days(0))
    table = flat(ok(db, "commitments", "--all"))
    assert "Sooner one (broken)" in table and "Middle one (kept)" in table
    assert (
        "Your follow-through: 50% kept on time (1 on time, 0 late, 1 broken, 0 overdue)." in table
    )
    why = flat(ok(db, "why", "ana"))
    assert (
        "Follow-through: You kept 1 commitment on time, 0 late, broke 1, and 0 are "
        "overdue (50% on time)."
    ) in why


def test_commitments_kept_by_them(db: str) -> None:
    ok(db, "ask", "ana", "Intro to your editor", "-b", "6", "-c", "2", "--from-me", "--accept")
    ok(db, "commitments", "keep", "1", "--on", "today")
    [logged] = as_json(db, "timeline", "ana")["exchanges"]
    assert logged["direction"] == "got"
    printed = flat(ok(db, "commitments", "--all"))
    assert "Ana Lima → you" in printed
    assert "Others' follow-through to you: 100% kept on time." in printed


# --- bad input ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory, template: Path) -> tuple[Path, str]:
    """Request 1 undecided; commitment 1 (request 2) broken; commitment 2 (request 3) open;
    with the database's snapshot."""
    path = copy(template, tmp_path_factory.mktemp("requests_cli") / "decided.db")
    ok(path, "ask", "ana", "Undecided", "-b", "8", "-c", "2")
    ok(path, "ask", "ana", "Broken promise", "-b", "8", "-c", "2", "--accept")
    ok(path, "commitments", "break", "1")
    ok(path, "ask", "ana", "Open promise", "-b", "8", "-c", "2", "--accept")
    return Path(path), snapshot(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "zed", "x", "-b", "8", "-c", "2"], "no person matches 'zed'"),
        (["ask", "ana", "x", "-b", "11", "-c", "2"], "benefit 11 is outside the scale"),
        (["ask", "ana", "x", "-b", "8", "-c", "-1"], "cost -1 is outside the scale"),
        (["ask", "ana", "x", "-b", "nan", "-c", "2"], "benefit must be a number from 0 to 10"),
        (["ask", "ana", "x", "-b", "8", "-c", "nan"], "got nan"),
        (["ask", "ana", "   ", "-b", "8", "-c", "2"], "request must not be empty"),
        (
            ["ask", "ana", "x", "-b", "8", "-c", "2", "--due", "2020-01-01"],
            "due 2020-01-01 is in the past",
        ),
        (
            ["ask", "ana", "x", "-b", "8", "-c", "2", "--due", "someday"],
            "due 'someday' is not a date",
        ),
        (["ask", "ana", "x", "-b", "8", "-c", "2", "--kind", "gossip"], "unknown kind 'gossip'"),
        (["ask", "ana", "x", "-b", "8"], "Missing option"),
        (["ask", "decide", "99", "--accept"], "no request with id 99"),
        (["ask", "decide", "1", "--decision", "maybe"], "decision 'maybe'"),
        (["ask", "decide", "1", "--decision", "negotiate"], "negotiate needs a third option"),
        (["ask", "decide", "1", "--accept", "--due", "2020-01-01"], "in the past"),
        (["ask", "decide", "1", "--accept", "--due", "whenever"], "due 'whenever' is not a date"),
        (["ask", "decide", "1", "--accept", "--hours", "5000"], "hours must be from 0 to 1000"),
        (["ask", "decide", "2", "--accept"], "request #2 is already decided (yes)"),
        (["ask", "decline", "99"], "no request with id 99"),
        (["commitments", "keep", "99"], "no commitment with id 99"),
        (["commitments", "break", "99"], "no commitment with id 99"),
        (["commitments", "keep", "1"], "commitment #1 is already broken"),
        (["commitments", "break", "1"], "commitment #1 is already broken"),
        (["commitments", "keep", "2", "--on", "2999-01-01"], "is in the future"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    tmp_path: Path, decided: tuple[Path, str], args: list[str], message: str
) -> None:
    template, before = decided
    db = copy(template, tmp_path / "cli.db")
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(db) == before


ASK_THEN_DECIDE = (
    "cli/requests.py ask: the request is recorded (app.requests.ask commits) before "
    "app.requests.decide runs, so when deciding fails (an unknown decision word, negotiate "
    "without --third-option) the command exits 2 but leaves an undecided request behind"
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-b", "8", "-c", "2", "--decide", "maybe"], "decision 'maybe'"),
        (["-b", "7", "-c", "8", "--decide", "negotiate"], "negotiate needs a third option"),
        (["-b", "7", "-c", "8", "--accept"], "negotiate needs a third option"),
    ],
)
def test_ask_that_cannot_be_decided_records_nothing(db: str, args: list[str], message: str) -> None:
    before = snapshot(db)
    result = run(db, "ask", "ana", "Co-write a chapter", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(db) == before
