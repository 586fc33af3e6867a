"""Where the links the app hands out point (the private check-in link): the address another
person's device must reach, and a plain warning when only this computer can open it.

One rule for the web page, the API and the command line: the public address when one is
set (``mutuality serve --public-url``), else the address the app is really served at (the
one the browser used; on the command line, the one ``serve`` recorded beside the ledger
when it started), else the default ``http://127.0.0.1:8765``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mutuality.core.errors import InvalidInput
from mutuality.web.settings import DEFAULT_HOST, DEFAULT_PORT, clean_base, is_loopback

DEFAULT_LINK_BASE = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
SERVED_SUFFIX = ".served"
"""``ledger.db.served`` holds the address ``serve`` last used for that ledger."""


@dataclass(frozen=True, slots=True)
class LinkAddress:
    """The base that links start with, and whether only this computer can open them."""

    base: str

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or ""

    @property
    def loopback(self) -> bool:
        """Whether the links point at this computer itself (127.0.0.1, localhost, ::1),
        which no other device can open."""
        return is_loopback(self.host)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


def link_address(public_url: str, served_at: str) -> LinkAddress:
    """The public address when one is set, else where the app is served (``served_at``)."""
    return LinkAddress(clean_base(public_url) if public_url else served_at.rstrip("/"))


def served_file(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + SERVED_SUFFIX)


def record_served(database_path: Path | None, base: str) -> None:
    """Note beside the ledger where ``serve`` is reachable, so that a link made on the
    command line names the same address; a ledger that is no file (a server database)
    keeps no note, and a folder that cannot be written is no reason not to serve."""
    if database_path is None:
        return
    try:
        served_file(database_path).write_text(base + "\n", encoding="utf-8")
    except OSError:
        return


def served_base(database_path: Path | None) -> str | None:
    """The address ``serve`` recorded for this ledger, if any (and if it still reads as one)."""
    if database_path is None:
        return None
    try:
        text = served_file(database_path).read_text(encoding="utf-8").strip()
        return clean_base(text)
    except (OSError, UnicodeDecodeError, InvalidInput):
        return None
