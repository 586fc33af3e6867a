"""Exporting one person (P2): every table that refers to them is in the file, nothing of
anyone else's is (the other side of an introduction by name only), private notes only when
asked for, and the file restores into an empty ledger, which exports it again byte for byte.

Ana Lima is exported; Bo Chen shares an introduction with her, and everything of his holds
the canary, which must not reach the file's bytes. Ana's private notes hold ``SECRET``."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, open_app, owner_id
from sqlalchemy import text
from test_import_undo import PNG, card_text
from typer.testing import CliRunner
from web_helpers import sign_in, web_client

from mutuality.cli.main import app as cli
from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.services.app import Mutuality
from mutuality.services.backup.tables import TABLE_SECTIONS
from mutuality.services.checkins.service import FollowUp
from mutuality.services.exporting.person import RULES, backup_text
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonChanges

CANARY = "CANARY-b0b0"
SECRETS = (
    "SECRET-person-note",
    "SECRET-exchange-note",
    "SECRET-touch-note",
    "SECRET-checkin-note",
    "SECRET-intent-reason",
    "SECRET-meeting",  # a meeting's title is its touch's private note
)

runner = CliRunner()


def ledger_with_two(app: Mutuality, tmp_path: Path) -> dict[str, int]:
    """Ana with something in every table that can refer to a person; Bo with the same,
    each holding the canary; and an introduction between them, made, with an outcome."""
    ana = app.people.get("Ana Lima").person.id
    bo = app.people.get("Bo Chen").person.id
    app.people.ledger_id()  # the ledger's own identifier, on the owner: never exported
    app.people.edit(
        ana,
        PersonChanges(
            private_note="", intent="care", intent_reason="SECRET-intent-reason", birthday="04-15"
        ),
    )
    # a contact import that merges into Ana (its record holds the note it set) and adds Kim
    vcard = tmp_path / "ana.vcf"
    vcard.write_text(
        card_text(
            "FN:Ana Lima",
            "EMAIL:ana@example.org",
            "NOTE:SECRET-person-note",
            "ADR;TYPE=HOME:;;1 Rua;Lisboa;;1100;PT",
            "URL:https://ana.example.org",
            f"PHOTO;ENCODING=b;TYPE=PNG:{PNG}",
            "X-ANNIVERSARY:2016-06-04",
        )
        + card_text("FN:Kim Park", "EMAIL:kim@acme.example"),
        encoding="utf-8",
    )
    app.imports.run(vcard)
    meeting = tmp_path / "meet.ics"
    meeting.write_bytes(
        "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "BEGIN:VEVENT",
                "UID:coffee-1@example.org",
                "DTSTART:20261110T100000Z",
                "DTEND:20261110T110000Z",
                "SUMMARY:SECRET-meeting",
                "ATTENDEE:mailto:ana@example.org",
                "END:VEVENT",
                "END:VCALENDAR",
                "",
            ]
        ).encode()
    )
    app.imports.run(meeting)

    for who, mark in ((ana, "ana"), (bo, CANARY)):
        secret = "SECRET" if who == ana else CANARY
        logged = app.ledger.log(
            who,
            Direction.GOT,
            kind="time",
            what=f"talk {mark}-what",
            outcome=f"{mark}-outcome",
            private_note=f"{secret}-exchange-note",
            benefit=5,
            cost=1,
        )
        app.sharing.share("exchange", logged.id)
        app.ledger.touch(who, private_note=f"{secret}-touch-note")
        checkin, _ = app.checkins.record(
            who,
            my_satisfaction=3,
            my_better=f"{mark}-my-better",
            their_better=f"{mark}-their-better",
            note=f"{secret}-checkin-note",
            follow_ups=(FollowUp(f"{mark}-promise"),),
        )
        app.wishes.adopt(checkin.id, "need")
        link = app.checkins.make_link(who, first_name="Sam")
        app.checkins.answer_link(
            link.token, satisfaction=4, better=f"{mark}-wish", equity=0, message=f"{mark}-msg"
        )
        app.checkins.make_link(who)  # one not answered: a link is never exported
        app.needs.add("need", who, f"a designer {mark}-need")
        app.needs.add("offer", who, f"design reviews {mark}-offer")
        app.needs.note_state(app.people.get(who).person.name, "challenge", f"{mark}-state")
        asked = app.requests.ask(who, f"{mark}-request", benefit=6, cost=2)
        app.requests.decide(asked.id, "yes")
        app.occasions.add(who, f"{mark}-date", "2020-05-04")
    app.sharing.share("person", ana)
    app.people.edit(bo, PersonChanges(private_note=f"{CANARY}-note", organisation=CANARY))

    intro = app.introductions.propose(
        ana, bo, reason="INTRO-REASON", a_gains="ana-gains", b_gains=f"{CANARY}-gains"
    ).introduction
    app.introductions.edit(intro.id, b_message=f"{CANARY}-message", intro_message=f"{CANARY}-both")
    app.introductions.ask(intro.id)
    app.introductions.answer(intro.id, ana, yes=True, note="ana-says-yes")
    app.introductions.answer(intro.id, bo, yes=True, note=f"{CANARY}-says-yes")
    app.introductions.make(intro.id)
    app.introductions.log_outcome(intro.id, "they-met", share=True)
    # an exchange between Ana and Bo themselves (only a bulk load makes one): Bo's too
    app.ledger.bulk_add(
        [
            NewExchange(
                giver_id=bo,
                receiver_id=ana,
                kind=ExchangeKind.TIME,
                description=f"{CANARY}-between-them",
                on=TODAY,
                benefit=2,
                cost=1,
                estimated_by=Estimator.ME,
            )
        ]
    )
    return {"ana": ana, "bo": bo, "owner": owner_id(app), "intro": intro.id}


@pytest.fixture
def two(populated: Mutuality, tmp_path: Path) -> dict[str, int]:
    return ledger_with_two(populated, tmp_path)


def read(path: Path) -> dict[str, list[dict[str, Any]]]:
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def rows(app: Mutuality, sql: str, **params: Any) -> set[Any]:
    with app.database.engine.connect() as connection:
        return {row[0] for row in connection.execute(text(sql), params)}


def ids(records: list[dict[str, Any]], key: str = "id") -> set[Any]:
    return {record[key] for record in records}


# --- what is in it ---------------------------------------------------------------------------


def test_every_table_that_refers_to_them_is_in_the_file(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    done = populated.person_exports.export("Ana Lima", path)
    data = read(path)
    ana, owner = two["ana"], two["owner"]
    theirs = "SELECT id FROM {} WHERE person_id = :ana"
    expected = {
        section: rows(populated, theirs.format(section), ana=ana)
        for section in (
            "touches",
            "checkins",
            "requests",
            "needs",
            "offers",
            "commitments",
            "person_states",
            "important_dates",
            "import_changes",
        )
    }
    expected["addresses"] = rows(populated, theirs.format("person_addresses"), ana=ana)
    expected["urls"] = rows(populated, theirs.format("person_urls"), ana=ana)
    expected["exchanges"] = rows(
        populated,
        "SELECT id FROM exchanges WHERE (giver_id = :ana AND receiver_id = :me) "
        "OR (giver_id = :me AND receiver_id = :ana)",
        ana=ana,
        me=owner,
    )
    expected["introductions"] = {two["intro"]}
    expected["imports"] = rows(
        populated, "SELECT import_id FROM import_changes WHERE person_id = :ana", ana=ana
    )
    expected["shares"] = rows(
        populated,
        "SELECT id FROM shares WHERE person_id = :ana OR exchange_id IN "
        "(SELECT id FROM exchanges WHERE giver_id = :ana OR receiver_id = :ana)",
        ana=ana,
    )
    for section, wanted in expected.items():
        assert wanted, f"the scenario has no {section} row of Ana's"
        assert ids(data[section]) == wanted, section
    assert ids(data["photos"], "person_id") == {ana}
    assert [r["touch_id"] for r in data["imported_events"]] == [
        t["id"] for t in data["touches"] if t["channel"] == "meeting"
    ]
    assert {(r["owner_id"], r["person_id"]) for r in data["relationships"]} == {(owner, ana)}
    assert data["relationships"][0]["intent"] == "care"
    assert {s["person_id"] for s in data["introduction_steps"]} <= {None, ana}
    assert {s["step"] for s in data["introduction_steps"]} >= {"proposed", "consented", "made"}
    assert data["capacities"] == []
    assert any(c["source"] == "link" for c in data["checkins"])  # answered through a link
    assert {n["checkin_id"] for n in data["needs"]} - {None} <= ids(data["checkins"])
    assert done.name == "Ana Lima" and done.named == 1 and not done.with_private_notes
    assert done.counts.exchanges == len(expected["exchanges"])


def test_nothing_of_anyone_else_is_in_the_file(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    populated.person_exports.export("Ana Lima", path, with_private_notes=True)
    raw = path.read_bytes()
    assert CANARY.encode() not in raw
    for other in (b"bo@example.com", b"investor", b"Kim Park", "José".encode(), b"Dana"):
        assert other not in raw, other
    data = read(path)
    ana, bo, owner = two["ana"], two["bo"], two["owner"]
    people = {p["id"]: p for p in data["people"]}
    assert set(people) == {owner, ana, bo}
    for who in (owner, bo):  # by name only
        assert {k: v for k, v in people[who].items() if v not in (None, [])} == {
            "id": who,
            "name": people[who]["name"],
            "is_owner": who == owner,
            "created_at": people[who]["created_at"],
        }
    for exchange in data["exchanges"]:
        assert {exchange["giver_id"], exchange["receiver_id"]} == {ana, owner}
    for section, records in data.items():
        for record in records:
            for key in ("person_id", "owner_id", "a_id", "b_id"):
                if section == "people" or key not in record or record[key] is None:
                    continue
                if section == "introductions" and key in ("a_id", "b_id"):
                    continue
                assert record[key] in (ana, owner), (section, record)
    (intro,) = data["introductions"]
    side, other = ("a", "b") if intro["a_id"] == ana else ("b", "a")
    assert intro["reason"] == "INTRO-REASON" and intro[f"{side}_gains"] == "ana-gains"
    assert intro[f"{other}_gains"] is None and intro[f"{other}_message"] is None
    assert intro["intro_message"] is None and intro[f"{other}_exchange_id"] is None
    assert intro[f"{side}_exchange_id"] in ids(data["exchanges"])
    assert intro["outcome"] == "they-met"
    assert ("ana-says-yes" in raw.decode()) and intro[f"{other}_consent"] == "yes"


def test_private_notes_only_with_the_flag(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    plain, noted = tmp_path / "plain.json", tmp_path / "noted.json"
    populated.person_exports.export("Ana Lima", plain)
    populated.person_exports.export("Ana Lima", noted, with_private_notes=True)
    without, with_ = plain.read_text(encoding="utf-8"), noted.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in without, secret
        assert secret in with_, secret
    assert "SECRET" not in without
    # what is theirs, not a note, is in both: their words through the link, their wish
    for theirs in ("ana-msg", "ana-wish", "ana-their-better", "ana-outcome", "talk ana-what"):
        assert theirs in without and theirs in with_
    merge = next(c for c in read(plain)["import_changes"] if c["action"] == "merged")
    assert "private_note" not in json.loads(merge["details"])["after"]
    assert (
        "private_note"
        in json.loads(
            next(c for c in read(noted)["import_changes"] if c["action"] == "merged")["details"]
        )["after"]
    )


def test_the_ledgers_identifier_stays_out(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    populated.person_exports.export("Ana Lima", path, with_private_notes=True)
    assert populated.people.ledger_id() not in path.read_text(encoding="utf-8")


def test_the_file_is_private_and_written_atomically(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    path.write_text("old", encoding="utf-8")
    populated.person_exports.export("Ana Lima", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- the round trip --------------------------------------------------------------------------


@pytest.mark.parametrize("notes", [False, True])
def test_it_restores_into_an_empty_ledger_and_exports_the_same_bytes(
    populated: Mutuality, two: dict[str, int], tmp_path: Path, notes: bool
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    populated.person_exports.export("Ana Lima", first, with_private_notes=notes)
    with open_app(tmp_path / "fresh.db") as fresh:
        counts = fresh.backups.restore_json(first)
        fresh.person_exports.export("Ana Lima", second, with_private_notes=notes)
        assert second.read_bytes() == first.read_bytes()
        assert counts.people == 3 and counts.relationships == 1
        ana = fresh.people.get("Ana Lima")
        assert ana.relationship is not None and ana.relationship.intent is not None
        assert ana.exchange_count == len(read(first)["exchanges"])
        assert ana.person.private_note == ("SECRET-person-note" if notes else None)
        (intro,) = fresh.introductions.list(person="Ana Lima")
        assert {intro.a, intro.b} == {"Ana Lima", "Bo Chen"}
        assert fresh.people.get("Bo Chen").relationship is None


def test_the_restored_ledger_gets_an_identifier_of_its_own(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    populated.person_exports.export("Ana Lima", path)
    with open_app(tmp_path / "fresh.db") as fresh:
        fresh.backups.restore_json(path)
        assert fresh.people.ledger_id() != populated.people.ledger_id()


def test_a_person_with_nothing_but_a_name_round_trips(populated: Mutuality, tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    done = populated.person_exports.export("Dana Smith", first)
    assert done.counts.exchanges == 0 and done.named == 0
    with open_app(tmp_path / "fresh.db") as fresh:
        fresh.backups.restore_json(first)
        fresh.person_exports.export("Dana Smith", second)
    assert second.read_bytes() == first.read_bytes()


# --- held to the backup ----------------------------------------------------------------------


def test_every_section_of_the_backup_has_a_rule() -> None:
    """A table added to the backup must say whether it belongs to a person's record."""
    assert set(RULES) == {section.name for section in TABLE_SECTIONS}


