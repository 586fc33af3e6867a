"""One person's record as a JSON backup (``mutuality person export``): everything the ledger
holds that refers to them, and nothing of anyone else's.

It answers "what do you hold about me?", or hands one relationship to another ledger. The
file is the backup format itself (:mod:`.backup`: the same sections, ``format``, ``version``
and checksum) restricted to these rows, so ``mutuality import FILE`` restores it into an
empty ledger, and exporting the person again from there gives the same file byte for byte
(ids and timestamps are kept as they were).

What is in it, per section (the rules are :data:`RULES`, one for every section of the
backup; a section without a rule stays empty):

* the person (their emails, phones and tags), their relationship with you (its intent too),
  the exchanges between the two of you, both ways, touches, check-ins, requests,
  commitments, needs and offers, states, addresses, URLs, a photo, important dates, what
  you marked shareable of theirs, the meetings their touches came from, and the contact
  imports that added them or merged into them;
* you, the ledger's owner, by name only (a restore needs an owner): your contact details,
  your notes, your capacity and the ledger's identifier stay out, so the ledger it is
  restored into gets an identifier of its own;
* introductions they are one side of, with the other side reduced to a name: that
  person's gains, the message to them, their answers and notes, their need or offer, the
  exchange with them, the match score and the introduction message (addressed to both,
  with both sides' details) are left out. The reason stays: it is what the consent
  request to this person says.

Private notes (on the person, their exchanges, touches and check-ins, the note a contact
import put on them, and your reason for the relationship's intent, which is shown only to
you) are left out unless ``with_private_notes`` is asked for: the file may be for the
person themselves. Private check-in links are never exported (only their hashes are kept,
and a backup holds none); a check-in answered through one is. Exchanges between this person
and someone other than you (only a bulk load makes them) are left out: they are that
person's too.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, false, or_, select
from sqlalchemy.orm import Session

from mutuality.services.backup.entries import (
    exchange_entry,
    person_entry,
    relationship_entry,
)
from mutuality.services.backup.schema import FORMAT_NAME, FORMAT_VERSION
from mutuality.services.backup.service import (
    SECTIONS,
    BackupCounts,
    canonical_json,
    checksum,
)
from mutuality.services.backup.tables import TABLE_SECTIONS
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.store.files import atomic_text_file
from mutuality.store.tables import (
    ExchangeRow,
    ImportChangeRow,
    IntroductionRow,
    PersonRow,
    RelationshipRow,
    TouchRow,
)

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose record is being exported, and from whose ledger."""

    person_id: int
    owner_id: int
    with_private_notes: bool

    def exchanges(self) -> ColumnElement[bool]:
        """The exchanges between the person and the owner, both ways."""
        return or_(
            and_(ExchangeRow.giver_id == self.person_id, ExchangeRow.receiver_id == self.owner_id),
            and_(ExchangeRow.giver_id == self.owner_id, ExchangeRow.receiver_id == self.person_id),
        )

    def exchange_ids(self) -> Select[int]:
        return select(ExchangeRow.id).where(self.exchanges())

    def introduction_ids(self) -> Select[int]:
        return select(IntroductionRow.id).where(
            or_(IntroductionRow.a_id == self.person_id, IntroductionRow.b_id == self.person_id)
        )


@dataclass(frozen=True, slots=True)
class Rule:
    """Which rows of one backup section belong to the person's record, and how they are
    written there."""

    where: Callable[[Table, Scope], ColumnElement[bool]]
    """The rows (the section's table, the scope)."""
    private: tuple[str, ...] = ()
    """Columns that hold a private note: empty unless private notes are asked for."""
    redact: Callable[[Record, Scope], None] | None = None
    """What else changes on a row (in place) before it is written."""


def _theirs(table: Table, scope: Scope) -> ColumnElement[bool]:
    return table.c.person_id == scope.person_id


def _between_us(table: Table, scope: Scope) -> ColumnElement[bool]:
    return and_(table.c.person_id == scope.person_id, table.c.owner_id == scope.owner_id)


def _nobody(_table: Table, _scope: Scope) -> ColumnElement[bool]:
    return false()


def _their_side(row: Record, scope: Scope) -> None:
    """An introduction keeps this person's side; of the other, only who they are."""
    other = "b" if row["a_id"] == scope.person_id else "a"
    row[f"{other}_gains"] = None
    row[f"{other}_message"] = None
    row["intro_message"] = None
    row["score"] = None


def _their_steps(table: Table, scope: Scope) -> ColumnElement[bool]:
    return and_(
        table.c.introduction_id.in_(scope.introduction_ids()),
        or_(table.c.person_id.is_(None), table.c.person_id == scope.person_id),
    )


