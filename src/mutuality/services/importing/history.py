"""The record of contact imports, and undoing one.

Each vCard or CSV import that adds or changes someone is recorded (``imports``), with one
row per person it added or merged into (``import_changes``); for a merge, the row holds the
fields as they were and the ids of the rows it added. Undoing an import, in the caller's
transaction:

- removes the people it added, unless something was recorded for one of them since (an
  exchange, a touch, a check-in, a need, a date, a change to the relationship, a later
  import's merge...): then nothing is changed and the error names them, or, when asked,
  those people are kept and the rest removed;
- puts back the fields it set on the people it merged into, unless a field was changed
  again since (that later value is kept, and said), and removes the emails, phones, tags,
  addresses, URLs, dates and photo it added.

Calendar imports are not recorded here: their meetings are touches, removed one by one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from mutuality.core.errors import Conflict, NotFound
from mutuality.services.backup.entries import birthday_columns, birthday_text
from mutuality.services.importing.merging import PersonState
from mutuality.services.importing.writer import MergeWritten, insert_rows
from mutuality.store.tables import (
    AddressRow,
    Base,
    EmailRow,
    ImportantDateRow,
    ImportChangeRow,
    ImportRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    PhotoRow,
    RelationshipRow,
    UrlRow,
)

CHUNK = 5_000
"""Ids per ``IN (...)`` list: under SQLite's and PostgreSQL's limits on bound parameters,
and few enough lists that each table is read a handful of times for a large import."""

_WRITTEN_BY_IMPORTS = {
    "people",
    "person_emails",
    "person_phones",
    "person_tags",
    "person_addresses",
    "person_urls",
    "person_photos",
    "relationships",
    "important_dates",
    "import_changes",
}
"""Tables an import writes for the people it adds: checked separately (a relationship
changed since, a date added since, another import's change), or not at all (details)."""

_WORDS = {
    "checkins": "check-ins",
    "checkin_links": "check-in links",
    "person_states": "states",
    "introduction_steps": "introductions",
}

_ROW_TABLES: dict[str, Any] = {
    "person_emails": EmailRow,
    "person_phones": PhoneRow,
    "person_addresses": AddressRow,
    "person_urls": UrlRow,
    "important_dates": ImportantDateRow,
}


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One recorded import, for ``import list``."""

    id: int
    source: str
    format: str
    imported_at: datetime
    added: int
    merged: int
    undone_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "imported_at": self.imported_at.isoformat(),
            "added": self.added,
            "merged": self.merged,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
        }


@dataclass(frozen=True, slots=True)
class UndoReport:
    """What undoing an import did."""

    id: int
    source: str
    removed: tuple[str, ...] = ()
    """The people it had added, now removed (by name)."""
    restored: tuple[str, ...] = ()
    """The people it had merged into, put back as they were."""
    kept: tuple[str, ...] = ()
    """People it had added who have entries since, kept (only when asked)."""
    notes: tuple[str, ...] = ()
    """Fields changed again since the import, left as they are now."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "removed": list(self.removed),
            "restored": list(self.restored),
            "kept": list(self.kept),
            "notes": list(self.notes),
        }


def record(
    session: Session,
    source: str,
    format: str,
    at: datetime,
    added: Sequence[PersonState],
    merged: Sequence[MergeWritten],
) -> int:
    """Record an import (after its rows are written); returns its number."""
    connection = session.connection()
    number = connection.execute(
        insert(ImportRow).returning(ImportRow.id),
        {
            "source": source[:500],
            "format": format,
            "imported_at": at,
            "added": len(added),
            "merged": len(merged),
            "undone_at": None,
        },
    ).scalar_one()
    rows: list[dict[str, Any]] = [
        {"import_id": number, "person_id": s.id, "action": "added", "details": None} for s in added
    ]
    rows += [
        {
            "import_id": number,
            "person_id": m.person_id,
            "action": "merged",
            "details": json.dumps(m.details(), sort_keys=True, ensure_ascii=False),
        }
        for m in merged
    ]
    insert_rows(connection, ImportChangeRow, rows)
    return int(number)


def history(session: Session) -> list[ImportRecord]:
    return [
        ImportRecord(
            row.id,
            row.source,
            row.format,
            row.imported_at,
            row.added,
            row.merged,
            row.undone_at,
        )
        for row in session.scalars(select(ImportRow).order_by(ImportRow.id.desc()))
    ]


def undo(session: Session, number: int | None, keep_used: bool, now: datetime) -> UndoReport:
    """Revert import ``number`` (the latest not undone when ``None``)."""
    entry = _entry(session, number)
    changes = list(
        session.execute(
            select(ImportChangeRow.person_id, ImportChangeRow.action, ImportChangeRow.details)
            .where(ImportChangeRow.import_id == entry.id)
            .order_by(ImportChangeRow.id)
        )
    )
    added = [pid for pid, action, _ in changes if action == "added"]
    names = _names(session, [pid for pid, _, _ in changes])
    used = _used_since(session, entry, added)
    if used and not keep_used:
        raise Conflict(_refusal(entry, used, names), field="import", value=entry.id)
    keep = set(used)
    removed = [pid for pid in added if pid not in keep]
    for chunk in _chunks(removed):
        session.execute(delete(PersonRow).where(PersonRow.id.in_(chunk)))
    notes: list[str] = []
    restored: list[int] = []
    for pid, action, details in changes:
        if action == "merged" and details:
            notes += _put_back(session, pid, names.get(pid, f"#{pid}"), json.loads(details))
            restored.append(pid)
    session.execute(delete(ImportChangeRow).where(ImportChangeRow.import_id == entry.id))
    session.execute(update(ImportRow).where(ImportRow.id == entry.id).values(undone_at=now))
    return UndoReport(
        entry.id,
        entry.source,
        tuple(names[pid] for pid in removed),
        tuple(names[pid] for pid in restored),
        tuple(names[pid] for pid in added if pid in keep),
        tuple(notes),
    )


