"""Shared by the crash, durability and concurrency tests (C1-C7, L2, L3, L5): looking at a
database file from outside the app, generated contact files, and child processes that run
the real CLI or services on the same file."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

Dump = dict[str, list[tuple[Any, ...]]]


def integrity(path: Path) -> None:
    """Open ``path`` with the stdlib driver (which rolls back a hot journal left by a crash)
    and assert that SQLite finds the file sound and every foreign key satisfied."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def dump(path: Path, mask_times: bool = False) -> Dump:
    """Every row of every table, in a stable order. ``mask_times`` blanks DATETIME columns
    (the moment a row was written), to compare two runs of the same operation."""
    connection = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables: Dump = {}
        for name in names:
            columns = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            timed = {c[1] for c in columns if mask_times and str(c[2]).upper() == "DATETIME"}
            listed = ", ".join(
                "NULL" if c[1] in timed else f'"{c[1]}"'
                for c in sorted(columns, key=lambda c: c[0])
            )
            rows = connection.execute(f'SELECT {listed} FROM "{name}"').fetchall()
            tables[name] = sorted(rows, key=repr)
        return tables
    finally:
        connection.close()


def count(path: Path, table: str, where: str = "1") -> int:
    connection = sqlite3.connect(path)
    try:
        return int(
            connection.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0]
        )
    finally:
        connection.close()


def rows(path: Path, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    syllables = rng.randint(2, 4)
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)).title()


class ContactFiles:
    """vCard files of people nobody has seen before: names, emails and UIDs never repeat
    across the files one instance makes, so every card of a file is a new person."""

    def __init__(self, seed: int = 7) -> None:
        self._rng = random.Random(seed)
        self._seen: set[tuple[str, str]] = set()

    def vcard(self, path: Path, cards: int, tag: str) -> Path:
        lines = []
        for number in range(cards):
            first, last = _word(self._rng), _word(self._rng)
            while (first, last) in self._seen:
                first, last = _word(self._rng), _word(self._rng)
            self._seen.add((first, last))
            lines.append(
                "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                f"UID:urn:uuid:{tag}-{number:06d}\r\n"
                f"FN:{first} {last}\r\nN:{last};{first};;;\r\n"
                f"EMAIL:{first.lower()}.{last.lower()}.{tag}{number}@example.org\r\n"
                f"ORG:Guild {number % 40}\r\n"
                "END:VCARD\r\n"
            )
        path.write_text("".join(lines), encoding="utf-8")
        return path


def child_env(home: Path) -> dict[str, str]:
    """The environment for a child process: this checkout's sources first, and config and
    data folders of its own (never the user's)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home)
    env.pop("MUTUALITY_DB", None)
    return env


def start_child(script: str, args: list[str], home: Path, **options: Any) -> subprocess.Popen[str]:
    """Start ``script`` (Python source) with ``args``; its stdout is a pipe of text lines."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(home),
        **options,
    )


def wait_ready(child: subprocess.Popen[str], word: str = "ready") -> None:
    """Block until the child prints ``word`` (after its imports, before its work)."""
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != word:
        child.kill()
        _, err = child.communicate(timeout=30)
        raise AssertionError(f"child did not start: {line!r} {err}")


def acknowledged(path: Path) -> list[list[str]]:
    """The lines a child wrote, each after the commit it reports (split into words)."""
    if not path.exists():
        return []
    return [line.split()[:-1] for line in path.read_text().splitlines() if line.endswith("\t.")]


ACK = """
import sys

class Acks:
    '''Append one line per acknowledged commit; a line ends with a tab and a dot, so a line
    torn by the kill is never read as an acknowledgement.'''
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")
    def __call__(self, *words):
        self.file.write(" ".join(str(w) for w in words) + "\\t.\\n")
        self.file.flush()
"""