def test_the_file_is_laid_out_as_the_backup_is(populated: Mutuality, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    populated.backups.export_json(path)
    assert "".join(backup_text(populated.backups.snapshot())) == path.read_text(encoding="utf-8")


def test_their_rows_are_written_as_the_backup_writes_them(
    populated: Mutuality, two: dict[str, int]
) -> None:
    """With private notes, every row of the person's that is not cut down is the full
    backup's row, as it stands there."""
    _, mine = populated.person_exports.record("Ana Lima", with_private_notes=True)
    everything = populated.backups.snapshot()
    ana = two["ana"]
    assert next(p for p in mine["people"] if p["id"] == ana) == next(
        p for p in everything["people"] if p["id"] == ana
    )
    for section in everything:
        if section in ("people", "introductions", "introduction_steps"):
            continue
        key = "person_id" if section == "photos" else None
        by_key = {
            (r[key] if key else json.dumps(r, sort_keys=True)): r for r in everything[section]
        }
        for record in mine[section]:
            assert by_key[record[key] if key else json.dumps(record, sort_keys=True)] == record, (
                section
            )


# --- the commands ----------------------------------------------------------------------------


def test_the_command_writes_the_file_and_says_what_it_holds(
    populated: Mutuality, two: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    db = str(populated.database.path)
    result = runner.invoke(cli, ["--db", db, "person", "export", "ana", str(path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as wrapped to the terminal's width
    assert "Exported Ana Lima's record" in said
    assert "without private notes" in said and "1 other person" in said
    assert "SECRET" not in path.read_text(encoding="utf-8")
    noted = runner.invoke(
        cli, ["--db", db, "person", "export", "ana", str(path), "--with-private-notes"]
    )
    assert noted.exit_code == 0, noted.output
    assert "SECRET-person-note" in path.read_text(encoding="utf-8")
    helped = runner.invoke(cli, ["person", "export", "--help"])
    words = " ".join(helped.output.replace("│", " ").split())  # as read, not as wrapped
    assert "--with-private-notes" in words and "Private notes are left out" in words
    missing = runner.invoke(cli, ["--db", db, "person", "export", "nobody-here", str(path)])
    assert missing.exit_code == 2


def test_the_person_page_downloads_their_record(populated: Mutuality, two: dict[str, int]) -> None:
    client = web_client(populated)
    url = f"/people/{two['ana']}/export.json"
    assert client.get(url, follow_redirects=False).status_code == 303  # signed in only
    sign_in(client, populated)
    assert url in client.get(f"/people/{two['ana']}").text
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="ana-lima.json"'
    assert answer.text == populated.person_exports.text(two["ana"])[1]
    assert "SECRET" not in answer.text and CANARY not in answer.text
    noted = client.get(url + "?notes=true")
    assert "SECRET-person-note" in noted.text
    assert "with-notes" in noted.headers["content-disposition"]
