"""Crash and durability, run for real (docs/reliability.md C1-C5, C7; C6 is in test_backup.py).

* C1: ``mutuality import`` in a child process killed with SIGKILL at a random moment.
* C2: a JSON backup export killed with SIGKILL while it writes.
* C3: an import under RLIMIT_FSIZE (the disk is full).
* C4: the Nth write fails (N = 0, 1, ... until the operation succeeds): at the driver for
  logging an exchange, importing a vCard file and restoring a backup; and at the file
  level, under an apsw VFS whose Nth write, sync, truncate or delete fails.
* C5: a backup taken while another process keeps writing.
* C7: the connection settings logged at start-up, and WAL refused where SQLite has the
  WAL-reset bug.

C6 (restoring a truncated file, a wrong version, a bad checksum: an error naming the
problem, the database untouched) is ``test_backup.py::test_bad_file_is_refused_and_nothing_written``
(cases "truncated", "cut at the end", "wrong version", "bad checksum") and
``test_bad_file_is_refused_before_the_non_empty_check``.

After every failure the file must pass ``PRAGMA integrity_check`` and hold exactly the
rows it held before (or, where the operation was acknowledged, exactly the rows after).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import apsw
import pytest
from conftest import TODAY, open_app
from reliability_helpers import (
    ACK,
    ContactFiles,
    acknowledged,
    child_env,
    count,
    dump,
    integrity,
    rows,
    start_child,
    wait_ready,
)
from sqlalchemy import event

from mutuality.core.errors import StorageError
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings
from mutuality.store import database as database_module
from mutuality.store.database import BUSY_TIMEOUT_MS, Database, wal_is_safe

DISK_FULL = "disk full or unwritable, nothing was written"


def _random() -> tuple[random.Random, int]:
    """A generator for kill delays, and its seed (printed with any failure, and settable
    with MUTUALITY_CRASH_SEED to replay a run)."""
    seed = int(os.environ.get("MUTUALITY_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    return random.Random(seed), seed


# --- C1: kill -9 the importer ------------------------------------------------------------------

IMPORTER = (
    ACK
    + """
import os
from mutuality.cli.main import run
import mutuality.cli.backup, mutuality.cli.transfer, mutuality.formats.vcard
import mutuality.services.importing.service, mutuality.services.app
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction

db, cards, acks_file = sys.argv[1:4]
ack = Acks(acks_file)
print("ready", flush=True)
parent = os.fdopen(os.dup(1), "w")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the import's table goes nowhere
sys.argv = ["mutuality", "--db", db, "import", cards]
try:
    run()
    code = 0
except SystemExit as done:
    code = done.code or 0
ack("imported", code)
print("imported", file=parent, flush=True)
app = Mutuality.open(db)
while True:
    logged = app.ledger.log("Anchor", Direction.GAVE, kind="time", what="Helped", benefit=2, cost=1)
    ack("exchange", logged.id)
