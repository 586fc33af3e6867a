"""The ledger: logging what was given and received, the timeline, and the bulk path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from itertools import islice

from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.dates import check_not_future, past_date
from mutuality.core.errors import InvalidInput, MutualityError, NotFound
from mutuality.core.model import (
    Channel,
    Estimator,
    Exchange,
    ExchangeKind,
    Initiative,
    NewExchange,
    Person,
    Touch,
    Who,
)
from mutuality.core.scale import KIND_DEFAULTS, check_points, parse_kind
from mutuality.core.value import decay_weight
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.services.records import (
    everyone_else,
    exchange_record,
    exchange_records,
)
from mutuality.store.bulk import ExchangeWriter, exchange_row
from mutuality.store.prepared import BETWEEN_OWNER_AND_PERSON, run
from mutuality.store.tables import ExchangeRow, ExchangeTagRow, PersonRow, TouchRow

BULK_BATCH = 20_000

Progress = Callable[[int], None]
"""Called with the number of items just finished, for progress bars."""


class Direction(StrEnum):
    GAVE = "gave"
    """The owner gave to the person."""
    GOT = "got"
    """The person gave to the owner."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    exchange: Exchange
    direction: Direction
    weight: float
    """How much the exchange still counts today under the configured half-life."""


@dataclass(frozen=True, slots=True)
class Timeline:
    person: Person
    entries: list[TimelineEntry]
    total: int = 0
    """How many exchanges the relationship holds in all (``entries`` may be one page)."""


def parse_estimator(value: str) -> Estimator:
    """Who estimated the figures a user gave (``default`` is for no one, so never typed)."""
    return fields.choice(
        Estimator,
        value,
        "estimated_by",
        among=(e for e in Estimator if e is not Estimator.DEFAULT),
        refusal="unknown estimator {value!r}; use one of: {known}",
    )


def who_reached_out(initiated_by: str | None) -> Who | None:
    """``me`` or ``them`` as the user says it (``None``: not known)."""
    if initiated_by is None:
        return None
    refusal = "initiated by {value!r}: use 'me' or 'them'"
    return fields.choice(Who, initiated_by, "initiated_by", refusal=refusal)


def initiative(initiated_by: str | None, direction: Direction) -> Initiative | None:
    """``me``/``them`` as the user says it, turned into giver/receiver for the record."""
    who = who_reached_out(initiated_by)
    return None if who is None else Initiative.of(who, direction is Direction.GAVE)


def check_hours(hours: float | None) -> float | None:
    if hours is None:
        return None
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 <= hours <= 1000:
        raise InvalidInput(
            f"hours must be from 0 to 1000, got {hours!r}", field="hours", value=hours
        )
    return round(float(hours), 2)


def check_new_exchange(exchange: NewExchange, today: date) -> NewExchange:
    """The rules every exchange obeys, however it arrives (CLI, bulk load, demo, importers).

    Returns the exchange normalised: kind and estimator as enums, points rounded to one
    decimal, texts trimmed, tags cleaned and sorted.
    """
    if exchange.giver_id == exchange.receiver_id:
        raise InvalidInput(
            "an exchange needs two different people", field="receiver", value=exchange.receiver_id
        )
    estimator = exchange.estimated_by
    return replace(
        exchange,
        kind=parse_kind(str(exchange.kind)),
        estimated_by=estimator if estimator is Estimator.DEFAULT else parse_estimator(estimator),
        benefit=check_points(exchange.benefit, "benefit"),
        cost=check_points(exchange.cost, "cost"),
        description=fields.required_text(exchange.description, "description"),
        on=check_not_future(exchange.on, today, "date"),
        tags=fields.tags(exchange.tags),
        outcome=fields.optional_text(exchange.outcome, "outcome"),
        private_note=fields.optional_text(exchange.private_note, "note"),
        initiated_by=None if exchange.initiated_by is None else Initiative(exchange.initiated_by),
        hours=check_hours(exchange.hours),
    )


