"""Export: vCard 4.0 and CSV round-trip through our own importer, CSV cells are safe in a
spreadsheet (I7), reminders as iCalendar, private notes only when asked for; the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    open_app,
    table_counts,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importing_helpers import OWN, needs_real, real
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.contacts import Birthday, ContactCard, Photo, PostalAddress, WebLink
from mutuality.core.names import clean_name
from mutuality.formats.csv_contacts import read_contacts_csv, write_contacts_csv
from mutuality.formats.values import PLACEHOLDERS
from mutuality.formats.vcard import read_vcards, write_vcard
from mutuality.services.importing.service import ImportOptions

runner = CliRunner()


def fill(app) -> None:
    for path in (
        OWN / "google-contacts.csv",
        OWN / "linkedin-connections.csv",
        OWN / "outlook-contacts-cp1252.csv",
    ):
        app.imports.run(path)
    for path in real("vcard"):
        app.imports.run(path, ImportOptions(skip_bad=True))


def test_vcard_round_trip_keeps_every_field(app, tmp_path) -> None:
    fill(app)
    first = tmp_path / "one.vcf"
    app.exports.export(first, include_notes=True)
    with open_app(tmp_path / "copy.db") as copy:
        copy.imports.run(first)
        second = tmp_path / "two.vcf"
        copy.exports.export(second, include_notes=True)
        assert copy.exports.cards(True) == app.exports.cards(True)
    assert first.read_text() == second.read_text()
    before = table_counts(app)
    report = app.imports.run(first)
    assert report.added == () and report.merged == ()
    assert table_counts(app) == before


def test_csv_round_trip(app, tmp_path) -> None:
    fill(app)
    path = tmp_path / "people.csv"
    app.exports.export(path, include_notes=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open_app(tmp_path / "copy.db") as copy:
        copy.imports.run(path)
        mine = [
            (
                c.name,
                c.emails,
                c.phones,
                c.organisation,
                c.title,
                c.birthday,
                c.note,
                c.addresses,
                c.urls,
                c.tags,
                c.uid,
            )
            for c in app.exports.cards(True)
        ]
        theirs = [
            (
                c.name,
                c.emails,
                c.phones,
                c.organisation,
                c.title,
                c.birthday,
                c.note,
                c.addresses,
                c.urls,
                c.tags,
                c.uid,
            )
            for c in copy.exports.cards(True)
        ]
        assert theirs == mine


FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1",
    "-2",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
]


def test_csv_cells_that_would_run_as_formulas_are_guarded_and_restored(app, tmp_path) -> None:
    """I7: cells starting with = + - @ get a leading ' and read back as they were."""
    kept = [f for f in FORMULAS if not f.startswith(("\t", "\r"))]
    for number, start in enumerate(kept):
        app.people.add(f"{start} {number}", organisation=start, title="ok")
    path = tmp_path / "guarded.csv"
    app.exports.export(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    org = rows[0].index("Organization")
    for row in rows[1:]:
        assert row[0].startswith("'") and row[org].startswith("'") and row[org][1:] in kept
    with open_app(tmp_path / "copy.db") as copy:
        copy.imports.run(path)
        assert sorted((p.name, p.organisation) for p in copy.people.list()) == sorted(
            (p.name, p.organisation) for p in app.people.list()
        )


def test_tab_and_carriage_return_starts_never_reach_a_cell() -> None:
    """A card cannot start a value with a tab or a carriage return (control characters are
    cleaned as it is made, issue #15); the formula starts are guarded."""
    cards = [ContactCard(name="T", organisation=start) for start in FORMULAS]
    rows = list(csv.reader(io.StringIO("".join(write_contacts_csv(cards)))))
    assert [row[1] for row in rows[1:]] == [
        "'" + start if start[0] in "=+-@" else start.strip() for start in FORMULAS
    ]


def test_sharing_exports_leave_private_notes_out(populated, tmp_path) -> None:
    for suffix in ("vcf", "csv"):
        path = tmp_path / f"share.{suffix}"
        populated.exports.export(path)
        assert "prefers mornings" not in path.read_text(encoding="utf-8-sig")
        populated.exports.export(path, include_notes=True)
        assert "prefers mornings" in path.read_text(encoding="utf-8-sig")


def test_reminders_as_icalendar_with_stable_uids(populated, tmp_path) -> None:
    populated.requests.ask("Ana Lima", "Review my deck", benefit=7, cost=2, due="in 10 days")
    request = populated.requests.list()[0]
    populated.requests.decide(request.id, "yes")
    one, two = tmp_path / "one.ics", tmp_path / "two.ics"
    result = populated.exports.export(one)
    populated.exports.export(two)
    text = one.read_text()
    assert result.format == "ics" and result.count >= 2
    assert "SUMMARY:Check in with Ana Lima" in text and "RRULE:FREQ=DAILY;INTERVAL=" in text
    assert "SUMMARY:Promised Ana Lima: Review my deck" in text
    assert "prefers mornings" not in text

    def uids(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if line.startswith("UID:")]

    assert uids(one) == uids(two)


names = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=40
    )
    .map(clean_name)
    .filter(bool)
)
texts = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=60
    )
    .map(lambda s: " ".join(s.split()))
    .filter(
        lambda s: bool(s) and s not in PLACEHOLDERS  # what the importers read as "none"
    )
)
emails = st.from_regex(r"[a-z0-9._+-]{1,12}@[a-z0-9-]{1,10}\.[a-z]{2,6}", fullmatch=True)
phones = st.from_regex(r"\+?[0-9]{3,4}( [0-9]{2,4}){1,3}", fullmatch=True)
tags = st.from_regex(r"[a-z0-9][a-z0-9\-./:+]{0,15}", fullmatch=True)
labels = st.sampled_from([None, "home", "work", "other", "grand central", "casa"])


