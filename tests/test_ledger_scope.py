"""Member ledgers on one PostgreSQL server (team mode's foundation, schema 0010): each ledger
sees and writes only its own rows, through the ordinary services and through hand-written
SQL alike, and ids from another ledger are simply not there.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)

from mutuality.core.errors import Conflict, NotFound, StorageError
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")


def member(url: str, ledger: int, name: str) -> Mutuality:
    return Mutuality.open(url, Settings(owner_name=name), today=lambda: TODAY, ledger=ledger)


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[Mutuality, Mutuality]]:  # noqa: F811
    first, second = member(pg_url, 1, "Ana Lima"), member(pg_url, 2, "Bo Chen")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_each_ledger_sees_only_its_own_people_and_exchanges(two) -> None:
    ana, bo = two
    ana.people.add("Dana Smith", emails=("dana@example.org",))
    ana.ledger.log("Dana Smith", Direction.GAVE, kind="knowledge", what="Reviewed her deck")
    bo.people.add("Dana Smith", emails=("dana@example.org",))  # the same email, another ledger
    bo.people.add("Eli Park")

    assert [p.name for p in ana.people.list()] == ["Dana Smith"]
    assert [p.name for p in bo.people.list()] == ["Dana Smith", "Eli Park"]
    assert ana.people.owner().name == "Ana Lima" and bo.people.owner().name == "Bo Chen"
    assert ana.people.owner().id != bo.people.owner().id
    assert ana.ledger.timeline("Dana Smith").total == 1
    assert bo.ledger.timeline("Dana Smith").total == 0
    assert {h.person.name for h in bo.health.relationships()} <= {"Dana Smith", "Eli Park"}


def test_an_id_from_another_ledger_is_not_found(two) -> None:
    ana, bo = two
    dana = ana.people.add("Dana Smith")
    logged = ana.ledger.log(dana.id, Direction.GAVE, kind="time", what="Helped her move")
    with pytest.raises(NotFound):
        bo.people.get(dana.id)
    with pytest.raises(NotFound):
        bo.ledger.delete(logged.id)
    assert ana.people.get(dana.id).person.name == "Dana Smith"


def test_hand_written_sql_sees_one_ledger_and_cannot_write_into_another(two) -> None:
    ana, bo = two
    ana.people.add("Dana Smith")
    bo.people.add("Eli Park")
    with bo.database.read() as session:
        names = session.execute(text("SELECT name FROM people ORDER BY name")).scalars().all()
    assert names == ["Bo Chen", "Eli Park"]
    with pytest.raises(DBAPIError, match="row-level security"), bo.database.write() as session:
        session.execute(
            text(
                "INSERT INTO people (name, name_key, is_owner, created_at, ledger_id) "
                "VALUES ('Mallory', 'mallory', false, now(), 1)"
            )
        )
    assert "Mallory" not in [p.name for p in ana.people.list()]


def test_a_backup_does_not_restore_into_a_member_ledger(two, tmp_path: Path) -> None:
    """A backup keeps its ids, which every ledger on the server shares: refused, clearly."""
    ana, bo = two
    ana.people.add("Dana Smith")
    ana.ledger.log("Dana Smith", Direction.GOT, kind="knowledge", what="Taught me SQL")
    path = tmp_path / "ana.json"
    ana.backups.export_json(path)
    assert "Dana Smith" in path.read_text() and "Bo Chen" not in path.read_text()
    with pytest.raises(Conflict, match="not into a member's ledger"):
        bo.backups.restore_json(path)
    assert bo.people.list() == []


def test_a_ledger_needs_postgresql(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="PostgreSQL"):
        Mutuality.open(str(tmp_path / "one.db"), Settings(), ledger=1)


def test_every_table_is_scoped_to_a_ledger(two) -> None:
    """A table added later without ``ledger_id`` and its policy would be shared by every
    member: each table of the model must carry both."""
    from mutuality.store.tables import Base

    ana, _ = two
    with ana.database.engine.connect() as connection:  # the role may read the catalogue
        rows = connection.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
                "AND a.attname = 'ledger_id' AND NOT a.attisdropped), "
                "EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
        ).all()
    scoped = {
        name for name, rls, forced, column, policy in rows if rls and forced and column and policy
    }
    assert set(Base.metadata.tables) <= scoped
    assert "alembic_version" not in scoped


def test_a_user_who_may_not_create_roles_still_opens_a_personal_ledger(pg_url: str) -> None:  # noqa: F811
    """Member ledgers need a role the schema creates; a plain user's own ledger opens
    without it (the upgrade says, in the log, what an administrator must do for teams)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    user = "mutuality_plain_user"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {user}"))
        connection.execute(text(f"CREATE ROLE {user} LOGIN NOCREATEROLE NOSUPERUSER"))
        connection.execute(text(f"GRANT ALL ON SCHEMA public TO {user}"))
    try:
        url = make_url(pg_url).set(username=user).render_as_string(hide_password=False)
        with Mutuality.open(url, Settings(owner_name="Ana Lima"), today=lambda: TODAY) as app:
            app.people.add("Dana Smith")
            assert [p.name for p in app.people.list()] == ["Dana Smith"]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP OWNED BY {user}"))
            connection.execute(text(f"DROP ROLE IF EXISTS {user}"))
        admin.dispose()
