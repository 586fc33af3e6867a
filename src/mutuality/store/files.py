"""Writing files so that a crash leaves the old file or the new one, never a torn one.

A file is written as a hidden temporary file beside its target, then renamed into place.
A process killed halfway (``kill -9``, a power cut) cannot remove its temporary file, which
may hold most of a private backup; so temporary names say whose they are,
``.<target>.mutuality-<host>-<pid>-<random>.tmp``, and every write removes, in the folder
it writes to, the ones of ours that are stale: written on this machine by a process that
has ended, or untouched for :data:`STALE_AFTER_SECONDS` (a writer on another machine, or
a process id taken again since). A leftover is removed only when it is a plain file (or a
folder, for :func:`replace_folder`), not a link, owned by this user, and a file is still
private (0600). Names from before this scheme (``.<target>.<random>.tmp``) are removed
under the same conditions when they are for the target being written and older than
:data:`STALE_AFTER_SECONDS`. Nobody else's files are touched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from mutuality.core.errors import BadFile, Conflict, StorageError

log = logging.getLogger(__name__)

STALE_AFTER_SECONDS = 12 * 3600
"""A temporary file not written to for this long is stale whoever made it: no export
pauses for hours between two writes."""

HOST_ID = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
"""This machine, in temporary names: a process id means something only on its own host."""

_OURS = re.compile(
    r"^\.(?P<target>.+)\.mutuality-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]{1,10})-"
    r"[a-z0-9_]{8}\.(?P<kind>tmp|old)$"
)
_BEFORE = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")
"""Temporary names this module gave before they said whose they were."""


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.mutuality-{HOST_ID}-{os.getpid()}-"


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Yield a private (0600) temporary file beside ``path``; on success flush, fsync,
    rename it into place and fsync the directory. On any error the temporary file goes
    and ``path`` is left as it was; stale temporary files a killed writer left in the
    folder go first (see the module's notes)."""
    path = path.expanduser()
    directory = check_folder(path)
    remove_stale_temporaries(directory, path.name)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=directory)
    except OSError as error:
        raise StorageError(
            f"cannot write {path}: {error.strerror or error}", field="file", value=str(path)
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        _fsync_directory(directory)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise StorageError(
            f"cannot write {path}: {error.strerror or error}; the old file, if any, is unchanged",
            field="file",
            value=str(path),
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def replace_folder(
    path: Path, files: Mapping[str, str], replaceable: Callable[[Path], bool]
) -> None:
    """Write ``files`` (name to text) as the folder ``path``, all or nothing: they go into a
    hidden folder beside it, fsynced, which is then renamed into place. An existing folder
    is replaced only when empty or when ``replaceable`` says it is one this writer made; on
    any error the temporary folder goes and ``path`` is left as it was."""
    path = path.expanduser()
    parent = check_folder(path)
    if path.exists() and not path.is_dir():
        raise Conflict(
            f"cannot write {path}: it is a file, not a folder", field="out", value=str(path)
        )
    if path.is_dir() and any(path.iterdir()) and not replaceable(path):
        raise Conflict(
            f"{path} holds other files; choose an empty or new folder (--out)",
            field="out",
            value=str(path),
        )
    remove_stale_temporaries(parent, path.name)
    try:
        temp = Path(tempfile.mkdtemp(prefix=_temp_prefix(path), suffix=".tmp", dir=parent))
    except OSError as error:
        raise StorageError(
            f"cannot write {path}: {error.strerror or error}", field="out", value=str(path)
        ) from None
    old: Path | None = None
    try:
        os.chmod(temp, 0o755)
        for name, text in files.items():
            write_synced(temp / name, text)
        _fsync_directory(temp)
        if path.is_dir():
            old = Path(tempfile.mkdtemp(prefix=_temp_prefix(path), suffix=".old", dir=parent))
            os.replace(path, old)
        try:
            os.replace(temp, path)
        except OSError:
            if old is not None:
                kept, old = old, None
                os.replace(kept, path)
            raise
        _fsync_directory(parent)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise StorageError(
            f"cannot write {path}: {error.strerror or error}; any old folder is unchanged",
            field="out",
            value=str(path),
        ) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def remove_stale_temporaries(directory: Path, target: str | None = None) -> list[Path]:
    """Remove the temporary files (and folders) of ours in ``directory`` that a killed
    writer left, by the rules in the module's notes; ``target`` is the name being written
    now (older-style names are removed only for it). Returns what was removed. Never
    fails: whatever cannot be read or removed is left."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        try:
            if _stale(entry, target, now, directory):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
                log.info("removed %s, left by an interrupted write", entry.path)
        except OSError:
            continue
    return removed


def _stale(entry: os.DirEntry[str], target: str | None, now: float, directory: Path) -> bool:
    ours = _OURS.match(entry.name)
    before = None if ours else _BEFORE.match(entry.name)
    if ours is None and (before is None or before.group("target") != target):
        return False
    info = entry.stat(follow_symlinks=False)
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    folder = stat.S_ISDIR(info.st_mode)
    if folder:
        if ours is None:
            return False
        if ours.group("kind") == "old" and not (directory / ours.group("target")).exists():
            return False  # the old folder may be all there is of its target: keep it
    elif not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) & 0o077:
        return False
    old = now - info.st_mtime > STALE_AFTER_SECONDS
    if ours is None or old:
        return old
    return ours.group("host") == HOST_ID and not _running(int(ours.group("pid")))


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (when that cannot be told safely, as
    on Windows, where signalling a process ends it: yes)."""
    if os.name != "posix":
        return True
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else, or cannot be asked
        return True
    return True


def write_synced(path: Path, text: str) -> None:
    """Write a new UTF-8 file and fsync it (one file of a folder written all at once)."""
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def check_folder(path: Path) -> Path:
    """The folder a file will be written into, which must exist (checked before any work)."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise StorageError(
            f"cannot write {path}: the folder {directory} does not exist",
            field="file",
            value=str(path),
        )
    return directory


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_text(path: Path, max_bytes: int) -> str:
    """Read a UTF-8 text file no larger than ``max_bytes``, with errors that name it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise StorageError(
                f"{path} is {size} bytes, more than the limit of {max_bytes}",
                field="file",
                value=str(path),
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StorageError(f"no such file: {path}", field="file", value=str(path)) from None
    except UnicodeDecodeError as error:
        raise BadFile(
            f"{path} is not UTF-8 text (byte {error.start})", field="file", value=str(path)
        ) from None
    except OSError as error:
        raise StorageError(
            f"cannot read {path}: {error.strerror or error}", field="file", value=str(path)
        ) from None
