"""vCard 2.1, 3.0 and 4.0 in; vCard 4.0 out.

Reads what Apple, Google, Outlook, Android, Thunderbird and Evolution write (quirks in
:mod:`mutuality.formats.contentline`), card by card, so memory does not grow with the file.
Keeps names (any script), emails, phones, organisation and title, birthday (the year is
optional), anniversaries and other labelled dates, notes, addresses, URLs, categories as
tags, an embedded photo and the UID.
A photo given as a link is never fetched.

Example::

    BEGIN:VCARD                              ContactCard(
    VERSION:3.0                                name="Ana Lima",
    N:Lima;Ana;;;                              emails=("ana@example.org",),
    FN:Ana Lima                     ->         birthday=Birthday(4, 15, None),
    EMAIL;TYPE=INTERNET:ana@example.org        tags=("friends",), ...)
    BDAY:--0415
    CATEGORIES:Friends
    END:VCARD
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import BinaryIO

from mutuality.core import fields
from mutuality.core.contacts import (
    Birthday,
    ContactCard,
    ContactDate,
    ImportLimits,
    Photo,
    PostalAddress,
    Problem,
    WebLink,
)
from mutuality.formats import values
from mutuality.formats.contentline import (
    ContentLine,
    Malformed,
    escape,
    fold,
    logical_lines,
    parse_line,
    split_escaped,
    unescape,
)
from mutuality.formats.text import FALLBACK, byte_lines

_IGNORED_TYPES = {"pref", "internet", "voice", "postal", "parcel", "dom", "intl", "x400"}
_PLAIN_LABELS = {"home", "work", "other"}
_ANNIVERSARIES = {"ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY"}
"""vCard 4.0's anniversary and the extensions vCard 3.0 and 2.1 programs write for it."""
ANNIVERSARY = "Anniversary"
_OTHER_DATE = "Important date"
_APPLE_DATES = {"anniversary": ANNIVERSARY, "other": _OTHER_DATE}
"""Apple's own date labels (``_$!<Anniversary>!$_``) in words."""
_ANDROID_EVENT = "vnd.android.cursor.item/contact_event"
_ANDROID_EVENT_TYPES = {"1": ANNIVERSARY, "2": _OTHER_DATE}
"""Android's event types (``X-ANDROID-CUSTOM``); 3 is the birthday, kept from ``BDAY``."""


def read_vcards(
    stream: BinaryIO,
    source: str,
    limits: ImportLimits | None = None,
    encoding: str | None = None,
) -> Iterator[ContactCard | Problem]:
    """Each card in ``stream`` as a :class:`ContactCard`, or a :class:`Problem` naming the
    line and the card number. ``source`` is the file name used in locations."""
    limits = limits or ImportLimits()
    fallback = encoding or FALLBACK
    lines = logical_lines(byte_lines(stream, limits.max_line, encoding), limits.max_line)
    number = 0
    card: list[ContentLine] | None = None
    start = depth = 0
    broken: Problem | None = None
    for line_number, data, too_long in lines:
        parsed = parse_line(line_number, data, fallback)
        where = f"{source}:{line_number}"
        if card is None:
            if isinstance(parsed, ContentLine) and _is(parsed, "BEGIN", "VCARD"):
                number, card, start, depth, broken = number + 1, [], line_number, 1, None
                dropped: list[str] = []
            elif isinstance(parsed, Malformed):
                yield Problem(where, f"line {line_number}: {parsed.reason}")
            else:
                yield Problem(where, f"line {line_number}: {parsed.name} outside a card")
            continue
        if isinstance(parsed, Malformed):
            broken = broken or Problem(where, f"card {number}: {parsed.reason}")
            continue
        if _is(parsed, "BEGIN", "VCARD"):
            depth += 1  # a 2.1 AGENT holding a whole card: skipped with it
            continue
        if _is(parsed, "END", "VCARD"):
            depth -= 1
            if depth == 0:
                yield broken or _card(card, number, f"{source}:{start}", fallback, limits, dropped)
                card = None
            continue
        if depth > 1:
            continue
        if too_long:
            if parsed.name == "PHOTO":
                dropped.append(f"photo longer than {limits.max_line:,} bytes; left out")
                continue
            if parsed.name.startswith("X-"):
                continue  # an oversized private extension: left out, card kept
            broken = broken or Problem(
                where, f"card {number}: line longer than {limits.max_line:,} bytes"
            )
            continue
        if len(card) >= limits.max_properties:
            broken = broken or Problem(
                where, f"card {number}: more than {limits.max_properties:,} properties"
            )
            continue
        card.append(parsed)
    if card is not None:
        yield Problem(
            f"{source}:{start}",
            f"card {number} is not closed (no END:VCARD before the end of the file)",
        )


