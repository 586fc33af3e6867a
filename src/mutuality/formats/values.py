"""Cleaning the values every contact format carries: names, emails, phones, tags, labels,
birthdays and photos. Each cleaner returns the value or a reason it was left out, so the
record survives a bad value and the user is told which one."""

from __future__ import annotations

import re
import struct
from datetime import date

from mutuality.core import fields
from mutuality.core.contacts import Birthday, ContactCard, ImportLimits, Photo
from mutuality.core.errors import InvalidInput
from mutuality.core.names import clean_name

MAX_SHORT = 200
"""Organisation, title, locality, region, country: the width of their columns."""
MAX_LABEL = 64

_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
PLACEHOLDER_YEARS = {1604}
"""The year Apple and CardBook write for "no year"; any year before 1800 counts as none too."""


class Rejected(ValueError):
    """A value left out of a record; the message says which and why."""


PLACEHOLDERS = frozenset({"-", "--", "—", "n/a", "N/A"})
"""What LinkedIn and spreadsheets write for "none": read as no value."""


def short(text: str | None, limit: int = MAX_SHORT) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if cleaned in PLACEHOLDERS:
        return None
    return cleaned[:limit].rstrip() or None  # a cut can end on a space; read back, it would not


def note(text: str | None, warnings: list[str]) -> str | None:
    if text is None:
        return None
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(cleaned) > fields.MAX_TEXT:
        warnings.append(f"note shortened to {fields.MAX_TEXT:,} characters")
        cleaned = cleaned[: fields.MAX_TEXT].rstrip()
    return cleaned or None


def label(text: str | None) -> str | None:
    """``_$!<HomePage>!$_`` (Apple) -> ``homepage``; labels are kept in lower case.

    Cleaning a clean label changes nothing (a label read back from our own export is the
    label written): the steps repeat until the text stops changing."""
    value = text
    while value:
        cleaned = fields.clean_line(value.replace("*", " "))
        found = _APPLE_LABEL.match(cleaned)
        cleaned = " ".join((found.group(1) if found else cleaned).split()).lower()
        cleaned = cleaned[:MAX_LABEL].rstrip()
        if cleaned == value:
            break
        value = cleaned
    return value or None


def email(value: str, warnings: list[str]) -> str | None:
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not text:
        return None
    try:
        return fields.email(text)
    except InvalidInput:
        warnings.append(f"email {text[:60]!r} is not an email address; left out")
        return None


def phone(value: str, warnings: list[str]) -> str | None:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:].split(";", 1)[0]
    if not text:
        return None
    try:
        return fields.phone(text)
    except InvalidInput:
        warnings.append(f"phone {text[:60]!r} is not a phone number; left out")
        return None


def tags(values: list[str], warnings: list[str]) -> tuple[str, ...]:
    kept: set[str] = set()
    for value in values:
        for part in value.split(",") if "," in value else [value]:
            text = fields.clean_line(part).lstrip("*").strip()
            if not text or text.lower() in {"mycontacts", "my contacts"}:
                continue
            try:
                kept.add(fields.tag(text))
            except InvalidInput:
                warnings.append(f"tag {text[:60]!r} has characters a tag cannot hold; left out")
    return tuple(sorted(kept))


def person_name(value: str, warnings: list[str]) -> str:
    name = clean_name(value)
    if len(name) > fields.MAX_NAME:
        warnings.append(f"name shortened to {fields.MAX_NAME} characters")
        name = name[: fields.MAX_NAME].rstrip()
    return name


def fallback_name(card: ContactCard) -> str:
    """A name for a contact that has none: its organisation, email or phone."""
    return (
        card.organisation
        or (card.emails[0] if card.emails else "")
        or (card.phones[0] if card.phones else "")
    )


def birthday(text: str, what: str = "birthday") -> Birthday | None:
    """``1980-04-15``, ``19800415``, ``--0415``, ``--04-15``, ``4/15/1980``, a date-time;
    ``0/0/00`` (Outlook's empty) is none. Raises :class:`Rejected` for anything else (an
    anniversary too: ``what`` names it in the reason)."""
    value = text.strip()
    if not value or value in {"0/0/00", "0/0/0000"}:
        return None
    year: int | None
    if found := _YEARLESS.match(value):
        year, month, day = None, int(found.group(1)), int(found.group(2))
    elif found := _ISO_DATE.match(value):
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3))
    elif found := _US_DATE.match(value):
        month, day, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
        if year < 100:
            year += 1900 if year > 30 else 2000
    else:
        raise Rejected(f"{what} {value[:40]!r} is not a date; left out")
    if year is not None and (year in PLACEHOLDER_YEARS or year < 1800):
        year = None
    try:
        date(year or 2000, month, day)
    except ValueError:
        raise Rejected(f"{what} {value[:40]!r} is not a real date; left out") from None
    return Birthday(month=month, day=day, year=year)


_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def photo(data: bytes, limits: ImportLimits) -> Photo:
    """A photo we keep: JPEG, PNG, GIF or WebP by its bytes (never by what the file claims,
    so SVG with a script never gets in), within the size and pixel limits."""
    if len(data) > limits.max_photo:
        raise Rejected(
            f"photo of {len(data):,} bytes is larger than the limit of {limits.max_photo:,}; "
            "left out"
        )
    media_type = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    if media_type is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        media_type = "image/webp"
    if media_type is None:
        raise Rejected("photo is not a JPEG, PNG, GIF or WebP image; left out")
    size = _dimensions(data, media_type)
    if size is None:
        raise Rejected("photo's width and height cannot be read (a damaged image?); left out")
    if size[0] * size[1] > limits.max_photo_pixels:
        raise Rejected(f"photo of {size[0]}x{size[1]} pixels is too large; left out")
    return Photo(media_type=media_type, data=data)


def _dimensions(data: bytes, media_type: str) -> tuple[int, int] | None:
    """Width and height from the image's header, never by decoding it: a photo whose size
    cannot be read is not kept, so that the pixel limit holds for every photo kept."""
    try:
        if media_type == "image/png":
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if media_type == "image/gif":
            return struct.unpack("<HH", data[6:10])
        if media_type == "image/webp":
            return _webp_dimensions(data)
        if media_type == "image/jpeg":
            return _jpeg_dimensions(data)
    except struct.error:
        return None
    return None


def _webp_dimensions(data: bytes) -> tuple[int, int] | None:
    """The three WebP forms: extended (``VP8X``), lossy (``VP8 ``) and lossless
    (``VP8L``)."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width = int.from_bytes(data[26:28], "little") & 0x3FFF
        height = int.from_bytes(data[28:30], "little") & 0x3FFF
        return width, height
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    """The size in the frame header (SOF), walking the markers; where a segment's length
    is wrong (BlackBerry's EXIF block is 12 bytes short), the walk resumes at the next
    marker, as decoders do."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF or data[index + 1] in (0x00, 0xFF):
            index = data.find(b"\xff", index + 1)
            if index < 0:
                return None
            continue
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        components = data[index + 9]
        if marker in _JPEG_FRAMES and length == 8 + 3 * components and components:
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:
            index += 2  # markers without a length
            continue
        index += 2 + max(length, 2)
    return None
