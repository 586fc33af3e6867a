"""Content lines, the grammar vCard and iCalendar share: ``group.NAME;PARAM=x:value``.

A small, linear-time reader written for the files real programs produce rather than the
RFCs alone: folding with a space or a TAB, vCard 2.1 quoted-printable soft line breaks,
2.1 base64 blocks that are not folded at all, bare 2.1 parameters (``TEL;CELL;PREF``),
quoted parameter values holding ``;`` ``:`` and ``,``, and RFC 6868 caret escapes. Every
step is a single pass over the bytes, so no line can make it backtrack (vobject 0.9.9 takes
seconds on a 90-byte line such as ``B;V=C;V=C...`` with no colon; here it is refused at once
as "malformed property").

Example::

    item1.EMAIL;TYPE="INTERNET,pref":ana@example.org
    -> ContentLine(group="item1", name="EMAIL",
                   params=(("TYPE", "INTERNET,pref"),), value=b"ana@example.org")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mutuality.formats.text import decode_value

_NAME = re.compile(rb"[A-Za-z0-9-]+")
_BASE64_LINE = re.compile(rb"[A-Za-z0-9+/=]+")
_ENCODINGS = {"BASE64", "B", "QUOTED-PRINTABLE", "8BIT", "7BIT"}
_CARET = {"n": "\n", "N": "\n", "'": '"', "^": "^"}


@dataclass(frozen=True, slots=True)
class ContentLine:
    line: int
    """The physical line it starts on (1-based)."""
    group: str | None
    name: str
    """Upper case."""
    params: tuple[tuple[str, str], ...]
    """(NAME in upper case, value); a bare 2.1 parameter is a TYPE or an ENCODING."""
    value: bytes
    """Still encoded and escaped: the charset and the escapes depend on the property."""

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    def types(self) -> list[str]:
        """Every TYPE value, lower case, comma lists split (``TYPE=WORK,VOICE``)."""
        found: list[str] = []
        for key, value in self.params:
            if key == "TYPE":
                found += [t.strip().strip('"').lower() for t in value.split(",") if t.strip()]
        return found

    @property
    def encoding(self) -> str | None:
        value = self.param("ENCODING")
        return value.upper() if value else None

    def text(self, fallback: str) -> str:
        """The value decoded (quoted-printable, then its charset), escapes left in place."""
        raw = self.value
        if self.encoding == "QUOTED-PRINTABLE":
            import binascii

            raw = binascii.a2b_qp(raw)
        return decode_value(raw, self.param("CHARSET"), fallback)


@dataclass(frozen=True, slots=True)
class Malformed:
    line: int
    reason: str


def logical_lines(
    lines: Iterator[tuple[int, bytes]], max_line: int
) -> Iterator[tuple[int, bytes, bool]]:
    """Unfold physical lines into (first line number, bytes, too_long) logical lines.

    Joins RFC folding (a line starting with a space or TAB), quoted-printable soft breaks
    (a QP line ending in ``=``) and unfolded 2.1 base64 blocks (lines of base64 alone,
    ended by a blank line). Blank lines are dropped. A logical line is cut at ``max_line``
    bytes and flagged, so that a huge value costs no more memory than the limit.
    """
    pending: bytearray | None = None
    start = 0
    too_long = False
    quoted_printable = base64 = False
    for number, raw in lines:
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if pending is not None:
            continued = False
            if raw[:1] in (b" ", b"\t"):
                piece, continued = raw[1:], True
            elif quoted_printable and pending.endswith(b"="):
                piece, continued = raw, True
            elif base64 and raw and _BASE64_LINE.fullmatch(raw.strip()):
                piece, continued = raw.strip(), True
            if continued:
                if quoted_printable and pending.endswith(b"="):
                    del pending[-1]
                if len(pending) + len(piece) > max_line:
                    too_long = True
                else:
                    pending += piece
                continue
            yield start, bytes(pending), too_long
            pending = None
        if not raw.strip():
            continue
        pending, start, too_long = bytearray(raw[:max_line]), number, len(raw) > max_line
        head = raw[: raw.find(b":")].upper() if b":" in raw else b""
        quoted_printable = b"QUOTED-PRINTABLE" in head
        base64 = b"BASE64" in head or b"ENCODING=B" in head
    if pending is not None:
        yield start, bytes(pending), too_long


def parse_line(number: int, data: bytes, fallback: str) -> ContentLine | Malformed:
    """Split one logical line into group, name, parameters and the raw value."""
    colon = data.find(b":")
    in_quotes = False
    quote = data.find(b'"', 0, colon) if colon >= 0 else -1
    for index, byte in enumerate(data if quote >= 0 else b""):
        if byte == 0x22:  # "
            in_quotes = not in_quotes
        elif byte == 0x3A and not in_quotes:  # :
            colon = index
            break
    else:
        colon = colon if quote < 0 else -1
    if colon < 0:
        return Malformed(number, "malformed property (no ':' between the name and the value)")
    parts = _split_params(data[:colon])
    group, _, name = parts[0].rpartition(b".")
    if not _NAME.fullmatch(name) or (group and not _NAME.fullmatch(group.replace(b".", b""))):
        shown = parts[0][:40].decode("utf-8", "replace")
        return Malformed(number, f"malformed property name {shown!r}")
    params: list[tuple[str, str]] = []
    for part in parts[1:]:
        text = decode_value(part, None, fallback).strip()
        if not text:
            continue
        key, sep, value = text.partition("=")
        if sep:
            params.append((key.strip().upper(), _unquote(value.strip())))
        elif key.upper() in _ENCODINGS:
            params.append(("ENCODING", key.upper()))
        else:
            params.append(("TYPE", key))
    return ContentLine(
        line=number,
        group=group.decode("ascii").lower() or None,
        name=name.decode("ascii").upper(),
        params=tuple(params),
        value=data[colon + 1 :],
    )


def _split_params(head: bytes) -> list[bytes]:
    if b'"' not in head:
        return head.split(b";")
    parts: list[bytes] = []
    current = bytearray()
    in_quotes = False
    for byte in head:
        if byte == 0x22:
            in_quotes = not in_quotes
            current.append(byte)
        elif byte == 0x3B and not in_quotes:  # ;
            parts.append(bytes(current))
            current.clear()
        else:
            current.append(byte)
    parts.append(bytes(current))
    return parts


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if "^" not in value:
        return value
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "^" and index + 1 < len(value) and value[index + 1] in _CARET:
            out.append(_CARET[value[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def unescape(text: str) -> str:
    """vCard/iCalendar text escapes: ``\\n`` ``\\N`` ``\\,`` ``\\;`` ``\\:`` ``\\\\``.

    A carriage return left inside a value (a bare CR, or a CRLF from quoted-printable) is a
    line break like ``\\n``, as :func:`escape` writes it, so a value reads back the same."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" not in text:
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def split_escaped(text: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not escaped, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(unescape("".join(current)))
    return parts


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str) -> str:
    """Fold one content line at 75 octets without splitting a UTF-8 sequence; CRLF ends."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"
