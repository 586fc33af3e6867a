"""People: adding, editing, finding, listing and forgetting the persons in the network."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, bindparam, delete, func, insert, or_, select
from sqlalchemy.orm import Session, joinedload

from mutuality.core import fields
from mutuality.core.contacts import Birthday
from mutuality.core.dates import parse_due_date
from mutuality.core.errors import Ambiguous, Conflict, InvalidInput, NotFound
from mutuality.core.intent import INTENT_SYNONYMS
from mutuality.core.model import Intent, Person, Relationship, RelationshipContext
from mutuality.core.names import NameMatch, clean_name, initials, match_name, name_key
from mutuality.core.occasions import ImportantDate, parse_birthday
from mutuality.services.checkins.occasions import birthday_of, dates_of
from mutuality.services.context import Service
from mutuality.services.records import (
    one_person,
    person_record,
    person_records,
    relationship_record,
)
from mutuality.store.prepared import run
from mutuality.store.tables import (
    EmailRow,
    ExchangeRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    RelationshipRow,
    TouchRow,
)

PersonRef = str | int
"""How callers name a person: a forgiving name or an exact email (str), or an id (int)."""


@dataclass(frozen=True, slots=True)
class PersonChanges:
    """What ``person edit`` may change; ``None`` leaves a field as it is."""

    name: str | None = None
    organisation: str | None = None
    title: str | None = None
    private_note: str | None = None
    context: str | None = None
    cadence_days: int | None = None
    intent: str | None = None
    """An intent (``care``, ``mentoring``...) or ``auto`` to go back to the one worked out."""
    intent_until: str | date | None = None
    intent_reason: str | None = None
    birthday: str | None = None
    """``1980-04-15``, or ``04-15`` when the year is not known; ``''`` clears it."""
    add_emails: tuple[str, ...] = ()
    remove_emails: tuple[str, ...] = ()
    add_phones: tuple[str, ...] = ()
    remove_phones: tuple[str, ...] = ()
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """A person with their relationship to the owner and how much the ledger holds about them."""

    person: Person
    relationship: Relationship | None
    exchange_count: int
    birthday: Birthday | None = None
    dates: tuple[ImportantDate, ...] = ()
    """Their important dates (anniversaries and the like), in the order they were kept."""


Verdict = Literal["empty", "one", "several", "none", "you"]
"""What a typed name would do if the form were saved: nothing typed, name one person,
need a choice among several, name no one yet, or mean the owner."""


@dataclass(frozen=True, slots=True)
class PersonSuggestion:
    """One person a typed name may mean, as the picker shows them."""

    id: int
    name: str
    organisation: str | None
    initials: str


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What a typed name matches, by the rule a saved form follows
    (:meth:`PeopleService.suggest`)."""

    text: str
    verdict: Verdict
    people: tuple[PersonSuggestion, ...]
    """The first of the people matched (all of them when few)."""
    total: int
    """How many people it matches in all."""


@dataclass(frozen=True, slots=True)
class ForgetReport:
    name: str
    exchanges: int