"""
)
KILL_ROUNDS = 18
CARDS_PER_IMPORT = 1200


def _delays(rng: random.Random, count: int) -> list[float]:
    """``count`` random delays between 50 and 600 ms, one in each of ``count`` equal
    slices of that range (so the early and the late moments are both tried), shuffled."""
    width = 0.55 / count
    delays = [0.05 + width * (i + rng.random()) for i in range(count)]
    rng.shuffle(delays)
    return delays


@pytest.mark.slow
def test_c1_an_import_killed_at_random_is_complete_or_absent(tmp_path: Path) -> None:
    """Each round a new file of 1,200 people is imported by ``mutuality import`` in a child
    that, once the import returns, logs exchanges one by one and acknowledges each after
    its commit. Half the rounds the child is killed 50-600 ms after it is ready (mostly
    inside the import), the other half 50-600 ms after the import returned (inside the
    logging). The import must be there completely or not at all, and every acknowledged
    exchange must be there."""
    db = tmp_path / "ledger.db"
    with open_app(db) as app:
        app.people.add("Anchor")
    files = ContactFiles(seed=11)
    rng, seed = _random()
    half = KILL_ROUNDS // 2
    moments = [("ready", d) for d in _delays(rng, half)]
    moments += [("imported", d) for d in _delays(rng, KILL_ROUNDS - half)]
    rng.shuffle(moments)
    outcomes: Counter[str] = Counter()
    acked: set[int] = set()
    for number, (after, delay) in enumerate(moments):
        tag = f"r{number}"
        cards = files.vcard(tmp_path / f"{tag}.vcf", CARDS_PER_IMPORT, tag)
        acks_file = tmp_path / f"{tag}.acks"
        people_before, exchanges_before = count(db, "people"), count(db, "exchanges")
        where = f"round {number}, killed {delay * 1000:.0f} ms after {after} (seed {seed})"
        child = start_child(IMPORTER, [str(db), str(cards), str(acks_file)], tmp_path)
        wait_ready(child)
        if after == "imported":
            wait_ready(child, "imported")
        time.sleep(delay)
        child.kill()
        _, err = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL, f"{where}: the child ended by itself: {err}"

        integrity(db)
        lines = acknowledged(acks_file)
        imported = [words for words in lines if words[0] == "imported"]
        logged = {int(words[1]) for words in lines if words[0] == "exchange"}
        people = count(db, "people")
        of_this_file = count(db, "people", f"uid LIKE 'urn:uuid:{tag}-%'")
        assert people in (people_before, people_before + CARDS_PER_IMPORT), where
        assert of_this_file == people - people_before, where
        if imported:
            assert imported[0][1] == "0", f"{where}: the import failed: {err}"
            assert of_this_file == CARDS_PER_IMPORT, where
        present = {row[0] for row in rows(db, "SELECT id FROM exchanges")}
        assert acked | logged <= present, f"{where}: acknowledged exchanges are missing"
        # at most one exchange committed whose acknowledgement the kill cut off
        unacknowledged = len(present) - exchanges_before - len(logged)
        assert unacknowledged in (0, 1), where
        outcomes["an exchange committed, not yet acknowledged"] += unacknowledged
        acked |= logged
        if of_this_file == 0:
            outcomes["absent"] += 1
        else:
            outcomes["complete, killed while logging" if logged else "complete"] += 1
    assert outcomes["absent"] >= 1, f"no kill landed inside an import: {outcomes}"
    assert outcomes["complete, killed while logging"] >= 1 and acked, outcomes
    print(f"C1: {KILL_ROUNDS} kills, {dict(outcomes)}, {len(acked)} acknowledged exchanges")


# --- C2: kill -9 during a JSON backup ----------------------------------------------------------

EXPORTER = (
    ACK
    + """
from pathlib import Path
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction

db, target, acks_file = sys.argv[1:4]
ack = Acks(acks_file)
app = Mutuality.open(db)
app.backups
print("ready", flush=True)
while True:
    counts = app.backups.export_json(Path(target))
    ack("exported", counts.exchanges)
    app.ledger.log("Anchor", Direction.GAVE, kind="time", what="Helped", benefit=2, cost=1)
"""
)
EXPORT_KILLS = 6


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 3,000 people (an export of it takes a few hundred milliseconds)."""
    folder = tmp_path_factory.mktemp("big")
    path = folder / "big.db"
    with open_app(path) as app:
        app.people.add("Anchor")
        app.imports.run(ContactFiles(seed=5).vcard(folder / "big.vcf", 3000, "big"))
    return path


