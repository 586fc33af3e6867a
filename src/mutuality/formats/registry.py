"""The one table of file formats that ``mutuality import`` and ``mutuality export`` both
read: each format's name, the other names a user may type, the file extensions that
choose it, how its first bytes are recognised, and where its reader and writer live.

Readers and writers are named by import path (``module:function``) and loaded only when
a file is read or written, so that start-up (``mutuality --help``) stays fast. Their
arguments differ by format (a CSV reader takes a delimiter and a column mapping, the
calendar reader a time zone), so the services call them; the table says which they are.
The JSON backup has neither here: the backup service reads and writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from mutuality.core.errors import BadFile


@dataclass(frozen=True, slots=True)
class FileFormat:
    name: str
    aliases: tuple[str, ...] = ()
    """Other names for it after ``--format`` (any case)."""
    extensions: tuple[str, ...] = ()
    """Extensions that make an import read this format when its content says nothing."""
    export_extensions: tuple[str, ...] = ()
    """Extensions that make an export write this format (no ``--format`` given)."""
    markers: tuple[bytes, ...] = ()
    """Upper-case text whose presence in a file's first bytes says it is this format."""
    starts: bytes | None = None
    """What the first bytes start with, after white space, in this format."""
    reader: str | None = None
    writer: str | None = None


JSON = FileFormat("json", extensions=(".json",), starts=b"{")
VCARD = FileFormat(
    "vcard",
    aliases=("vcf",),
    extensions=(".vcf", ".vcard"),
    export_extensions=(".vcf", ".vcard"),
    markers=(b"BEGIN:VCARD",),
    reader="mutuality.formats.vcard:read_vcards",
    writer="mutuality.formats.vcard:write_vcard",
)
CSV = FileFormat(
    "csv",
    extensions=(".csv", ".tsv"),
    export_extensions=(".csv",),
    reader="mutuality.formats.csv_contacts:read_contacts_csv",
    writer="mutuality.formats.csv_contacts:write_contacts_csv",
)
ICS = FileFormat(
    "ics",
    aliases=("ical", "icalendar"),
    extensions=(".ics", ".ical", ".ifb"),
    export_extensions=(".ics",),
    markers=(b"BEGIN:VCALENDAR", b"BEGIN:VEVENT"),
    reader="mutuality.formats.ical:read_meetings",
    writer="mutuality.formats.ical_write:write_calendar",
)

FORMATS: tuple[FileFormat, ...] = (JSON, VCARD, CSV, ICS)
"""Every format, in the order error messages list them."""
NAMES = tuple(f.name for f in FORMATS)
SNIFF_ORDER: tuple[FileFormat, ...] = (VCARD, ICS, JSON)
"""The order content is tested in: a vCard may quote a calendar, a backup either."""
IMPORT_FALLBACK = "csv"
"""An import whose content and extension say nothing is read as CSV."""
EXPORT_FALLBACK = "json"
"""An export whose extension says nothing writes the JSON backup."""

_BY_NAME = {alias: f for f in FORMATS for alias in (f.name, *f.aliases)}


def named(value: str) -> str:
    """The format a user's ``--format`` value names, or a :class:`BadFile` listing them."""
    found = _BY_NAME.get(value.lower())
    if found is None:
        raise BadFile(
            f"unknown format {value!r}; use one of: {', '.join(NAMES)}",
            field="format",
            value=value,
        )
    return found.name


def sniff(head: bytes) -> str | None:
    """The format that a file's first bytes (upper-cased) show, or ``None``."""
    for candidate in SNIFF_ORDER:
        if any(marker in head for marker in candidate.markers):
            return candidate.name
        if candidate.starts is not None and head.lstrip().startswith(candidate.starts):
            return candidate.name
    return None


def by_extension(suffix: str, *, export: bool = False) -> str | None:
    """The format a file extension (with its dot) chooses for an import or an export."""
    suffix = suffix.lower()
    for candidate in FORMATS:
        if suffix in (candidate.export_extensions if export else candidate.extensions):
            return candidate.name
    return None


def get(name: str) -> FileFormat:
    return _BY_NAME[name]


def reader(name: str) -> Callable[..., Any]:
    """The reader function of a format (imported now, not at start-up)."""
    return _load(get(name).reader, name, "reader")


def writer(name: str) -> Callable[..., Any]:
    """The writer function of a format (imported now, not at start-up)."""
    return _load(get(name).writer, name, "writer")


def _load(where: str | None, name: str, role: str) -> Callable[..., Any]:
    if where is None:
        raise LookupError(f"the {name} format has no {role} here")
    module, _, function = where.partition(":")
    loaded: Callable[..., Any] = getattr(import_module(module), function)
    return loaded
