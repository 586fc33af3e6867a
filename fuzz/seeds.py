"""Writes the seed corpus (``fuzz/seeds/<target>/``) from small synthetic files: our own
invented fixtures and the vCard quirks corpus in ``tests/``, a few short documents written
here, and a backup of a three-person ledger made through the services. Never the shared
real-world exports: the seeds are committed.

    python -m fuzz.seeds
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"
TESTS = ROOT / "tests"


def _crlf(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


VCARDS = [
    _crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID:urn:uuid:1",
        "FN:Ana Lima",
        "N:Lima;Ana;;;",
        "EMAIL;TYPE=work:ana@example.org",
        "TEL;VALUE=uri:tel:+351-912-000-111",
        "ORG:Studio Lima;Design",
        "TITLE:Designer",
        "BDAY:--0415",
        "ANNIVERSARY:20100620",
        "ADR;TYPE=home:;;Rua 1;Lisboa;;1100;Portugal",
        "item1.URL:https://ana.example.org",
        "item1.X-ABLabel:portfolio",
        "CATEGORIES:friends,design",
        "NOTE:Met at the summit\\nlikes mornings",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2019-05-01;0;Graduation",
        "END:VCARD",
    ),
    _crlf("BEGIN:VCARD", "VERSION:3.0", "KIND:group", "FN:Friends", "END:VCARD"),
    _crlf("BEGIN:VCARD", "VERSION:3.0", "FN:Open Card"),
    _crlf(
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N;CHARSET=SHIFT_JIS:\x00",
        "AGENT:",
        "BEGIN:VCARD",
        "FN:Inner",
        "END:VCARD",
        "TEL;CELL;PREF:+81 90 0000 0000",
        "END:VCARD",
    ),
    b"B" + b";V=C" * 30 + b"\r\n",
]

CSVS = [
    b'Name;E-mail;Notes\r\n"Ana";ana@example.org;"two\r\nlines"\r\n',
    "\ufeffName,Email\r\nRen\u00e9e,renee@example.ca\r\n".encode("utf-16"),
    "Name,Email\r\nRen\u00e9e C\u00f4t\u00e9,renee@example.ca\r\n".encode("latin-1"),
    b"First Name,Last Name,Birthday,Labels,Phone 1 - Value\r\nKim,Lee,--04-15,"
    b"friends ::: * myContacts,+1 555 0100 ::: +1 555 0101\r\n",
    b"Name,Email,Email\r\nAna,a@example.org,b@example.org\r\n",
    b"Name,Notes\r\n'=HYPERLINK(\"x\"),'+1\r\n",
]

CALENDARS = [
    _crlf(
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "UID:a@example.org",
        "DTSTART;VALUE=DATE:20260101",
        "RRULE:FREQ=SECONDLY",
        "ATTENDEE;CN=Ana:mailto:ana@example.org",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:b@example.org",
        "DTSTART;TZID=W. Europe Standard Time:20260105T090000",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=1000000000",
        "EXDATE;VALUE=DATE:20260130",
        "RDATE;VALUE=PERIOD:20260103T090000Z/PT1H",
        "ORGANIZER:mailto:bo@example.com",
        "ATTENDEE;CUTYPE=ROOM:mailto:room@example.org",
        "ATTENDEE;PARTSTAT=DECLINED:mailto:dana@example.org",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:b@example.org",
        "RECURRENCE-ID;TZID=W. Europe Standard Time:20260130T090000",
        "DTSTART:20260131T100000Z",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
    ),
    _crlf(
        "BEGIN:VCALENDAR",
        "BEGIN:VTIMEZONE",
        "TZID:Custom",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0300",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:c",
        "DTSTART;TZID=Custom:20260301T120000",
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "ATTENDEE:mailto:ana@example.org",
        "END:VEVENT",
        "BEGIN:VEVENT",
    ),
]


def _backup() -> bytes:
    from mutuality.services.app import Mutuality
    from mutuality.services.ledger import Direction
    from mutuality.services.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="mutuality-seed-"))
    try:
        app = Mutuality.open(str(folder / "s.db"), Settings(), today=lambda: date(2026, 11, 23))
        try:
            app.people.add(
                "Ana Lima", emails=("ana@example.org",), tags=("design",), context="friend"
            )
            app.people.add("Bo Chen", phones=("+351 912 000 111",))
            app.ledger.log(
                "Ana Lima",
                Direction.GAVE,
                kind="knowledge",
                what="Reviewed her deck",
                on="2026-10-01",
                benefit=4,
                cost=1,
                tags=("design",),
            )
            app.ledger.log(
                "Bo Chen",
                Direction.GOT,
                kind="introduction",
                what="Intro to Ana",
                on="2026-11-01",
                benefit=6,
                cost=1,
            )
            app.ledger.touch("Ana Lima", on="2026-11-20", initiated_by="them", channel="call")
            app.imports.run(TESTS / "data" / "vcard_quirks" / "apple-abcrop-3.0.vcf")
            path = folder / "backup.json"
            app.backups.export_json(path)
            return path.read_bytes()
        finally:
            app.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def corpus() -> dict[str, list[bytes]]:
    quirks = sorted((TESTS / "data" / "vcard_quirks").glob("*.vcf"))
    fixtures = TESTS / "fixtures"
    backup = _backup()
    return {
        "vcard": [p.read_bytes() for p in quirks] + VCARDS,
        "csv": [p.read_bytes() for p in sorted(fixtures.glob("*.csv"))] + CSVS,
        "ics": [(fixtures / "meetings.ics").read_bytes(), *CALENDARS],
        "backup": [backup, backup.replace(b'"version": 1', b'"version": 1, "version": 1')],
    }


def write(folder: Path = SEEDS) -> dict[str, int]:
    counts = {}
    for target, documents in corpus().items():
        place = folder / target
        shutil.rmtree(place, ignore_errors=True)
        place.mkdir(parents=True)
        for document in documents:
            (place / hashlib.sha1(document).hexdigest()).write_bytes(document)
        counts[target] = len(documents)
    return counts


if __name__ == "__main__":
    for name, count in write().items():
        print(f"{name}: {count} seeds in {SEEDS / name}")