@pytest.mark.slow
def test_c2_a_backup_killed_while_it_writes_leaves_a_whole_file(
    tmp_path: Path, big_template: Path
) -> None:
    """A child exports the backup again and again (logging an exchange between exports)
    and is killed at random: the file at the path is always the old file unchanged or a
    whole new backup, which the verify step (``import --dry-run``, ``read_backup``)
    accepts, never older than the last export the child acknowledged."""
    db = tmp_path / "ledger.db"
    shutil.copyfile(big_template, db)
    target = tmp_path / "backup.json"
    with open_app(db) as app:
        old_exchanges = app.backups.export_json(target).exchanges
        rng, seed = _random()
        outcomes: Counter[str] = Counter()
        for number in range(EXPORT_KILLS):
            acks_file = tmp_path / f"k{number}.acks"
            before = target.read_bytes()
            delay = rng.uniform(0.05, 0.6)
            where = f"kill {number}, {delay * 1000:.0f} ms after ready (seed {seed})"
            child = start_child(EXPORTER, [str(db), str(target), str(acks_file)], tmp_path)
            wait_ready(child)
            time.sleep(delay)
            child.kill()
            _, err = child.communicate(timeout=60)
            assert child.returncode == -signal.SIGKILL, f"{where}: {err}"
            integrity(db)
            checked = app.backups.read_backup(target)  # raises on a torn or damaged file
            exchanges = len(checked.data.exchanges)
            exported = [int(words[1]) for words in acknowledged(acks_file)]
            assert exchanges >= max(exported, default=0), (
                f"{where}: an acknowledged export was lost"
            )
            assert exchanges <= count(db, "exchanges"), where
            if target.read_bytes() != before:  # a new one, complete and newer than the old
                assert exchanges > old_exchanges, f"{where}: an older backup replaced a newer"
                outcomes["new file"] += 1
            else:
                outcomes["old file"] += 1
            old_exchanges = exchanges
            torn = list(tmp_path.glob(f".{target.name}.*.tmp"))
            outcomes["killed while writing"] += bool(torn)
            for temp in torn:  # what the kill left (its cleanup is tested elsewhere)
                temp.unlink()
        print(f"C2: {EXPORT_KILLS} kills: {dict(outcomes)}")


# --- C3: disk full ----------------------------------------------------------------------------


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.parametrize("limit", ["256 KiB", "64 KiB past the file"])
def test_c3_an_import_on_a_full_disk_says_so_and_writes_nothing(tmp_path: Path, limit) -> None:
    """``mutuality import`` under RLIMIT_FSIZE: 256 KiB (less than the file already is:
    any write past it fails) or the file's size plus 64 KiB (the first pages of the
    import fit, the rest does not)."""
    db = tmp_path / "ledger.db"
    with open_app(db) as app:
        app.people.add("Anchor")
    cards = ContactFiles(seed=3).vcard(tmp_path / "many.vcf", 1500, "full")
    before = dump(db)
    size = 256 * 1024 if limit == "256 KiB" else db.stat().st_size + 64 * 1024
    result = subprocess.run(
        [sys.executable, "-m", "mutuality", "--db", str(db), "import", str(cards)],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        preexec_fn=_file_size_limit(size),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"error: {db}: {DISK_FULL}"
    integrity(db)
    assert dump(db) == before
    assert count(db, "people") == 2  # the owner and Anchor


# --- C4: the Nth write fails, at the driver -----------------------------------------------------

_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteFault:
    """Makes the Nth write the app sends to SQLite (an INSERT, UPDATE or DELETE statement,
    or the COMMIT) fail with the error SQLite gives when the disk fails."""

    def __init__(self) -> None:
        self.fail_at: int | None = None
        self.writes = 0
        self.fired: list[str] = []

    def arm(self, fail_at: int) -> None:
        self.fail_at, self.writes, self.fired = fail_at, 0, []

    def disarm(self) -> None:
        self.fail_at = None

    def hit(self, what: str) -> None:
        if self.fail_at is None:
            return
        number = self.writes
        self.writes += 1
        if number == self.fail_at:
            self.fired.append(what)
            raise sqlite3.OperationalError("disk I/O error")


def _is_write(sql: str) -> bool:
    return sql.lstrip().split(None, 1)[0].upper() in _WRITE_WORDS if sql.strip() else False


class _FaultyCursor:
    def __init__(self, cursor: sqlite3.Cursor, fault: WriteFault) -> None:
        self._cursor = cursor
        self._fault = fault

    def execute(self, sql: str, *args: Any) -> Any:
        if _is_write(sql):
            self._fault.hit(sql)
        return self._cursor.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        if _is_write(sql):
            self._fault.hit(sql)
        return self._cursor.executemany(sql, *args)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class _FaultyConnection:
    """The stdlib connection, with its cursors' writes and its commit counted."""

    def __init__(self, connection: sqlite3.Connection, fault: WriteFault) -> None:
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "_fault", fault)

    def cursor(self, *args: Any) -> _FaultyCursor:
        return _FaultyCursor(self._connection.cursor(*args), self._fault)

    def commit(self) -> None:
        if self._connection.in_transaction:
            self._fault.hit("COMMIT")
        self._connection.commit()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._connection, name, value)


