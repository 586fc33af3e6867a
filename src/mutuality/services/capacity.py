"""My giving budget and boundaries: set, read, and measured against what I gave."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from mutuality.core.capacity import (
    Capacity,
    CapacityPeriod,
    CapacityUnit,
    CapacityUse,
    Give,
    capacity_use,
    hours_from_cost,
    period_bounds,
)
from mutuality.core.fields import choice
from mutuality.core.model import ExchangeKind
from mutuality.core.scale import join_kinds, parse_kind, split_kinds
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.people import PeopleService
from mutuality.store.prepared import run
from mutuality.store.tables import CapacityRow, CommitmentRow, ExchangeRow

_UNITS = {
    "point": CapacityUnit.POINTS,
    "points": CapacityUnit.POINTS,
    "hour": CapacityUnit.HOURS,
    "hours": CapacityUnit.HOURS,
    "h": CapacityUnit.HOURS,
}
_PERIODS = {
    "week": CapacityPeriod.WEEK,
    "weekly": CapacityPeriod.WEEK,
    "month": CapacityPeriod.MONTH,
    "monthly": CapacityPeriod.MONTH,
}
_REFUSAL = "{field} {value!r}: use {either}"


_BUDGET = select(CapacityRow.owner_id).where(CapacityRow.owner_id == bindparam("owner"))


class CapacityService(WithPeople):
    def __init__(self, context: ServiceContext, people: PeopleService) -> None:
        super().__init__(context, people)
        self._cache_key = object()

    def set(
        self,
        amount: float,
        unit: str = "points",
        period: str = "month",
        boundaries: tuple[str, ...] | None = None,
    ) -> Capacity:
        """Set the budget; ``boundaries`` replaces the kinds I do not give when given."""
        capacity_unit = choice(CapacityUnit, unit, "unit", aliases=_UNITS, refusal=_REFUSAL)
        capacity_period = choice(
            CapacityPeriod, period, "period", aliases=_PERIODS, refusal=_REFUSAL
        )
        kinds = None if boundaries is None else frozenset(parse_kind(k) for k in boundaries)
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            row = session.get(CapacityRow, owner.id)
            if kinds is None:
                kinds = (
                    frozenset(ExchangeKind(k) for k in split_kinds(row.boundaries))
                    if row
                    else frozenset()
                )
            capacity = Capacity(amount, capacity_unit, capacity_period, kinds)
            if row is None:
                row = CapacityRow(owner_id=owner.id)
                session.add(row)
            row.amount, row.unit, row.period = amount, capacity_unit.value, capacity_period.value
            row.boundaries = join_kinds(list(kinds))
            return capacity

    def clear(self) -> None:
        with self._db.write() as session:
            session.execute(
                delete(CapacityRow).where(CapacityRow.owner_id == self._people.owner_id(session))
            )

    def get(self) -> Capacity | None:
        with self._db.read() as session:
            return self.load(session)

    def load(self, session: Session) -> Capacity | None:
        row = session.get(CapacityRow, self._people.owner_id(session))
        if row is None:
            return None
        return Capacity(
            row.amount,
            CapacityUnit(row.unit),
            CapacityPeriod(row.period),
            frozenset(ExchangeKind(k) for k in split_kinds(row.boundaries)),
        )

    def use(self) -> CapacityUse:
        with self._db.read() as session:
            return self.measure(session)

    def strained(self, session: Session) -> bool:
        """Whether the budget is at risk or over; without a budget, ``False`` at once."""
        if run(session, _BUDGET, owner=self._people.owner_id(session)).first() is None:
            return False
        return self.measure(session).strained

    def measure(self, session: Session) -> CapacityUse:
        """Use of the budget in the current period, from what I gave since the previous one;
        kept until the next write, since every relationship's health asks for it."""
        return self._db.cached(
            ("capacity.measure", self._cache_key, self._today()), lambda: self._measure(session)
        )

    def _measure(self, session: Session) -> CapacityUse:
        capacity = self.load(session)
        today = self._today()
        period = capacity.period if capacity else CapacityPeriod.MONTH
        start, _ = period_bounds(period, today)
        since, _ = period_bounds(period, start - timedelta(days=1))
        owner_id = self._people.owner_id(session)
        gives = gives_between(session, owner_id, since, today)
        _, end = period_bounds(period, today)
        promised = session.execute(
            select(CommitmentRow.cost, CommitmentRow.hours).where(
                CommitmentRow.owner_id == owner_id,
                CommitmentRow.direction == "mine",
                CommitmentRow.status == "open",
                CommitmentRow.due_on <= end,
            )
        )
        unit = capacity.unit if capacity else CapacityUnit.POINTS
        committed = sum(
            cost
            if unit is CapacityUnit.POINTS
            else (hours if hours is not None else hours_from_cost(cost))
            for cost, hours in promised
        )
        return capacity_use(capacity, gives, today, committed)


def gives_between(session: Session, owner: int, since: date, until: date) -> list[Give]:
    """What ``owner`` gave from ``since`` to ``until`` (both included), as the capacity rule
    counts it."""
    rows = session.execute(
        select(
            ExchangeRow.occurred_on,
            ExchangeRow.cost,
            ExchangeRow.hours,
            ExchangeRow.kind,
            ExchangeRow.id,
            ExchangeRow.receiver_id,
        ).where(
            ExchangeRow.giver_id == owner,
            ExchangeRow.occurred_on >= since,
            ExchangeRow.occurred_on <= until,
        )
    )
    return [
        Give(on, cost, hours, ExchangeKind(kind), exchange_id, receiver)
        for on, cost, hours, kind, exchange_id, receiver in rows
    ]
