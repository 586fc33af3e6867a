"""Writing a planned import: new people and what merges added, in batches, inside the
caller's transaction (so the whole import stays one all-or-nothing unit of work)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from mutuality.core.contacts import Birthday, ContactDate, PostalAddress, WebLink
from mutuality.core.names import name_key
from mutuality.core.occasions import NO_YEAR
from mutuality.services.importing.merging import PersonState
from mutuality.store.tables import (
    AddressRow,
    EmailRow,
    ImportantDateRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    PhotoRow,
    RelationshipRow,
    TouchRow,
    UrlRow,
)

BATCH = 5_000


def write_new_people(
    session: Session,
    states: list[PersonState],
    owner_id: int,
    today: date,
    created: datetime,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert ``states`` (people this import adds) with their details, ``BATCH`` at a time;
    photos are dropped from memory once written."""
    connection = session.connection()
    for start in range(0, len(states), BATCH):
        chunk = states[start : start + BATCH]
        ids = list(
            connection.execute(
                insert(PersonRow).returning(PersonRow.id, sort_by_parameter_order=True),
                [_person(state, created) for state in chunk],
            ).scalars()
        )
        for state, pid in zip(chunk, ids, strict=True):
            state.id = pid
        insert_rows(
            connection,
            RelationshipRow,
            [
                {
                    "owner_id": owner_id,
                    "person_id": s.id,
                    "context": "other",
                    "started_on": min(s.since or today, today),
                    "cadence_days": None,
                }
                for s in chunk
            ],
        )
        _children(connection, [(s, "emails", s.emails, 0) for s in chunk])
        _children(connection, [(s, "phones", s.phones, 0) for s in chunk])
        _children(connection, [(s, "tags", sorted(s.tags), 0) for s in chunk])
        _children(connection, [(s, "addresses", s.addresses, 0) for s in chunk])
        _children(connection, [(s, "urls", s.urls, 0) for s in chunk])
        _dates(connection, [(s, s.dates) for s in chunk], created)
        _photos(connection, chunk)
        if progress:
            progress(len(chunk))


@dataclass(frozen=True, slots=True)
class MergeWritten:
    """What a merge wrote on one person who already existed: enough to undo it."""

    person_id: int
    before: dict[str, Any]
    """Each scalar field the merge set (``organisation``, ``title``, ``private_note``,
    ``uid``, ``birthday`` as ``1990-04-15`` or ``--04-15``): its value before."""
    after: dict[str, Any]
    """The same fields as the merge left them."""
    rows: dict[str, list[int]]
    """Ids of the rows added, per table (``person_emails``, ``person_phones`` ...)."""
    tags: list[str]
    photo: bool
    """A photo was added (the person had none)."""

    def details(self) -> dict[str, Any]:
        """JSON-ready, for the import's record."""
        return {
            "before": self.before,
            "after": self.after,
            "rows": self.rows,
            "tags": self.tags,
            "photo": self.photo,
        }


_SCALARS = (
    ("organisation", "organisation"),
    ("title", "title"),
    ("note", "private_note"),
    ("uid", "uid"),
)
_TABLES = {
    "emails": EmailRow,
    "phones": PhoneRow,
    "addresses": AddressRow,
    "urls": UrlRow,
}


def write_merges(
    session: Session, states: list[PersonState], created: datetime
) -> list[MergeWritten]:
    """Apply what merges changed on people who already existed, stamping the rows added
    with ``created``; returns what was written on each (the ids of the rows added, the
    fields before and after), for the record."""
    connection = session.connection()
    written: list[MergeWritten] = []
    for state in states:
        assert state.id is not None
        scalars: dict[str, Any] = {}
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, column in _SCALARS:
            if name in state.changed:
                scalars[column] = getattr(state, name)
                before[column] = state.before.get(name)
                after[column] = scalars[column]
        if "birthday" in state.changed and state.birthday:
            scalars.update(
                birthday_year=state.birthday.year,
                birthday_month=state.birthday.month,
                birthday_day=state.birthday.day,
            )
            old = state.before.get("birthday")
            before["birthday"] = old.iso() if isinstance(old, Birthday) else None
            after["birthday"] = state.birthday.iso()
        if scalars:
            connection.execute(update(PersonRow).where(PersonRow.id == state.id), scalars)
        rows: dict[str, list[int]] = {}
        for kind, table in _TABLES.items():
            added = state.new.get(kind, [])
            if added:
                everything: list[Any] = getattr(state, kind)
                first = len(everything) - len(added)
                values = [_child(kind, state.id, item, first + n) for n, item in enumerate(added)]
                rows[table.__tablename__] = _insert_returning(connection, table, values)
        tags = [str(tag) for tag in state.new.get("tags", [])]
        insert_rows(connection, PersonTagRow, [_child("tags", state.id, t, 0) for t in tags])
        dates = _date_rows([(state, state.new.get("dates", []))], created)
        if dates:
            rows[ImportantDateRow.__tablename__] = _insert_returning(
                connection, ImportantDateRow, dates
            )
        photo = "photo" in state.changed
        if photo:
            _photos(connection, [state])
        written.append(MergeWritten(state.id, before, after, rows, tags, photo))
        state.changed.clear()
        state.new.clear()
        state.before.clear()
    return written