def _faulty_app(path: Path, fault: WriteFault) -> Mutuality:
    """The app on ``path`` (which already holds the schema) through the faulty driver."""

    def connect() -> _FaultyConnection:
        return _FaultyConnection(sqlite3.connect(str(path), check_same_thread=False), fault)

    database = Database.open(str(path), creator=connect)
    return Mutuality(database, Settings(), today=lambda: TODAY)


SMALL_VCARD = """BEGIN:VCARD\r
VERSION:3.0\r
UID:urn:uuid:c4-1\r
FN:Rui Costa\r
N:Costa;Rui;;;\r
EMAIL:rui@example.org\r
TEL:+351 913 000 111\r
CATEGORIES:Porto,friends\r
ORG:Costa & Filhos\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
UID:urn:uuid:c4-2\r
FN:Mei Tanaka\r
N:Tanaka;Mei;;;\r
EMAIL:mei@example.jp\r
EMAIL:mei.work@example.jp\r
BDAY:--04-15\r
NOTE:Met at the conference\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Ana Lima\r
EMAIL:ana@example.org\r
TEL:+351 912 000 222\r
ADR;TYPE=work:;;Rua Augusta 1;Lisboa;;1100-048;Portugal\r
END:VCARD\r
"""


def _log_one(app: Mutuality, _folder: Path) -> None:
    app.ledger.log(
        "ana",
        Direction.GAVE,
        kind="knowledge",
        what="Checked her sums",
        on="2026-11-20",
        benefit=3,
        cost=1,
        tags=("maths", "review"),
    )


def _import_small(app: Mutuality, folder: Path) -> None:
    path = folder / "small.vcf"
    path.write_text(SMALL_VCARD, encoding="utf-8")
    report = app.imports.run(path)
    assert len(report.added) == 2 and len(report.merged) == 1, report


def _restore(app: Mutuality, folder: Path) -> None:
    app.backups.restore_json(folder / "populated.json")