def check_cadence(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= 3650:
        raise InvalidInput(
            f"cadence must be 1 to 3650 days, got {days}", field="cadence", value=days
        )
    return days


_WITH_LISTS = (
    joinedload(PersonRow.emails),
    joinedload(PersonRow.phones),
    joinedload(PersonRow.tags),
)


_IS_SOMEONE = select(PersonRow.id).where(
    PersonRow.id == bindparam("person"), PersonRow.is_owner.is_(False)
)
_BY_NAME_KEY = select(PersonRow.id).where(
    PersonRow.name_key == bindparam("key"), PersonRow.is_owner.is_(False)
)
_EXCHANGE_COUNT = (
    select(func.count())
    .select_from(ExchangeRow)
    .where(
        or_(
            ExchangeRow.giver_id == bindparam("person"),
            ExchangeRow.receiver_id == bindparam("person"),
        )
    )
)
_DETAILS = select(
    _EXCHANGE_COUNT.scalar_subquery().label("exchange_count"),
    *(
        select(column)
        .where(RelationshipRow.person_id == bindparam("person"))
        .scalar_subquery()
        .label(column.key)
        for column in (
            RelationshipRow.person_id,
            RelationshipRow.context,
            RelationshipRow.started_on,
            RelationshipRow.cadence_days,
            RelationshipRow.intent,
            RelationshipRow.intent_until,
            RelationshipRow.intent_reason,
        )
    ),
    *(
        select(column)
        .where(PersonRow.id == bindparam("person"))
        .scalar_subquery()
        .label(column.key)
        for column in (PersonRow.birthday_year, PersonRow.birthday_month, PersonRow.birthday_day)
    ),
)
"""How many exchanges a person took part in, and their relationship's row (all null
without one), and their birthday, in one read: a person's page asks on every load."""
_OWNER = select(PersonRow.id).where(PersonRow.is_owner).limit(1)
_NAMES = select(PersonRow.id, PersonRow.name, PersonRow.name_key).where(
    PersonRow.is_owner.is_(False)
)


class PeopleService(Service):
    """Every rule about persons lives here; the CLI and web only call it."""

    # --- finding -----------------------------------------------------------------------------

    def owner_row(self, session: Session) -> PersonRow:
        """The owner's person, created on first use with the configured name."""
        row = session.scalars(select(PersonRow).where(PersonRow.is_owner)).first()
        if row is None:
            name = fields.person_name(self._settings.owner_name)
            row = PersonRow(
                name=name, name_key=name_key(name), is_owner=True, created_at=self._now()
            )
            session.add(row)
            session.flush()
        return row

    def owner_key(self, session: Session) -> int:
        """The owner's id inside a write, created on first use: one plain statement rather
        than the owner's row and its lists, for writes that only need the id (logging)."""
        found = run(session, _OWNER).scalar()
        return self.owner_row(session).id if found is None else int(found)

    def owner_id(self, session: Session) -> int:
        """The owner's id for read-only work, without creating the owner (-1 when absent).

        Nearly every read asks for it, some several times; it is kept until the next write
        (creating the owner is a write)."""

        def look_up() -> int:
            found = run(session, _OWNER).scalar()
            return -1 if found is None else found

        return self._db.cached(("people.owner_id",), look_up)

    def person_id(self, session: Session, query: PersonRef) -> int:
        """:meth:`resolve`'s answer as an id, without loading the person when the name is
        exact or the id is known: the reads made after every write, or on every page."""
        if isinstance(query, int):
            if run(session, _IS_SOMEONE, person=query).first() is None:
                raise NotFound(f"no person with id {query}", field="id", value=query)
            return query
        if "@" not in query:
            exact = run(session, _BY_NAME_KEY, key=name_key(query.strip())).all()
            if len(exact) == 1:
                return int(exact[0][0])
        return self.resolve(session, query).id

    def record(self, session: Session, query: PersonRef) -> Person:
        """:meth:`resolve`'s person as a plain record, read by statements built once."""
        if isinstance(query, int):  # read at once: the record says whether it is the owner
            found = one_person(session, query)
            if found is None or found.is_owner:
                raise NotFound(f"no person with id {query}", field="id", value=query)
            return found
        found = one_person(session, self.person_id(session, query))
        assert found is not None  # the id was just found, in the same transaction
        return found

    def resolve(self, session: Session, query: PersonRef) -> PersonRow:
        """Find one person (never the owner) by a forgiving name, an exact email, or an id
        (an ``int``, as the web app and the API address people)."""
        if isinstance(query, int):
            # One statement with the three lists joined, rather than four (the row, then
            # emails, phones and tags loaded one after another).
            row = session.get(PersonRow, query, options=_WITH_LISTS)
            if row is None or row.is_owner:
                raise NotFound(f"no person with id {query}", field="id", value=query)
            return row
        text = query.strip()
        if not text:
            raise InvalidInput("a person's name is needed", field="name", value=query)
        found, names = self._find(session, text)
        if len(found.ids) == 1:
            return session.get_one(PersonRow, found.ids[0])
        if not found.ids:
            raise NotFound(f"no person matches {query!r}", field="name", value=query)
        candidates = sorted(names[pid] for pid in found.ids)
        shown = ", ".join(candidates[:8]) + (
            f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        )
        raise Ambiguous(
            f"{query!r} matches {len(candidates)} people: {shown}; say which with more of the name",
            candidates=candidates,
            field="name",
            value=query,
        )

    def _names(self, session: Session) -> tuple[dict[int, str], dict[int, str]]:
        """Everyone's name and its key by id (the owner left out), kept until the next
        write: the person picker asks on every key pressed, of thousands of people."""

        def read() -> tuple[dict[int, str], dict[int, str]]:
            names: dict[int, str] = {}
            keys: dict[int, str] = {}
            for pid, name, key in session.execute(_NAMES):
                names[pid], keys[pid] = name, key
            return names, keys

        return self._db.cached(("people.names",), read)

    def _find(self, session: Session, text: str) -> tuple[NameMatch, dict[int, str]]:
        """Whom a typed text names, and the names it was matched against (none when an
        exact email or name settled it): the one rule behind :meth:`resolve` and
        :meth:`suggest`, so that what the picker promises is what a saved form gets."""
        if "@" in text:
            by_email = session.scalars(
                select(PersonRow.id)
                .join(EmailRow)
                .where(EmailRow.email == text.lower(), PersonRow.is_owner.is_(False))
            ).first()
            if by_email is not None:
                return NameMatch((by_email,), "email"), {}
        exact = run(session, _BY_NAME_KEY, key=name_key(text)).scalars().all()
        if len(exact) == 1:
            return NameMatch((exact[0],), "exact"), {}
        names, keys = self._names(session)
        return match_name(text, names, keys=keys), names

    def suggest(
        self, text: str, *, owner_words: frozenset[str] = frozenset(), limit: int = 8
    ) -> Suggestions:
        """Whom ``text`` would name if a form were saved now, with up to ``limit`` of the
        people it matches (initials, name and organisation only: never a private note).

        ``owner_words`` are the words that mean the owner where a form takes them (the
        board's "me")."""
        text = clean_name(text[: fields.MAX_INPUT])  # as a new person's name would be kept
        if not text:
            return Suggestions(text, "empty", (), 0)
        if text.lower() in owner_words:
            return Suggestions(text, "you", (), 1)
        with self._db.read() as session:
            found, _ = self._find(session, text)
            ids = list(found.ids)
            if found.how == "prefix":  # names that start with the text first, then by name
                key, keys = name_key(text), self._names(session)[1]
                ids.sort(key=lambda pid: (not keys[pid].startswith(key), keys[pid], pid))
            shown = ids[:limit]
            rows = {
                row.id: row
                for row in session.execute(
                    select(PersonRow.id, PersonRow.name, PersonRow.organisation).where(
                        PersonRow.id.in_(shown)
                    )
                )
            }
        people = tuple(
            PersonSuggestion(pid, rows[pid].name, rows[pid].organisation, initials(rows[pid].name))
            for pid in shown
            if pid in rows
        )
        verdict: Verdict = "none" if not ids else "one" if len(ids) == 1 else "several"
        return Suggestions(text, verdict, people, len(ids))

    def owner(self) -> Person:
        """The owner's own person record (created with the configured name on first use)."""
        with self._db.write() as session:
            return person_record(self.owner_row(session))

    def ledger_id(self) -> str:
        """A random identifier of this ledger, made once and kept in the owner's ``uid`` (a
        backup keeps it): what makes calendar UIDs unique across ledgers."""
        with self._db.write() as session:
            owner = self.owner_row(session)
            if not owner.uid:
                owner.uid = f"ledger-{uuid.uuid4()}"
            return owner.uid

    def count(self) -> int:
        """How many people the network holds, not counting the owner."""
        with self._db.read() as session:
            found = session.scalar(
                select(func.count()).select_from(PersonRow).where(PersonRow.is_owner.is_(False))
            )
            return found or 0

    def get(self, query: PersonRef) -> PersonDetails:
        with self._db.read() as session:
            return self.details(session, self.record(session, query))

    @staticmethod
    def details(session: Session, person: Person) -> PersonDetails:
        """The person with their relationship and how many exchanges they took part in."""
        row = run(session, _DETAILS, person=person.id).one()
        return PersonDetails(
            person=person,
            relationship=relationship_record(row) if row.person_id is not None else None,
            exchange_count=row.exchange_count,
            birthday=birthday_of(row),
            dates=tuple(dates_of(session, person.id)),
        )

    def _details(self, session: Session, row: PersonRow) -> PersonDetails:
        return self.details(session, person_record(row))

    def list(self, tag: str | None = None, search: str | None = None) -> list[Person]:
        """Everyone but the owner, by name; narrowed by a tag and a search text."""
        query = self._matching(select(PersonRow), tag, search)
        with self._db.read() as session:
            rows = session.scalars(query.order_by(PersonRow.name_key, PersonRow.id)).all()
            return [person_record(row) for row in rows]

    def matching_ids(self, tag: str | None = None, search: str | None = None) -> builtins.list[int]:
        """The ids :meth:`list` would return, in the same order, without loading anyone: a
        page of a large network then loads only what it shows (:meth:`by_ids`)."""
        query = self._matching(select(PersonRow.id), tag, search)
        with self._db.read() as session:
            return list(session.scalars(query.order_by(PersonRow.name_key, PersonRow.id)))

    def by_ids(self, ids: builtins.list[int]) -> builtins.list[Person]:
        """These people, in the order given (unknown ids and the owner are left out)."""
        if not ids:
            return []
        with self._db.read() as session:  # plain rows, not ORM objects: a page is read often
            found = person_records(session, PersonRow.id.in_(ids) & PersonRow.is_owner.is_(False))
        return [found[i] for i in ids if i in found]

    @staticmethod
    def _matching(query: Select[Any], tag: str | None, search: str | None) -> Select[Any]:
        query = query.where(PersonRow.is_owner.is_(False))
        if tag:
            query = query.where(
                PersonRow.id.in_(
                    select(PersonTagRow.person_id).where(PersonTagRow.tag == fields.tag(tag))
                )
            )
        if search and search.strip():
            like = f"%{_escape_like(name_key(search))}%"
            plain = f"%{_escape_like(search.strip().lower())}%"
            query = query.where(
                or_(
                    PersonRow.name_key.like(like, escape="\\"),
                    func.lower(PersonRow.organisation).like(plain, escape="\\"),
                    func.lower(PersonRow.title).like(plain, escape="\\"),
                    PersonRow.id.in_(
                        select(EmailRow.person_id).where(EmailRow.email.like(plain, escape="\\"))
                    ),
                    PersonRow.id.in_(
                        select(PhoneRow.person_id).where(PhoneRow.phone.like(plain, escape="\\"))
                    ),
                    PersonRow.id.in_(
                        select(PersonTagRow.person_id).where(
                            PersonTagRow.tag.like(plain, escape="\\")
                        )
                    ),
                )
            )
        return query

    # --- changing ----------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        emails: tuple[str, ...] = (),
        phones: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        organisation: str | None = None,
        title: str | None = None,
        private_note: str | None = None,
        context: str = "other",
        started_on: date | None = None,
        cadence_days: int | None = None,
        intent: str | None = None,
        intent_until: str | date | None = None,
        intent_reason: str | None = None,
        birthday: str | None = None,
    ) -> Person:
        clean = fields.person_name(name)
        chosen = _chosen_intent(intent, intent_until, intent_reason, self._today())
        born = parse_birthday(birthday, self._today()) if birthday is not None else None
        clean_emails = list(dict.fromkeys(fields.email(e) for e in emails))
        clean_phones = list(dict.fromkeys(fields.phone(p) for p in phones))
        clean_tags = fields.tags(tags)
        relationship_context = fields.choice(RelationshipContext, context, "context")
        check_cadence(cadence_days)
        with self._db.write() as session:
            owner = self.owner_row(session)
            self._check_name_free(session, clean)
            self._check_emails_free(session, clean_emails)
            row = PersonRow(
                name=clean,
                name_key=name_key(clean),
                organisation=fields.optional_line(organisation, "organisation"),
                title=fields.optional_line(title, "title"),
                private_note=fields.optional_text(private_note, "note"),
                is_owner=False,
                created_at=self._now(),
                **_birthday_columns(born),
                emails=[EmailRow(email=e, position=i) for i, e in enumerate(clean_emails)],
                phones=[PhoneRow(phone=p, position=i) for i, p in enumerate(clean_phones)],
                tags=[PersonTagRow(tag=t) for t in clean_tags],
            )
            session.add(row)
            session.flush()
            session.add(
                RelationshipRow(
                    owner_id=owner.id,
                    person_id=row.id,
                    context=relationship_context.value,
                    started_on=started_on or self._today(),
                    cadence_days=cadence_days,
                    intent=chosen[0],
                    intent_until=chosen[1],
                    intent_reason=chosen[2],
                )
            )
            return person_record(row)

    def bulk_add(
        self,
        names: Iterable[str],
        context: str = "other",
        progress: Callable[[int], None] | None = None,
    ) -> builtins.list[int]:
        """Add many people by name in one transaction (all or nothing); returns their ids.

        The same name rules as :meth:`add` apply, including uniqueness, checked in bulk.
        """
        relationship_context = fields.choice(RelationshipContext, context, "context").value
        clean = [fields.person_name(name) for name in names]
        keys = [name_key(name) for name in clean]
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                raise Conflict(
                    f"{clean[index]!r} appears twice",
                    field="name",
                    value=clean[index],
                    location=f"person {index + 1}",
                )
            seen.add(key)
        created, today = self._now(), self._today()
        ids: list[int] = []
        with self._db.write() as session:
            owner = self.owner_row(session)
            existing = set(session.scalars(select(PersonRow.name_key)))
            clash = next((n for n, k in zip(clean, keys, strict=True) if k in existing), None)
            if clash is not None:
                self._check_name_free(session, clash)
            connection = session.connection()
            for start in range(0, len(clean), 20_000):
                chunk = [
                    {"name": n, "name_key": k, "is_owner": False, "created_at": created}
                    for n, k in zip(
                        clean[start : start + 20_000], keys[start : start + 20_000], strict=True
                    )
                ]
                new_ids = list(
                    connection.execute(
                        insert(PersonRow).returning(PersonRow.id, sort_by_parameter_order=True),
                        chunk,
                    ).scalars()
                )
                connection.execute(
                    insert(RelationshipRow),
                    [
                        {
                            "owner_id": owner.id,
                            "person_id": pid,
                            "context": relationship_context,
                            "started_on": today,
                        }
                        for pid in new_ids
                    ],
                )
                ids += new_ids
                if progress:
                    progress(len(chunk))
        return ids

    def edit(self, query: PersonRef, changes: PersonChanges) -> PersonDetails:
        with self._db.write() as session:
            row = self.resolve(session, query)
            if changes.name is not None:
                new_name = fields.person_name(changes.name)
                if name_key(new_name) != row.name_key:
                    self._check_name_free(session, new_name)
                row.name, row.name_key = new_name, name_key(new_name)
            if changes.organisation is not None:
                row.organisation = fields.optional_line(changes.organisation, "organisation")
            if changes.title is not None:
                row.title = fields.optional_line(changes.title, "title")
            if changes.private_note is not None:
                row.private_note = fields.optional_text(changes.private_note, "note")
            if changes.birthday is not None:
                for column, value in _birthday_columns(
                    parse_birthday(changes.birthday, self._today())
                ).items():
                    setattr(row, column, value)
            self._edit_emails(session, row, changes)
            self._edit_phones(row, changes)
            self._edit_tags(row, changes)
            intent_changes = (changes.intent, changes.intent_until, changes.intent_reason)
            if (
                changes.context is not None
                or changes.cadence_days is not None
                or any(value is not None for value in intent_changes)
            ):
                relationship = session.scalars(
                    select(RelationshipRow).where(RelationshipRow.person_id == row.id)
                ).one()
                if changes.context is not None:
                    relationship.context = fields.choice(
                        RelationshipContext, changes.context, "context"
                    ).value
                if changes.cadence_days is not None:
                    relationship.cadence_days = check_cadence(changes.cadence_days)
                if any(value is not None for value in intent_changes):
                    _edit_intent(relationship, changes, self._today())
            session.flush()
            return self._details(session, row)

    def forget(self, query: PersonRef) -> ForgetReport:
        """Delete a person and everything only about them, in one transaction."""
        with self._db.write() as session:
            row = self.resolve(session, query)
            name = row.name
            involving = or_(ExchangeRow.giver_id == row.id, ExchangeRow.receiver_id == row.id)
            count = session.scalar(select(func.count()).select_from(ExchangeRow).where(involving))
            session.execute(delete(ExchangeRow).where(involving))
            session.execute(
                delete(TouchRow).where(
                    or_(TouchRow.person_id == row.id, TouchRow.owner_id == row.id)
                )
            )
            session.execute(
                delete(RelationshipRow).where(
                    or_(RelationshipRow.person_id == row.id, RelationshipRow.owner_id == row.id)
                )
            )
            session.delete(row)
            return ForgetReport(name=name, exchanges=count or 0)

    # --- rules -------------------------------------------------------------------------------

    def _check_name_free(self, session: Session, name: str) -> None:
        existing = session.scalars(
            select(PersonRow).where(PersonRow.name_key == name_key(name))
        ).first()
        if existing is not None and existing.is_owner:
            raise Conflict(
                f"{existing.name!r} is your own name in this ledger; "
                "add a detail to tell them apart",
                field="name",
                value=name,
            )
        if existing is not None:
            raise Conflict(
                f"a person named {existing.name!r} already exists; add a detail to tell them "
                f"apart, for example '{name} (Lisbon)'",
                field="name",
                value=name,
            )

    def _check_emails_free(self, session: Session, emails: builtins.list[str]) -> None:
        if not emails:
            return
        taken = session.execute(
            select(EmailRow.email, PersonRow.name)
            .join(PersonRow, PersonRow.id == EmailRow.person_id)
            .where(EmailRow.email.in_(emails))
        ).first()
        if taken is not None:
            raise Conflict(
                f"email {taken[0]} already belongs to {taken[1]}", field="email", value=taken[0]
            )

    def _edit_emails(self, session: Session, row: PersonRow, changes: PersonChanges) -> None:
        remove = {fields.email(e) for e in changes.remove_emails}
        missing = remove - {e.email for e in row.emails}
        if missing:
            raise NotFound(
                f"{row.name} has no email {sorted(missing)[0]}",
                field="email",
                value=sorted(missing)[0],
            )
        row.emails = [e for e in row.emails if e.email not in remove]
        current = {e.email for e in row.emails}
        added = [
            e
            for e in dict.fromkeys(fields.email(x) for x in changes.add_emails)
            if e not in current
        ]
        self._check_emails_free(session, added)
        for email in added:
            row.emails.append(EmailRow(email=email, position=len(row.emails)))
        for position, email_row in enumerate(row.emails):
            email_row.position = position

    def _edit_phones(self, row: PersonRow, changes: PersonChanges) -> None:
        remove = {fields.phone(p) for p in changes.remove_phones}
        missing = remove - {p.phone for p in row.phones}
        if missing:
            raise NotFound(
                f"{row.name} has no phone {sorted(missing)[0]}",
                field="phone",
                value=sorted(missing)[0],
            )
        row.phones = [p for p in row.phones if p.phone not in remove]
        current = {p.phone for p in row.phones}
        for phone in dict.fromkeys(fields.phone(x) for x in changes.add_phones):
            if phone not in current:
                row.phones.append(PhoneRow(phone=phone, position=len(row.phones)))
        for position, phone_row in enumerate(row.phones):
            phone_row.position = position

    def _edit_tags(self, row: PersonRow, changes: PersonChanges) -> None:
        remove = set(fields.tags(changes.remove_tags))
        keep = [t for t in row.tags if t.tag not in remove]
        current = {t.tag for t in keep}
        keep += [PersonTagRow(tag=t) for t in fields.tags(changes.add_tags) if t not in current]
        row.tags = keep