def _is(line: ContentLine, name: str, value: str) -> bool:
    return line.name == name and line.value.strip().upper() == value.encode()


def _card(
    lines: list[ContentLine],
    number: int,
    where: str,
    fallback: str,
    limits: ImportLimits,
    dropped: list[str],
) -> ContactCard | Problem:
    warnings: list[str] = list(dropped)
    labels: dict[str | None, str | None] = {
        line.group: values.label(unescape(line.text(fallback)))
        for line in lines
        if line.group and line.name == "X-ABLABEL"
    }
    by_name: dict[str, list[ContentLine]] = {}
    for line in lines:
        by_name.setdefault(line.name, []).append(line)

    def texts(name: str) -> list[str]:
        return [unescape(line.text(fallback)) for line in by_name.get(name, [])]

    def first(name: str) -> str | None:
        found = [t for t in texts(name) if t.strip()]
        return found[0] if found else None

    kind = (first("KIND") or first("X-ADDRESSBOOKSERVER-KIND") or "").strip().lower()
    if kind == "group":
        return Problem(where, f"card {number} is a group, not a person; left out", False)

    emails = [values.email(t, warnings) for t in texts("EMAIL")]
    phones = [values.phone(t, warnings) for t in texts("TEL")]
    org_parts = [split_escaped(line.text(fallback), ";") for line in by_name.get("ORG", [])]
    organisation = next((p.strip() for parts in org_parts for p in parts if p.strip()), None)
    addresses = [_address(line, labels, fallback) for line in by_name.get("ADR", [])]
    urls: dict[str, WebLink] = {}
    for line in by_name.get("URL", []):
        link = WebLink(url=unescape(line.text(fallback)).strip()[:2000], label=_label(line, labels))
        if link.url and link.url not in urls:  # the same URL once, as cleaned
            urls[link.url] = link
    birthday = None
    if (bday := first("BDAY")) is not None and not _is_text_value(by_name["BDAY"][0]):
        try:
            birthday = values.birthday(bday)
        except values.Rejected as rejected:
            warnings.append(str(rejected))
    dates = _dates(lines, fallback, warnings)
    notes = [t.strip() for t in texts("NOTE") if t.strip()]
    categories = [
        tag
        for line in by_name.get("CATEGORIES", [])
        for tag in split_escaped(line.text(fallback), ",")
    ]
    card = ContactCard(
        name="",
        emails=tuple(dict.fromkeys(e for e in emails if e)),
        phones=tuple(dict.fromkeys(p for p in phones if p)),
        organisation=values.short(organisation),
        title=values.short(first("TITLE")),
        birthday=birthday,
        dates=dates,
        note=values.note("\n\n".join(notes) if notes else None, warnings),
        addresses=tuple(a for a in addresses if not a.is_empty),
        urls=tuple(urls.values()),
        tags=values.tags(categories, warnings),
        photo=_photo(by_name.get("PHOTO", []), fallback, limits, warnings),
        uid=values.short(first("UID"), 500),
        location=where,
    )
    name = _name(first("FN"), first("N"), first("NICKNAME"), card, warnings)
    if not name:
        return Problem(
            where, f"card {number} has no name, email or phone: nothing to import", False
        )
    return _with(card, name, warnings)


def _with(card: ContactCard, name: str, warnings: list[str]) -> ContactCard:
    from dataclasses import replace

    return replace(card, name=name, warnings=tuple(dict.fromkeys(warnings)))


