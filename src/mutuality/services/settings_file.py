"""Changing the config file from the web app's settings page, without losing what the page
does not manage.

The file stays the person's own: keys the page does not show, comments, blank lines and
the order of sections are kept. Only the lines of the keys that change are replaced (or
added at the end of their section, or removed to go back to the default), and the new text
is then checked twice before anything is written: by :func:`settings_from_text`, the same
rules the file is loaded with, and by reading it back to see that every other key holds
the value it held. A file laid out in a way these line edits cannot follow (a section
written as an inline table, say) is refused with a message, never rewritten. The file is
written all at once (a private temporary file renamed into place, mode 0600).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutuality.core.errors import BadFile, Conflict
from mutuality.services.settings import Settings, config_path, settings_from_text
from mutuality.store.files import atomic_text_file

Key = tuple[str, str]
"""A setting as (section, key): ``("value", "half_life_days")``."""
Value = str | int | float | bool | None
"""A new value; ``None`` removes the key, which then takes its default."""

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.*)$")


@dataclass(frozen=True, slots=True)
class PlannedSettings:
    """The config file as it would be after a change, already checked."""

    path: Path
    text: str
    settings: Settings
    changed: bool
    """Whether the text differs from the file's (nothing to write otherwise)."""


def toml_value(value: str | int | float | bool) -> str:
    """One TOML value: a basic string (JSON's escapes are TOML's), a number or a boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no TOML form here")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return json.dumps(value, ensure_ascii=False)


def _value_end(rest: str) -> tuple[str, str] | None:
    """Split what follows ``key =`` into the value and what comes after it (spaces and a
    comment), or ``None`` when the value does not end on this line."""
    for end in range(1, len(rest) + 1):  # the shortest value that the rest can follow
        tail = rest[end:]
        if tail.strip() and not tail.strip().startswith("#"):
            continue
        try:
            tomllib.loads(f"x = {rest[:end]}")
        except tomllib.TOMLDecodeError:
            continue
        return rest[:end], tail
    return None


def edit_toml(text: str, changes: Mapping[Key, Value]) -> str:
    """``text`` with each changed key's line replaced, added or removed (see the module)."""
    lines = text.splitlines()
    pending = dict(changes)
    table = ""
    ends: dict[str, int] = {"": 0}
    """Per table, the index after its last non-blank line."""
    out: list[str] = []
    for line in lines:
        header = _TABLE.match(line)
        if header:
            table = header.group(1)
            out.append(line)
            ends[table] = len(out)
            continue
        if _ANY_TABLE.match(line):
            table = "\0"  # an array of tables or a dotted one: never edited
            out.append(line)
            continue
        found = _KEY.match(line)
        if found and (table, found.group(2)) in pending:
            value = pending.pop((table, found.group(2)))
            if value is None:
                continue
            split = _value_end(found.group(4))
            if split is None:
                raise Conflict(
                    f"the config file's {found.group(2)} spans several lines; change it by "
                    "hand in the file",
                    field=found.group(2),
                )
            out.append(f"{found.group(1)}{found.group(2)}{found.group(3)}{toml_value(value)}")
            out[-1] += split[1]
        else:
            out.append(line)
        if line.strip() and table in ends:
            ends[table] = len(out)
    additions: dict[str, list[str]] = {}
    for (section, key), value in pending.items():
        if value is not None:
            additions.setdefault(section, []).append(f"{key} = {toml_value(value)}")
    # insert from the bottom up, so earlier positions stay right
    for section in sorted((s for s in additions if s in ends), key=lambda s: ends[s], reverse=True):
        at = ends[section]
        out[at:at] = additions.pop(section)
    for section, new in additions.items():
        if out and out[-1].strip():
            out.append("")
        out.extend([f"[{section}]", *new])
    return "\n".join(out) + "\n" if out else ""


def _expected(data: dict[str, Any], changes: Mapping[Key, Value]) -> dict[str, Any]:
    wanted = {
        name: dict(value) if isinstance(value, dict) else value for name, value in data.items()
    }
    for (section, key), value in changes.items():
        holder = wanted if not section else wanted.setdefault(section, {})
        if value is None:
            holder.pop(key, None)
        else:
            holder[key] = value
    return {name: value for name, value in wanted.items() if value != {} or name in data}


def plan_settings(changes: Mapping[Key, Value], path: Path | None = None) -> PlannedSettings:
    """The config file with ``changes`` made, checked by the rules it is loaded with; a
    refusal is the loader's own error (a :class:`BadFile` naming ``section.key``)."""
    path = (path or config_path()).expanduser()
    where = str(path)
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise BadFile(f"cannot read the config file: {error}", location=where) from None
    settings_from_text(old, where)  # a file broken already is said so, as it is
    new = edit_toml(old, changes)
    try:
        followed = tomllib.loads(new) == _expected(tomllib.loads(old), changes)
    except tomllib.TOMLDecodeError:
        followed = False
    if not followed:
        raise Conflict(
            "the config file is laid out in a way this page cannot change safely (a "
            "section written inline, say); change it by hand",
            field="config",
            value=where,
        )
    return PlannedSettings(path, new, settings_from_text(new, where), new != old)


def write_settings(planned: PlannedSettings) -> Settings:
    """Write the planned file all at once (private, 0600); its settings are returned."""
    if planned.changed:
        planned.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with atomic_text_file(planned.path) as handle:
            handle.write(planned.text)
    return planned.settings
