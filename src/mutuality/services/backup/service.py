"""The full JSON backup: export everything, restore it exactly into an empty database.

The file holds ``format``, ``version``, a SHA-256 ``checksum`` of the canonical data
and the ``data`` itself, one record per line so that two backups diff well. Restoring
an export and exporting again gives byte-identical JSON. A restore checks the JSON,
the schema, the checksum and every reference before it writes anything, and then
writes everything in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, insert, select

from mutuality.core.errors import BadFile, Conflict
from mutuality.core.names import name_key
from mutuality.services.backup import json_file as backup_json
from mutuality.services.backup.checks import check_backup
from mutuality.services.backup.entries import (
    birthday_columns,
    exchange_entry,
    person_entry,
    relationship_entry,
)
from mutuality.services.backup.schema import FORMAT_NAME, FORMAT_VERSION, Backup, BackupData
from mutuality.services.backup.tables import (
    TABLE_SECTIONS,
    check_references,
    dump,
    load,
    restore,
)
from mutuality.services.ledger import Progress
from mutuality.services.records import grouped
from mutuality.store.bulk import exchange_row
from mutuality.store.database import Database, reset_id_sequences
from mutuality.store.files import atomic_text_file, read_text
from mutuality.store.tables import (
    Base,
    EmailRow,
    ExchangeRow,
    ExchangeTagRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    RelationshipRow,
)
from mutuality.store.team_tables import holds_community

MAX_BACKUP_BYTES = 2 * 1024**3
SEQUENCED_TABLES = [
    table.name
    for table in Base.metadata.sorted_tables
    if [column.name for column in table.primary_key.columns] == ["id"]
]
"""Every table whose rows get an id from a sequence: after a restore with explicit ids,
PostgreSQL's sequences must continue after the largest (derived, so no table is forgotten)."""
CORE_SECTIONS = ("people", "relationships", "exchanges")
SECTIONS = CORE_SECTIONS + tuple(section.name for section in TABLE_SECTIONS)


@dataclass(frozen=True, slots=True)
class BackupCounts:
    people: int
    relationships: int
    exchanges: int
    others: tuple[tuple[str, int], ...] = ()
    """Rows in the other sections (touches, needs, requests, ...), in section order."""

    @property
    def total(self) -> int:
        return self.people + self.relationships + self.exchanges + sum(n for _, n in self.others)

    def describe(self) -> str:
        parts = [
            f"{self.people} people",
            f"{self.relationships} relationships",
            f"{self.exchanges} exchanges",
        ]
        parts += [f"{n} {name.replace('_', ' ')}" for name, n in self.others if n]
        return ", ".join(parts[:-1]) + " and " + parts[-1]

    @classmethod
    def of(cls, data: dict[str, list[Any]]) -> BackupCounts:
        return cls(
            len(data["people"]),
            len(data["relationships"]),
            len(data["exchanges"]),
            tuple((section.name, len(data[section.name])) for section in TABLE_SECTIONS),
        )


