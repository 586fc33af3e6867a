"""Fuzzing every parser (I1): whatever the bytes, a parser yields records or located
problems, or raises the importer's own error; never anything else. A card or row that is
read is written out and read back the same (the export and the import agree).

The coverage-guided round (atheris) is in ``fuzz/``: see docs/fuzzing.md.

Brief by default (a few dozen inputs each); ``-m slow`` runs a longer round; for a long run
set the number of inputs per parser::

    MUTUALITY_FUZZ_EXAMPLES=20000 .venv/bin/pytest -m slow tests/test_formats_fuzz.py -q
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutuality.core.contacts import CalendarMeeting, ContactCard, ImportLimits, Problem
from mutuality.core.errors import BadFile
from mutuality.formats.csv_contacts import read_contacts_csv, write_contacts_csv
from mutuality.formats.ical import Notice, read_meetings
from mutuality.formats.vcard import read_vcards, write_vcard
from mutuality.services.backup.service import BackupService

LIMITS = ImportLimits(max_line=4096, max_field=2048, max_photo=4096, max_occurrences=200)
ZONE = ZoneInfo("Europe/Lisbon")
HORIZON = datetime(2026, 11, 23, 23, 59, tzinfo=ZONE)
BRIEF = 40
LONG = int(os.environ.get("MUTUALITY_FUZZ_EXAMPLES", "1500"))

VCARD_PIECES = [
    "BEGIN:VCARD",
    "END:VCARD",
    "VERSION:2.1",
    "VERSION:4.0",
    "FN:Ana",
    "N:Lima;Ana;;;",
    "EMAIL;TYPE=INTERNET:ana@example.org",
    "TEL;CELL;PREF:+351 912",
    "BDAY:--0415",
    "BDAY:19723101",
    "ORG:A\\;B;C",
    "NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n=C3=A9",
    "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=",
    "PHOTO:data:image/png;base64,iVBOR",
    "item1.URL:http\\://x",
    "item1.X-ABLabel:_$!<HomePage>!$_",
    "ADR;;;;",
    'X;A="q:;,":v',
    "B" + ";V=C" * 30,
    " folded",
    "\tfolded",
    "CATEGORIES:a,b\\,c",
    "KIND:group",
    "=",
    "",
]
ICS_PIECES = [
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "TZID:X",
    "UID:u",
    "DTSTART:20260101T090000Z",
    "DTSTART;VALUE=DATE:2026",
    "DTSTART;TZID=Europe/Lisbon:20261102T0930",
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=WEEKLY;COUNT=1000000000",
    "RRULE:FREQ=YEARLY;BYDAY=53MO;BYSETPOS=-1",
    "EXDATE:20260102T090000Z,bad",
    "RDATE;VALUE=PERIOD:20260103T090000Z/PT1H",
    "RECURRENCE-ID:20260101T090000Z",
    'ATTENDEE;CN="a,b";PARTSTAT=DECLINED:mailto:a@example.org',
    "ORGANIZER:MAILTO:b@x.y",
    "STATUS:CANCELLED",
    "BEGIN:VALARM",
    "END:VALARM",
    "DTSTART:00000000T000000",
    "",
]
CSV_PIECES = [
    "Name,Email,Phone",
    "First Name;Last Name;E-mail 1 - Value",
    "Notes:",
    '"quoted, cell"',
    'a,"b',
    "x,y,z,w",
    "'=SUM(A1)",
    "\ufeff",
    "E-mail 1 - Value,E-mail 1 - Value",
    "\t",
    "Ana,ana@example.org,+351",
    "1/8/18, 6:14 PM",
    "--04-15",
    "Address 1 - City",
    "",
]


def documents(pieces: list[str]) -> st.SearchStrategy[bytes]:
    """Lines built from the format's own pieces, spliced with random text and bytes."""
    line = st.one_of(st.sampled_from(pieces), st.text(max_size=30))
    text = st.lists(line, max_size=25).map(lambda lines: "\r\n".join(lines).encode("utf-8"))
    return st.one_of(
        text,
        st.binary(max_size=300),
        st.tuples(text, st.binary(max_size=40), text).map(lambda parts: b"".join(parts)),
    )


def vcard(data: bytes) -> None:
    for item in read_vcards(io.BytesIO(data), "f.vcf", LIMITS):
        assert isinstance(item, ContactCard | Problem)
        if isinstance(item, ContactCard):
            text = write_vcard(item, include_note=True)
            assert list(read_vcards(io.BytesIO(text.encode("utf-8")), "out.vcf")) == [item]


def ical(data: bytes) -> None:
    for item in read_meetings(io.BytesIO(data), "f.ics", ZONE, HORIZON, LIMITS):
        assert isinstance(item, CalendarMeeting | Problem | Notice)


def contacts_csv(data: bytes) -> None:
    with contextlib.suppress(BadFile):
        for item in read_contacts_csv(io.BytesIO(data), "f.csv", LIMITS):
            assert isinstance(item, ContactCard | Problem)
            if isinstance(item, ContactCard):
                text = "".join(write_contacts_csv([item], include_note=True))
                back = list(read_contacts_csv(io.BytesIO(text.encode("utf-8")), "out.csv"))
                assert [_kept_in_csv(c) for c in back] == [_kept_in_csv(item)]


def _kept_in_csv(card: ContactCard | Problem) -> tuple[object, ...]:
    assert isinstance(card, ContactCard), card
    return (
        *(card.name, card.emails, card.phones, card.organisation, card.title, card.birthday),
        *(card.note, card.addresses, card.urls, card.tags, card.uid),
    )


def backup_json(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.json"
        path.write_bytes(data)
        with contextlib.suppress(BadFile):
            BackupService(None).read_backup(path)  # type: ignore[arg-type]


JSON_PIECES = [
    '{"format": "mutuality-backup", "version": 1, "data": {',
    "[" * 50,
    "1e309",
    '"checksum": "sha256:00"',
    '{"a": 1, "a": 2}',
    "}",
    "]",
    "null",
    "",
]

CASES = [
    (vcard, VCARD_PIECES),
    (ical, ICS_PIECES),
    (contacts_csv, CSV_PIECES),
    (backup_json, JSON_PIECES),
]


def fuzz(parser, pieces: list[str], examples: int) -> None:
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(documents(pieces))
    def run(data: bytes) -> None:
        parser(data)

    run()


@pytest.mark.parametrize(("parser", "pieces"), CASES, ids=[c[0].__name__ for c in CASES])
def test_parsers_survive_random_input_briefly(parser, pieces) -> None:
    fuzz(parser, pieces, BRIEF)


@pytest.mark.slow
@pytest.mark.parametrize(("parser", "pieces"), CASES, ids=[c[0].__name__ for c in CASES])
def test_parsers_survive_random_input_at_length(parser, pieces) -> None:
    fuzz(parser, pieces, LONG)