def _step_note(row: Record, scope: Scope) -> None:
    """A step's note stays when it is their own answer's, or the outcome (which their
    exchange holds too); a withdrawal's or an edit's note may speak of the other side."""
    if row["person_id"] != scope.person_id and row["step"] != "outcome":
        row["note"] = None


def _their_shares(table: Table, scope: Scope) -> ColumnElement[bool]:
    return or_(
        table.c.person_id == scope.person_id,
        table.c.exchange_id.in_(scope.exchange_ids()),
    )


def _their_meetings(table: Table, scope: Scope) -> ColumnElement[bool]:
    touches = select(TouchRow.id).where(
        TouchRow.person_id == scope.person_id, TouchRow.owner_id == scope.owner_id
    )
    return or_(table.c.exchange_id.in_(scope.exchange_ids()), table.c.touch_id.in_(touches))


def _their_imports(table: Table, scope: Scope) -> ColumnElement[bool]:
    return table.c.id.in_(
        select(ImportChangeRow.import_id).where(ImportChangeRow.person_id == scope.person_id)
    )


def _merge_note(row: Record, scope: Scope) -> None:
    """A merge's record holds the note it put on the person, before and after."""
    if scope.with_private_notes or not row["details"]:
        return
    details = json.loads(row["details"])
    found = False
    for side in ("before", "after"):
        if isinstance(details.get(side), dict) and "private_note" in details[side]:
            del details[side]["private_note"]
            found = True
    if found:
        row["details"] = json.dumps(details, ensure_ascii=False, sort_keys=True)


RULES: dict[str, Rule] = {
    "touches": Rule(_between_us, private=("private_note",)),
    "capacities": Rule(_nobody),  # your giving budget: about you, not them
    "checkins": Rule(_between_us, private=("private_note",)),
    "requests": Rule(_between_us),
    "needs": Rule(_theirs),
    "offers": Rule(_theirs),
    "commitments": Rule(_between_us),
    "addresses": Rule(_theirs),
    "important_dates": Rule(_theirs),
    "urls": Rule(_theirs),
    "photos": Rule(_theirs),
    "imported_events": Rule(_their_meetings),
    "person_states": Rule(_theirs),
    "introductions": Rule(
        lambda table, scope: table.c.id.in_(scope.introduction_ids()), redact=_their_side
    ),
    "introduction_steps": Rule(_their_steps, redact=_step_note),
    "shares": Rule(_their_shares),  # an introduction's share is the other side's too
    "imports": Rule(_their_imports),
    "import_changes": Rule(_theirs, redact=_merge_note),
}
"""One rule per section of the backup (``tests/test_person_export.py`` checks that none is
missing); people, relationships and exchanges are read by :class:`PersonExportService`."""


@dataclass(frozen=True, slots=True)
class PersonExport:
    """What was written: whose record, with or without private notes, and how many rows."""

    name: str
    with_private_notes: bool
    counts: BackupCounts
    named: int
    """Other people in the file by name only (the other sides of introductions)."""

    def describe(self) -> str:
        """``1 relationships, 2 exchanges and 1 touches``: their rows (people apart)."""
        counts = self.counts
        parts = [
            f"{n} {name.replace('_', ' ')}"
            for name, n in (
                ("relationships", counts.relationships),
                ("exchanges", counts.exchanges),
                *counts.others,
            )
            if n
        ]
        if not parts:
            return "no rows beyond their details"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class PersonExportService(WithPeople):
    def record(
        self, person: PersonRef, *, with_private_notes: bool = False
    ) -> tuple[PersonExport, dict[str, list[Record]]]:
        """The person's record as backup data (the sections of :data:`.backup.SECTIONS`),
        read in one transaction, and what it holds."""
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
        if owner_id == -1:  # people added before the owner was: a restore needs one
            self._people.owner()
        with self._db.read() as session:
            found = self._people.record(session, person)
            scope = Scope(found.id, self._people.owner_id(session), with_private_notes)
            data = _read(session, scope)
        others = len(data["people"]) - 2
        return PersonExport(found.name, with_private_notes, BackupCounts.of(data), others), data

    def text(
        self, person: PersonRef, *, with_private_notes: bool = False
    ) -> tuple[PersonExport, str]:
        """The file's text, as the web page's download serves it."""
        summary, data = self.record(person, with_private_notes=with_private_notes)
        return summary, "".join(backup_text(data))

    def export(
        self, person: PersonRef, path: Path, *, with_private_notes: bool = False
    ) -> PersonExport:
        """Write the person's record to ``path`` atomically (a private file: 0600)."""
        summary, data = self.record(person, with_private_notes=with_private_notes)
        with atomic_text_file(path) as handle:
            for chunk in backup_text(data):
                handle.write(chunk)
        return summary


