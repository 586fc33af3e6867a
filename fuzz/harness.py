"""What each fuzz target checks, one input at a time, shared by the atheris scripts.

Whatever the bytes, a parser yields its records (cards, meetings, problems, notices) or
raises :class:`~mutuality.core.errors.BadFile`, the importer's own error; anything else
escaping is a crash. Each input must be handled in under two seconds. Where a parser
yields a good record, writing it out and reading it back must give the same record
(the export and the import agree), so the fuzzer checks the writers too.

The limits are small on purpose, so that short inputs reach the limit paths (a line too
long, too many properties, a photo too large); the occurrence cap is the real one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mutuality.core.contacts import CalendarMeeting, ContactCard, ImportLimits, Problem
from mutuality.core.errors import BadFile
from mutuality.formats.csv_contacts import read_contacts_csv, write_contacts_csv
from mutuality.formats.ical import FILE_OCCURRENCES, Notice, read_meetings
from mutuality.formats.vcard import read_vcards, write_vcard
from mutuality.services.backup.service import BackupService, checksum, parse_strict_json

LIMITS = ImportLimits(
    max_line=1024, max_field=512, max_photo=2048, max_occurrences=1000, max_properties=50
)
ZONE = ZoneInfo("Europe/Lisbon")
HORIZON = datetime(2026, 11, 23, 23, 59, tzinfo=ZONE)
SECONDS = float(os.environ.get("MUTUALITY_FUZZ_SECONDS_PER_INPUT", "2"))


class TooSlow(AssertionError):
    """One input took longer than the budget: a denial of service in waiting."""


def timed(check: Callable[[bytes], None]) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        started = time.perf_counter()
        check(data)
        spent = time.perf_counter() - started
        if spent > SECONDS:
            raise TooSlow(f"{len(data)} bytes took {spent:.2f} s (budget {SECONDS} s)")

    run.__name__ = check.__name__
    return run


@timed
def vcard(data: bytes) -> None:
    for item in read_vcards(io.BytesIO(data), "f.vcf", LIMITS):
        assert isinstance(item, ContactCard | Problem), item
        if isinstance(item, ContactCard):
            _vcard_round_trip(item)


def _vcard_round_trip(card: ContactCard) -> None:
    text = write_vcard(card, include_note=True)
    back = list(read_vcards(io.BytesIO(text.encode("utf-8")), "out.vcf"))
    assert back == [card], (card, back, text)
    assert write_vcard(back[0], include_note=True) == text


@timed
def contacts_csv(data: bytes) -> None:
    try:
        for item in read_contacts_csv(io.BytesIO(data), "f.csv", LIMITS):
            assert isinstance(item, ContactCard | Problem), item
            if isinstance(item, ContactCard):
                _csv_round_trip(item)
    except BadFile:
        pass


def _csv_fields(card: ContactCard) -> tuple[object, ...]:
    return (
        card.name,
        card.emails,
        card.phones,
        card.organisation,
        card.title,
        card.birthday,
        card.note,
        card.addresses,
        card.urls,
        card.tags,
        card.uid,
    )


def _csv_round_trip(card: ContactCard) -> None:
    text = "".join(write_contacts_csv([card], include_note=True))
    back = list(read_contacts_csv(io.BytesIO(text.encode("utf-8")), "out.csv"))
    assert len(back) == 1 and isinstance(back[0], ContactCard), (card, back, text)
    assert _csv_fields(back[0]) == _csv_fields(card), (card, back, text)


@timed
def ical(data: bytes) -> None:
    occurrences = 0
    for item in read_meetings(io.BytesIO(data), "f.ics", ZONE, HORIZON, LIMITS):
        assert isinstance(item, CalendarMeeting | Problem | Notice), item
        if isinstance(item, CalendarMeeting):
            assert item.start.tzinfo is not None, item
            occurrences += 1
    most = LIMITS.max_occurrences * FILE_OCCURRENCES + data.count(b"VEVENT")
    assert occurrences <= most, occurrences


_FOLDER = Path(tempfile.mkdtemp(prefix="mutuality-fuzz-"))
_BACKUP = _FOLDER / "backup.json"


@timed
def backup_json(data: bytes) -> None:
    """The file as given; then, when it is a JSON object with a ``data`` object, the same
    with its checksum put right, so that the checks behind the checksum are reached."""
    _read_backup(data)
    try:
        document = parse_strict_json(data.decode("utf-8-sig"), "f.json")
    except (BadFile, UnicodeDecodeError):
        return
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        try:
            document["checksum"] = checksum(document["data"])
        except UnicodeEncodeError:
            return  # half a surrogate pair: refused above, by the file's own read
        _read_backup(json.dumps(document).encode("utf-8"))


def _read_backup(data: bytes) -> None:
    _BACKUP.write_bytes(data)
    with contextlib.suppress(BadFile):
        BackupService(None).read_backup(_BACKUP)  # type: ignore[arg-type]


TARGETS: dict[str, Callable[[bytes], None]] = {
    "vcard": vcard,
    "csv": contacts_csv,
    "ics": ical,
    "backup": backup_json,
}