def _name(
    full: str | None,
    structured: str | None,
    nickname: str | None,
    card: ContactCard,
    warnings: list[str],
) -> str:
    if full and full.strip():
        return values.person_name(full, warnings)
    if structured:
        parts = (structured.replace("\\;", "\x00").split(";") + [""] * 5)[:5]
        family, given, additional, prefix, suffix = (p.replace("\x00", ";") for p in parts)
        joined = " ".join(p for p in (prefix, given, additional, family, suffix) if p.strip())
        if joined.strip():
            return values.person_name(joined, warnings)
    if nickname and nickname.strip():
        return values.person_name(nickname, warnings)
    return values.person_name(values.fallback_name(card), warnings)


def _label(line: ContentLine, labels: dict[str | None, str | None]) -> str | None:
    if line.group and labels.get(line.group):
        return labels[line.group]
    kept = [t for t in line.types() if t not in _IGNORED_TYPES and not t.startswith("x-")]
    return values.label(kept[0]) if kept else None


def _address(
    line: ContentLine, labels: dict[str | None, str | None], fallback: str
) -> PostalAddress:
    parts = (split_escaped(line.text(fallback), ";") + [""] * 7)[:7]
    pobox, extended, street, locality, region, postcode, country = (p.strip() for p in parts)
    # A colon in the PO box or extended part is a parameter that leaked into the value
    # (an unquoted LABEL=...:..., as ez-vcard issue 114 shows): drop those parts.
    street_lines = "\n".join(p for p in (pobox, extended) if p and ":" not in p)
    street_lines = "\n".join(p for p in (street_lines, street) if p)
    return PostalAddress(
        label=_label(line, labels),
        street=street_lines.replace("\r\n", "\n")[:2000] or None,
        locality=values.short(locality),
        region=values.short(region),
        postcode=values.short(postcode, 64),
        country=values.short(country),
    )


def _dates(lines: list[ContentLine], fallback: str, warnings: list[str]) -> tuple[ContactDate, ...]:
    """The card's anniversaries and labelled dates, each once (Nextcloud writes the same
    anniversary as ``X-ABDATE`` and ``X-ANNIVERSARY``), with the year where one is given."""
    labels: dict[str | None, str] = {
        line.group: unescape(line.text(fallback)).strip()
        for line in lines
        if line.group and line.name == "X-ABLABEL"
    }
    found: dict[tuple[str, int, int], ContactDate] = {}
    for line in lines:
        if _is_text_value(line):
            continue
        if line.name in _ANNIVERSARIES or line.name == "X-ABDATE":
            value = unescape(line.text(fallback))
            default = ANNIVERSARY if line.name in _ANNIVERSARIES else _OTHER_DATE
            text = _date_label(labels.get(line.group), default)
        elif line.name == "X-ANDROID-CUSTOM":
            parts = [*split_escaped(line.text(fallback), ";"), "", "", ""]
            if parts[0].strip() != _ANDROID_EVENT or parts[2].strip() not in {"0", "1", "2"}:
                continue
            value = parts[1]
            text = _ANDROID_EVENT_TYPES.get(parts[2].strip()) or _date_label(parts[3], _OTHER_DATE)
        else:
            continue
        try:
            day = values.birthday(value, what=text.lower())
        except values.Rejected as rejected:
            warnings.append(str(rejected))
            continue
        if day is None:
            continue
        key = (text.casefold(), day.month, day.day)
        if key not in found or (found[key].day.year is None and day.year is not None):
            found[key] = ContactDate(text, day)
    return tuple(found.values())


def _date_label(text: str | None, default: str) -> str:
    """A date's label in words: Apple's ``_$!<Anniversary>!$_`` is ``Anniversary``; the
    user's own label is kept as written (cleaned first, as the record will clean it, so that
    a control character cannot hide Apple's form until the label is read back)."""
    text = fields.clean_line(text or "")
    if not text:
        return default
    if (plain := values.label(text)) in _APPLE_DATES and text.startswith("_$!<"):
        return _APPLE_DATES[plain]
    return values.short(text) or default


def _is_text_value(line: ContentLine) -> bool:
    return (line.param("VALUE") or "").lower() == "text"


