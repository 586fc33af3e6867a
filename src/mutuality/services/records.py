"""Mapping store rows onto the core's frozen records for people, exchanges and
relationships, which nearly every service reads (from ORM rows, or from plain rows where
thousands are read at once).

A record of one service's own table is mapped beside that service: check-ins in
``checkins.py``, commitments in ``commitments.py``, needs, offers and states in
``needs.py``, introductions in ``intro_messages.py``, important dates in ``occasions.py``,
requests in ``requests.py`` and accounts in ``accounts.py``. No ORM row leaves the services.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Executable,
    Row,
    bindparam,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from mutuality.core.model import (
    Estimator,
    Exchange,
    ExchangeKind,
    Initiative,
    Intent,
    Person,
    Relationship,
    RelationshipContext,
)
from mutuality.store.database import Database
from mutuality.store.prepared import run
from mutuality.store.tables import (
    EmailRow,
    ExchangeTagRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    RelationshipRow,
)


def person_record(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        name=row.name,
        emails=tuple(e.email for e in row.emails),
        phones=tuple(p.phone for p in row.phones),
        tags=tuple(t.tag for t in row.tags),
        organisation=row.organisation,
        title=row.title,
        private_note=row.private_note,
        is_owner=row.is_owner,
        created_at=row.created_at,
    )


_PERSON_COLUMNS = (
    PersonRow.id,
    PersonRow.name,
    PersonRow.organisation,
    PersonRow.title,
    PersonRow.private_note,
    PersonRow.is_owner,
    PersonRow.created_at,
)
"""What a person's record holds besides their lists, for the plain-row readers."""
_ONE_PERSON = select(*_PERSON_COLUMNS).where(PersonRow.id == bindparam("person"))
_EMAIL, _PHONE, _TAG = 0, 1, 2
_ONE_PERSONS_LISTS: CompoundSelect[int, str, int] = union_all(
    select(literal_column(str(_EMAIL)), EmailRow.email, EmailRow.position).where(
        EmailRow.person_id == bindparam("person")
    ),
    select(literal_column(str(_PHONE)), PhoneRow.phone, PhoneRow.position).where(
        PhoneRow.person_id == bindparam("person")
    ),
    select(literal_column(str(_TAG)), PersonTagRow.tag, literal_column("0")).where(
        PersonTagRow.person_id == bindparam("person")
    ),
)


def one_person(session: Session, person_id: int) -> Person | None:
    """One person's record (the owner's too) from two statements built once: the row, then
    the emails, phones and tags in one round trip. A page or an incremental figure reads
    it on every call."""
    row = run(session, _ONE_PERSON, person=person_id).first()
    if row is None:
        return None
    lists: tuple[list[str], list[str], list[str]] = ([], [], [])
    # emails and phones in their order, tags by name
    for which, value, _ in sorted(
        run(session, _ONE_PERSONS_LISTS, person=person_id), key=lambda r: (r[0], r[2], r[1])
    ):
        lists[which].append(value)
    return _plain_person(row, lists[_EMAIL], lists[_PHONE], lists[_TAG])


def _plain_person(row: Any, emails: list[str], phones: list[str], tags: list[str]) -> Person:
    """A record from a row of :data:`_PERSON_COLUMNS` and the person's lists."""
    return Person(
        id=row.id,
        name=row.name,
        emails=tuple(emails),
        phones=tuple(phones),
        tags=tuple(tags),
        organisation=row.organisation,
        title=row.title,
        private_note=row.private_note,
        is_owner=row.is_owner,
        created_at=row.created_at,
    )


def person_records(session: Session, where: ColumnElement[bool]) -> dict[int, Person]:
    """The people matching ``where`` as records, by id, from four plain queries.

    The same records as :func:`person_record`, without an ORM object and three loaded
    collections per person: for thousands of people at once (10,000 in 0.3 s rather than
    about 2 s)."""
    people = select(PersonRow.id).where(where).scalar_subquery()
    emails = _by_person(
        session,
        select(EmailRow.person_id, EmailRow.email)
        .where(EmailRow.person_id.in_(people))
        .order_by(EmailRow.position),
    )
    phones = _by_person(
        session,
        select(PhoneRow.person_id, PhoneRow.phone)
        .where(PhoneRow.person_id.in_(people))
        .order_by(PhoneRow.position),
    )
    tags = _by_person(
        session,
        select(PersonTagRow.person_id, PersonTagRow.tag)
        .where(PersonTagRow.person_id.in_(people))
        .order_by(PersonTagRow.tag),
    )
    rows = session.execute(select(*_PERSON_COLUMNS).where(where))
    return {
        row.id: _plain_person(
            row, emails.get(row.id, []), phones.get(row.id, []), tags.get(row.id, [])
        )
        for row in rows
    }


def grouped(rows: Any) -> dict[int, list[Any]]:
    """``(id, value)`` rows grouped by the id, each group in the rows' order."""
    found: dict[int, list[Any]] = {}
    for key, value in rows:
        found.setdefault(key, []).append(value)
    return found


def everyone_else(db: Database, session: Session) -> dict[int, Person]:
    """Everyone but the owner, by id, as records: read once per change to the ledger and
    shared by every page and figure that names people (health, the agenda, recent activity)
    rather than each loading ORM rows and their lists again."""
    return db.cached(
        ("people.records",), lambda: person_records(session, PersonRow.is_owner.is_(False))
    )


def _by_person(session: Session, query: Any) -> dict[int, list[Any]]:
    return grouped(session.execute(query))


def exchange_record(row: Any, tags: tuple[str, ...] | None = None) -> Exchange:
    """An exchange from its ORM row (tags from the row) or a plain row and its ``tags``."""
    return Exchange(
        id=row.id,
        giver_id=row.giver_id,
        receiver_id=row.receiver_id,
        kind=ExchangeKind(row.kind),
        description=row.description,
        on=row.occurred_on,
        benefit=row.benefit,
        cost=row.cost,
        estimated_by=Estimator(row.estimated_by),
        tags=tuple(t.tag for t in row.tags) if tags is None else tags,
        outcome=row.outcome,
        private_note=row.private_note,
        created_at=row.created_at,
        initiated_by=Initiative(row.initiated_by) if row.initiated_by else None,
        hours=row.hours,
    )


def exchange_records(session: Session, statement: Executable, **params: Any) -> list[Exchange]:
    """The exchanges a statement built once selects (every column of ``exchanges``), as
    records with their tags: two plain reads, for a few exchanges on a page read often."""
    rows = run(session, statement, **params).all()
    if not rows:
        return []
    tags = grouped(run(session, _TAGS_OF, ids=[row.id for row in rows]))
    return [exchange_record(row, tuple(tags.get(row.id, ()))) for row in rows]


_TAGS_OF = (
    select(ExchangeTagRow.exchange_id, ExchangeTagRow.tag)
    .where(ExchangeTagRow.exchange_id.in_(bindparam("ids", expanding=True)))
    .order_by(ExchangeTagRow.tag)
)


def relationship_record(row: RelationshipRow | Row[Any]) -> Relationship:
    return Relationship(
        person_id=row.person_id,
        context=RelationshipContext(row.context),
        started_on=row.started_on,
        cadence_days=row.cadence_days,
        intent=Intent(row.intent) if row.intent else None,
        intent_until=row.intent_until,
        intent_reason=row.intent_reason,
    )
