"""Undoing a contact import: each import is recorded (who it added, whom it merged into and
what it changed), and ``import undo`` reverts it in one transaction, refusing with the names
of the people it added who have entries of their own since."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest
from conftest import table_counts
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import Conflict, NotFound
from mutuality.services.importing.service import ImportOptions

runner = CliRunner()


def card_text(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def write(tmp_path: Path, text: str, name: str = "c.vcf") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PNG = base64.b64encode(
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">II", 64, 64)
    + b"\x08\x02\x00\x00\x00"
    + b"\x00" * 16
).decode()


def contacts(tmp_path: Path) -> Path:
    """Two new people, and Ana Lima (known by her email) with a new email, phone, tag,
    birthday, address, URL, anniversary, photo and UID."""
    return write(
        tmp_path,
        card_text("FN:Kim Park", "EMAIL:kim@acme.example", "ORG:Acme", "TEL:+1 555 0100")
        + card_text("FN:Lee Wong", "EMAIL:lee@acme.example", "CATEGORIES:Climbing")
        + card_text(
            "FN:Ana Lima",
            "EMAIL:ana@example.org",
            "EMAIL:ana.lima@home.example",
            "TEL:+351 210 000 000",
            "CATEGORIES:Friends",
            "BDAY:1990-04-15",
            "ADR;TYPE=HOME:;;1 Rua;Lisboa;;1100;PT",
            "URL:https://ana.example.org",
            "UID:ana-card",
            "X-ANNIVERSARY:2016-06-04",
            f"PHOTO;ENCODING=b;TYPE=PNG:{PNG}",
        ),
    )


def card_of(app, name: str):
    """Everything an import can change about a person, as the vCard export sees it."""
    return next(card for card in app.exports.cards(include_notes=True) if card.name == name)


def without_history(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if k not in {"imports", "import_changes"}}


def test_an_import_is_recorded_and_undone_entirely(populated, tmp_path) -> None:
    before = table_counts(populated)
    ana_before = card_of(populated, "Ana Lima")
    report = populated.imports.run(contacts(tmp_path))
    assert report.import_id is not None
    assert [p.name for p in report.added] == ["Kim Park", "Lee Wong"]
    merged = card_of(populated, "Ana Lima")
    assert merged.uid == "ana-card" and merged.photo is not None and merged.dates

    (entry,) = populated.imports.history()
    assert (entry.id, entry.source, entry.format) == (report.import_id, "c.vcf", "vcard")
    assert (entry.added, entry.merged, entry.undone_at) == (2, 1, None)

    undone = populated.imports.undo()
    assert undone.id == report.import_id
    assert undone.removed == ("Kim Park", "Lee Wong") and undone.restored == ("Ana Lima",)
    assert without_history(table_counts(populated)) == without_history(before)
    assert card_of(populated, "Ana Lima") == ana_before
    assert populated.imports.history()[0].undone_at is not None


def test_undo_puts_back_only_what_the_import_changed(populated, tmp_path) -> None:
    report = populated.imports.run(contacts(tmp_path))
    # a later edit to what the import set is kept: the person, not the import, decides
    populated.people.edit("Ana Lima", _changes(birthday="1991-01-01"))
    undone = populated.imports.undo(report.import_id)
    ana = card_of(populated, "Ana Lima")
    assert ana.birthday.iso() == "1991-01-01"
    assert undone.notes == ("kept Ana Lima's birthday: it was changed after the import",)
    assert ana.emails == ("ana@example.org",) and ana.phones == ("+351 912 345 678",)
    assert ana.uid is None and ana.addresses == () and ana.urls == ()
    assert ana.title == "Designer" and ana.tags == ("design", "lisbon")


def _changes(**values: object):
    from mutuality.services.people import PersonChanges

    return PersonChanges(**values)  # type: ignore[arg-type]


def test_undo_refuses_when_people_it_added_have_entries_since(populated, tmp_path) -> None:
    report = populated.imports.run(contacts(tmp_path))
    populated.ledger.log("Kim Park", _gave(), kind="knowledge", what="Reviewed her plan")
    before = table_counts(populated)
    with pytest.raises(Conflict) as refused:
        populated.imports.undo()
    message = str(refused.value)
    assert f"import #{report.import_id}" in message and "Kim Park" in message
    assert "Lee Wong" not in message and "nothing was changed" in message
    assert table_counts(populated) == before

    kept = populated.imports.undo(keep_used=True)
    assert kept.removed == ("Lee Wong",) and kept.kept == ("Kim Park",)
    assert populated.people.get("Kim Park").person.emails == ("kim@acme.example",)
    with pytest.raises(NotFound):
        populated.people.get("lee@acme.example")


def _gave():
    from mutuality.services.ledger import Direction

    return Direction.GAVE


def test_undo_of_an_earlier_import_waits_for_a_later_one_that_changed_its_people(
    app, tmp_path
) -> None:
    first = app.imports.run(write(tmp_path, card_text("FN:Kim Park", "EMAIL:kim@acme.example")))
    second = app.imports.run(
        write(tmp_path, card_text("FN:Kim Park", "EMAIL:kim@acme.example", "ORG:Acme"), "d.vcf")
    )
    assert second.merged and second.import_id != first.import_id
    with pytest.raises(Conflict, match=rf"import #{second.import_id}"):
        app.imports.undo(first.import_id)
    app.imports.undo()  # the second
    app.imports.undo()  # then the first
    assert app.people.count() == 0


def test_nothing_to_undo_and_undoing_twice(app, tmp_path) -> None:
    with pytest.raises(NotFound, match="no import to undo"):
        app.imports.undo()
    report = app.imports.run(write(tmp_path, card_text("FN:Kim Park")))
    app.imports.undo()
    with pytest.raises(Conflict, match=rf"import #{report.import_id} was already undone"):
        app.imports.undo(report.import_id)
    with pytest.raises(NotFound, match="no import #99"):
        app.imports.undo(99)


def test_a_reimport_that_changes_nothing_is_not_recorded(app, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Kim Park", "EMAIL:kim@acme.example"))
    app.imports.run(path)
    again = app.imports.run(path)
    assert again.import_id is None and len(app.imports.history()) == 1
    assert app.imports.run(path, ImportOptions(dry_run=True)).import_id is None


def test_the_history_travels_in_the_backup_and_undo_works_after_a_restore(
    populated, tmp_path
) -> None:
    from conftest import open_app

    report = populated.imports.run(contacts(tmp_path))
    backup = tmp_path / "backup.json"
    populated.backups.export_json(backup)
    with open_app(tmp_path / "restored.db") as restored:
        restored.backups.restore_json(backup)
        assert [e.id for e in restored.imports.history()] == [report.import_id]
        undone = restored.imports.undo()
        assert undone.removed == ("Kim Park", "Lee Wong")
        assert card_of(restored, "Ana Lima").uid is None


# --- the command line -----------------------------------------------------------------------


def run(db: str, *args: str):
    return runner.invoke(cli, ["--db", db, *args])


def test_import_undo_and_list_on_the_command_line(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    path = write(
        tmp_path,
        card_text("FN:Jon Smith", "EMAIL:jon@alpha.example", "ORG:Acme")
        + card_text("FN:John Smith", "EMAIL:john@beta.example", "ORG:Acme"),
    )
    dry = run(db, "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "possible duplicate of Jon Smith" in dry.output
    done = run(db, "import", str(path))
    assert done.exit_code == 0, done.output
    assert "Added 2 people, merged 0" in done.output
    assert "1 possible duplicate" in done.output
    assert "mutuality import undo" in done.output

    listed = run(db, "import", "list", "--json")
    assert listed.exit_code == 0, listed.output
    (entry,) = json.loads(listed.stdout)
    assert (entry["source"], entry["added"], entry["merged"]) == ("c.vcf", 2, 0)

    preview = run(db, "import", "undo", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "Would undo import #1 (c.vcf): would remove 2 people" in preview.output
    assert json.loads(run(db, "import", "list", "--json").stdout)[0]["undone_at"] is None

    undone = run(db, "import", "undo")
    assert undone.exit_code == 0, undone.output
    assert "Undid import #1 (c.vcf): removed 2 people" in undone.output
    again = run(db, "import", "undo", "1")
    assert again.exit_code == 2
    assert "error: import #1 was already undone" in again.output
    bad = run(db, "import", "undo", "x")
    assert bad.exit_code == 2 and "import undo takes an import number" in bad.output


def test_import_json_report_carries_the_import_number(tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    path = write(tmp_path, card_text("FN:Kim Park", "EMAIL:kim@acme.example"))
    result = run(db, "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["import_id"] == 1 and data["possible_duplicates"] == []
