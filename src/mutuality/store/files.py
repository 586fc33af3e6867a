"""Writing files so that a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from mutuality.core.errors import BadFile, Conflict, StorageError


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Yield a private (0600) temporary file beside ``path``; on success flush, fsync,
    rename it into place and fsync the directory. On any error the temporary file goes
    and ``path`` is left as it was."""
    path = path.expanduser()
    directory = check_folder(path)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
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
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
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
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
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
