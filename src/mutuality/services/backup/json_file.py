"""Where in a backup's JSON text a refused value is, as a JSON path.

The strict reader (:func:`mutuality.services.backup.service.parse_strict_json`) learns that a value
is bad (``1e309``, a duplicate key, nesting too deep, half of a surrogate pair) but not
where; these helpers find its place in the text and name it the way every other backup
error does, ``data.exchanges[3].benefit``, by one pass over the strings and punctuation
before it. They run only once a file has been refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]', re.DOTALL)
_ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
DEEPEST = 100
"""Nesting reported as too deep starts here (a backup's records are four levels deep)."""


def _walk(text: str, stop: int | None = None) -> tuple[list[list[Any]], int | None]:
    """The containers open at ``stop`` (or where they first nest deeper than
    :data:`DEEPEST`), each ``["obj", key, expecting_a_key]`` or ``["arr", position]``; and
    that index of the nesting when ``stop`` is ``None``."""
    stack: list[list[Any]] = []
    for match in _TOKENS.finditer(text):
        if stop is not None and match.start() >= stop:
            return stack, stop
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            stack.append(["obj", None, True] if token == "{" else ["arr", 0])
            if stop is None and len(stack) > DEEPEST:
                return stack, match.start()
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ",":
            if top is not None and top[0] == "arr":
                top[1] += 1
            elif top is not None:
                top[1], top[2] = None, True
        elif token == ":":
            if top is not None and top[0] == "obj":
                top[2] = False
        elif top is not None and top[0] == "obj" and top[2]:
            try:
                top[1] = json.loads(token)
            except ValueError:
                top[1] = token[1:-1]
    return stack, None


def _path(stack: list[list[Any]]) -> str:
    path = ""
    for kind, place, *_ in stack:
        if kind == "arr":
            path += f"[{place}]"
        elif place is not None:
            path += f".{place}" if path else str(place)
    return path


def path_at(text: str, index: int) -> str:
    """The JSON path of the value (or key) that starts at ``index``; ``""`` at the top."""
    return _path(_walk(text, index)[0])


def too_deep(text: str) -> tuple[str, int | None]:
    """The field whose value nests deeper than :data:`DEEPEST` (its path without the
    array positions inside it) and the index where that depth is reached."""
    stack, index = _walk(text)
    keyed = max((n for n, entry in enumerate(stack) if entry[0] == "obj"), default=-1)
    return _path(stack[: keyed + 1]), index


def lone_surrogate(text: str) -> int | None:
    """The index of the first ``\\uD800``-``\\uDFFF`` escape that is not half of a pair
    (JSON allows it; no UTF-8 text can hold it)."""
    pending: int | None = None
    for match in _ESCAPES.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else None
        if pending is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and match.start() == pending + 6:
                pending = None
                continue
            return pending
        if code is not None and 0xD800 <= code <= 0xDBFF:
            pending = match.start()
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            return match.start()
    return pending
