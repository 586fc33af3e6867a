"""Opening the database safely: where it lives, its connection settings, and transactions.

Every write runs in one transaction that begins with ``BEGIN IMMEDIATE`` on SQLite:
a deferred transaction that reads and then writes fails at once with "database is
locked" when another process writes, whatever the busy timeout. On PostgreSQL the
same code runs with ordinary transactions.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from mutuality.core.errors import StorageError
from mutuality.store.ledger_scope import check_ledger, enter_ledger, leave_ledger
from mutuality.store.write_gate import WriteGate

log = logging.getLogger(__name__)

ENV_VAR = "MUTUALITY_DB"
BUSY_TIMEOUT_MS = 10_000
CACHE_SECONDS_WITHOUT_MARKER = 30.0
"""On a server database, cached results live at most this long even while its change marker
stays the same (a write made without moving it is noticed by then)."""

_MOVE_MARKER = (
    "INSERT INTO change_markers (version) VALUES (1) "
    "ON CONFLICT (ledger_id) DO UPDATE SET version = change_markers.version + 1"
)
"""Run at the end of every write transaction on a server: the transaction's ledger's number
moves on (schema 0014), which every process and worker sees once it commits."""


def _marker_of(connection: Any) -> int:
    """The change marker a server transaction sees: its ledger's number, or for the server's
    own unscoped connection, which sees every ledger, their sum (each only grows)."""
    return int(
        connection.exec_driver_sql("SELECT coalesce(sum(version), 0) FROM change_markers").scalar()
    )


T = TypeVar("T")


def default_database_path() -> Path:
    """The per-user data directory's ``mutuality.db`` (platformdirs decides where)."""
    from platformdirs import user_data_path

    return user_data_path("mutuality", appauthor=False) / "mutuality.db"


SQLITE_POOL = {"pool_size": 20, "max_overflow": 20}


def resolve_url(db: str | None) -> URL:
    """Turn ``--db`` (a path or an SQLAlchemy URL), ``$MUTUALITY_DB`` or the default into a URL."""
    target = db or os.environ.get(ENV_VAR) or str(default_database_path())
    if "://" in target:
        try:
            return make_url(target)
        except ArgumentError as error:
            raise StorageError(
                f"not a database URL: {target!r} ({error})", field="db", value=target
            ) from None
    if target == ":memory:":
        raise StorageError(
            "an in-memory database would vanish when the command ends; give a file path",
            field="db",
            value=target,
        )
    path = Path(target).expanduser().resolve()
    return URL.create("sqlite+pysqlite", database=str(path))


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    """Whether this SQLite has the fix for the WAL-reset corruption bug.

    Fixed in 3.51.3, and backported to 3.50.7 and 3.44.6; older versions use the
    rollback journal instead, which is slower under concurrency but safe.
    """
    if version >= (3, 51, 3):
        return True
    if (3, 50, 7) <= version < (3, 51, 0):
        return True
    return (3, 44, 6) <= version < (3, 45, 0)