@dataclass(frozen=True, slots=True)
class CheckedBackup:
    """A backup that passed every check: the core sections typed, the others as rows."""

    data: BackupData
    tables: dict[str, list[dict[str, Any]]]


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(data: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


class BackupService:
    def __init__(self, database: Database) -> None:
        self._db = database

    # --- export ------------------------------------------------------------------------------

    def snapshot(self, progress: Progress | None = None) -> dict[str, list[dict[str, Any]]]:
        """Everything in the database as plain JSON-ready data, in a stable order."""
        with self._db.read() as session:
            if self._db.ledger is None and holds_community(session):
                raise Conflict(
                    "this database is a community's server: its own connection sees every "
                    "member's ledger at once, so a backup of it would mix them; back up one "
                    "member with mutuality team export EMAIL FILE, or the whole server with "
                    "pg_dump",
                    field="db",
                    value=self._db.describe(),
                )
            emails = grouped(
                session.execute(
                    select(EmailRow.person_id, EmailRow.email).order_by(
                        EmailRow.person_id, EmailRow.position
                    )
                )
            )
            phones = grouped(
                session.execute(
                    select(PhoneRow.person_id, PhoneRow.phone).order_by(
                        PhoneRow.person_id, PhoneRow.position
                    )
                )
            )
            person_tags = grouped(
                session.execute(
                    select(PersonTagRow.person_id, PersonTagRow.tag).order_by(
                        PersonTagRow.person_id, PersonTagRow.tag
                    )
                )
            )
            people = [
                person_entry(
                    row,
                    emails.get(row.id, []),
                    phones.get(row.id, []),
                    person_tags.get(row.id, []),
                )
                for row in session.execute(
                    select(
                        PersonRow.id,
                        PersonRow.name,
                        PersonRow.organisation,
                        PersonRow.title,
                        PersonRow.private_note,
                        PersonRow.is_owner,
                        PersonRow.created_at,
                        PersonRow.uid,
                        PersonRow.birthday_year,
                        PersonRow.birthday_month,
                        PersonRow.birthday_day,
                    ).order_by(PersonRow.id)
                )
            ]
            relationships = [
                relationship_entry(row)
                for row in session.execute(
                    select(
                        RelationshipRow.owner_id,
                        RelationshipRow.person_id,
                        RelationshipRow.context,
                        RelationshipRow.started_on,
                        RelationshipRow.cadence_days,
                        RelationshipRow.intent,
                        RelationshipRow.intent_until,
                        RelationshipRow.intent_reason,
                        RelationshipRow.snoozed_until,
                    ).order_by(RelationshipRow.owner_id, RelationshipRow.person_id)
                )
            ]
            exchange_tags = grouped(
                session.execute(
                    select(ExchangeTagRow.exchange_id, ExchangeTagRow.tag).order_by(
                        ExchangeTagRow.exchange_id, ExchangeTagRow.tag
                    )
                )
            )
            exchanges = []
            for row in session.execute(
                select(
                    ExchangeRow.id,
                    ExchangeRow.giver_id,
                    ExchangeRow.receiver_id,
                    ExchangeRow.kind,
                    ExchangeRow.description,
                    ExchangeRow.occurred_on,
                    ExchangeRow.benefit,
                    ExchangeRow.cost,
                    ExchangeRow.estimated_by,
                    ExchangeRow.outcome,
                    ExchangeRow.private_note,
                    ExchangeRow.created_at,
                    ExchangeRow.initiated_by,
                    ExchangeRow.hours,
                ).order_by(ExchangeRow.id)
            ):
                exchanges.append(exchange_entry(row, exchange_tags.get(row.id, [])))
                if progress and len(exchanges) % 10_000 == 0:
                    progress(10_000)
            tables = {section.name: dump(session, section) for section in TABLE_SECTIONS}
        return {
            "people": people,
            "relationships": relationships,
            "exchanges": exchanges,
            **tables,
        }

    def export_json(self, path: Path, progress: Progress | None = None) -> BackupCounts:
        """Write the backup atomically: a crash leaves the old file or the complete new one."""
        data = self.snapshot(progress)
        with atomic_text_file(path) as handle:
            handle.write("{\n")
            handle.write(f' "checksum": {json.dumps(checksum(data))},\n')
            handle.write(' "data": {\n')
            for index, section in enumerate(SECTIONS):
                records = data[section]
                handle.write(f'  "{section}": [')
                for position, record in enumerate(records):
                    handle.write("\n   " if position == 0 else ",\n   ")
                    handle.write(canonical_json(record))
                handle.write("\n  ]" if records else "]")
                handle.write(",\n" if index < len(SECTIONS) - 1 else "\n")
            handle.write(" },\n")
            handle.write(f' "format": "{FORMAT_NAME}",\n')
            handle.write(f' "version": {FORMAT_VERSION}\n')
            handle.write("}\n")
        return BackupCounts.of(data)

    # --- restore -----------------------------------------------------------------------------

    def read_backup(self, path: Path) -> CheckedBackup:
        """Parse and check a backup file completely, without touching the database."""
        text = read_text(path, MAX_BACKUP_BYTES)
        raw = parse_strict_json(text, str(path))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
            raise BadFile(
                'not a mutuality backup (no "format": "mutuality-backup")', location=str(path)
            )
        data = raw.get("data")
        tables: dict[str, Any] = {}
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(SECTIONS))
            if unknown:
                raise BadFile(
                    f"data.{unknown[0]}: unknown section", field=unknown[0], location=str(path)
                )
            core = {key: value for key, value in data.items() if key in CORE_SECTIONS}
            tables = {key: value for key, value in data.items() if key not in CORE_SECTIONS}
            raw_for_model = {**raw, "data": core}
        else:
            raw_for_model = raw
        try:
            backup = Backup.model_validate(raw_for_model)
        except ValidationError as error:
            first = error.errors()[0]
            where = json_path(first["loc"])
            raise BadFile(
                f"{where}: {first['msg']}",
                field=where,
                value=_short(first.get("input")),
                location=str(path),
            ) from None
        if check_text(raw["data"], text, str(path)) != backup.checksum:
            raise BadFile(
                "checksum does not match the data: the file was changed or damaged",
                field="checksum",
                location=str(path),
            )
        check_backup(backup.data, str(path))
        ids: dict[str, set[Any]] = {
            "people": {p.id for p in backup.data.people},
            "exchanges": {x.id for x in backup.data.exchanges},
        }
        rows = {}
        for section in TABLE_SECTIONS:
            rows[section.name] = load(section, tables.get(section.name, []), str(path))
            check_references(section, rows[section.name], ids, str(path))
        return CheckedBackup(backup.data, rows)

    def restore_json(self, path: Path, progress: Progress | None = None) -> BackupCounts:
        """Restore a backup into an empty database, all or nothing."""
        if self._db.ledger is not None:
            # A backup keeps its rows' ids, which every ledger on a team server shares.
            raise Conflict(
                "a backup restores into a database of its own, not into a member's ledger "
                "on a team server (the ids it keeps may belong to another member there); "
                "restore it with --db restored.db",
                field="db",
                value=self._db.describe(),
            )
        checked = self.read_backup(path)
        data = checked.data
        with self._db.write() as session:
            people = session.scalar(
                select(func.count()).select_from(PersonRow).where(PersonRow.is_owner.is_(False))
            )
            exchanges = session.scalar(select(func.count()).select_from(ExchangeRow))
            if people or exchanges:
                raise Conflict(
                    f"the database already holds {people} people and {exchanges} exchanges; "
                    "restore into an empty database (for example --db restored.db)",
                    field="db",
                    value=self._db.describe(),
                )
            session.execute(delete(PersonRow))  # at most an owner with no exchanges
            connection = session.connection()
            _insert_all(
                connection,
                PersonRow,
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "name_key": name_key(p.name),
                        "organisation": p.organisation,
                        "title": p.title,
                        "private_note": p.private_note,
                        "is_owner": p.is_owner,
                        "created_at": p.created_at,
                        "uid": p.uid,
                        **birthday_columns(p.birthday),
                    }
                    for p in data.people
                ],
            )
            _insert_all(
                connection,
                EmailRow,
                [
                    {"person_id": p.id, "email": e, "position": i}
                    for p in data.people
                    for i, e in enumerate(p.emails)
                ],
            )
            _insert_all(
                connection,
                PhoneRow,
                [
                    {"person_id": p.id, "phone": ph, "position": i}
                    for p in data.people
                    for i, ph in enumerate(p.phones)
                ],
            )
            _insert_all(
                connection,
                PersonTagRow,
                [{"person_id": p.id, "tag": t} for p in data.people for t in p.tags],
            )
            _insert_all(
                connection,
                RelationshipRow,
                [
                    {
                        "owner_id": r.owner_id,
                        "person_id": r.person_id,
                        "context": r.context.value,
                        "started_on": r.started_on,
                        "cadence_days": r.cadence_days,
                        "intent": r.intent.value if r.intent else None,
                        "intent_until": r.intent_until,
                        "intent_reason": r.intent_reason,
                        "snoozed_until": r.snoozed_until,
                    }
                    for r in data.relationships
                ],
            )
            _insert_all(
                connection,
                ExchangeRow,
                [
                    {"id": x.id, **exchange_row(x.new_exchange(), x.created_at)}
                    for x in data.exchanges
                ],
                progress,
            )
            _insert_all(
                connection,
                ExchangeTagRow,
                [{"exchange_id": x.id, "tag": t} for x in data.exchanges for t in x.tags],
            )
            for section in TABLE_SECTIONS:
                restore(connection, section, checked.tables[section.name])
            reset_id_sequences(connection, SEQUENCED_TABLES)
        return BackupCounts.of(
            {
                "people": data.people,
                "relationships": data.relationships,
                "exchanges": data.exchanges,
                **checked.tables,
            }
        )


