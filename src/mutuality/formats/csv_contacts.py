"""Contacts as CSV: LinkedIn's Connections.csv, Google Contacts (current and legacy),
Outlook, our own export, and any other CSV with a column mapping.

Columns are recognised by their header names, never by position (LinkedIn, Google and
Outlook reorder and rename them between versions); numbered groups such as
``E-mail 2 - Value`` or ``Address 1 - City`` and Outlook's ``Business Street`` are
understood, and ``a ::: b`` cells hold several values. Lines before the header
(LinkedIn's ``Notes:`` preamble) are skipped. The delimiter is the most frequent of
``,`` ``;`` or TAB that splits the most of the first lines alike unless named.

Example (LinkedIn)::

    Notes:
    "When exporting your connection data, ..."

    First Name,Last Name,URL,Email Address,Company,Position,Connected On
    Ada,Quill,https://www.linkedin.com/in/ada-quill,,Quill & Co,"Founder, CEO",09 Oct 2024
    -> ContactCard(name="Ada Quill", organisation="Quill & Co", title="Founder, CEO",
                   urls=(WebLink("https://www.linkedin.com/in/ada-quill", "linkedin"),),
                   since=date(2024, 10, 9))
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from mutuality.core import fields
from mutuality.core.contacts import ContactCard, ImportLimits, PostalAddress, Problem, WebLink
from mutuality.core.errors import BadFile
from mutuality.formats import values
from mutuality.formats.text import open_text

MAPPABLE = (
    "name",
    "first",
    "middle",
    "last",
    "email",
    "phone",
    "organisation",
    "title",
    "birthday",
    "note",
    "tags",
    "url",
    "uid",
    "since",
    "street",
    "city",
    "region",
    "postcode",
    "country",
)
"""Fields a ``--map FIELD=COLUMN`` can name."""
MULTI = " ::: "
_MULTI_SPLIT = re.compile(r"\s+:::\s+")
"""Where a cell holding several values is split: Google writes ``a ::: b``; any spaces
around the colons count (a non-breaking space too, which the cleaned value would turn
into a plain one, so the split and the cleaning agree)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet would run as a formula (OWASP CSV injection)."""
HEADER_SEARCH = 50

_SINGLE = {
    "name": "name",
    "full name": "name",
    "display name": "name",
    "contact name": "name",
    "first name": "first",
    "given name": "first",
    "first": "first",
    "middle name": "middle",
    "additional name": "middle",
    "last name": "last",
    "family name": "last",
    "surname": "last",
    "last": "last",
    "nickname": "nickname",
    "company": "organisation",
    "organization": "organisation",
    "organisation": "organisation",
    "organization name": "organisation",
    "organization 1 - name": "organisation",
    "job title": "title",
    "position": "title",
    "organization title": "title",
    "organization 1 - title": "title",
    "role": "title",
    "birthday": "birthday",
    "birth date": "birthday",
    "date of birth": "birthday",
    "notes": "note",
    "note": "note",
    "labels": "tags",
    "categories": "tags",
    "group membership": "tags",
    "tags": "tags",
    "groups": "tags",
    "uid": "uid",
    "connected on": "since",
    "photo": "photo",
    "url": "url",
    "web page": "url",
    "website": "url",
    "profile url": "url",
    "linkedin": "url",
    "personal web page": "url",
}
_EMAIL = re.compile(r"^e-?mail(?: address)?(?: (\d+))?(?: address| - value)?$|^emails?$")
_PHONE = re.compile(
    r"^(?:(?:primary|home|business|mobile|other|car|company main|assistant's|callback|radio)"
    r" )?(?:phone|telephone)(?: number)?(?: (\d+))?(?: - value)?$|^mobile$|^cell$"
)
_WEBSITE = re.compile(r"^website (\d+) - (value|label|type)$")
_ADDRESS = re.compile(
    r"^address (\d+) - (label|type|street|city|po box|region|postal code|country|"
    r"extended address)$"
)
_OUTLOOK_ADDRESS = re.compile(
    r"^(business|home|other) (street|street 2|street 3|city|state|postal code|"
    r"country/region|country|address po box)$"
)
_ADDRESS_PART = {
    "street": "street",
    "street 2": "street",
    "street 3": "street",
    "po box": "street",
    "address po box": "street",
    "extended address": "street",
    "city": "city",
    "region": "region",
    "state": "region",
    "postal code": "postcode",
    "country": "country",
    "country/region": "country",
    "label": "label",
    "type": "label",
}
_OUTLOOK_LABELS = {"business": "work", "home": "home", "other": "other"}


@dataclass
class _Columns:
    """What each column index means, from the header and the user's mapping."""

    single: dict[str, int] = field(default_factory=dict)
    emails: list[int] = field(default_factory=list)
    phones: list[int] = field(default_factory=list)
    urls: dict[str, dict[str, int]] = field(default_factory=dict)
    addresses: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    address_labels: dict[str, str] = field(default_factory=dict)
    """Outlook's groups carry their label in the column name (``Business Street``)."""

    @property
    def usable(self) -> bool:
        return bool({"name", "first", "last"} & set(self.single) or self.emails)


