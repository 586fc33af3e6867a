"""Bytes to text for files written by other programs: byte order marks, UTF-16 without one,
UTF-8 checked in full, Latin-1 (as Windows-1252) when UTF-8 fails, or the encoding the user
names. Lines are read with a length limit so that a file without line breaks cannot fill
the memory.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from mutuality.core.errors import BadFile

FALLBACK = "cp1252"
"""Windows-1252: Latin-1 plus the letters Windows puts in 0x80-0x9F; what Outlook writes."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def check_encoding(name: str) -> str:
    """The codec's canonical name, or a clear error for a name Python does not know."""
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        raise BadFile(
            f"unknown encoding {name!r}; try utf-8, utf-16, latin-1 or cp1252",
            field="encoding",
            value=name,
        ) from None


def sniff_encoding(stream: BinaryIO) -> tuple[str, int]:
    """The file's encoding and the length of its byte order mark; leaves the stream at 0.

    A BOM decides; then UTF-16 without a BOM (every other byte NUL in the first line); then
    the whole file is checked as UTF-8 in chunks; anything else is read as Windows-1252.
    """
    head = stream.read(4096)
    stream.seek(0)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    if len(head) >= 4:
        even, odd = head[0:200:2], head[1:200:2]
        if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
            return "utf-16-le", 0
        if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be", 0
    for name in ("utf-8", FALLBACK):
        decoder = codecs.getincrementaldecoder(name)()
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            stream.seek(0)
            return name, 0
        except UnicodeDecodeError:
            stream.seek(0)
    return "latin-1", 0  # every byte is a character: the last resort never fails


def byte_lines(
    stream: BinaryIO, max_line: int, encoding: str | None = None
) -> Iterator[tuple[int, bytes]]:
    """Physical lines as (number, bytes without the line break) in an ASCII-compatible
    encoding: UTF-16 and UTF-32 files are re-encoded as UTF-8, 8-bit files are passed
    through so that each value can be decoded by its own charset later.

    A line longer than ``max_line`` bytes is cut there and the rest of it skipped, so the
    memory stays bounded; the caller sees the cut line and can refuse it.
    """
    name, bom = (check_encoding(encoding), 0) if encoding else sniff_encoding(stream)
    stream.seek(bom)
    if name.startswith(("utf-16", "utf-32")):
        reader = io.TextIOWrapper(stream, encoding=name, errors="replace", newline="")
        for number, text in bounded_text_lines(reader, max_line):
            yield number, text.encode("utf-8")
        return
    number = 0
    while piece := stream.readline(max_line + 1):
        number += 1
        if len(piece) > max_line and not piece.endswith((b"\n", b"\r")):
            while (more := stream.readline(1 << 16)) and not more.endswith(b"\n"):
                pass  # skip the rest of an over-long line without holding it
        yield number, piece.rstrip(b"\r\n")


def bounded_text_lines(reader: TextIO, max_line: int) -> Iterator[tuple[int, str]]:
    """Text lines with their numbers, each cut at ``max_line`` characters (see above)."""
    number = 0
    while piece := reader.readline(max_line + 1):
        number += 1
        if len(piece) > max_line and not piece.endswith(("\n", "\r")):
            while (more := reader.readline(1 << 16)) and not more.endswith("\n"):
                pass
        yield number, piece.rstrip("\r\n")


def decode_value(raw: bytes, charset: str | None, fallback: str = FALLBACK) -> str:
    """Text of one value: its declared charset, else UTF-8, else the fallback encoding.

    Real files mix these: Outlook writes raw Windows-1252 bytes with no CHARSET, a
    Japanese phone declares SHIFT_JIS on some lines only.
    """
    if charset:
        try:
            return raw.decode(codecs.lookup(charset).name)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass  # an unknown charset, or a name Python refuses (one holding a NUL byte)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode(fallback)
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def open_text(stream: BinaryIO, encoding: str | None) -> tuple[io.TextIOWrapper, str]:
    """The whole stream as text (for CSV, where one encoding holds for the file)."""
    name, bom = (check_encoding(encoding), 0) if encoding else sniff_encoding(stream)
    stream.seek(0)
    if name == "utf-8" and encoding is None:
        name = "utf-8-sig"
    elif bom and name.startswith(("utf-16", "utf-32")):
        stream.seek(bom)
    wrapper = io.TextIOWrapper(stream, encoding=name, errors="strict", newline="")
    return wrapper, name
