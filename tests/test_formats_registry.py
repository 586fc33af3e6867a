"""The format registry (:mod:`mutuality.formats.registry`): one table that import and
export both read, and the contact writers pinned byte for byte by golden files in
``tests/data/golden/vcard/`` and ``tests/data/golden/csv/`` (a fixed small set of
contacts), as the calendar writer is in ``tests/data/golden/calendar/``.

To write the golden files again after a deliberate change::

    MUTUALITY_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_formats_registry.py
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from mutuality.core.contacts import (
    Birthday,
    ContactCard,
    ContactDate,
    ImportLimits,
    Photo,
    PostalAddress,
    WebLink,
)
from mutuality.core.errors import BadFile
from mutuality.formats import registry
from mutuality.services.exporting.service import export_format
from mutuality.services.importing.service import detect_format

GOLDEN = Path(__file__).parent / "data" / "golden"
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

CARDS = [
    ContactCard(
        name="Ana Lima",
        emails=("ana@example.org", "ana.lima@work.example"),
        phones=("+351 912 345 678",),
        organisation="Lima & Filhos, Lda",
        title="Engineer; lead",
        birthday=Birthday(3, 14, 1990),
        dates=(ContactDate("Anniversary", Birthday(6, 1, None)),),
        note="Met at the climbing gym,\nlikes tea",
        addresses=(PostalAddress("home", "Rua das Flores 12", "Porto", None, "4050-262", "PT"),),
        urls=(WebLink("https://ana.example.org/a,b;c", "blog"),),
        tags=("climbing", "porto"),
        photo=Photo("image/png", PIXEL),
        uid="urn:uuid:00000000-0000-4000-8000-000000000001",
    ),
    ContactCard(
        name="Bo Chen",
        emails=("bo@example.com",),
        birthday=Birthday(2, 29),
        tags=("=formula",),
        uid="urn:uuid:00000000-0000-4000-8000-000000000002",
    ),
    ContactCard(name="Zoë O'Brien", phones=("-1 555 0100",)),
]


def vcard_text(include_notes: bool) -> str:
    write = registry.writer("vcard")
    return "".join(write(card, include_notes) for card in CARDS)


def csv_text(include_notes: bool) -> str:
    return "".join(registry.writer("csv")(CARDS, include_notes))


WRITERS = [
    ("vcard/people.vcf", lambda: vcard_text(False)),
    ("vcard/people-notes.vcf", lambda: vcard_text(True)),
    ("csv/people.csv", lambda: csv_text(False)),
    ("csv/people-notes.csv", lambda: csv_text(True)),
]


@pytest.mark.parametrize(("name", "make"), WRITERS)
def test_contact_writers_match_their_golden_files(name: str, make) -> None:
    written = make().encode("utf-8")
    golden = GOLDEN / name
    if os.environ.get("MUTUALITY_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(written)
    assert written == golden.read_bytes()


@pytest.mark.parametrize("name", ["vcard/people-notes.vcf", "csv/people-notes.csv"])
def test_golden_contact_files_read_back(name: str) -> None:
    kind = detect_format(GOLDEN / name)
    with (GOLDEN / name).open("rb") as handle:
        read = registry.reader(kind)(handle, name, ImportLimits(), None)
        cards = [item for item in read if isinstance(item, ContactCard)]
    assert [c.name for c in cards] == [c.name for c in CARDS]
    assert [c.emails for c in cards] == [c.emails for c in CARDS]
    assert cards[0].note == CARDS[0].note


def test_every_name_and_alias_is_one_format() -> None:
    seen: list[str] = []
    for entry in registry.FORMATS:
        for alias in (entry.name, *entry.aliases):
            assert registry.named(alias) == entry.name
            assert registry.named(alias.upper()) == entry.name
            seen.append(alias)
    assert len(seen) == len(set(seen))
    assert registry.NAMES == ("json", "vcard", "csv", "ics")


def test_an_unknown_format_lists_them_all() -> None:
    with pytest.raises(BadFile) as raised:
        registry.named("xml")
    assert "unknown format 'xml'; use one of: json, vcard, csv, ics" in str(raised.value)
    for choose in (
        lambda: detect_format(Path("x.csv"), "xml"),
        lambda: export_format(Path("x.csv"), "xml"),
    ):
        with pytest.raises(BadFile, match="use one of: json, vcard, csv, ics"):
            choose()


def test_readers_and_writers_load() -> None:
    for entry in registry.FORMATS:
        if entry.name == "json":
            assert entry.reader is None and entry.writer is None
            continue
        assert callable(registry.reader(entry.name))
        assert callable(registry.writer(entry.name))
    with pytest.raises(LookupError):
        registry.reader("json")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"BEGIN:VCARD\r\nVERSION:4.0", "vcard"),
        (b"BEGIN:VCALENDAR\r\n", "ics"),
        (b"BEGIN:VEVENT\r\n", "ics"),
        (b'  \n{"format": 1, "note": "BEGIN:VCARD"}', "vcard"),
        (b'  \n{"format": 1}', "json"),
        (b"NAME,EMAIL\r\n", None),
    ],
)
def test_sniffing_the_first_bytes(head: bytes, kind: str | None) -> None:
    assert registry.sniff(head) == kind


@pytest.mark.parametrize(
    ("suffix", "imported", "exported"),
    [
        (".vcf", "vcard", "vcard"),
        (".VCARD", "vcard", "vcard"),
        (".csv", "csv", "csv"),
        (".tsv", "csv", "json"),
        (".ics", "ics", "ics"),
        (".ical", "ics", "json"),
        (".ifb", "ics", "json"),
        (".json", "json", "json"),
        (".txt", "csv", "json"),
    ],
)
def test_extensions_choose_the_same_formats_as_before(
    tmp_path: Path, suffix: str, imported: str, exported: str
) -> None:
    path = tmp_path / f"file{suffix}"
    path.write_bytes(b"")
    assert detect_format(path) == imported
    assert export_format(path, None) == exported