def _insert_all(
    connection: Any,
    table: Any,
    rows: list[dict[str, Any]],
    progress: Progress | None = None,
    batch: int = 20_000,
) -> None:
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        connection.execute(insert(table), chunk)
        if progress:
            progress(len(chunk))


def _short(value: object) -> str | None:
    if value is None:
        return None
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def json_path(location: tuple[Any, ...] | list[Any]) -> str:
    """``('data', 'exchanges', 3, 'benefit')`` -> ``data.exchanges[3].benefit``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


MAX_INT_DIGITS = 30


class _Refused(Exception):
    """A value the strict reader refuses; located afterwards by :func:`_where`."""

    def __init__(self, message: str, token: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token


def parse_strict_json(text: str, location: str) -> Any:
    """``json.loads`` that refuses what a backup never holds, with a line and column:
    duplicate keys, NaN, infinities (``1e309``), absurdly long integers and deep nesting."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                message = f"duplicate key {key!r} in the object that starts here"
                raise _Refused(message, json.dumps(key))
            result[key] = value
        return result

    def finite(token: str) -> float:
        if not math.isfinite(float(token)):
            raise _Refused(f"number {token} is out of range", token)
        return float(token)

    def bounded_int(token: str) -> int:
        if len(token.lstrip("-")) > MAX_INT_DIGITS:
            raise _Refused(f"integer of {len(token)} digits is out of range", token)
        return int(token)

    def constant(name: str) -> None:
        raise _Refused(f"{name} is not allowed in a backup", name)

    try:
        return json.loads(
            text,
            object_pairs_hook=no_duplicates,
            parse_float=finite,
            parse_int=bounded_int,
            parse_constant=constant,
        )
    except json.JSONDecodeError as error:
        raise BadFile(
            f"{_path_prefix(text, error.pos)}line {error.lineno}, column {error.colno}: "
            f"{error.msg}",
            location=location,
        ) from None
    except RecursionError:
        path, index = backup_json.too_deep(text)
        raise BadFile(
            f"{path + ': ' if path else ''}{_position(text, index)}the JSON is nested too "
            f"deeply (more than {backup_json.DEEPEST} levels)",
            field=path or None,
            location=location,
        ) from None
    except _Refused as refused:
        raise BadFile(
            f"{_where(text, refused.token)}{refused.message}",
            value=refused.token,
            location=location,
        ) from None


