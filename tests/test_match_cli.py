"""``mutuality need/offer/state/match/intro`` end to end through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mutuality.cli.main import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    for name in ("Ana Lima", "Bo Chen", "Cy Diaz"):
        assert runner.invoke(app, ["--db", path, "person", "add", name]).exit_code == 0
    return path


def run(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def as_json(db: str, *args: str):
    result = run(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_needs_offers_and_states(db: str) -> None:
    need = as_json(
        db, "need", "add", "ana", "Looking for a UX designer", "-t", "Design", "--source", "them"
    )
    assert need["kind"] == "need" and need["person"] == "Ana Lima" and need["tags"] == ["design"]
    offer = as_json(db, "offer", "add", "me", "Reviews of pitch decks", "--expires", "in 30 days")
    assert offer["person"] == "Me" and offer["expires_on"] == offer["expires_on"][:10]
    assert [n["id"] for n in as_json(db, "need", "list")] == [need["id"]]
    assert as_json(db, "offer", "list", "ana") == []
    closed = as_json(db, "need", "close", str(need["id"]))
    assert closed["status"] == "closed"
    assert as_json(db, "need", "list") == []
    assert len(as_json(db, "need", "list", "--all")) == 1
    state = as_json(db, "state", "add", "bo", "busy", "Launch week", "--until", "in 7 days")
    assert state["kind"] == "busy" and state["person"] == "Bo Chen"
    assert [s["id"] for s in as_json(db, "state", "list")] == [state["id"]]
    assert as_json(db, "state", "clear", str(state["id"]))["ends_on"] is not None
    table = run(db, "need", "list", "--all")
    assert table.exit_code == 0 and "Looking for a UX designer" in table.stdout


def test_match_and_the_introduction_flow(db: str) -> None:
    run(db, "need", "add", "ana", "Looking for a UX designer to review our onboarding")
    run(db, "offer", "add", "bo", "Feedback on user experience and app design")
    run(db, "need", "add", "me", "A Python tutor for data analysis")
    run(db, "offer", "add", "cy", "Can teach Python and statistics")
    report = as_json(db, "match")
    assert [m["helper"] for m in report["help_me"]] == ["Cy Diaz"]
    [intro] = report["introductions"]
    assert intro["seeker"] == "Ana Lima" and intro["helper"] == "Bo Chen"
    assert intro["matched"] and intro["reason"].startswith("Ana Lima needs")
    text = run(db, "match")
    assert text.exit_code == 0 and "Introductions that would help" in text.stdout

    proposed = as_json(db, "intro", "propose", "ana", "bo")
    number = str(proposed["id"])
    assert proposed["status"] == "proposed" and proposed["messages"]["a"].startswith("Hi Ana")
    refused = run(db, "intro", "make", number)
    assert refused.exit_code == 2 and "cannot make it" in refused.stderr
    assert as_json(db, "intro", "ask", number)["status"] == "asking"
    assert as_json(db, "intro", "consent", number, "ana")["a_consent"] == "yes"
    outsider = run(db, "intro", "consent", number, "cy")
    assert outsider.exit_code == 2 and "not part of introduction" in outsider.stderr
    assert as_json(db, "intro", "consent", number, "bo")["status"] == "agreed"
    made = as_json(db, "intro", "make", number)
    assert made["status"] == "made" and made["a_exchange_id"] and made["b_exchange_id"]
    done = as_json(db, "intro", "outcome", number, "They met twice", "--need-met")
    assert done["outcome"] == "They met twice"
    assert [s["step"] for s in done["steps"]][-2:] == ["made", "outcome"]
    assert len(as_json(db, "intro", "list")) == 1
    shown = run(db, "intro", "show", number)
    assert shown.exit_code == 0 and "Steps" in shown.stdout


def test_decline_and_bad_input_exit_2(db: str) -> None:
    run(db, "need", "add", "ana", "Looking for a UX designer")
    run(db, "offer", "add", "bo", "UX design reviews")
    number = str(as_json(db, "intro", "propose", "ana", "bo")["id"])
    declined = as_json(db, "intro", "decline", number, "bo", "--note", "No time")
    assert declined["status"] == "declined" and declined["messages"]["decline_note"]
    for args, message in [
        (("intro", "propose", "bo", "ana"), "was declined"),
        (("intro", "propose", "ana", "ana"), "to themself"),
        (("intro", "propose", "ana", "nobody"), "no person matches"),
        (("intro", "consent", "99", "ana"), "no introduction with id 99"),
        (("need", "add", "ana", "   "), "must not be empty"),
        (("need", "add", "ana", "x" * 1001), "the limit is 1,000"),
        (("need", "add", "ghost", "Help"), "no person matches"),
        (("need", "close", "42"), "no need with id 42"),
        (("match", "--method", "fuzzy"), "lexical or semantic"),
    ]:
        result = run(db, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert len(as_json(db, "need", "list")) == 1


def test_propose_says_the_pair_was_matched_by_meaning(db: str) -> None:
    run(db, "need", "add", "ana", "Can someone look over my CV before Friday?")
    run(db, "offer", "add", "bo", "Recruiter for tech roles: résumé feedback")
    result = run(db, "intro", "propose", "ana", "bo")
    assert result.exit_code == 0, result.output
    assert "Why: Ana Lima is looking for “Can someone look over my CV" in result.stdout
    assert "The need and the offer were matched by meaning." in result.stdout


def test_adding_a_need_leaves_its_embedding_to_the_next_match(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command ends at once: `need add` does not wait for the model to load; the next
    `match` embeds what is missing, once, and matches by meaning."""
    from mutuality.services.matching.service import MatchingService

    def never(*_: object) -> bool:
        raise AssertionError("need add loaded the model")

    monkeypatch.setattr(MatchingService, "embed_saved", never)
    assert run(db, "need", "add", "ana", "Someone to look over my CV").exit_code == 0
    assert run(db, "offer", "add", "bo", "Recruiter for tech roles: résumé feedback").exit_code == 0
    monkeypatch.undo()
    [intro] = as_json(db, "match")["introductions"]
    assert (intro["seeker"], intro["helper"]) == ("Ana Lima", "Bo Chen")
    assert "in meaning" in intro["reason"] or "matched: cv" in intro["reason"]
