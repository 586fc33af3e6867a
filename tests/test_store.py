"""The store: opening the database safely, its connection settings, transactions, the schema
and its migrations, and the file helpers (store/*.py; C7, L2, P6)."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from conftest import open_app
from sqlalchemy import event, select, text

from mutuality.core.errors import BadFile, Conflict, StorageError
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.store import schema as schema_module
from mutuality.store.database import (
    BUSY_TIMEOUT_MS,
    ENV_VAR,
    Database,
    resolve_url,
    wal_is_safe,
)
from mutuality.store.files import atomic_text_file, read_text
from mutuality.store.schema import (
    SCHEMA_REVISION,
    backup_sqlite,
    current_revision,
    ensure_schema,
    head_revision,
)
from mutuality.store.tables import Base, PersonRow

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_non_root = pytest.mark.skipif(AS_ROOT, reason="root ignores file permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def set_revision(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


# --- where the database lives -------------------------------------------------------------------


def test_resolve_url_for_a_path(tmp_path) -> None:
    url = resolve_url(str(tmp_path / "x" / ".." / "t.db"))
    assert url.get_backend_name() == "sqlite"
    assert url.database == str((tmp_path / "t.db").resolve())


def test_resolve_url_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_url(None).database == str((tmp_path / "env.db").resolve())
    # An explicit --db wins over the environment.
    assert resolve_url(str(tmp_path / "cli.db")).database == str((tmp_path / "cli.db").resolve())


def test_resolve_url_keeps_a_url(tmp_path) -> None:
    url = resolve_url(f"sqlite:///{tmp_path}/u.db")
    assert url.database == f"{tmp_path}/u.db"


def test_server_url_never_shows_its_password() -> None:
    try:
        database = Database.open("postgresql://ana:s3cret-pw@127.0.0.1:1/ledger")
    except StorageError as error:  # no driver installed
        assert "s3cret-pw" not in str(error)
        assert "s3cret-pw" not in str(error.value)
        return
    try:
        assert database.path is None
        assert "s3cret-pw" not in database.describe()
    finally:
        database.dispose()


# --- opening: errors name the path --------------------------------------------------------------


def test_open_under_a_file_names_the_path(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = blocker / "sub" / "t.db"
    with pytest.raises(StorageError) as caught:
        Database.open(str(target))
    assert str(target) in caught.value.message
    assert caught.value.field == "db"
    with pytest.raises(StorageError):
        Database.open(str(blocker / "t.db"))


@needs_non_root
def test_open_in_a_folder_without_write_permission(tmp_path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(StorageError) as caught:
            Database.open(str(locked / "t.db"))
        assert str(locked / "t.db") in caught.value.message
    finally:
        locked.chmod(0o700)


@needs_non_root
def test_open_a_file_without_read_write_permission(tmp_path) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"")
    path.chmod(0o400)
    with pytest.raises(StorageError) as caught:
        Database.open(str(path))
    assert str(path) in caught.value.message


def test_open_when_the_file_cannot_be_created_simulated(tmp_path, monkeypatch) -> None:
    """The permission case above, simulated so that it runs as root too."""
    import mutuality.store.database as database_module

    def denied(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(database_module.os, "open", denied)
    with pytest.raises(StorageError) as caught:
        Database.open(str(tmp_path / "t.db"))
    assert str(tmp_path / "t.db") in caught.value.message
    assert "Permission denied" in caught.value.message


def test_open_an_unreadable_file_simulated(tmp_path, monkeypatch) -> None:
    import mutuality.store.database as database_module

    path = tmp_path / "t.db"
    path.write_bytes(b"")
    monkeypatch.setattr(database_module.os, "access", lambda *_args: False)
    with pytest.raises(StorageError) as caught:
        Database.open(str(path))
    assert str(path) in caught.value.message
    assert "cannot read and write" in caught.value.message


def test_open_a_folder_as_the_database(tmp_path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StorageError) as caught:
        open_app(folder)
    assert str(folder) in caught.value.message


def test_open_a_file_that_is_not_sqlite(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database. " * 200)
    try:
        with pytest.raises(StorageError) as caught:
            open_app(path)
        assert str(path) in caught.value.message
    finally:
        assert path.read_bytes().startswith(b"These are my notes")


def test_open_a_foreign_sqlite_database(tmp_path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(StorageError) as caught:
        open_app(path)
    assert "not a mutuality database" in caught.value.message
    assert str(path) in caught.value.message
    connection = sqlite3.connect(path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert tables == {"contacts"}  # nothing was added to it


def test_open_a_database_from_a_newer_mutuality(tmp_path) -> None:
    path = tmp_path / "t.db"
    open_app(path).close()
    set_revision(path, "9999")
    with pytest.raises(StorageError) as caught:
        open_app(path)
    assert "newer mutuality" in caught.value.message
    assert "9999" in caught.value.message
    assert str(path) in caught.value.message
    assert list(tmp_path.glob("*.bak")) == []


# --- file and folder permissions (P6) -----------------------------------------------------------


def test_new_database_and_folder_are_private(tmp_path) -> None:
    path = tmp_path / "new" / "data" / "t.db"
    with open_app(path) as app:
        app.people.add("Ana")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    open_app(folder / "t.db").close()
    assert mode(folder) == 0o755
    assert mode(folder / "t.db") == 0o600


# --- connection settings (C7) -------------------------------------------------------------------


def test_wal_is_safe_only_where_the_wal_reset_bug_is_fixed() -> None:
    table = {
        (3, 40, 1): False,  # this machine's Python
        (3, 44, 5): False,
        (3, 44, 6): True,
        (3, 44, 9): True,
        (3, 45, 0): False,
        (3, 50, 6): False,
        (3, 50, 7): True,
        (3, 51, 0): False,
        (3, 51, 2): False,
        (3, 51, 3): True,
        (3, 52, 0): True,
        (4, 0, 0): True,
    }
    for version, safe in table.items():
        assert wal_is_safe(version) is safe, version


def test_pragmas_on_every_connection(app) -> None:
    expected_mode = "wal" if wal_is_safe(sqlite3.sqlite_version_info) else "delete"
    for _ in range(2):
        with app.database.engine.connect() as connection:

            def pragma(name: str, connection=connection) -> object:
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000
            assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
            assert pragma("secure_delete") == 1
            assert pragma("synchronous") == 2  # FULL
            assert pragma("journal_mode") == expected_mode


def test_foreign_keys_are_enforced(app) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), app.database.write() as session:
        session.execute(
            text("INSERT INTO person_emails (person_id, email, position) VALUES (999, 'x@y.z', 0)")
        )


# --- transactions -------------------------------------------------------------------------------


def test_a_write_begins_immediate(app) -> None:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", record)
    try:
        with app.database.write() as session:
            session.execute(select(PersonRow.id))
        assert statements[0] == "BEGIN IMMEDIATE"
        statements.clear()
        with app.database.read() as session:
            session.execute(select(PersonRow.id))
        assert statements[0] == "BEGIN"
    finally:
        event.remove(app.database.engine, "before_cursor_execute", record)


def test_a_write_holds_the_write_lock_from_its_first_read(app) -> None:
    path = app.database.path
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with app.database.write() as session:
            session.execute(select(PersonRow.id)).all()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with app.database.read() as session:
            session.execute(select(PersonRow.id)).all()
            other.execute("BEGIN IMMEDIATE")  # a reader does not block a writer
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_concurrent_read_then_write_transactions_never_fail_or_lose_updates(tmp_path) -> None:
    """L2: each transaction reads a counter and writes it back plus one."""
    path = tmp_path / "c.db"
    with open_app(path) as app:
        counter_id = app.people.add("Counter", organisation="0").id
    threads, rounds = 4, 15
    databases = [Database.open(str(path)) for _ in range(threads)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(database: Database) -> None:
        try:
            start.wait()
            for _ in range(rounds):
                with database.write() as session:
                    row = session.get(PersonRow, counter_id)
                    row.organisation = str(int(row.organisation) + 1)
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(db,)) for db in databases]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    for database in databases:
        database.dispose()
    assert errors == []
    with open_app(path) as app:
        assert app.people.get("counter").person.organisation == str(threads * rounds)


def test_a_failed_write_rolls_everything_back(app) -> None:
    before = app.backups.snapshot()
    with pytest.raises(RuntimeError), app.database.write() as session:
        app.people.owner_row(session)
        session.flush()
        raise RuntimeError("boom")
    assert app.backups.snapshot() == before


def test_writes_nest_into_one_transaction(app) -> None:
    with app.database.write():
        app.people.add("Ana")
        app.people.add("Bo")
        with pytest.raises(Conflict):
            app.people.add("ana")  # the inner failure undoes only itself
        app.people.add("Cy")
    assert [p.name for p in app.people.list()] == ["Ana", "Bo", "Cy"]


def test_an_error_in_the_outer_write_undoes_the_inner_ones(app) -> None:
    with pytest.raises(RuntimeError), app.database.write():
        app.people.add("Ana")
        app.people.add("Bo")
        raise RuntimeError("abort")
    assert app.people.list() == []
    assert app.backups.snapshot()["people"] == []


def test_a_read_inside_a_write_sees_its_changes(app) -> None:
    with app.database.write():
        app.people.add("Ana")
        assert [p.name for p in app.people.list()] == ["Ana"]


# --- the schema and its migrations --------------------------------------------------------------


def test_schema_revision_is_the_alembic_head() -> None:
    assert head_revision() == SCHEMA_REVISION


def test_a_new_database_is_stamped_with_the_head(app) -> None:
    assert current_revision(app.database) == SCHEMA_REVISION


def test_migrations_produce_exactly_the_models(app) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_model_table_exists(app) -> None:
    from sqlalchemy import inspect

    with app.database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_opening_again_does_not_migrate_or_back_up(tmp_path, monkeypatch) -> None:
    path = tmp_path / "t.db"
    open_app(path).close()

    def fail(*_args: object) -> None:
        raise AssertionError("no upgrade or backup expected")

    monkeypatch.setattr(schema_module, "_upgrade", fail)
    monkeypatch.setattr(schema_module, "backup_sqlite", fail)
    open_app(path).close()


def test_an_upgrade_makes_a_backup_first(tmp_path, monkeypatch) -> None:
    """There is only one revision so far, so an older one is simulated: the database is
    stamped '0000', which the (patched) script directory knows; the upgrade is patched to
    record the order of events and stamp the head."""
    path = tmp_path / "t.db"
    with open_app(path) as app:
        app.people.add("Ana Lima")
    set_revision(path, "0000")
    events: list[str] = []
    real_backup = schema_module.backup_sqlite

    def backup(database: Database, target: Path) -> Path:
        events.append("backup")
        return real_backup(database, target)

    def upgrade(database: Database) -> None:
        events.append("upgrade")
        set_revision(path, SCHEMA_REVISION)

    monkeypatch.setattr(schema_module, "_known_revisions", lambda: {"0000", SCHEMA_REVISION})
    monkeypatch.setattr(schema_module, "backup_sqlite", backup)
    monkeypatch.setattr(schema_module, "_upgrade", upgrade)
    database = Database.open(str(path))
    try:
        ensure_schema(database)
    finally:
        database.dispose()
    assert events == ["backup", "upgrade"]
    copies = list(tmp_path.glob("t.db.schema-0000.*.bak"))
    assert len(copies) == 1
    assert mode(copies[0]) == 0o600
    connection = sqlite3.connect(copies[0])
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000",)
    assert connection.execute("SELECT name FROM people WHERE NOT is_owner").fetchall() == [
        ("Ana Lima",)
    ]
    connection.close()


def test_backup_sqlite_copies_the_live_database(populated, tmp_path) -> None:
    target = tmp_path / "copy.bak"
    assert backup_sqlite(populated.database, target) == target
    assert mode(target) == 0o600
    with Mutuality(Database.open(str(target)), Settings()) as copy:
        assert copy.backups.snapshot() == populated.backups.snapshot()
    connection = sqlite3.connect(target)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_backup_sqlite_needs_a_file() -> None:
    database = Database.open("sqlite://")
    try:
        assert database.path is None
        with pytest.raises(StorageError):
            backup_sqlite(database, Path("never.bak"))
    finally:
        database.dispose()


# --- files --------------------------------------------------------------------------------------


def test_atomic_text_file_writes_privately(tmp_path) -> None:
    path = tmp_path / "out.txt"
    with atomic_text_file(path) as handle:
        handle.write("héllo\n")
        assert not path.exists()  # nothing visible until it is complete
    assert path.read_text(encoding="utf-8") == "héllo\n"
    assert mode(path) == 0o600
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_text_file_error_leaves_the_old_file(tmp_path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(ValueError), atomic_text_file(path) as handle:
        handle.write("half of the new")
        raise ValueError("crash")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_read_text_limits_and_errors(tmp_path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("\ufeffhello")
    assert read_text(path, 100) == "hello"  # a byte order mark is dropped
    with pytest.raises(StorageError) as caught:
        read_text(path, 3)
    assert "more than the limit" in caught.value.message
    with pytest.raises(StorageError) as caught:
        read_text(tmp_path / "missing.txt", 100)
    assert "no such file" in caught.value.message
    path.write_bytes(b"ok \xff\xfe")
    with pytest.raises(BadFile) as caught:
        read_text(path, 100)
    assert "not UTF-8" in caught.value.message
    assert "byte 3" in caught.value.message


def test_a_real_upgrade_from_the_first_schema_keeps_data_and_a_copy(tmp_path) -> None:
    """A database left at revision 0001 is upgraded on open, after a .bak copy is saved."""
    from alembic import command

    from mutuality.store.database import Database
    from mutuality.store.schema import _alembic_config, current_revision

    path = tmp_path / "old.db"
    database = Database.open(str(path))
    config = _alembic_config()
    with database._writer.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO people (id, name, name_key, is_owner, created_at) VALUES "
            "(1, 'Me', 'me', 1, '2026-01-01 00:00:00.000000'), "
            "(2, 'Ana Lima', 'ana lima', 0, '2026-01-01 00:00:00.000000')"
        )
        connection.exec_driver_sql(
            "INSERT INTO exchanges (giver_id, receiver_id, kind, description, occurred_on, "
            "benefit, cost, estimated_by, created_at) VALUES (1, 2, 'time', 'Coffee', "
            "'2026-01-02', 3.0, 3.0, 'me', '2026-01-02 00:00:00.000000')"
        )
    database.dispose()
    with open_app(path) as app:
        assert current_revision(app.database) == SCHEMA_REVISION
        timeline = app.ledger.timeline("ana")
        assert [e.exchange.description for e in timeline.entries] == ["Coffee"]
        assert timeline.entries[0].exchange.initiated_by is None
    copies = list(tmp_path.glob("old.db.schema-0001.*.bak"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


# --- the change marker never waits on a writer while a read holds its lock ---------------------


def test_kept_figures_inside_a_read_never_wait_on_a_committing_writer(app) -> None:
    """A read holding its lock asks for kept figures while another connection waits to commit.

    Asking SQLite for the change marker then would wait on the writer, which waits on this
    read: the request failed after the marker's timeout, though every write was saved.
    """
    path = app.database.path
    app.database.cached("warm", lambda: 0)  # the marker connection exists
    writer = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    committed = threading.Event()

    def commit_a_write() -> None:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO people (name, name_key, is_owner, created_at) "
            "VALUES ('W', 'w', 0, '2026-01-01')"
        )
        writer.execute("COMMIT")  # waits for the read below to let go
        committed.set()

    with app.database.read() as session:
        session.execute(select(PersonRow.id)).all()  # this read now holds its lock
        thread = threading.Thread(target=commit_a_write)
        thread.start()
        thread.join(timeout=0.5)  # the writer is waiting to commit
        assert not committed.is_set()
        assert app.database.cached("figures", lambda: "fresh") == "fresh"
        assert app.database.kept("figures") == "fresh"
    thread.join(timeout=30)
    writer.close()
    assert committed.is_set()
    assert app.database.kept("figures") is None  # the writer's commit made it stale


def test_a_busy_change_marker_computes_afresh_instead_of_failing(app, monkeypatch) -> None:
    import mutuality.store.database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    app.database.dispose()  # a new marker connection, with the short timeout
    blocker = sqlite3.connect(app.database.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        calls = []
        assert app.database.cached("k", lambda: calls.append(1) or len(calls)) == 1
        assert app.database.cached("k", lambda: calls.append(1) or len(calls)) == 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert app.database.cached("k", lambda: 3) == 3
    assert app.database.cached("k", lambda: 4) == 3  # kept again once the marker answers


def test_a_write_inside_a_read_is_refused_at_once(app) -> None:
    """It would wait on its own read lock until the busy timeout ran out."""
    with (
        app.database.read(),
        pytest.raises(RuntimeError, match="inside a read"),
        app.database.write(),
    ):
        pass


# --- writers take turns ----------------------------------------------------------------------


def test_the_write_gate_is_a_private_empty_file_beside_the_database(app) -> None:
    from mutuality.store.write_gate import gate_path

    app.people.add("Ana Lima")
    gate = gate_path(app.database.path)
    assert gate.name == app.database.path.name + "-lock"
    assert mode(gate) == 0o600 and gate.stat().st_size == 0


def test_a_writer_waits_for_the_gate_and_goes_on_after_the_deadline(tmp_path) -> None:
    import fcntl
    import time

    from mutuality.store.write_gate import WriteGate, gate_path

    database = tmp_path / "g.db"
    holder = os.open(gate_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process, as far as the gate can tell
    gate = WriteGate(database)
    try:
        started = time.monotonic()
        with gate.turn(timeout=0.3):
            waited = time.monotonic() - started
        assert 0.25 <= waited < 5
        threading.Timer(0.2, fcntl.flock, (holder, fcntl.LOCK_UN)).start()
        started = time.monotonic()
        with gate.turn(timeout=10):  # woken as soon as the holder lets go
            waited = time.monotonic() - started
        assert 0.15 <= waited < 2
        with pytest.raises(BlockingIOError), gate.turn(timeout=1):  # held during the turn
            fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        gate.close()
        os.close(holder)


def test_kept_figures_asked_inside_a_read_never_wait_on_another_threads_computation(
    app,
) -> None:
    """A read (holding its lock) asks for figures another thread is computing; that thread
    needs a new read lock, which a writer waiting to commit holds back while it waits for
    the first read. Waiting for the computation closed the circle until the writer's busy
    timeout failed it (a 503 under load); inside a read the figures are computed there."""
    path = app.database.path
    writer = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    outcome: dict[str, object] = {}
    computing = threading.Event()

    def commit_a_write() -> None:
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute(
                "INSERT INTO people (name, name_key, is_owner, created_at) "
                "VALUES ('W', 'w', 0, '2026-01-01')"
            )
            writer.execute("COMMIT")
            outcome["writer"] = "committed"
        except sqlite3.OperationalError as error:
            outcome["writer"] = str(error)

    go_on = threading.Event()

    def compute_in_a_read() -> str:
        computing.set()
        go_on.wait(timeout=5)
        with app.database.read() as session:  # needs a read lock the waiting writer holds back
            session.execute(select(PersonRow.id)).all()
        return "theirs"

    with app.database.read() as session:
        session.execute(select(PersonRow.id)).all()  # this read holds its lock
        other = threading.Thread(
            target=lambda: outcome.update(other=app.database.cached("k", compute_in_a_read))
        )
        other.start()
        assert computing.wait(timeout=5)  # the other thread is computing "k"
        committing = threading.Thread(target=commit_a_write)
        committing.start()
        committing.join(timeout=0.3)  # the writer now waits for this read to end
        go_on.set()
        assert app.database.cached("k", lambda: "mine") == "mine"
    committing.join(timeout=30)
    other.join(timeout=30)
    writer.close()
    assert outcome == {"writer": "committed", "other": "theirs"}