_TIMELINE = (
    select(ExchangeRow.__table__)
    .where(BETWEEN_OWNER_AND_PERSON)
    .order_by(ExchangeRow.occurred_on.desc(), ExchangeRow.id.desc())
)
_TIMELINE_PAGE = _TIMELINE.limit(bindparam("limit")).offset(bindparam("offset"))
_TIMELINE_COUNT = select(func.count()).select_from(ExchangeRow).where(BETWEEN_OWNER_AND_PERSON)


def _after_commit(
    session: Session,
    hook: Callable[[Exchange, Direction], None],
    exchange: Exchange,
    direction: Direction,
) -> None:
    """Call ``hook`` once the outermost transaction of ``session`` commits (never when it
    rolls back; a savepoint's commit is not the end)."""
    done: list[bool] = []

    def committed(finished: Session) -> None:
        if not done and finished.get_nested_transaction() is None:
            done.append(True)
            hook(exchange, direction)

    event.listen(session, "after_commit", committed)


class LedgerService(WithPeople):
    on_logged: Callable[[Exchange, Direction], None] | None = None
    """Called with each exchange :meth:`log` records, after its transaction commits (the
    outermost one, when logging is part of a larger unit of work); team mode sets it to
    offer the exchange to the other side for confirmation."""

    def log(
        self,
        person: PersonRef,
        direction: Direction,
        *,
        kind: str,
        what: str,
        benefit: float | None = None,
        cost: float | None = None,
        on: str | date | None = None,
        estimated_by: str | None = None,
        tags: tuple[str, ...] = (),
        outcome: str | None = None,
        private_note: str | None = None,
        initiated_by: str | None = None,
        hours: float | None = None,
        share: bool = False,
        share_as: str | None = None,
    ) -> Exchange:
        """Record one exchange between the owner and ``person``, in ``direction``.

        ``initiated_by`` is ``me`` or ``them`` (who reached out), ``hours`` the giver's time;
        ``share`` (or a public wording, ``share_as``) marks it for the portfolio at once.
        """
        direction = Direction(direction)
        today = self._today()
        exchange_kind = parse_kind(kind)
        description = fields.required_text(what, "description")
        default_benefit, default_cost = KIND_DEFAULTS[exchange_kind]
        if benefit is None and cost is None:
            estimator = Estimator.DEFAULT
        else:
            estimator = parse_estimator(estimated_by) if estimated_by else Estimator.ME
        points_benefit = check_points(default_benefit if benefit is None else benefit, "benefit")
        points_cost = check_points(default_cost if cost is None else cost, "cost")
        when = past_date(on, today)
        sharing = share or bool(share_as and share_as.strip())
        if sharing:  # imported only then: logging stays on the fast start-up path
            from mutuality.core.portfolio import ShareKind
            from mutuality.services.sharing import mark_shared, public_wording

            wording = public_wording(share_as)
        with self._db.write() as session:
            owner = self._people.owner_key(session)
            other = self._people.person_id(session, person)
            giver, receiver = (owner, other) if direction is Direction.GAVE else (other, owner)
            exchange = check_new_exchange(
                NewExchange(
                    giver_id=giver,
                    receiver_id=receiver,
                    kind=exchange_kind,
                    description=description,
                    on=when,
                    benefit=points_benefit,
                    cost=points_cost,
                    estimated_by=estimator,
                    tags=tuple(tags),
                    outcome=outcome,
                    private_note=private_note,
                    initiated_by=initiative(initiated_by, direction),
                    hours=hours,
                ),
                today,
            )
            row = ExchangeRow(
                **exchange_row(exchange, self._now()),
                tags=[ExchangeTagRow(tag=t) for t in exchange.tags],
            )
            session.add(row)
            session.flush()
            if sharing:
                mark_shared(session, ShareKind.EXCHANGE, row.id, wording, self._now())
            logged = exchange_record(row)
            if self.on_logged is not None:  # team mode: offered for confirmation once committed
                _after_commit(session, self.on_logged, logged, direction)
            return logged

    def touch(
        self,
        person: PersonRef,
        *,
        on: str | date | None = None,
        initiated_by: str | None = None,
        channel: str = "other",
        private_note: str | None = None,
    ) -> Touch:
        """Record a contact with ``person`` that exchanged nothing worth logging as value."""
        today = self._today()
        when = past_date(on, today)
        who = who_reached_out(initiated_by)
        medium = fields.choice(Channel, channel, "channel")
        note = fields.optional_text(private_note, "note")
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            other = self._people.resolve(session, person)
            row = TouchRow(
                owner_id=owner.id,
                person_id=other.id,
                occurred_on=when,
                initiated_by=None if who is None else who.value,
                channel=medium.value,
                private_note=note,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return Touch(row.id, other.id, when, medium, row.initiated_by, note)

    def delete(self, exchange_id: int) -> Exchange:
        """Remove one of my exchanges (a mistaken entry); returns what was removed. One
        between two other people is not mine to unlog: it is not found, as in :meth:`get`."""
        with self._db.write() as session:
            owner_id = self._people.owner_id(session)
            row = session.get(ExchangeRow, exchange_id)
            if row is None or owner_id not in (row.giver_id, row.receiver_id):
                raise NotFound(f"no exchange with id {exchange_id}", field="id", value=exchange_id)
            record = exchange_record(row)
            session.delete(row)
            return record

    def timeline(self, person: PersonRef, limit: int | None = None, offset: int = 0) -> Timeline:
        """Everything exchanged with ``person``, newest first, with its weight today;
        ``limit`` and ``offset`` give one page of it (``total`` counts them all)."""
        with self._db.read() as session:
            return self.timeline_in(session, self._people.record(session, person), limit, offset)

    def timeline_in(
        self,
        session: Session,
        person: Person,
        limit: int | None = None,
        offset: int = 0,
        total: int | None = None,
    ) -> Timeline:
        """:meth:`timeline` inside the caller's read (a person's page); ``total`` is how many
        exchanges there are with them when the caller counted them already."""
        today = self._today()
        half_life = self._settings.value.half_life_days
        owner_id = self._people.owner_id(session)
        pair = {"owner": owner_id, "person": person.id}
        if limit is None:
            exchanges = exchange_records(session, _TIMELINE.offset(offset or None), **pair)
        else:
            exchanges = exchange_records(
                session, _TIMELINE_PAGE, **pair, limit=limit, offset=offset
            )
        entries = [
            TimelineEntry(
                exchange=exchange,
                direction=Direction.GAVE if exchange.giver_id == owner_id else Direction.GOT,
                weight=decay_weight(exchange.on, today, half_life),
            )
            for exchange in exchanges
        ]
        if total is None:
            total = len(entries)
            if limit is not None or offset:
                total = run(session, _TIMELINE_COUNT, **pair).scalar() or 0
        return Timeline(person=person, entries=entries, total=total)

    def get(self, exchange_id: int) -> TimelineEntry:
        """One of my exchanges by its id, with its direction and its weight today."""
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            row = session.get(ExchangeRow, exchange_id)
            if row is None or owner_id not in (row.giver_id, row.receiver_id):
                raise NotFound(f"no exchange with id {exchange_id}", field="id", value=exchange_id)
            return TimelineEntry(
                exchange=exchange_record(row),
                direction=Direction.GAVE if row.giver_id == owner_id else Direction.GOT,
                weight=decay_weight(
                    row.occurred_on, self._today(), self._settings.value.half_life_days
                ),
            )

    def count_mine(self) -> int:
        """How many exchanges I gave or received."""
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            counted = select(func.count()).select_from(ExchangeRow)
            gave = session.scalar(counted.where(ExchangeRow.giver_id == owner_id)) or 0
            got = session.scalar(counted.where(ExchangeRow.receiver_id == owner_id)) or 0
            return gave + got

    def recent(self, limit: int = 10, offset: int = 0) -> list[tuple[Exchange, Person, Direction]]:
        """The owner's latest logged exchanges (by when they were logged), with the other
        person and the direction: recent activity, read through the primary key's order
        (kept until the next write)."""
        return self._db.cached(
            ("ledger.recent", limit, offset), lambda: self._recent(limit, offset)
        )

    def _recent(self, limit: int, offset: int) -> list[tuple[Exchange, Person, Direction]]:
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            rows = session.scalars(
                select(ExchangeRow)
                .where(or_(ExchangeRow.giver_id == owner_id, ExchangeRow.receiver_id == owner_id))
                .order_by(ExchangeRow.id.desc())
                .limit(limit)
                .offset(offset or None)
            ).all()
            people = everyone_else(self._db, session)
            return [
                (
                    exchange_record(row),
                    people[row.receiver_id if row.giver_id == owner_id else row.giver_id],
                    Direction.GAVE if row.giver_id == owner_id else Direction.GOT,
                )
                for row in rows
            ]

    def bulk_add(
        self,
        exchanges: Iterable[NewExchange],
        progress: Progress | None = None,
    ) -> int:
        """Insert many exchanges in one transaction (all or nothing), in batches.

        Every exchange obeys the same rule as :meth:`log` (:func:`check_new_exchange`);
        the first bad one aborts the whole load and names its position. The writer
        (:mod:`mutuality.store.bulk`) skips the ORM's per-row work, and on SQLite rebuilds
        the exchange indexes once at the end of a large load instead of row by row.
        """
        today = self._today()
        created = self._now()
        total = 0
        iterator = iter(exchanges)
        with self._db.write() as session:
            writer = ExchangeWriter(session.connection(), created)
            while batch := list(islice(iterator, BULK_BATCH)):
                if total == 0 and len(batch) == BULK_BATCH:
                    writer.defer_indexes()
                checked = [
                    _checked(exchange, today, total + offset)
                    for offset, exchange in enumerate(batch)
                ]
                try:
                    writer.write(checked)
                except IntegrityError:
                    self._raise_missing_person(session, checked, total)
                    raise
                total += len(batch)
                if progress:
                    progress(len(batch))
            writer.finish()
        return total

    @staticmethod
    def _raise_missing_person(session: Session, batch: list[NewExchange], done: int) -> None:
        """After a foreign-key failure, name the first exchange whose person does not exist."""
        wanted = sorted({e.giver_id for e in batch} | {e.receiver_id for e in batch})
        found: set[int] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.update(session.scalars(select(PersonRow.id).where(PersonRow.id.in_(chunk))))
        for offset, exchange in enumerate(batch):
            for side in ("giver_id", "receiver_id"):
                person_id = getattr(exchange, side)
                if person_id not in found:
                    raise NotFound(
                        f"no person with id {person_id}",
                        field=side,
                        value=person_id,
                        location=f"exchange {done + offset + 1}",
                    ) from None


def _checked(exchange: NewExchange, today: date, position: int) -> NewExchange:
    """The full rule for each exchange, skipped only when a cheap test shows it is already
    in normal form (the common case for generated and imported data)."""
    benefit, cost = exchange.benefit, exchange.cost
    if (
        type(exchange.kind) is ExchangeKind
        and type(exchange.estimated_by) is Estimator
        and type(benefit) is float
        and type(cost) is float
        and 0.0 <= benefit <= 10.0
        and 0.0 <= cost <= 10.0
        and round(benefit, 1) == benefit
        and round(cost, 1) == cost
        and exchange.on <= today
        and exchange.giver_id != exchange.receiver_id
        and not exchange.tags
        and exchange.outcome is None
        and exchange.private_note is None
        and exchange.hours is None
        and (exchange.initiated_by is None or type(exchange.initiated_by) is Initiative)
        and exchange.description
        and exchange.description == exchange.description.strip()
        and len(exchange.description) <= fields.MAX_TEXT
    ):
        return exchange
    try:
        return check_new_exchange(exchange, today)
    except MutualityError as error:
        raise InvalidInput(
            error.message,
            field=error.field,
            value=error.value,
            location=f"exchange {position + 1}",
        ) from None
