"""Marking things shareable: the commands, their errors, the backup and the schema upgrade
(services/sharing.py, cli/share.py, migration 0006)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import open_app
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import BadFile, Conflict, InvalidInput, NotFound
from mutuality.services.app import Mutuality
from mutuality.services.backup.service import checksum
from mutuality.services.ledger import Direction

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--db", str(db), *args])
    return result.exit_code, result.output


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "t.db"
    with open_app(path) as app:
        app.people.add("Ana Lima")
        app.people.add("Bo Chen")
        app.ledger.log("ana", Direction.GAVE, kind="knowledge", what="Reviewed her deck")
    return path


def test_share_and_unshare_an_exchange(db) -> None:
    code, output = run(db, "share", "exchange", "1", "--as", "Helped with a pitch")
    assert code == 0
    assert " ".join(output.split()) == (
        'Shared exchange #1 as "Helped with a pitch": 2026-11-23 knowledge to Ana Lima: '
        "Reviewed her deck."
    )
    code, output = run(db, "share", "list", "--format", "json")
    assert code == 0
    [share] = json.loads(output)["shares"]
    assert (share["kind"], share["id"], share["wording"]) == ("exchange", 1, "Helped with a pitch")
    assert run(db, "unshare", "exchange", "1") == (0, "Exchange 1 is private again.\n")
    assert run(db, "unshare", "exchange", "1") == (0, "Exchange 1 was not shared; nothing to do.\n")
    assert json.loads(run(db, "share", "list", "-f", "json")[1]) == {"shares": []}


def test_sharing_twice_is_harmless_and_keeps_the_wording(tmp_path) -> None:
    with open_app(tmp_path / "t.db") as app:
        app.people.add("Ana Lima")
        exchange = app.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee")
        app.sharing.share("exchange", exchange.id, "A long talk")
        again = app.sharing.share("exchange", exchange.id)
        assert again.wording == "A long talk"
        assert app.sharing.share("exchange", exchange.id, "Coffee and plans").wording == (
            "Coffee and plans"
        )
        assert len(app.sharing.list()) == 1


def test_errors_are_one_line_with_exit_code_2(db) -> None:
    assert run(db, "share", "exchange", "99") == (2, "error: no exchange with id 99\n")
    assert run(db, "share", "intro", "7") == (2, "error: no introduction with id 7\n")
    assert run(db, "unshare", "intro", "7") == (2, "error: no introduction with id 7\n")
    code, output = run(db, "share", "person", "Zed")
    assert code == 2 and output.startswith("error: ")
    code, output = run(db, "share", "exchange", "1", "--as", "x" * 2000)
    assert code == 2 and "public wording" in output


def test_only_a_made_introduction_can_be_shared(tmp_path) -> None:
    with open_app(tmp_path / "t.db") as app:
        app.people.add("Ana Lima")
        app.people.add("Bo Chen")
        intro = app.introductions.propose("ana", "bo", reason="both design").introduction
        with pytest.raises(Conflict, match="only a made introduction"):
            app.sharing.share("intro", intro.id)
        for person in ("ana", "bo"):
            app.introductions.ask(intro.id, person)
            app.introductions.answer(intro.id, person)
        app.introductions.make(intro.id)
        app.introductions.log_outcome(intro.id, "They work together", share_as="A good match")
        [share] = app.sharing.list()
        assert (share.kind.value, share.id, share.wording) == ("intro", intro.id, "A good match")
        assert "They work together" in share.summary


def test_bad_kinds_and_ids(tmp_path) -> None:
    with open_app(tmp_path / "t.db") as app:
        with pytest.raises(InvalidInput, match="share one of: exchange, intro, person"):
            app.sharing.share("request", 1)
        with pytest.raises(InvalidInput, match="by its number"):
            app.sharing.share("exchange", "ana")
        with pytest.raises(NotFound):
            app.sharing.share("exchange", 1)


def test_gave_and_intro_outcome_share_at_once(db) -> None:
    code, _ = run(db, "gave", "bo", "-k", "time", "-w", "Moved boxes", "--share")
    assert code == 0
    code, _ = run(db, "got", "ana", "-k", "feedback", "-w", "Notes", "--share-as", "Good notes")
    assert code == 0
    shares = json.loads(run(db, "share", "list", "-f", "json")[1])["shares"]
    assert [(s["id"], s["wording"]) for s in shares] == [(2, None), (3, "Good notes")]
    assert "--share" in run(db, "intro", "outcome", "--help")[1]


def test_an_exchange_of_someone_else_cannot_be_shared(tmp_path) -> None:
    from mutuality.core.model import Estimator, ExchangeKind, NewExchange

    with open_app(tmp_path / "t.db") as app:
        ana = app.people.add("Ana Lima").id
        bo = app.people.add("Bo Chen").id
        app.ledger.bulk_add(
            [
                NewExchange(
                    ana,
                    bo,
                    ExchangeKind.TIME,
                    "Between them",
                    app.today(),
                    3.0,
                    3.0,
                    Estimator.ME,
                )
            ]
        )
        with pytest.raises(NotFound):
            app.sharing.share("exchange", 1)


def test_removing_a_shared_exchange_or_person_removes_the_mark(tmp_path) -> None:
    with open_app(tmp_path / "t.db") as app:
        app.people.add("Ana Lima")
        exchange = app.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee", share=True)
        app.sharing.share("person", "ana")
        app.ledger.delete(exchange.id)
        assert [s.kind.value for s in app.sharing.list()] == ["person"]
        app.people.forget("ana")
        assert app.sharing.list() == []


# --- the backup and the schema ------------------------------------------------------------------


def shared_app(path: Path) -> Mutuality:
    app = open_app(path)
    app.people.add("Ana Lima")
    exchange = app.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee")
    app.sharing.share("exchange", exchange.id, "A long talk")
    app.sharing.share("person", "ana")
    return app


def test_shares_round_trip_byte_identical(tmp_path) -> None:
    with shared_app(tmp_path / "a.db") as app:
        app.backups.export_json(tmp_path / "first.json")
    with open_app(tmp_path / "b.db") as other:
        other.backups.restore_json(tmp_path / "first.json")
        assert [(s.kind.value, s.wording) for s in other.sharing.list()] == [
            ("exchange", "A long talk"),
            ("person", None),
        ]
        other.backups.export_json(tmp_path / "second.json")
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()
    data = json.loads((tmp_path / "first.json").read_text())["data"]
    assert [row["exchange_id"] for row in data["shares"]] == [1, None]


def _backup_with(tmp_path: Path, change) -> Path:
    with shared_app(tmp_path / "a.db") as app:
        app.backups.export_json(tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text())
    change(document["data"])
    document["checksum"] = checksum(document["data"])
    (tmp_path / "b.json").write_text(json.dumps(document))
    return tmp_path / "b.json"


def test_an_older_backup_without_shares_restores(tmp_path) -> None:
    path = _backup_with(tmp_path, lambda data: data.pop("shares"))
    with open_app(tmp_path / "c.db") as app:
        app.backups.restore_json(path)
        assert app.sharing.list() == []
        assert app.ledger.count_mine() == 1


def test_a_share_naming_two_things_is_a_bad_file(tmp_path) -> None:
    def both(data: dict) -> None:
        data["shares"][0]["person_id"] = 2

    path = _backup_with(tmp_path, both)
    with open_app(tmp_path / "c.db") as app, pytest.raises(BadFile, match=r"data.shares\[0\]"):
        app.backups.restore_json(path)


def test_a_database_at_0005_is_upgraded_and_can_share(tmp_path) -> None:
    from alembic import command

    from mutuality.store.database import Database
    from mutuality.store.schema import SCHEMA_REVISION, _alembic_config, current_revision

    path = tmp_path / "old.db"
    database = Database.open(str(path))
    config = _alembic_config()
    with database._writer.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.exec_driver_sql(
            "INSERT INTO people (id, name, name_key, is_owner, created_at) VALUES "
            "(1, 'Me', 'me', 1, '2026-01-01 00:00:00'), "
            "(2, 'Ana Lima', 'ana lima', 0, '2026-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO exchanges (giver_id, receiver_id, kind, description, occurred_on, "
            "benefit, cost, estimated_by, created_at) VALUES (1, 2, 'time', 'Coffee', "
            "'2026-01-02', 3.0, 3.0, 'me', '2026-01-02 00:00:00')"
        )
    database.dispose()
    with open_app(path) as app:
        assert current_revision(app.database) == SCHEMA_REVISION
        app.sharing.share("exchange", 1)
        assert [h.text for h in app.portfolio.build().given] == ["Coffee"]
    assert len(list(tmp_path.glob("old.db.schema-0005.*.bak"))) == 1