def _entry(session: Session, number: int | None) -> ImportRow:
    if number is None:
        entry = session.scalars(
            select(ImportRow).where(ImportRow.undone_at.is_(None)).order_by(ImportRow.id.desc())
        ).first()
        if entry is None:
            raise NotFound(
                "there is no import to undo (`mutuality import list` shows the imports)",
                field="import",
            )
        return entry
    entry = session.get(ImportRow, number)
    if entry is None:
        raise NotFound(
            f"no import #{number} (`mutuality import list` shows the imports)",
            field="import",
            value=number,
        )
    if entry.undone_at is not None:
        raise Conflict(
            f"import #{number} was already undone on {entry.undone_at:%Y-%m-%d %H:%M}",
            field="import",
            value=number,
        )
    return entry


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(chunk))
        names.update((pid, name) for pid, name in session.execute(query))
    return names


def _used_since(session: Session, entry: ImportRow, added: list[int]) -> dict[int, list[str]]:
    """For each person the import added who has something of their own since: what."""
    used: dict[int, list[str]] = {}

    def note(pids: Iterable[int], what: str) -> None:
        for pid in pids:
            if what not in used.setdefault(pid, []):
                used[pid].append(what)

    for chunk in _chunks(added):
        for table, column in _person_references():
            found = session.scalars(select(column).where(column.in_(chunk)).distinct())
            note(found, _WORDS.get(table.name, table.name.replace("_", " ")))
        note(
            session.scalars(
                select(ImportantDateRow.person_id)
                .where(
                    ImportantDateRow.person_id.in_(chunk),
                    ImportantDateRow.created_at > entry.imported_at,
                )
                .distinct()
            ),
            "dates",
        )
        note(
            session.scalars(
                select(RelationshipRow.person_id).where(
                    RelationshipRow.person_id.in_(chunk),
                    (RelationshipRow.context != "other")
                    | RelationshipRow.cadence_days.is_not(None)
                    | RelationshipRow.intent.is_not(None)
                    | RelationshipRow.intent_reason.is_not(None),
                )
            ),
            "relationship settings",
        )
        for pid, later in session.execute(
            select(ImportChangeRow.person_id, ImportChangeRow.import_id)
            .where(ImportChangeRow.person_id.in_(chunk), ImportChangeRow.import_id != entry.id)
            .order_by(ImportChangeRow.import_id)
        ):
            note([pid], f"import #{later}")
    return used


def _person_references() -> list[tuple[Table, Any]]:
    """Every column that points at a person, outside the tables an import writes."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in _WRITTEN_BY_IMPORTS:
            continue
        for column in table.columns:
            if any(fk.column.table.name == "people" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _refusal(entry: ImportRow, used: dict[int, list[str]], names: dict[int, str]) -> str:
    listed = [f"{names[pid]} ({', '.join(what)})" for pid, what in used.items()]
    shown = "; ".join(listed[:10]) + (f"; and {len(listed) - 10} more" if len(listed) > 10 else "")
    who = "one person it added has" if len(used) == 1 else f"{len(used)} people it added have"
    later = sorted(
        {what for whats in used.values() for what in whats if what.startswith("import #")},
        key=lambda what: int(what.removeprefix("import #")),
    )
    first = f"undo {' and '.join(later)} first, or " if later else ""
    return (
        f"import #{entry.id} ({entry.source}) was not undone, and nothing was changed: "
        f"{who} more recorded since: {shown}. To go ahead, {first}run "
        f"`mutuality import undo {entry.id} --keep-used` to keep "
        f"{'them' if len(used) > 1 else 'that person'} and remove the rest"
    )


def _put_back(session: Session, pid: int, name: str, details: dict[str, Any]) -> list[str]:
    """Undo one merge; returns notes on fields changed again since the import."""
    notes: list[str] = []
    row = session.get(PersonRow, pid)
    if row is None:
        return notes
    before: dict[str, Any] = details.get("before", {})
    after: dict[str, Any] = details.get("after", {})
    values: dict[str, Any] = {}
    for column, old in before.items():
        if column == "birthday":
            if birthday_text(row) == after.get(column):
                values.update(birthday_columns(old))
            else:
                notes.append(f"kept {name}'s birthday: it was changed after the import")
        elif getattr(row, column) == after.get(column):
            values[column] = old
        else:
            label = "note" if column == "private_note" else column.replace("_", " ")
            notes.append(f"kept {name}'s {label}: it was changed after the import")
    if values:
        session.execute(update(PersonRow).where(PersonRow.id == pid).values(**values))
    for table_name, ids in details.get("rows", {}).items():
        table = _ROW_TABLES.get(table_name)
        if table is not None and ids:
            session.execute(delete(table).where(table.person_id == pid, table.id.in_(ids)))
    tags = details.get("tags", [])
    if tags:
        session.execute(
            delete(PersonTagRow).where(PersonTagRow.person_id == pid, PersonTagRow.tag.in_(tags))
        )
    if details.get("photo"):
        session.execute(delete(PhotoRow).where(PhotoRow.person_id == pid))
    session.expire(row)
    return notes


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