def _birthday_columns(birthday: Birthday | None) -> dict[str, int | None]:
    """A birthday as the person's three columns (all ``None`` for none)."""
    return {
        "birthday_year": birthday.year if birthday else None,
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _chosen_intent(
    intent: str | None, until: str | date | None, reason: str | None, today: date
) -> tuple[str | None, date | None, str | None]:
    """The stored form of a chosen intent: (intent, until, reason), all ``None`` for none
    chosen (or ``auto``). An end date or a reason needs an intent to go with it."""
    if intent is None or intent.strip().lower() == "auto":
        if until is not None or reason is not None:
            raise InvalidInput(
                "--until and --reason describe an intent: give --intent too",
                field="intent",
                value=None,
            )
        return None, None, None
    chosen = fields.choice(Intent, intent, "intent", aliases=INTENT_SYNONYMS)
    end = _until(until, today)
    return chosen.value, end, fields.optional_text(reason, "reason")


def _edit_intent(relationship: RelationshipRow, changes: PersonChanges, today: date) -> None:
    """Apply ``--intent``, ``--until`` and ``--reason`` to a relationship: a new intent
    replaces the old one with its end and reason; an end or reason alone amends it."""
    if changes.intent is not None:
        chosen = _chosen_intent(changes.intent, changes.intent_until, changes.intent_reason, today)
        relationship.intent, relationship.intent_until, relationship.intent_reason = chosen
        return
    if relationship.intent is None:
        raise InvalidInput(
            "no intent is chosen for this relationship: give --intent with --until or --reason",
            field="intent",
            value=None,
        )
    if changes.intent_until is not None:
        relationship.intent_until = _until(changes.intent_until, today)
    if changes.intent_reason is not None:
        relationship.intent_reason = fields.optional_text(changes.intent_reason, "reason")


def _until(value: str | date | None, today: date) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_due_date(value, today, field="until")
