"""The ledger: logging what was given and received, the timeline, and the bulk path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import islice

from sqlalchemy import insert, or_, select

from mutuality.core import fields
from mutuality.core.dates import check_not_future, parse_past_date
from mutuality.core.errors import InvalidInput, NotFound
from mutuality.core.model import Estimator, Exchange, ExchangeKind, NewExchange, Person
from mutuality.core.scale import KIND_DEFAULTS, check_points, parse_kind
from mutuality.core.value import decay_weight
from mutuality.services.people import PeopleService, utc_now
from mutuality.services.records import exchange_record, person_record
from mutuality.services.settings import Settings
from mutuality.store.database import Database
from mutuality.store.tables import ExchangeRow, ExchangeTagRow

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


def parse_estimator(value: str) -> Estimator:
    try:
        return Estimator(value.strip().lower())
    except ValueError:
        known = ", ".join(e.value for e in Estimator if e is not Estimator.DEFAULT)
        raise InvalidInput(
            f"unknown estimator {value!r}; use one of: {known}", field="estimated_by", value=value
        ) from None


def check_new_exchange(exchange: NewExchange, today: date) -> NewExchange:
    """The rules every exchange obeys, however it arrives (CLI, bulk load, restore)."""
    if exchange.giver_id == exchange.receiver_id:
        raise InvalidInput(
            "an exchange needs two different people", field="receiver", value=exchange.receiver_id
        )
    check_points(exchange.benefit, "benefit")
    check_points(exchange.cost, "cost")
    fields.required_text(exchange.description, "description")
    check_not_future(exchange.on, today, "date")
    return exchange


class LedgerService:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        people: PeopleService,
        today: Callable[[], date],
    ) -> None:
        self._db = database
        self._settings = settings
        self._people = people
        self._today = today

    def log(
        self,
        person: str,
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
    ) -> Exchange:
        """Record one exchange between the owner and ``person``, in ``direction``."""
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
        if on is None:
            when = today
        elif isinstance(on, date):
            when = check_not_future(on, today)
        else:
            when = parse_past_date(on, today)
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            other = self._people.resolve(session, person)
            giver, receiver = (owner, other) if direction is Direction.GAVE else (other, owner)
            row = ExchangeRow(
                giver_id=giver.id,
                receiver_id=receiver.id,
                kind=exchange_kind.value,
                description=description,
                occurred_on=when,
                benefit=points_benefit,
                cost=points_cost,
                estimated_by=estimator.value,
                outcome=fields.optional_text(outcome, "outcome"),
                private_note=fields.optional_text(private_note, "note"),
                created_at=utc_now(),
                tags=[ExchangeTagRow(tag=t) for t in fields.tags(tags)],
            )
            session.add(row)
            session.flush()
            return exchange_record(row)

    def delete(self, exchange_id: int) -> Exchange:
        """Remove one exchange (a mistaken entry); returns what was removed."""
        with self._db.write() as session:
            row = session.get(ExchangeRow, exchange_id)
            if row is None:
                raise NotFound(f"no exchange with id {exchange_id}", field="id", value=exchange_id)
            record = exchange_record(row)
            session.delete(row)
            return record

    def timeline(self, person: str, limit: int | None = None) -> Timeline:
        """Everything exchanged with ``person``, newest first, with its weight today."""
        today = self._today()
        half_life = self._settings.value.half_life_days
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            other = self._people.resolve(session, person)
            query = (
                select(ExchangeRow)
                .where(
                    or_(
                        (ExchangeRow.giver_id == owner_id) & (ExchangeRow.receiver_id == other.id),
                        (ExchangeRow.giver_id == other.id) & (ExchangeRow.receiver_id == owner_id),
                    )
                )
                .order_by(ExchangeRow.occurred_on.desc(), ExchangeRow.id.desc())
                .limit(limit)
            )
            entries = [
                TimelineEntry(
                    exchange=exchange_record(row),
                    direction=Direction.GAVE if row.giver_id == owner_id else Direction.GOT,
                    weight=decay_weight(row.occurred_on, today, half_life),
                )
                for row in session.scalars(query)
            ]
            return Timeline(person=person_record(other), entries=entries)

    def bulk_add(
        self,
        exchanges: Iterable[NewExchange],
        progress: Progress | None = None,
    ) -> int:
        """Insert many exchanges in one transaction (all or nothing), in batches.

        Every exchange is checked by the same rule as :meth:`log`; the first bad one
        aborts the whole load and names its position.
        """
        today = self._today()
        created = utc_now()
        total = 0
        iterator = iter(exchanges)
        with self._db.write() as session:
            connection = session.connection()
            while batch := list(islice(iterator, BULK_BATCH)):
                rows = []
                tag_rows: list[tuple[int, tuple[str, ...]]] = []
                for offset, exchange in enumerate(batch):
                    try:
                        check_new_exchange(exchange, today)
                    except InvalidInput as error:
                        raise InvalidInput(
                            error.message,
                            field=error.field,
                            value=error.value,
                            location=f"exchange {total + offset + 1}",
                        ) from None
                    rows.append(
                        {
                            "giver_id": exchange.giver_id,
                            "receiver_id": exchange.receiver_id,
                            "kind": ExchangeKind(exchange.kind).value,
                            "description": exchange.description,
                            "occurred_on": exchange.on,
                            "benefit": round(exchange.benefit, 1),
                            "cost": round(exchange.cost, 1),
                            "estimated_by": Estimator(exchange.estimated_by).value,
                            "outcome": exchange.outcome,
                            "private_note": exchange.private_note,
                            "created_at": created,
                        }
                    )
                    if exchange.tags:
                        tag_rows.append((offset, fields.tags(exchange.tags)))
                if tag_rows:
                    # Tags need the new ids: insert those exchanges one by one.
                    tagged = {offset for offset, _ in tag_rows}
                    plain = [row for i, row in enumerate(rows) if i not in tagged]
                    for offset, tag_values in tag_rows:
                        new_id = connection.execute(
                            insert(ExchangeRow).returning(ExchangeRow.id), rows[offset]
                        ).scalar_one()
                        connection.execute(
                            insert(ExchangeTagRow),
                            [{"exchange_id": new_id, "tag": t} for t in tag_values],
                        )
                    rows = plain
                if rows:
                    connection.execute(insert(ExchangeRow), rows)
                total += len(batch)
                if progress:
                    progress(len(batch))
        return total