def check_text(data: dict[str, Any], text: str, location: str) -> str:
    """The checksum of the parsed data, refusing text that cannot be stored: half of a
    surrogate pair (``"\\ud800"``) is valid JSON but no UTF-8 text."""
    try:
        return checksum(data)
    except UnicodeEncodeError:
        index = backup_json.lone_surrogate(text)
        shown = text[index : index + 6] if index is not None else "\\ud800"
        raise BadFile(
            f"{_path_prefix(text, index)}{_position(text, index)}{shown} is half of a "
            "surrogate pair, which no text can hold",
            value=shown,
            location=location,
        ) from None


def _where(text: str, token: str | None) -> str:
    """``PATH: line L, column C: `` for a value the parser refused (its hooks are not told
    where they are): a duplicate key is found by re-reading with positions, a number or
    constant by its first occurrence outside a string."""
    if not token:
        return ""
    if token.startswith('"'):
        start = _duplicate_key_object(text)
        if start is None:
            return ""
        inside = backup_json.path_at(text, start)
        key = json.loads(token)
        return f"{inside + '.' if inside else ''}{key}: {_position(text, start)}"
    for match in re.finditer(re.escape(token) + r"(?![0-9A-Za-z.+-])", text):
        if not _inside_string(text[: match.start()]):
            return _path_prefix(text, match.start()) + _position(text, match.start())
    return ""


def _path_prefix(text: str, index: int | None) -> str:
    path = backup_json.path_at(text, index) if index is not None else ""
    return f"{path}: " if path else ""


def _position(text: str, index: int | None) -> str:
    if index is None:
        return ""
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - text.rfind(chr(10), 0, index)}: "


def _duplicate_key_object(text: str) -> int | None:
    """Where the first object holding a duplicate key starts, using the pure-Python
    decoder (slow, so it runs only after the fast one has found a duplicate)."""
    # CPython's pure-Python decoder parts, which typeshed leaves out as undocumented.
    from json.decoder import JSONObject  # type: ignore[attr-defined]  # not in typeshed
    from json.scanner import py_make_scanner  # type: ignore[attr-defined]  # not in typeshed

    class Found(Exception):
        def __init__(self, index: int) -> None:
            self.index = index

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        strict, scan_once, _hook, _pairs_hook, *memo = args
        pairs, end = JSONObject(s_and_end, strict, scan_once, None, list, *memo)
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise Found(s_and_end[1] - 1)
        return dict(pairs), end

    decoder = json.JSONDecoder()
    # Attributes the decoder sets in __init__, which typeshed does not declare.
    decoder.parse_object = parse_object  # type: ignore[attr-defined]  # not in typeshed
    decoder.scan_once = py_make_scanner(decoder)  # type: ignore[attr-defined]  # not in typeshed
    try:
        decoder.decode(text)
    except Found as found:
        return found.index
    except (ValueError, RecursionError):
        return None
    return None


def _inside_string(before: str) -> bool:
    unescaped = re.sub(r"\\.", "", before[before.rfind("\n") + 1 :])
    return unescaped.count('"') % 2 == 1