def backup_text(data: dict[str, list[Record]]) -> Iterator[str]:
    """Backup data as the text of a backup file, laid out as ``mutuality export FILE.json``
    writes it (a test holds the two to the same bytes)."""
    yield "{\n"
    yield f' "checksum": {json.dumps(checksum(data))},\n'
    yield ' "data": {\n'
    for index, section in enumerate(SECTIONS):
        records = data[section]
        yield f'  "{section}": ['
        for position, record in enumerate(records):
            yield "\n   " if position == 0 else ",\n   "
            yield canonical_json(record)
        yield "\n  ]" if records else "]"
        yield ",\n" if index < len(SECTIONS) - 1 else "\n"
    yield " },\n"
    yield f' "format": "{FORMAT_NAME}",\n'
    yield f' "version": {FORMAT_VERSION}\n'
    yield "}\n"


# --- reading ---------------------------------------------------------------------------------


def _read(session: Session, scope: Scope) -> dict[str, list[Record]]:
    notes = scope.with_private_notes
    exchanges = _exchanges(session, scope)
    tables: dict[str, list[Record]] = {}
    for section in TABLE_SECTIONS:
        rule = RULES.get(section.name)
        if rule is None:
            tables[section.name] = []
            continue
        table = section.table
        rows = session.execute(
            select(table).where(rule.where(table, scope)).order_by(*table.primary_key.columns)
        )
        records = []
        for row in rows:
            record = {key: _plain(value) for key, value in row._mapping.items()}
            for column in rule.private if not notes else ():
                record[column] = None
            if rule.redact is not None:
                rule.redact(record, scope)
            records.append(record)
        tables[section.name] = records
    named = sorted(
        {
            person
            for intro in tables["introductions"]
            for person in (intro["a_id"], intro["b_id"])
            if person != scope.person_id
        }
    )
    people = _people(session, scope, named)
    _keep_references(tables, {p["id"] for p in people}, {x["id"] for x in exchanges})
    return {
        "people": people,
        "relationships": _relationship(session, scope),
        "exchanges": exchanges,
        **tables,
    }


def _keep_references(
    tables: dict[str, list[Record]], people: set[int], exchanges: set[int]
) -> None:
    """Every reference points at a row in the file, as a restore requires: a link to a row
    of someone else's (the other side's need in an introduction, the exchange with them) is
    emptied, and a row that cannot be without one is left out. In section order, so each
    table's rows are known before the tables that refer to them."""
    ids: dict[str, set[Any]] = {"people": people, "exchanges": exchanges}
    for section in TABLE_SECTIONS:
        kept = []
        for row in tables[section.name]:
            for foreign in section.table.foreign_keys:
                value = row[foreign.parent.name]
                if value is None or value in ids.get(foreign.column.table.name, set()):
                    continue
                if not foreign.parent.nullable:
                    break
                row[foreign.parent.name] = None
            else:
                kept.append(row)
        tables[section.name] = kept
        keys = [column.name for column in section.table.primary_key.columns]
        if len(keys) == 1:
            ids[section.table.name] = {row[keys[0]] for row in kept}


def _plain(value: Any) -> Any:
    """A column's value as the backup writes it (dates as ISO text, bytes as base64)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _people(session: Session, scope: Scope, named: list[int]) -> list[Record]:
    """The owner and the other sides of introductions by name only; the person in full."""
    wanted = [scope.owner_id, scope.person_id, *named]
    people = []
    for row in session.scalars(
        select(PersonRow).where(PersonRow.id.in_(wanted)).order_by(PersonRow.id)
    ):
        whole = row.id == scope.person_id
        people.append(
            person_entry(
                row,
                [e.email for e in row.emails],
                [p.phone for p in row.phones],
                [t.tag for t in row.tags],
                details=whole,
                private=scope.with_private_notes,
            )
        )
    return people


def _relationship(session: Session, scope: Scope) -> list[Record]:
    rows = session.scalars(
        select(RelationshipRow).where(
            RelationshipRow.owner_id == scope.owner_id,
            RelationshipRow.person_id == scope.person_id,
        )
    )
    return [relationship_entry(row, private=scope.with_private_notes) for row in rows]


def _exchanges(session: Session, scope: Scope) -> list[Record]:
    rows = session.scalars(select(ExchangeRow).where(scope.exchanges()).order_by(ExchangeRow.id))
    return [
        exchange_entry(row, [t.tag for t in row.tags], private=scope.with_private_notes)
        for row in rows
    ]