def _prepare_sqlite_file(url: URL) -> None:
    """Create the directory (0700) and the file (0600) so that nothing is readable by others."""
    if not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    try:
        missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
        for folder in reversed(missing):  # each new folder private, not only the last one
            folder.mkdir(mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        elif not os.access(path, os.R_OK | os.W_OK):
            raise StorageError(
                f"cannot read and write the database file {path}", field="db", value=str(path)
            )
    except OSError as error:
        raise StorageError(
            f"cannot create the database at {path}: {error.strerror or error}",
            field="db",
            value=str(path),
        ) from None


class Database:
    """One database: its engine, and the only way to open transactions on it."""

    def __init__(
        self, url: URL, engine: Engine, ledger: int | None = None, owns_engine: bool = True
    ) -> None:
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if ledger is not None and url.get_backend_name() != "postgresql":
            raise StorageError(
                "member ledgers need a PostgreSQL database (team mode); this is "
                + url.render_as_string(hide_password=True),
                field="db",
                value=url.render_as_string(hide_password=True),
            )
        self.ledger = None if ledger is None else check_ledger(ledger)
        self._base_engine = engine
        self._owns_engine = owns_engine
        scope = {} if self.ledger is None else {"mutuality_ledger": self.ledger}
        self.engine = engine.execution_options(**scope) if scope else engine
        database = url.database if self.is_sqlite else None
        self._path = Path(database) if database and database != ":memory:" else None
        self._gate = WriteGate(self._path) if self._path is not None else None
        self._writer = engine.execution_options(mutuality_write=True, **scope)
        self._active: ContextVar[Session | None] = ContextVar(f"write-{id(self)}", default=None)
        self._reading: ContextVar[Session | None] = ContextVar(f"read-{id(self)}", default=None)
        self._generation = 0
        self._lock = threading.Lock()
        self._marker_connection: sqlite3.Connection | None = None
        self._marker_lock = threading.Lock()
        self._read_marker: ContextVar[list[object] | None] = ContextVar(
            f"marker-{id(self)}", default=None
        )
        self._cache: dict[Hashable, tuple[object, float, Any]] = {}
        self._markers = False
        self._computing: dict[Hashable, threading.Lock] = {}

    @classmethod
    def open(cls, db: str | None = None, **engine_options: Any) -> Database:
        """Connect to ``db`` (see :func:`resolve_url`); does not create or migrate the schema."""
        url = resolve_url(db)
        if url.get_backend_name() == "sqlite":
            _prepare_sqlite_file(url)
            # Enough kept connections for a web server's worker threads: a connection past
            # the pool is opened (its settings applied, its page cache cold) and closed again
            # for every request that needs it.
            on_file = bool(url.database) and url.database != ":memory:"
            pool = SQLITE_POOL if on_file else {}
            engine = create_engine(url, **{**pool, **engine_options})
            _configure_sqlite(engine)
        else:
            try:
                engine = create_engine(url, pool_pre_ping=True, **engine_options)
                _configure_server(engine)
            except ImportError as error:
                raise StorageError(
                    f"no database driver for {url.drivername} ({error.name} is not installed); "
                    "for PostgreSQL install mutuality[postgres]",
                    field="db",
                    value=url.render_as_string(hide_password=True),
                ) from None
        return cls(url, engine)

    def scoped(self, ledger: int, owns_engine: bool = False) -> Database:
        """The same server seen as one member's ledger (team mode, PostgreSQL only): every
        transaction sees and writes only ``ledger``'s rows (:mod:`.ledger_scope`). It
        shares this database's connections; closing it leaves them open unless
        ``owns_engine`` hands them over (then this object is not to be used again)."""
        return Database(self.url, self._base_engine, ledger, owns_engine=owns_engine)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or ``None`` for a server database (worked out once: the change
        marker asks on every kept result)."""
        return self._path

    def describe(self) -> str:
        """The database's location with any password hidden, for messages and logs."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls everything back on any error.

        Calls nest: a ``write()`` (or ``read()``) inside another ``write()`` on the same
        thread joins the outer transaction, so a caller can compose several service
        calls into one all-or-nothing unit of work (the demo and importers do). The inner
        call runs in a savepoint, so an error it raises undoes only its own changes.
        """
        active = self._active.get()
        if active is not None:
            with active.begin_nested():
                yield active
            return
        if self._reading.get() is not None:
            # It would wait for its own read lock to go (rollback-journal SQLite) and fail.
            raise RuntimeError("a write cannot begin inside a read(); open the write first")
        with (
            self._turn(),
            _translate_storage_errors(self),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            token = self._active.set(session)
            try:
                yield session
                if not self.is_sqlite and self._has_markers():
                    session.connection().exec_driver_sql(_MOVE_MARKER)
            finally:
                self._active.reset(token)
        with self._lock:
            self._generation += 1

    @contextmanager
    def joined(self, outer: Session) -> Iterator[Session]:
        """This member ledger's work inside ``outer``, a write transaction of the same
        server's unscoped database that is already open: what both change commits or rolls
        back as one (a confirmed exchange and its confirmation, a ring's commitments in two
        ledgers), where two transactions could leave one half written.

        Inside, the shared connection acts as the member (their ledger, their role, their
        ledger's write lock); services of this ledger join the block like any write. The
        registry's session is not to be used until the block ends, when the connection acts
        as the server again. The ledger's change marker moves with the outer commit.
        """
        if self.ledger is None or self.is_sqlite:
            raise RuntimeError("only a member's ledger on a server joins another transaction")
        if self._active.get() is not None:
            raise RuntimeError("this ledger is already in a transaction on this thread")
        outer.flush()  # the registry's pending changes go as the server, before the switch
        connection = outer.connection()
        enter_ledger(connection, self.ledger)
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY}, {self.ledger})")
        # Joined, not owned: committing is the outer transaction's, and closing leaves it be.
        session = Session(bind=connection, expire_on_commit=False)
        token = self._active.set(session)
        try:
            yield session
            session.flush()
            connection.exec_driver_sql(_MOVE_MARKER)
        except BaseException:
            # A refusal the caller may catch and go on from: act as the server again. After
            # a failed statement the transaction rolls back whole, so there is nothing to undo.
            with suppress(DatabaseError):
                leave_ledger(connection)
            raise
        finally:
            self._active.reset(token)
            session.close()
            with self._lock:
                self._generation += 1
        leave_ledger(connection)
        # The ledger's part is done and stands or falls with the outer transaction: what
        # waits on its commit (an exchange offered to the other member to confirm) runs now,
        # as the server, and joins the outer transaction too.
        session.dispatch.after_commit(session)

    def _turn(self) -> AbstractContextManager[None]:
        """Writers take turns on an SQLite file (see :mod:`mutuality.store.write_gate`)."""
        if self._gate is None:
            return nullcontext()
        return self._gate.turn(BUSY_TIMEOUT_MS / 1000)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end, so it can never write).

        Inside a ``write()`` it reads through the writing transaction, seeing its changes;
        inside another ``read()`` it joins it, so a page that calls several services reads
        one consistent state through one session (and each record is loaded once).
        """
        active = self._active.get() or self._reading.get()
        if active is not None:
            yield active
            return
        # The change marker is asked before the read begins: asked later, this thread would
        # hold its read lock while it waits on the marker's connection, and in rollback-journal
        # mode a writer waiting to commit would then wait on us while we wait on it.
        asked = (
            [self._generation, self._ask_marker()] if self.is_sqlite and self._exact_marker else []
        )
        with _translate_storage_errors(self), Session(self.engine) as session:
            if not self.is_sqlite and self._has_markers():
                # A server has no lock to wait on: the number is read in the read itself.
                asked = [self._generation, (self._generation, _marker_of(session.connection()))]
            token = self._reading.set(session)
            marker = self._read_marker.set(asked)
            try:
                yield session
            finally:
                self._read_marker.reset(marker)
                self._reading.reset(token)
                session.rollback()

    def page(self) -> AbstractContextManager[object]:
        """What a page gathered from several services reads in: on a server one read that
        they all join (the ledger entered and the change marker asked once); on SQLite
        nothing, so that each service keeps its own short read. There a read holds the
        shared lock a committing writer waits for, and under load one long read per page
        made writers, and the readers queued behind them, wait (benchmarks/README.md#load)."""
        return nullcontext() if self.is_sqlite else self.read()

    # --- results that stay valid until the next write -----------------------------------------

    @property
    def _exact_marker(self) -> bool:
        if self.is_sqlite:
            return self.path is not None
        return self._has_markers()

    def _has_markers(self) -> bool:
        """Whether this server database keeps change markers (schema 0014 onwards). Once
        they are there they stay, so a yes is kept; a no is asked again (the database may be
        upgraded a moment later, as it opens)."""
        if not self._markers:
            with self.engine.connect() as connection:
                found = connection.exec_driver_sql(
                    "SELECT to_regclass('public.change_markers')"
                ).scalar()
            self._markers = found is not None
        return self._markers

    def change_marker(self) -> object:
        """A value that changes whenever anyone commits a write to this database.

        Writes through this object bump a counter. On SQLite, ``PRAGMA data_version`` on a
        connection kept for the purpose also changes when another connection or another
        process (the CLI while the web app runs) commits; it costs a few microseconds.
        Elsewhere there is no such marker, and :meth:`cached` falls back to a time limit.
        Inside a read the marker is the one asked when the read began (a page asks for several
        kept results, and asking again would wait on a writer while holding the read lock).
        """
        if not self._exact_marker:
            return (self._generation, None)
        memo = self._read_marker.get()  # [generation, marker] asked when this read began
        if memo is not None:
            if memo and memo[0] == self._generation:
                return memo[1]
            return object()  # this process wrote meanwhile: nothing kept can be trusted here
        return self._ask_marker()

    def _ask_marker(self) -> object:
        if not self.is_sqlite:
            with self.engine.connect() as connection:
                return (self._generation, _marker_of(connection))
        version = self._data_version()
        return object() if version is None else (self._generation, version)

    def _data_version(self) -> int | None:
        """SQLite's data version, or ``None`` when it cannot be asked (the database stayed
        busy): then nothing kept is reused, and the caller computes afresh instead of failing."""
        with self._marker_lock:
            try:
                if self._marker_connection is None:
                    self._marker_connection = sqlite3.connect(
                        str(self.path),
                        isolation_level=None,
                        check_same_thread=False,
                        timeout=BUSY_TIMEOUT_MS / 1000,
                    )
                return int(self._marker_connection.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as error:
                log.warning("change marker unavailable (%s); figures are computed afresh", error)
                if self._marker_connection is not None:
                    self._marker_connection.close()
                    self._marker_connection = None
                return None

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result, reused until the next committed write (see
        :meth:`change_marker`); a key that includes the date keeps day-dependent figures right.

        Network-wide figures (health of every relationship, the network view) read the whole
        ledger; a web page asks for them on every load, so they are computed once per change.
        Concurrent callers of a missing key wait for one computation, except inside a read
        on SQLite: there a read holds its lock, and the computation it would wait for may need
        a new read lock, which a writer waiting to commit holds back while it waits for ours
        (each waits on the next until the busy timeout fails someone), so the figures are
        computed there and then. A server's reads hold no lock a writer waits for. Inside a
        write transaction nothing is cached: the figures would include uncommitted changes.
        """
        if self._active.get() is not None:
            return compute()
        # Asked once, before anything is computed: a result is never kept under a marker
        # newer than the data it read (an older one only makes the next caller compute again).
        marker = self.change_marker()
        found = self._fresh(key, marker)
        if found is not None:
            return found[2]  # type: ignore[no-any-return]  # a key holds what its compute made
        if self.is_sqlite and self._reading.get() is not None:
            return self._keep(key, compute, marker)
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            found = self._fresh(key, marker)
            if found is not None:
                return found[2]  # type: ignore[no-any-return]  # a key holds what its compute made
            return self._keep(key, compute, marker)

    def _keep(self, key: Hashable, compute: Callable[[], T], marker: object) -> T:
        now = time.monotonic()
        value = compute()
        with self._lock:
            stale = [k for k, entry in self._cache.items() if entry[0] != marker]
            for old in stale:
                del self._cache[old]
            self._cache[key] = (marker, now, value)
        return value

    def kept(self, key: Hashable) -> Any | None:
        """What :meth:`cached` holds under ``key`` while it is still fresh, else ``None``,
        never computing it: a page can use network-wide figures when they are there
        without waiting for them after a write."""
        if self._active.get() is not None:
            return None
        found = self._fresh(key, self.change_marker())
        return None if found is None else found[2]

    def _fresh(self, key: Hashable, marker: object) -> tuple[object, float, Any] | None:
        found = self._cache.get(key)
        if found is None or found[0] != marker:
            return None
        if not self.is_sqlite and time.monotonic() - found[1] >= CACHE_SECONDS_WITHOUT_MARKER:
            # A write that went round the markers (a hand-made query, an older version of
            # mutuality on the same server) is noticed by this time at the latest.
            return None
        return found

    def dispose(self) -> None:
        with self._lock, self._marker_lock:
            if self._marker_connection is not None:
                self._marker_connection.close()
                self._marker_connection = None
            self._cache.clear()
        if self._owns_engine:
            self._base_engine.dispose()
        if self._gate is not None:
            self._gate.close()


@contextmanager
def read_elsewhere(url: URL, ledger: int | None = None) -> Iterator[Session]:
    """One read of the database at ``url`` from another process (a cluster's worker), on
    a connection of its own: an SQLite file opened read-only, a member's ledger scoped as
    :meth:`Database.scoped` scopes it. Rolled back at the end, so it can never write."""
    if url.get_backend_name() == "sqlite":
        url = URL.create(
            url.drivername, database=f"file:{url.database}", query={"mode": "ro", "uri": "true"}
        )
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                if ledger is not None:
                    enter_ledger(connection, check_ledger(ledger))
                with Session(bind=connection) as session:
                    yield session
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


@contextmanager
def _translate_storage_errors(database: Database) -> Iterator[None]:
    """Turn driver errors the user can act on (full disk, read-only file) into StorageError."""
    try:
        yield
    except DatabaseError as error:
        text = str(error.orig).lower()
        if "disk" in text and ("full" in text or "i/o" in text):
            reason = "disk full or unwritable, nothing was written"
        elif "readonly" in text or "read-only" in text:
            reason = "the database is read-only, nothing was written"
        elif "locked" in text or "busy" in text:
            reason = "the database stayed busy (another program is writing); try again"
        elif "unable to open" in text:
            reason = "the database file cannot be opened"
        elif "not a database" in text or "malformed" in text:
            reason = "the file is not a usable SQLite database"
        else:
            raise
        raise StorageError(
            f"{database.describe()}: {reason}", field="db", value=database.describe()
        ) from None


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, busy timeout, journal mode and secure delete on every connection;
    ``BEGIN IMMEDIATE`` for writes. The driver's own transaction handling is turned off
    so that SQLAlchemy's ``begin`` decides how each transaction starts."""
    journal_mode = "WAL" if wal_is_safe(sqlite3.sqlite_version_info) else "DELETE"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's lower() folds ASCII only; PostgreSQL's folds all of Unicode. Make them agree.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            cursor.execute(f"PRAGMA journal_mode={journal_mode}")
        except sqlite3.OperationalError as error:
            cursor.close()
            raise _journal_refused(engine, journal_mode, error) from None
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        cursor.close()
        log.debug(
            "sqlite %s: journal_mode=%s synchronous=FULL foreign_keys=ON busy_timeout=%d "
            "secure_delete=ON",
            sqlite3.sqlite_version,
            mode,
            BUSY_TIMEOUT_MS,
        )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("mutuality_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_LOCK_KEY = 0x6D757475
"""The advisory lock every write transaction takes on PostgreSQL ("mutu")."""


def _configure_server(engine: Engine) -> None:
    """Writes take turns on PostgreSQL too, as ``BEGIN IMMEDIATE`` makes them on SQLite;
    a transaction of a member's ledger is scoped to it first (:mod:`.ledger_scope`).

    Under PostgreSQL's default isolation two transactions that read a row and then write it
    (keeping a commitment, answering a check-in link) would both succeed: the second read
    does not wait for the first write. A transaction-level advisory lock taken when a write
    begins makes every read-then-write rule behave as it does on SQLite; readers never wait.
    """

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        ledger = options.get("mutuality_ledger")
        if ledger is not None:
            enter_ledger(connection, ledger)
        if options.get("mutuality_write", False):
            # One member's writes take turns; different members' never wait on each other.
            key = f"{WRITE_LOCK_KEY}, {int(ledger)}" if ledger is not None else WRITE_LOCK_KEY
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")


def _journal_refused(engine: Engine, wanted: str, error: sqlite3.Error) -> StorageError:
    """Another program holds the file open in another journal mode (WAL, most likely)."""
    where = str(engine.url.database)
    reason = (
        f"another program has it open in WAL mode, which SQLite {sqlite3.sqlite_version} "
        "cannot share safely (a known WAL bug fixed in 3.44.6, 3.50.7 and 3.51.3)"
        if wanted == "DELETE"
        else f"its journal mode cannot be set to {wanted} while another program uses it"
    )
    return StorageError(
        f"{where}: {reason}; close the other program and try again ({error})",
        field="db",
        value=where,
    )


def reset_id_sequences(connection: Any, tables: list[str]) -> None:
    """After rows were inserted with explicit ids, make new ids continue after the largest.

    SQLite needs nothing (it takes max(rowid) + 1); PostgreSQL keeps separate sequences,
    shared by every ledger on the server, so a sequence only ever moves forward (a member's
    transaction sees only their own rows' largest id).
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        connection.exec_driver_sql(
            f"SELECT setval({sequence}, GREATEST(COALESCE((SELECT MAX(id) FROM {table}), 0) "
            f"+ 1, nextval({sequence})), false)"
        )