def _photo(
    lines: list[ContentLine], fallback: str, limits: ImportLimits, warnings: list[str]
) -> Photo | None:
    for line in lines:
        raw = line.value.strip()
        if not raw:
            continue
        if line.encoding in {"B", "BASE64"}:
            encoded = bytes(raw)
        else:
            text = unescape(line.text(fallback)).strip()
            if not text.lower().startswith("data:"):
                warnings.append(f"photo given as a link ({text[:40]}) was not fetched")
                continue
            header, _, payload = text.partition(",")
            if ";base64" not in header.lower():
                warnings.append("photo in a data: link that is not base64; left out")
                continue
            encoded = payload.encode("ascii", "ignore")
        if len(encoded) * 3 // 4 > limits.max_photo:
            warnings.append(
                f"photo of about {len(encoded) * 3 // 4:,} bytes is larger than the limit "
                f"of {limits.max_photo:,}; left out"
            )
            continue
        try:
            data = base64.b64decode(b"".join(encoded.split()), validate=False)
        except (binascii.Error, ValueError):
            warnings.append("photo is not valid base64; left out")
            continue
        try:
            return values.photo(data, limits)
        except values.Rejected as rejected:
            warnings.append(str(rejected))
    return None


# --- writing ------------------------------------------------------------------------------------


def write_vcard(card: ContactCard, include_note: bool = False) -> str:
    """One vCard 4.0, folded at 75 octets with CRLF; the note only when asked for."""
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if card.uid:
        lines.append(f"UID:{escape(card.uid)}")
    lines.append(f"FN:{escape(card.name)}")
    family, _, given = card.name.rpartition(" ") if " " in card.name else (card.name, "", "")
    if " " in card.name:
        given, family = card.name.rsplit(" ", 1)
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    lines += [f"EMAIL:{escape(e)}" for e in card.emails]
    lines += [f"TEL:{escape(p)}" for p in card.phones]
    if card.organisation:
        lines.append(f"ORG:{escape(card.organisation)}")
    if card.title:
        lines.append(f"TITLE:{escape(card.title)}")
    if card.birthday:
        b = card.birthday
        year = f"{b.year:04d}" if b.year is not None else "--"
        lines.append(f"BDAY:{year}{b.month:02d}{b.day:02d}")
    group = 0
    for address in card.addresses:
        parts = [
            "",
            "",
            address.street,
            address.locality,
            address.region,
            address.postcode,
            address.country,
        ]
        value = ";".join(escape(p or "") for p in parts)
        group, prefix, type_param, extra = _labelled(group, address.label)
        lines.append(f"{prefix}ADR{type_param}:{value}")
        lines += extra
    for link in card.urls:
        group, prefix, type_param, extra = _labelled(group, link.label)
        lines.append(f"{prefix}URL{type_param}:{_escape_uri(link.url)}")
        lines += extra
    anniversary = next((d for d in card.dates if d.text.casefold() == "anniversary"), None)
    for kept in card.dates:  # in the card's order, so that they read back in it
        if kept is anniversary:
            lines.append(f"ANNIVERSARY:{_vcard_day(anniversary.day, '--')}")
        else:  # Apple's way: a labelled X-ABDATE, 1604 for no year
            group += 1
            lines.append(f"item{group}.X-ABDATE:{_vcard_day(kept.day, '1604')}")
            lines.append(f"item{group}.X-ABLabel:{escape(kept.text)}")
    if card.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in card.tags))
    if include_note and card.note:
        lines.append(f"NOTE:{escape(card.note)}")
    if card.photo:
        encoded = base64.b64encode(card.photo.data).decode("ascii")
        lines.append(f"PHOTO:data:{card.photo.media_type};base64,{encoded}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def _escape_uri(url: str) -> str:
    """A URL as written: commas and semicolons as they are (other programs read them
    literally), but a backslash or a line break escaped, since the reader unescapes both
    (a line break written raw would end the line and break the card)."""
    text = url.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\\n")


def _vcard_day(day: Birthday, no_year: str) -> str:
    """``19960415``; with no year ``no_year`` in its place (``--0415`` or ``16040415``)."""
    year = f"{day.year:04d}" if day.year is not None else no_year
    return f"{year}{day.month:02d}{day.day:02d}"


def _labelled(group: int, label: str | None) -> tuple[int, str, str, list[str]]:
    """A label as ``TYPE=home`` where vCard has the word, else an Apple-style item group."""
    if not label:
        return group, "", "", []
    if label in _PLAIN_LABELS:
        return group, "", f";TYPE={label}", []
    group += 1
    return group, f"item{group}.", "", [f"item{group}.X-ABLabel:{escape(label)}"]
