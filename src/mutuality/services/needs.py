"""Needs, offers and a person's current moment: what each person seeks and can give, and
whether now is a good time to ask them for anything.

Every person has them, me included (the name ``me`` means the owner). A declined or
postponed request already becomes an open need (:mod:`mutuality.services.requests`); here
they are written by hand, listed and closed. Each call is one transaction.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    bindparam,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.dates import parse_due_date, parse_past_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.needs import (
    PersonState,
    Source,
    StateKind,
    Wish,
    WishKind,
    sources,
    wish_text,
)
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.people import PeopleService, PersonRef
from mutuality.services.person_names import person_names
from mutuality.store.prepared import run
from mutuality.store.tables import NeedRow, OfferRow, PersonRow, PersonStateRow

OWNER_WORDS = frozenset({"me", "myself", "i"})
"""Names that mean the owner wherever a need, an offer or a state is written."""

WishRow = NeedRow | OfferRow


def parse_wish_kind(value: str | WishKind) -> WishKind:
    return fields.choice(WishKind, value, "kind", refusal="{value!r}: use {either}")


def wish_record(row: WishRow | Row[Any], kind: WishKind | None = None) -> Wish:
    """A need or an offer from its ORM row, or from a plain row of ``kind``'s table."""
    if kind is None:
        kind = WishKind.NEED if isinstance(row, NeedRow) else WishKind.OFFER
    return Wish(
        id=row.id,
        kind=kind,
        person_id=row.person_id,
        text=row.text,
        tags=tuple(tag for tag in row.tags.split(",") if tag),
        source=Source(row.source),
        status=row.status,
        created_on=row.created_on,
        expires_on=row.expires_on,
        closed_on=row.closed_on,
        request_id=(
            row.request_id if kind is WishKind.NEED and not isinstance(row, OfferRow) else None
        ),
    )


def state_record(row: PersonStateRow) -> PersonState:
    return PersonState(
        id=row.id,
        person_id=row.person_id,
        kind=StateKind(row.kind),
        text=row.text,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
    )


def _table(kind: WishKind) -> type[NeedRow] | type[OfferRow]:
    return NeedRow if kind is WishKind.NEED else OfferRow


def _still_open(
    table: type[NeedRow] | type[OfferRow], today: date | ColumnElement[date]
) -> ColumnElement[bool]:
    """Open and not past its expiry on ``today`` (the rule of :meth:`Wish.is_open`)."""
    return (table.status == "open") & (table.expires_on.is_(None) | (table.expires_on >= today))


def _open_of_person(
    table: type[NeedRow] | type[OfferRow], which: WishKind
) -> Select[*tuple[Any, ...]]:
    request = table.request_id if table is NeedRow else null()
    return select(
        literal_column(str(list(WishKind).index(which))).label("which"),
        table.id,
        table.person_id,
        table.text,
        table.tags,
        table.source,
        table.status,
        table.created_on,
        table.expires_on,
        table.closed_on,
        request.label("request_id"),
    ).where(table.person_id == bindparam("person"), _still_open(table, bindparam("today")))


_OPEN_OF_PERSON = union_all(
    _open_of_person(NeedRow, WishKind.NEED), _open_of_person(OfferRow, WishKind.OFFER)
).order_by(
    literal_column("which"), literal_column("created_on").desc(), literal_column("id").desc()
)
"""One person's open needs, then their open offers, each newest first, in one read."""


Saved = Callable[[Sequence[Wish]], object]
"""Called with needs or offers just written (matching embeds their texts); never raises."""