def read_contacts_csv(
    stream: BinaryIO,
    source: str,
    limits: ImportLimits | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Iterator[ContactCard | Problem]:
    """Each data row as a :class:`ContactCard` or a :class:`Problem` with its line."""
    limits = limits or ImportLimits()
    text, _encoding = open_text(stream, encoding)
    csv.field_size_limit(max(limits.max_line, csv.field_size_limit()))
    lines = _bounded_lines(text, source, limits.max_line)
    previous = 0
    columns: _Columns | None = None
    header: list[str] = []
    try:
        head = list(itertools.islice(lines, 20))
        sep = delimiter or _sniff(head)
        if len(sep) != 1:
            raise BadFile("the delimiter must be one character", field="delimiter", value=sep)
        record: list[str] = []  # the text of the record being read, for a message
        reader = csv.reader(_kept(itertools.chain(head, lines), record), delimiter=sep, strict=True)
        for row in reader:
            record.clear()
            start, previous = previous + 1, reader.line_num
            if columns is None:
                if start > HEADER_SEARCH:
                    break
                found = _columns(row, mapping, source, start)
                if found is not None:
                    columns, header = found, row
                continue
            if not any(cell.strip() for cell in row):
                continue
            yield _row(row, header, columns, f"{source}:{start}", start, limits, sep)
    except UnicodeDecodeError:
        line, offset = _undecodable(stream, _encoding)
        raise BadFile(
            f"line {line}: not {_encoding} text (byte {offset:,} of the file); name the "
            "encoding with --encoding, for example --encoding latin-1",
            location=source,
        ) from None
    except csv.Error as error:
        where = f"line {previous + 1}"
        column = _open_quote(record, sep)
        if column is not None:
            name = header[column].strip() if column < len(header) else ""
            where += f", column {name or column + 1}"
            error = csv.Error(f"the quote that opens this cell is never closed ({error})")
        yield Problem(f"{source}:{previous + 1}", f"{where}: {error}")
        return
    if columns is None and mapping:
        raise BadFile(
            f"no header row in the first {HEADER_SEARCH} lines holds the mapped columns "
            + ", ".join(repr(c) for c in mapping.values()),
            location=source,
        )
    if columns is None:
        raise BadFile(
            f"no header row with a name, first name, last name or email column in the first "
            f"{HEADER_SEARCH} lines; name the columns with --map name=COLUMN",
            location=source,
        )


def _bounded_lines(text: io.TextIOWrapper, source: str, limit: int) -> Iterator[str]:
    number = 0
    while piece := text.readline(limit + 1):
        number += 1
        if len(piece) > limit and not piece.endswith(("\n", "\r")):
            raise BadFile(
                f"line {number} is longer than {limit:,} characters: not a contacts CSV?",
                location=source,
            )
        yield piece


def _undecodable(stream: BinaryIO, encoding: str) -> tuple[int, int]:
    """The line and the byte (counted from the file's start) where ``encoding`` first
    fails: the text reader decodes ahead in chunks, so neither is known where it fails."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = lines = 0
    while chunk := stream.read(1 << 16):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            offset = consumed - (len(error.object) - len(chunk)) + error.start
            before = chunk[: max(0, offset - consumed)]
            return lines + before.count(b"\n") + 1, offset
        consumed += len(chunk)
        lines += chunk.count(b"\n")
    return lines + 1, consumed


def _kept(lines: Iterable[str], record: list[str]) -> Iterator[str]:
    for line in lines:
        record.append(line)
        yield line


def _open_quote(record: list[str], sep: str) -> int | None:
    """Which cell of a record that ended the file holds a quote never closed (the usual
    cause of csv's "unexpected end of data"), or ``None``."""
    column, at_start, quoted = 0, True, False
    for text in record:
        index = 0
        while index < len(text):
            char = text[index]
            if quoted:
                if char == '"' and text[index + 1 : index + 2] == '"':
                    index += 2
                    continue
                quoted = char != '"'
            elif char == '"' and at_start:
                quoted = True
            elif char == sep:
                column += 1
                at_start = True
                index += 1
                continue
            elif char in "\r\n":
                column, at_start = 0, True
                index += 1
                continue
            at_start = False
            index += 1
    return column if quoted else None


_QUOTED = re.compile(r'"[^"]*"')


def _sniff(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number of cells, counted
    outside quoted cells: a quoted ``"Founder, CEO"`` or one name full of semicolons says
    nothing about the file's delimiter, the header and the rows agreeing does."""
    rows = [row for row in _QUOTED.sub("", "".join(lines)).splitlines() if row.strip()]
    best, best_score = ",", (0, 0)
    for sep in (",", ";", "\t"):
        counts = [row.count(sep) for row in rows if sep in row]
        if not counts:
            continue
        score = (Counter(counts).most_common(1)[0][1], sum(counts))
        if score > best_score:
            best, best_score = sep, score
    return best


def _key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def _columns(
    row: list[str], mapping: dict[str, str] | None, source: str, line: int
) -> _Columns | None:
    keys = [_key(cell) for cell in row]
    columns = _Columns()
    job_title = "job title" in keys
    for index, key in enumerate(keys):
        if not key:
            continue
        role = _SINGLE.get(key)
        if key == "title":
            role = "prefix" if job_title else "title"
        if role and role not in columns.single:
            columns.single[role] = index
        elif role:
            continue
        elif _EMAIL.match(key):
            columns.emails.append(index)
        elif _PHONE.match(key):
            columns.phones.append(index)
        elif found := _WEBSITE.match(key):
            columns.urls.setdefault(found.group(1), {})[found.group(2)] = index
        elif found := _ADDRESS.match(key) or _OUTLOOK_ADDRESS.match(key):
            part = _ADDRESS_PART[found.group(2)]
            columns.addresses.setdefault(found.group(1), {}).setdefault(part, []).append(index)
            if not found.group(1).isdigit():
                columns.address_labels[found.group(1)] = _OUTLOOK_LABELS[found.group(1)]
    if mapping and not _apply_mapping(columns, keys, mapping, source):
        return None
    if not columns.usable:
        return None
    seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key and key in seen:
            raise BadFile(
                f"line {line}: column {row[index].strip()!r} appears twice (columns "
                f"{seen[key] + 1} and {index + 1})",
                location=source,
            )
        seen[key] = index
    return columns


def _apply_mapping(
    columns: _Columns, keys: list[str], mapping: dict[str, str], source: str
) -> bool:
    """Give the mapped columns their roles; ``False`` when this row lacks one of them (it
    is then not the header: a preamble line, say)."""
    for target in mapping:
        if target not in MAPPABLE:
            raise BadFile(f"cannot map {target!r}; fields: {', '.join(MAPPABLE)}", location=source)
    if any(_key(column) not in keys for column in mapping.values()):
        return False
    for target, column in mapping.items():
        index = keys.index(_key(column))
        if target == "email":
            columns.emails.append(index)
        elif target == "phone":
            columns.phones.append(index)
        elif target == "url":
            columns.urls.setdefault("mapped", {})["value"] = index
        elif target in {"street", "city", "region", "postcode", "country"}:
            columns.addresses.setdefault("mapped", {})[target] = [index]
        else:
            columns.single[target] = index
    return True


def _row(
    row: list[str],
    header: list[str],
    columns: _Columns,
    where: str,
    line: int,
    limits: ImportLimits,
    sep: str,
) -> ContactCard | Problem:
    if len(row) == 1 and sep in row[0] and len(header) > 1:
        row = next(csv.reader([row[0]], delimiter=sep))  # a whole row quoted by a spreadsheet
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        return Problem(
            where, f"line {line}: {len(row)} cells but the header has {len(header)} columns"
        )
    for index, raw in enumerate(row):
        if len(raw) > limits.max_field:
            column = header[index].strip() if index < len(header) else str(index + 1)
            return Problem(
                where,
                f"line {line}, column {column}: {len(raw):,} characters, more than the limit "
                f"of {limits.max_field:,}",
            )
    warnings: list[str] = []

    def cell(index: int | None) -> str:
        """The cell as the record will hold it (cleaned before a ``:::`` list is split, so
        that a removed control character cannot make a separator appear later)."""
        if index is None or index >= len(row):
            return ""
        return fields.clean_text(unguard(row[index])).strip()

    def single(role: str) -> str:
        return cell(columns.single.get(role))

    def many(indexes: Iterable[int]) -> list[str]:
        return [v.strip() for i in indexes for v in _MULTI_SPLIT.split(cell(i)) if v.strip()]

    emails = [values.email(v, warnings) for v in many(columns.emails)]
    phones = [values.phone(v, warnings) for v in many(columns.phones)]
    urls = [
        WebLink(url=u[:2000], label="linkedin" if "linkedin.com/" in u else None)
        for u in many([columns.single["url"]] if "url" in columns.single else [])
    ]
    for group in columns.urls.values():
        link_label = values.label(cell(group.get("label") or group.get("type")))
        value_column = [group["value"]] if "value" in group else []
        urls += [WebLink(url=u[:2000], label=link_label) for u in many(value_column)]
    birthday = None
    if text := single("birthday"):
        try:
            birthday = values.birthday(text)
        except values.Rejected as rejected:
            warnings.append(str(rejected))
    if single("photo"):
        warnings.append("photo given as a link was not fetched")
    tags = [t for t in _MULTI_SPLIT.split(single("tags").replace(";", MULTI)) if t.strip()]
    card = ContactCard(
        name="",
        emails=tuple(dict.fromkeys(e for e in emails if e)),
        phones=tuple(dict.fromkeys(p for p in phones if p)),
        organisation=values.short(single("organisation")),
        title=values.short(single("title")),
        birthday=birthday,
        note=values.note(single("note") or None, warnings),
        addresses=tuple(
            a
            for key, group in columns.addresses.items()
            if not (a := _address(group, cell, columns.address_labels.get(key))).is_empty
        ),
        urls=tuple({link.url: link for link in urls}.values()),
        tags=values.tags(tags, warnings),
        uid=values.short(single("uid"), 500),
        since=_connected_on(single("since")),
        location=where,
    )
    name = (
        single("name")
        or " ".join(p for p in (single("first"), single("middle"), single("last")) if p)
        or single("nickname")
        or values.fallback_name(card)
    )
    name = values.person_name(name, warnings)
    if not name:
        return Problem(where, f"line {line}: no name, email or phone: nothing to import", False)
    from dataclasses import replace

    return replace(card, name=name, warnings=tuple(dict.fromkeys(warnings)))


def _address(
    group: dict[str, list[int]], cell: Callable[[int], str], fixed_label: str | None
) -> PostalAddress:
    def part(name: str) -> str | None:
        texts = [cell(i) for i in group.get(name, [])]
        return "\n".join(t for t in texts if t) or None

    return PostalAddress(
        label=fixed_label or values.label(part("label")),
        street=part("street"),
        locality=values.short(part("city")),
        region=values.short(part("region")),
        postcode=values.short(part("postcode"), 64),
        country=values.short(part("country")),
    )


def _connected_on(text: str) -> date | None:
    """``09 Oct 2024`` (LinkedIn now), ``1/8/18, 6:14 PM`` (2018), ``6-Feb-26`` (re-saved)."""
    value = text.strip().split(",")[0].strip()
    if not value:
        return None
    for pattern in ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def unguard(cell: str) -> str:
    """Undo :func:`guard`: ``'=SUM(A1)`` back to ``=SUM(A1)``, ``''x`` back to ``'x``."""
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in "=+-@\t\r'":
        return cell[1:]
    return cell


def guard(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs: formula starts get a leading ``'``.
    A cell that already starts with ``'`` gets one too, so that :func:`unguard` can always
    tell the guard from the text and every value comes back as it was."""
    return "'" + cell if cell.startswith((*FORMULA_START, "'")) else cell


# --- writing ------------------------------------------------------------------------------------


def write_contacts_csv(cards: list[ContactCard], include_note: bool = False) -> Iterator[str]:
    """Google-style numbered columns (re-imported by :func:`read_contacts_csv`), every cell
    guarded against formula injection; yields CRLF-terminated lines."""
    emails = max((len(c.emails) for c in cards), default=0) or 1
    phones = max((len(c.phones) for c in cards), default=0) or 1
    addresses = max((len(c.addresses) for c in cards), default=0)
    urls = max((len(c.urls) for c in cards), default=0)
    header = ["Name", "Organization", "Job Title", "Birthday", "Labels"]
    header += ["Notes"] if include_note else []
    header += ["UID"]
    header += [f"E-mail {n} - Value" for n in range(1, emails + 1)]
    header += [f"Phone {n} - Value" for n in range(1, phones + 1)]
    for n in range(1, addresses + 1):
        header += [
            f"Address {n} - {p}"
            for p in ("Label", "Street", "City", "Region", "Postal Code", "Country")
        ]
    for n in range(1, urls + 1):
        header += [f"Website {n} - Label", f"Website {n} - Value"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for card in cards:
        row = [
            card.name,
            card.organisation or "",
            card.title or "",
            card.birthday.iso() if card.birthday else "",
            MULTI.join(card.tags),
        ]
        row += [card.note or ""] if include_note else []
        row += [card.uid or ""]
        row += _padded(list(card.emails), emails)
        row += _padded(list(card.phones), phones)
        for n in range(addresses):
            a = card.addresses[n] if n < len(card.addresses) else PostalAddress()
            row += [
                a.label or "",
                a.street or "",
                a.locality or "",
                a.region or "",
                a.postcode or "",
                a.country or "",
            ]
        for n in range(urls):
            link = card.urls[n] if n < len(card.urls) else WebLink("")
            row += [link.label or "", link.url]
        writer.writerow([guard(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _padded(items: list[str], width: int) -> list[str]:
    return items + [""] * (width - len(items))