OPERATIONS: dict[str, tuple[Callable[[Mutuality, Path], None], bool]] = {
    # operation, and whether it starts from the populated database (else an empty one)
    "log an exchange": (_log_one, True),
    "import a vCard file": (_import_small, True),
    "restore a backup": (_restore, False),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_c4_the_nth_write_failing_leaves_all_or_nothing(
    name: str, tmp_path: Path, populated_template: Path
) -> None:
    """N = 0, 1, 2, ...: the Nth write of the operation fails. Each time the caller gets
    the disk-full error, the file is sound and every table holds exactly what it held
    before; the first N the operation gets through, the tables hold exactly what the
    same operation gives without faults."""
    operation, on_populated = OPERATIONS[name]
    base = tmp_path / "base.db"
    if on_populated:
        shutil.copyfile(populated_template, base)
    else:
        open_app(base).close()
    with open_app(populated_template) as source:
        source.backups.export_json(tmp_path / "populated.json")
    reference = tmp_path / "reference.db"
    shutil.copyfile(base, reference)
    with open_app(reference) as app:
        operation(app, tmp_path)
    expected, before = dump(reference, mask_times=True), dump(base)
    assert expected != dump(base, mask_times=True)

    fault = WriteFault()
    work = tmp_path / "work.db"
    for fail_at in range(200):
        shutil.copyfile(base, work)
        app = _faulty_app(work, fault)
        try:
            fault.arm(fail_at)
            try:
                operation(app, tmp_path)
                error = None
            except StorageError as raised:
                error = raised
            finally:
                fault.disarm()
        finally:
            app.close()
        integrity(work)
        if error is None:
            break
        assert fault.fired, f"N={fail_at}: failed without the injected fault: {error}"
        assert str(error) == f"{work}: {DISK_FULL}", f"N={fail_at}"
        assert dump(work) == before, f"N={fail_at} ({fault.fired[0][:60]}): not all-or-nothing"
    else:
        pytest.fail("the operation never succeeded")
    assert not fault.fired, "the injected failure was swallowed and the operation reported success"
    assert fail_at == fault.writes >= 2
    assert dump(work, mask_times=True) == expected
    if name == "restore a backup":
        assert dump(work) == dump(reference)
    print(f"C4 {name}: N = 0..{fail_at - 1} failed cleanly, N = {fail_at} succeeded")


# --- C4: the Nth write fails, at the file (apsw VFS) --------------------------------------------


class FilePlan:
    """Which VFS call fails: the ``fail_at``-th write, sync, truncate or delete (counted
    from 0 over the database and its journal), and with ``persistent`` every later one too
    (the disk is gone: SQLite cannot even roll back, as after a crash)."""

    def __init__(self) -> None:
        self.fail_at: int | None = None
        self.persistent = False
        self.calls = 0
        self.failed: list[str] = []

    def arm(self, fail_at: int, persistent: bool) -> None:
        self.fail_at, self.persistent, self.calls, self.failed = fail_at, persistent, 0, []

    def disarm(self) -> None:
        self.fail_at = None

    def hit(self, what: str) -> None:
        if self.fail_at is None:
            return
        number = self.calls
        self.calls += 1
        if number == self.fail_at or (self.persistent and number > self.fail_at):
            self.failed.append(what)
            raise apsw.IOError(f"injected failure of {what}")


class FaultyVFS(apsw.VFS):
    def __init__(self, name: str, plan: FilePlan) -> None:
        self.plan = plan
        super().__init__(name, "")

    def xOpen(self, name: Any, flags: Any) -> Any:
        return FaultyFile(self.plan, name, flags)

    def xDelete(self, filename: str, syncdir: bool) -> None:
        self.plan.hit(f"delete {Path(filename).name}")
        super().xDelete(filename, syncdir)


class FaultyFile(apsw.VFSFile):
    def __init__(self, plan: FilePlan, name: Any, flags: Any) -> None:
        self.plan = plan
        filename = name.filename() if hasattr(name, "filename") else name
        self.label = Path(filename).name if filename else "temp"
        super().__init__("", name, flags)

    def xWrite(self, data: bytes, offset: int) -> None:
        self.plan.hit(f"write {self.label} at {offset}")
        super().xWrite(data, offset)

    def xSync(self, flags: int) -> None:
        self.plan.hit(f"sync {self.label}")
        super().xSync(flags)

    def xTruncate(self, newsize: int) -> None:
        self.plan.hit(f"truncate {self.label}")
        super().xTruncate(newsize)


def _statements_of_a_logged_exchange(path: Path) -> list[tuple[str, Any, bool]]:
    """The statements (and parameters) the app sends for one logged exchange, from BEGIN
    IMMEDIATE to COMMIT, recorded from a real call on ``path``."""
    recorded: list[tuple[str, Any, bool]] = []

    def statement(_conn, _cursor, sql, parameters, _context, many) -> None:
        recorded.append((sql, parameters, many))

    def commit(_conn) -> None:
        recorded.append(("COMMIT", (), False))

    with open_app(path) as app:
        event.listen(app.database.engine, "before_cursor_execute", statement)
        event.listen(app.database.engine, "commit", commit)
        _log_one(app, path.parent)
    assert recorded[0][0] == "BEGIN IMMEDIATE" and recorded[-1][0] == "COMMIT"
    assert any(sql.startswith("INSERT INTO exchanges") for sql, _, _ in recorded)
    return recorded


def test_c4_the_nth_file_operation_failing_leaves_all_or_nothing(
    tmp_path: Path, populated_template: Path
) -> None:
    """The transaction one logged exchange runs, replayed through apsw on the same file
    with a VFS whose Nth write/sync/truncate/delete fails, once or from then on. After
    each failure the file (opened by the stdlib driver, which rolls back a hot journal)
    is sound and holds exactly the old rows; when the commit returns, exactly the new."""
    captured = tmp_path / "captured.db"
    shutil.copyfile(populated_template, captured)
    statements = _statements_of_a_logged_exchange(captured)
    before, after = dump(populated_template), dump(captured)
    assert before != after

    plan = FilePlan()
    vfs = FaultyVFS("mutuality-faults", plan)
    work = tmp_path / "work.db"
    points = {}
    try:
        for persistent in (False, True):
            for fail_at in range(500):
                for leftover in (work, Path(f"{work}-journal")):
                    leftover.unlink(missing_ok=True)
                shutil.copyfile(populated_template, work)
                connection = apsw.Connection(str(work), vfs="mutuality-faults")
                connection.create_scalar_function(
                    "lower", lambda v: v.lower() if isinstance(v, str) else v, 1, deterministic=True
                )
                plan.arm(fail_at, persistent)
                committed = False
                try:
                    connection.execute(
                        "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; "
                        "PRAGMA foreign_keys=ON"
                    )
                    for sql, parameters, many in statements:
                        if many:
                            connection.executemany(sql, parameters)
                        else:
                            connection.execute(sql, parameters)
                    committed = True
                except apsw.Error:
                    pass
                with contextlib.suppress(apsw.Error):
                    connection.close(True)  # still failing: closing is part of the crash
                plan.disarm()
                integrity(work)
                state = dump(work)
                where = f"N={fail_at} {'from then on' if persistent else 'once'}: {plan.failed[:1]}"
                if committed:
                    assert not plan.failed, where
                    assert state == after, where
                    break
                assert state == before, where
            else:
                pytest.fail("the transaction never committed")
            points["persistent" if persistent else "once"] = fail_at
    finally:
        vfs.unregister()
    assert points["once"] == points["persistent"] >= 10
    print(f"C4 (apsw VFS): {points['once']} failure points, each failing once and for good")


# --- C5: a backup while another process writes ------------------------------------------------

WRITER = (
    ACK
    + """
import os, time
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction

db, acks_file, stop, who = sys.argv[1:5]
ack = Acks(acks_file)
app = Mutuality.open(db)
print("ready", flush=True)
while not os.path.exists(stop):
    logged = app.ledger.log(who, Direction.GAVE, kind="time", what="Helped", benefit=2, cost=1)
    ack("exchange", logged.id, f"{time.monotonic():.4f}")
app.close()
"""
)


@pytest.mark.slow
def test_c5_a_backup_taken_while_another_process_writes_is_a_committed_state(
    tmp_path: Path, populated_template: Path
) -> None:
    """Six backups while a child logs exchanges as fast as it can: each passes the verify
    step, and its exchanges are exactly the ones there before plus the first k the writer
    committed (some committed state, never a half-written one); one is restored."""
    db = tmp_path / "ledger.db"
    shutil.copyfile(populated_template, db)
    acks_file, stop = tmp_path / "writer.acks", tmp_path / "stop"
    with open_app(db) as app:
        existing = {row[0] for row in rows(db, "SELECT id FROM exchanges")}
        child = start_child(WRITER, [str(db), str(acks_file), str(stop), "ana"], tmp_path)
        try:
            wait_ready(child)
            backups = []
            for number in range(6):
                time.sleep(0.15)
                path = tmp_path / f"backup-{number}.json"
                app.backups.export_json(path)
                backups.append(path)
        finally:
            stop.touch()
            _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        written = [int(words[1]) for words in acknowledged(acks_file)]
        taken = []
        for path in backups:
            checked = app.backups.read_backup(path)
            ids = {exchange.id for exchange in checked.data.exchanges}
            k = len(ids) - len(existing)
            assert ids == existing | set(written[:k]), f"{path.name} is no committed state"
            taken.append(k)
    assert taken == sorted(taken) and taken[-1] > 0, taken
    assert any(0 < k < len(written) for k in taken), (taken, len(written))
    middle = backups[next(i for i, k in enumerate(taken) if 0 < k < len(written))]
    with open_app(tmp_path / "restored.db") as restored:
        counts = restored.backups.restore_json(middle)
        assert counts.exchanges == len(existing) + taken[backups.index(middle)]
    integrity(tmp_path / "restored.db")
    print(f"C5: {len(written)} exchanges written during 6 backups holding {taken} of them")


# --- C7: start-up settings ----------------------------------------------------------------------


def test_c7_startup_logs_the_connection_settings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="mutuality.store.database")
    with open_app(tmp_path / "t.db") as app:
        app.people.count()
    lines = [r.getMessage() for r in caplog.records if r.name == "mutuality.store.database"]
    assert lines, "nothing logged when the database was opened"
    mode = "wal" if wal_is_safe(sqlite3.sqlite_version_info) else "delete"
    line = lines[0]
    assert line.startswith(f"sqlite {sqlite3.sqlite_version}:"), line
    for setting in (
        f"journal_mode={mode}",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        assert setting in line, line
    assert BUSY_TIMEOUT_MS >= 5000


@pytest.fixture
def buggy_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this Python links SQLite 3.40.1 (the WAL-reset bug) whatever it links."""
    monkeypatch.setattr(database_module.sqlite3, "sqlite_version_info", (3, 40, 1))


def _header_journal_mode(path: Path) -> str:
    with path.open("rb") as handle:
        header = handle.read(20)
    return {1: "rollback", 2: "wal"}[header[18]]


def test_c7_a_database_left_in_wal_mode_is_switched_back_where_wal_is_unsafe(
    tmp_path: Path, buggy_sqlite: None
) -> None:
    """Another program put the file in WAL mode (it persists in the header): on a SQLite
    with the WAL-reset bug the app turns it back to the rollback journal on open, and
    writes never create a -wal file."""
    path = tmp_path / "t.db"
    open_app(path).close()
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    other.close()
    assert _header_journal_mode(path) == "wal"
    with open_app(path) as app:
        app.people.add("Ana Lima")
        with app.database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert not Path(f"{path}-wal").exists()
    assert _header_journal_mode(path) == "rollback"


def test_c7_wal_held_open_by_another_program_is_refused_not_used(
    tmp_path: Path, buggy_sqlite: None
) -> None:
    """While another program holds the file open in WAL mode the journal mode cannot be
    changed: the app refuses to open it (a StorageError) rather than write in WAL mode on
    a buggy SQLite, and nothing is written."""
    path = tmp_path / "t.db"
    with open_app(path) as app:
        app.people.add("Ana Lima")
    before = dump(path)
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
        other.execute("SELECT count(*) FROM people").fetchone()
        with pytest.raises(StorageError) as refused, open_app(path) as app:
            app.people.add("Bo Chen")
        assert str(path) in str(refused.value) and "WAL" in str(refused.value)
    finally:
        other.close()
    assert dump(path) == before