@st.composite
def contact_cards(draw: st.DrawFn) -> ContactCard:
    year = draw(st.one_of(st.none(), st.integers(1900, 2020)))
    return ContactCard(
        name=draw(names),
        emails=tuple(dict.fromkeys(draw(st.lists(emails, max_size=3)))),
        phones=tuple(dict.fromkeys(draw(st.lists(phones, max_size=3)))),
        organisation=draw(st.one_of(st.none(), texts)),
        title=draw(st.one_of(st.none(), texts)),
        birthday=draw(
            st.one_of(
                st.none(),
                st.builds(Birthday, st.integers(1, 12), st.integers(1, 28), st.just(year)),
            )
        ),
        note=draw(
            st.one_of(
                st.none(),
                st.text(min_size=1, max_size=80)
                .map(lambda s: s.replace("\r", "").strip())
                .filter(bool),
            )
        ),
        addresses=tuple(
            draw(
                st.lists(
                    st.builds(PostalAddress, labels, texts, texts, st.none(), st.none(), texts),
                    max_size=2,
                )
            )
        ),
        urls=tuple(
            {
                u.url: u
                for u in draw(
                    st.lists(
                        st.builds(
                            WebLink,
                            st.from_regex(
                                r"https://[a-z]{1,10}\.example/[a-z0-9]{0,8}", fullmatch=True
                            ),
                            labels,
                        ),
                        max_size=2,
                    )
                )
            }.values()
        ),
        tags=tuple(sorted(set(draw(st.lists(tags, max_size=3))))),
        photo=draw(st.one_of(st.none(), st.just(Photo("image/gif", b"GIF89a\x01\x00\x01\x00")))),
        uid=draw(st.one_of(st.none(), st.uuids().map(str))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contact_cards())
def test_generated_vcards_survive_the_round_trip(card: ContactCard) -> None:
    text = write_vcard(card, include_note=True)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (back,) = read_vcards(io.BytesIO(text.encode("utf-8")), "gen.vcf")
    assert back == card


@settings(max_examples=40, deadline=None)
@given(st.lists(contact_cards(), min_size=1, max_size=4))
def test_generated_csv_survives_the_round_trip(cards: list[ContactCard]) -> None:
    text = "".join(write_contacts_csv(cards, include_note=True))
    back = list(read_contacts_csv(io.BytesIO(text.encode("utf-8")), "gen.csv"))
    expected = [
        (
            c.name,
            c.emails,
            c.phones,
            c.organisation,
            c.title,
            c.birthday,
            c.note,
            c.addresses,
            c.urls,
            c.tags,
            c.uid,
        )
        for c in cards
    ]
    assert [
        (
            c.name,
            c.emails,
            c.phones,
            c.organisation,
            c.title,
            c.birthday,
            c.note,
            c.addresses,
            c.urls,
            c.tags,
            c.uid,
        )
        for c in back
    ] == expected


# --- the command line ---------------------------------------------------------------------------


def run(db: str, *args: str):
    return runner.invoke(cli, ["--db", db, *args])


def test_cli_import_dry_run_preview_then_import_and_export(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    source = OWN / "linkedin-connections.csv"
    dry = run(db, "import", str(source), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing written" in dry.stdout and "Ada Quill" in dry.stdout
    assert "Would add 6 people" in dry.stderr
    done = run(db, "import", str(source))
    assert done.exit_code == 0 and "Added 6 people" in done.stderr
    again = run(db, "import", str(source), "--json")
    assert json.loads(again.stdout)["unchanged"] == 6
    out = tmp_path / "all.vcf"
    exported = run(db, "export", str(out))
    assert exported.exit_code == 0 and "Exported 6 people" in exported.stderr
    assert out.read_text().count("BEGIN:VCARD") == 6
    ics = run(db, "export", str(tmp_path / "r.txt"), "--format", "ics")
    assert ics.exit_code == 0 and "reminder" in ics.stderr


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Email\nAna,ana@example.org\nBo,bo@example.com,extra\n")
    result = run(db, "import", str(bad))
    assert result.exit_code == 2
    assert "bad.csv:3: line 3: 3 cells but the header has 2 columns" in result.stderr
    assert "nothing was imported" in result.stderr
    dry = run(db, "import", str(bad), "--dry-run")
    assert dry.exit_code == 2 and "a real import would write nothing" in dry.stderr
    skipped = run(db, "import", str(bad), "--skip-bad")
    assert skipped.exit_code == 0 and "skipped 1" in skipped.stderr
    assert "rejected" in skipped.stdout


@needs_real("ical")
def test_cli_calendar_import(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    assert run(db, "person", "add", "John Doe", "--email", "johndoe@example.com").exit_code == 0
    path = real("ical")[0].parent / "outlook-2010-meeting-request.ics"
    result = run(db, "import", str(path), "--zone", "America/New_York")
    assert result.exit_code == 0, result.output
    assert "Logged 1 meeting touch(es)" in result.stderr
    assert run(db, "import", str(path), "--zone", "Mars/Base").exit_code == 2


def test_export_json_is_still_the_backup(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    run(db, "person", "add", "Ana Lima", "--email", "ana@example.org")
    result = run(db, "export", str(tmp_path / "b.json"))
    assert result.exit_code == 0 and "Exported 2 people" in result.stderr
    document = json.loads((tmp_path / "b.json").read_text())
    assert document["format"] == "mutuality-backup"
    dry = run(str(tmp_path / "other.db"), "import", str(tmp_path / "b.json"), "--dry-run")
    assert dry.exit_code == 0 and "nothing written" in dry.stderr


def test_birthdays_and_uids_travel_in_the_json_backup(app, tmp_path) -> None:
    app.imports.run(OWN / "google-contacts.csv")
    (tmp_path / "c.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\nFN:Uma\r\nBDAY:--0229\r\nEND:VCARD\r\n"
    )
    app.imports.run(tmp_path / "c.vcf")
    backup = tmp_path / "b.json"
    app.backups.export_json(backup)
    with open_app(tmp_path / "restored.db") as restored:
        restored.backups.restore_json(backup)
        assert restored.exports.cards(True) == app.exports.cards(True)
        uma = next(c for c in restored.exports.cards() if c.name == "Uma")
        assert uma.birthday == Birthday(2, 29, None) and uma.uid == "urn:uuid:1"
    assert date(2026, 11, 23)  # the fixed today of the test app


@pytest.mark.parametrize("value", ["=1+1", "'=", "'plain", "''", "-2", "@SUM(A1)", "plain"])
def test_a_guarded_cell_comes_back_as_it_was(value: str) -> None:
    from mutuality.formats.csv_contacts import guard, unguard

    guarded = guard(value)
    assert not guarded.startswith(("=", "+", "-", "@"))
    assert unguard(guarded) == value