class NeedService(WithPeople):
    """Needs and offers of every person, and their current challenges and busy periods."""

    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        saved: Saved | None = None,
    ) -> None:
        """``saved`` is called with each need or offer once it is written (matching embeds
        its text then, so that no page view has to); it must never raise. It is
        :attr:`on_saved`, which a bulk load may set to ``None`` to embed in batches after."""
        super().__init__(context, people)
        self.on_saved = saved

    def person(self, session: Session, query: PersonRef) -> PersonRow:
        """``me`` (or the owner's id) is the owner; anything else is found as
        :meth:`PeopleService.resolve` does."""
        if isinstance(query, int):
            if query == self._people.owner_id(session):
                return session.get_one(PersonRow, query)
            return self._people.resolve(session, query)
        if query.strip().lower() in OWNER_WORDS:
            return self._people.owner_row(session)
        return self._people.resolve(session, query)

    # --- needs and offers --------------------------------------------------------------------

    def add(
        self,
        kind: WishKind | str,
        person: PersonRef,
        text: str,
        *,
        tags: Iterable[str] = (),
        source: str | None = None,
        expires: str | date | None = None,
    ) -> Wish:
        """Write one need or offer. ``source`` is ``them`` (said by them) or ``me`` (noted by
        me; the default); ``expires`` a future date after which it is no longer matched."""
        wish_kind = parse_wish_kind(kind)
        clean = wish_text(text, wish_kind)
        clean_tags = fields.tags(list(tags))
        origin = (
            fields.choice(
                Source,
                source,
                "source",
                among=sources(wish_kind),
                refusal="source {value!r}: use {known}",
            )
            if source
            else Source.ME
        )
        today = self._today()
        expires_on = None
        if expires is not None:
            raw = expires.isoformat() if isinstance(expires, date) else expires
            expires_on = parse_due_date(raw, today, "expires")
        with self._db.write() as session:
            row = _table(wish_kind)(
                person_id=self.person(session, person).id,
                text=clean,
                tags=",".join(clean_tags),
                source=origin.value,
                status="open",
                created_on=today,
                expires_on=expires_on,
            )
            session.add(row)
            session.flush()
            wish = wish_record(row)
        if self.on_saved is not None:
            self.on_saved([wish])
        return wish

    def list(
        self,
        kind: WishKind | str,
        person: PersonRef | None = None,
        *,
        include_closed: bool = False,
        tag: str | None = None,
    ) -> list[Wish]:
        """Newest first; open ones only unless ``include_closed`` (expired ones count as
        closed for this)."""
        wish_kind = parse_wish_kind(kind)
        table = _table(wish_kind)
        today = self._today()
        with self._db.read() as session:
            query: Select[WishRow] = select(table)
            if person is not None:
                query = query.where(table.person_id == self.person(session, person).id)
            if not include_closed:
                query = query.where(_still_open(table, today))
            rows = session.scalars(query.order_by(table.created_on.desc(), table.id.desc()))
            found = [wish_record(row) for row in rows]
        if tag is not None:
            wanted = fields.tag(tag)
            found = [wish for wish in found if wanted in wish.tags]
        return found

    def open_of(self, session: Session, person_id: int) -> builtins.list[Wish]:
        """One person's open needs, then their open offers, newest first (a person's page)."""
        kinds = list(WishKind)
        return [
            wish_record(row, kinds[row.which])
            for row in run(session, _OPEN_OF_PERSON, person=person_id, today=self._today())
        ]

    def get(self, kind: WishKind | str, wish_id: int) -> Wish:
        wish_kind = parse_wish_kind(kind)
        with self._db.read() as session:
            return wish_record(self._row(session, wish_kind, wish_id))

    def close(self, kind: WishKind | str, wish_id: int) -> Wish:
        """Close an open need or offer (met, withdrawn or no longer true)."""
        wish_kind = parse_wish_kind(kind)
        with self._db.write() as session:
            row = self._row(session, wish_kind, wish_id)
            if row.status != "open":
                raise Conflict(
                    f"{wish_kind.value} #{wish_id} is already closed (on {row.closed_on})",
                    field="id",
                    value=wish_id,
                )
            row.status, row.closed_on = "closed", self._today()
            return wish_record(row)

    def reopen(self, kind: WishKind | str, wish_id: int) -> Wish:
        """Open a closed need or offer again (closed by mistake, or true once more)."""
        wish_kind = parse_wish_kind(kind)
        with self._db.write() as session:
            row = self._row(session, wish_kind, wish_id)
            if row.status == "open":
                raise Conflict(
                    f"{wish_kind.value} #{wish_id} is already open", field="id", value=wish_id
                )
            row.status, row.closed_on = "open", None
            return wish_record(row)

    def names(self, person_ids: Iterable[int]) -> dict[int, str]:
        """Display names for ids (the owner's included), for listings."""
        wanted = set(person_ids)
        if not wanted:
            return {}
        with self._db.read() as session:
            return person_names(session, wanted)

    @staticmethod
    def _row(session: Session, kind: WishKind, wish_id: int) -> WishRow:
        row = (
            session.get(NeedRow, wish_id)
            if kind is WishKind.NEED
            else session.get(OfferRow, wish_id)
        )
        if row is None:
            raise NotFound(f"no {kind.value} with id {wish_id}", field="id", value=wish_id)
        return row

    # --- challenges and busy periods ---------------------------------------------------------

    def note_state(
        self,
        person: str,
        kind: StateKind | str,
        text: str,
        *,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> PersonState:
        """Note a current challenge or a busy period (``until`` it ends; open-ended if not
        given)."""
        state_kind = fields.choice(StateKind, kind, "kind", refusal="state {value!r}: use {either}")
        clean = wish_text(text, state_kind.value)
        today = self._today()
        starts_on = _day(since, today, "since") if since is not None else today
        ends_on = parse_due_date(_iso(until), today, "until") if until is not None else None
        if ends_on is not None and ends_on < starts_on:
            raise InvalidInput(
                f"until {ends_on.isoformat()} is before since {starts_on.isoformat()}",
                field="until",
                value=ends_on.isoformat(),
            )
        with self._db.write() as session:
            row = PersonStateRow(
                person_id=self.person(session, person).id,
                kind=state_kind.value,
                text=clean,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return state_record(row)

    def clear_state(self, state_id: int) -> PersonState:
        """End a state: it stops counting today (ends yesterday) and is kept, so the history
        of busy periods stays."""
        today = self._today()
        with self._db.write() as session:
            row = session.get(PersonStateRow, state_id)
            if row is None:
                raise NotFound(f"no state with id {state_id}", field="id", value=state_id)
            if row.ends_on is not None and row.ends_on < today:
                raise Conflict(
                    f"state #{state_id} already ended on {row.ends_on.isoformat()}",
                    field="id",
                    value=state_id,
                )
            row.ends_on = today - timedelta(days=1)
            return state_record(row)

    def states(
        self, person: str | None = None, *, include_past: bool = False
    ) -> builtins.list[PersonState]:
        """Current (and, when asked, past) states, newest first."""
        today = self._today()
        with self._db.read() as session:
            query = select(PersonStateRow)
            if person is not None:
                query = query.where(PersonStateRow.person_id == self.person(session, person).id)
            rows = session.scalars(
                query.order_by(PersonStateRow.starts_on.desc(), PersonStateRow.id.desc())
            )
            found = [state_record(row) for row in rows]
        return found if include_past else [s for s in found if s.is_current(today)]

    def current_states(self, session: Session) -> builtins.list[PersonState]:
        """Every state current today (for matching, inside its read)."""
        today = self._today()
        rows = session.scalars(
            select(PersonStateRow).where(
                PersonStateRow.starts_on <= today,
                (PersonStateRow.ends_on.is_(None)) | (PersonStateRow.ends_on >= today),
            )
        )
        return [state_record(row) for row in rows]


def _iso(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else value


def _day(value: str | date, today: date, field: str) -> date:
    """A start day in the past or the future (a busy period can be announced ahead)."""
    text = _iso(value)
    try:
        return parse_past_date(text, today, field)
    except InvalidInput:
        return parse_due_date(text, today, field)