def _insert_returning(connection: Any, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    return list(
        connection.execute(
            insert(table).returning(table.id, sort_by_parameter_order=True), rows
        ).scalars()
    )


def _person(state: PersonState, created: datetime) -> dict[str, Any]:
    birthday = state.birthday
    return {
        "name": state.name,
        "name_key": name_key(state.name),
        "organisation": state.organisation,
        "title": state.title,
        "private_note": state.note,
        "is_owner": False,
        "created_at": created,
        "uid": state.uid,
        "birthday_year": birthday.year if birthday else None,
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
    }


def _children(connection: Any, groups: list[tuple[PersonState, str, list[Any], int]]) -> None:
    rows: list[dict[str, Any]] = []
    kind = groups[0][1] if groups else ""
    for state, _kind, items, first in groups:
        for offset, item in enumerate(items):
            rows.append(_child(kind, state.id, item, first + offset))
    table = {
        "emails": EmailRow,
        "phones": PhoneRow,
        "tags": PersonTagRow,
        "addresses": AddressRow,
        "urls": UrlRow,
    }.get(kind)
    if table is not None:
        insert_rows(connection, table, rows)


def _child(kind: str, pid: int | None, item: Any, position: int) -> dict[str, Any]:
    if kind == "emails":
        return {"person_id": pid, "email": item, "position": position}
    if kind == "phones":
        return {"person_id": pid, "phone": item, "position": position}
    if kind == "tags":
        return {"person_id": pid, "tag": item}
    if kind == "addresses":
        address: PostalAddress = item
        return {
            "person_id": pid,
            "label": address.label,
            "street": address.street,
            "locality": address.locality,
            "region": address.region,
            "postcode": address.postcode,
            "country": address.country,
            "position": position,
        }
    link: WebLink = item
    return {"person_id": pid, "url": link.url, "label": link.label, "position": position}


def _dates(connection: Any, groups: list[tuple[PersonState, list[Any]]], created: datetime) -> None:
    """Anniversaries and other dates from contact files, as yearly important dates."""
    insert_rows(connection, ImportantDateRow, _date_rows(groups, created))


def _date_rows(
    groups: list[tuple[PersonState, list[Any]]], created: datetime
) -> list[dict[str, Any]]:
    rows = []
    for state, dates in groups:
        for kept in dates:
            assert isinstance(kept, ContactDate)
            day = kept.day  # a real day in its year; NO_YEAR is a leap year, for 29 February
            rows.append(
                {
                    "person_id": state.id,
                    "text": kept.text,
                    "occurs_on": date(day.year or NO_YEAR, day.month, day.day),
                    "yearly": True,
                    "year_known": day.year is not None,
                    "created_at": created,
                }
            )
    return rows


def _photos(connection: Any, states: list[PersonState]) -> None:
    rows = [
        {"person_id": s.id, "media_type": s.photo.media_type, "data": s.photo.data}
        for s in states
        if s.photo is not None
    ]
    insert_rows(connection, PhotoRow, rows)
    for state in states:
        state.photo = None  # written: keep memory flat


def write_touches(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert touches and return their ids in the same order."""
    if not rows:
        return []
    return list(
        session.connection()
        .execute(insert(TouchRow).returning(TouchRow.id, sort_by_parameter_order=True), rows)
        .scalars()
    )


def insert_rows(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        if chunk:
            connection.execute(insert(table), chunk)
