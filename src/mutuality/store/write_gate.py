"""Writers to one SQLite file take turns, across threads and processes.

SQLite hands its write lock to whoever asks first after it is freed, and a writer that
waits only looks again after a pause that grows to 100 ms. A process that writes back to
back (an import, a script logging many exchanges) takes the lock again within microseconds
of committing, so another process (the web app) could wait for seconds and then fail with
"database is locked". The gate is a lock file beside the database (``ledger.db-lock``)
locked with ``flock`` before ``BEGIN IMMEDIATE``: a waiter sleeps in the kernel and is woken
the moment the lock is freed, so writers take turns instead of racing. SQLite's own locks
still guarantee correctness; the gate only makes waiting fair, and a writer that cannot
take it in time goes on without it (to SQLite's busy timeout) rather than failing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: threads still take turns; processes rely on SQLite alone
    fcntl = None  # type: ignore[assignment]  # None stands for no fcntl

log = logging.getLogger(__name__)

SUFFIX = "-lock"


def gate_path(database: Path) -> Path:
    """The lock file of a database file (kept, empty, beside it; 0600)."""
    return database.with_name(database.name + SUFFIX)


class WriteGate:
    """The turn-taking lock of one database file, for one process."""

    def __init__(self, database: Path) -> None:
        self._path = gate_path(database)
        self._in_process = threading.Lock()
        self._fd: int | None = None
        self._opened = False

    @contextmanager
    def turn(self, timeout: float) -> Iterator[None]:
        """Hold the gate for one write transaction; after ``timeout`` seconds of waiting,
        go on without it."""
        deadline = time.monotonic() + timeout
        if not self._in_process.acquire(timeout=timeout):
            log.debug("write gate: waited %.1f s in this process; going on", timeout)
            yield
            return
        try:
            fd = self._file()
            held = fd if fd is not None and _lock(fd, deadline) else None
            try:
                yield
            finally:
                if held is not None:
                    fcntl.flock(held, fcntl.LOCK_UN)
        finally:
            self._in_process.release()

    def close(self) -> None:
        with self._in_process:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._opened = False

    def _file(self) -> int | None:
        if not self._opened:
            self._opened = True
            if fcntl is not None:
                try:
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                except OSError as error:  # a read-only folder: SQLite alone decides
                    log.debug("write gate unavailable at %s: %s", self._path, error)
        return self._fd


def _lock(fd: int, deadline: float) -> bool:
    """Take the file lock by ``deadline``; ``False`` when it stayed held that long.

    An uncontended lock is taken at once. Otherwise a helper thread waits in the kernel
    (woken the moment the lock is freed, unlike polling); if the deadline passes first,
    the helper gives the lock back as soon as it gets it.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    decided = threading.Lock()
    state = {"taken": False, "abandoned": False}

    def wait_in_kernel() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # the gate was closed meanwhile
            return
        with decided:
            if not state["abandoned"]:
                state["taken"] = True
                return
        with contextlib.suppress(OSError):  # a gate closed meanwhile let the lock go already
            fcntl.flock(fd, fcntl.LOCK_UN)

    waiter = threading.Thread(target=wait_in_kernel, name="write-gate", daemon=True)
    waiter.start()
    waiter.join(max(0.0, deadline - time.monotonic()))
    with decided:
        if not state["taken"]:
            state["abandoned"] = True
            log.debug("write gate: another process held it past the deadline; going on")
        return state["taken"]
