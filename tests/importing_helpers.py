"""Shared by the import and export tests: where the real fixtures are, and a socket guard."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"
OWN = Path(__file__).resolve().parent / "fixtures"


def real(folder: str) -> list[Path]:
    """Every real fixture file in ``folder`` (vcard, ical, csv), read in place."""
    path = REAL / folder
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_file())


def needs_real(folder: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not (REAL / folder).is_dir(),
        reason=f"{REAL / folder} is absent: the shared real-world fixtures are not beside "
        "this checkout",
    )


@contextmanager
def no_network() -> Iterator[list[object]]:
    """Record (and refuse) every outbound connection attempt made inside the block."""
    attempts: list[object] = []
    original = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access is not allowed in this test")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]
