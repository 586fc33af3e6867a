"""The value model: time-decayed flows between two people and what they add up to.

For a relationship between me and them, every exchange is weighted by
``0.5 ** (age_days / half_life_days)`` (the long arc: old help fades, it is not
forgotten at once). Then:

* given ``G``: decayed benefit I gave them; received ``R``: decayed benefit they gave me;
* my net = ``R`` minus the decayed cost I bore; their net = ``G`` minus their cost;
* surplus = my net + their net, the value the relationship created;
* balance = ``(G - R) / (G + R)`` in [-1, 1]; within ``±tolerance`` it is balanced,
  above it I am over-giving, below it I am over-receiving;
* mutual benefit holds when both nets are positive.

Every function here is pure; ``docs/value-model.md`` documents the formulas and defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from mutuality.core.errors import InvalidInput

if TYPE_CHECKING:
    from mutuality.core.analytics import ExchangeColumns, PairFigures

DEFAULT_HALF_LIFE_DAYS = 180.0
DEFAULT_TOLERANCE = 0.25


@dataclass(frozen=True, slots=True)
class ValueSettings:
    """The knobs of the value model (set in the config file, see ``docs/value-model.md``)."""

    half_life_days: float = DEFAULT_HALF_LIFE_DAYS
    """After this many days an exchange counts half as much."""
    tolerance: float = DEFAULT_TOLERANCE
    """Balances within ``±tolerance`` count as balanced."""

    def __post_init__(self) -> None:
        if not 1 <= self.half_life_days <= 36500:
            raise InvalidInput(
                f"half-life must be between 1 and 36500 days, got {self.half_life_days:g}",
                field="half_life_days",
                value=self.half_life_days,
            )
        if not 0 <= self.tolerance < 1:
            raise InvalidInput(
                f"tolerance must be at least 0 and below 1, got {self.tolerance:g}",
                field="tolerance",
                value=self.tolerance,
            )


class Leaning(StrEnum):
    """Which way a relationship leans, from the owner's side."""

    NONE = "no exchanges"
    NO_BENEFIT = "no benefit yet"
    """Exchanges are logged, but every one of them was estimated at zero benefit."""
    BALANCED = "balanced"
    OVER_GIVING = "over-giving"
    OVER_RECEIVING = "over-receiving"


@dataclass(frozen=True, slots=True)
class Flow:
    """The minimum of an exchange that the arithmetic needs."""

    giver_id: int
    receiver_id: int
    on: date
    benefit: float
    cost: float


def decay_weight(on: date, as_of: date, half_life_days: float) -> float:
    """Weight of an exchange made ``on`` as seen ``as_of``: 1 today, 0.5 one half-life ago.

    Exchanges dated after ``as_of`` count fully (weight 1) rather than more than fully.
    """
    age_days = max((as_of - on).days, 0)
    return float(0.5 ** (age_days / half_life_days))


@dataclass(frozen=True, slots=True)
class RelationshipBalance:
    """The decayed totals of one relationship, seen from ``me_id``."""

    me_id: int
    them_id: int
    as_of: date
    settings: ValueSettings
    given: float = 0.0
    """Decayed benefit I gave them."""
    received: float = 0.0
    """Decayed benefit they gave me."""
    my_cost: float = 0.0
    """Decayed cost I bore giving to them."""
    their_cost: float = 0.0
    """Decayed cost they bore giving to me."""
    times_given: int = 0
    times_received: int = 0
    last_on: date | None = None

    @property
    def my_net(self) -> float:
        return self.received - self.my_cost

    @property
    def their_net(self) -> float:
        return self.given - self.their_cost

    @property
    def surplus(self) -> float:
        return self.my_net + self.their_net

    @property
    def balance(self) -> float | None:
        """``(G - R) / (G + R)``: +1 all giving, -1 all receiving, ``None`` with no benefit."""
        total = self.given + self.received
        if total <= 0:
            return None
        return (self.given - self.received) / total

    @property
    def mutual(self) -> bool:
        """Both sides come out ahead: the win/win the seeds ask for."""
        return self.my_net > 0 and self.their_net > 0

    @property
    def leaning(self) -> Leaning:
        balance = self.balance
        if balance is None:
            return (
                Leaning.NONE
                if self.times_given + self.times_received == 0
                else (Leaning.NO_BENEFIT)
            )
        if balance > self.settings.tolerance:
            return Leaning.OVER_GIVING
        if balance < -self.settings.tolerance:
            return Leaning.OVER_RECEIVING
        return Leaning.BALANCED

    def mirrored(self) -> RelationshipBalance:
        """The same relationship seen from the other side."""
        return RelationshipBalance(
            me_id=self.them_id,
            them_id=self.me_id,
            as_of=self.as_of,
            settings=self.settings,
            given=self.received,
            received=self.given,
            my_cost=self.their_cost,
            their_cost=self.my_cost,
            times_given=self.times_received,
            times_received=self.times_given,
            last_on=self.last_on,
        )


def relationship_balance(
    me_id: int,
    them_id: int,
    flows: Iterable[Flow],
    as_of: date,
    settings: ValueSettings,
) -> RelationshipBalance:
    """Sum the flows between ``me_id`` and ``them_id``; flows between others are ignored."""
    return balances_for(me_id, flows, as_of, settings, only={them_id}).get(
        them_id, RelationshipBalance(me_id, them_id, as_of, settings)
    )


def balances_for(
    me_id: int,
    flows: Iterable[Flow],
    as_of: date,
    settings: ValueSettings,
    only: set[int] | None = None,
) -> dict[int, RelationshipBalance]:
    """Every relationship of ``me_id``, keyed by the other person, through the same
    vectorised sums as health and the network view (:mod:`mutuality.core.analytics`,
    imported here so that commands that only log pay no NumPy import)."""
    mine = [
        flow
        for flow in flows
        if (flow.giver_id == me_id) != (flow.receiver_id == me_id)
        and (
            only is None or (flow.receiver_id if flow.giver_id == me_id else flow.giver_id) in only
        )
    ]
    if not mine:
        return {}
    return balances_of_columns(me_id, flow_columns(mine), as_of, settings)


def flow_columns(flows: list[Flow]) -> ExchangeColumns:
    """Flows as the analytics' columns (kinds and initiative unknown: the balance needs
    neither)."""
    import numpy as np

    from mutuality.core.analytics import ExchangeColumns, day_number

    return ExchangeColumns(
        giver=np.array([f.giver_id for f in flows], dtype=np.int64),
        receiver=np.array([f.receiver_id for f in flows], dtype=np.int64),
        day=np.array([day_number(f.on) for f in flows], dtype=np.int32),
        benefit=np.array([f.benefit for f in flows], dtype=np.float64),
        cost=np.array([f.cost for f in flows], dtype=np.float64),
        kind=np.zeros(len(flows), dtype=np.int8),
        initiator=np.zeros(len(flows), dtype=np.int8),
    )


def balances_of_columns(
    me_id: int, columns: ExchangeColumns, as_of: date, settings: ValueSettings
) -> dict[int, RelationshipBalance]:
    """:func:`balances_for` of exchanges already in columns (each with ``me_id`` on one
    side)."""
    from mutuality.core.analytics import TouchColumns, pair_figures

    pairs = pair_figures(columns, TouchColumns.empty(), as_of, settings.half_life_days, 1)
    return {
        balance.them_id: balance
        for balance in (
            balance_from_pairs(pairs, row, me_id, as_of, settings) for row in range(len(pairs))
        )
    }


def balance_from_pairs(
    pairs: PairFigures, row: int, me_id: int, as_of: date, settings: ValueSettings
) -> RelationshipBalance:
    """One row of the pair figures as a :class:`RelationshipBalance` seen from ``me_id``."""
    from mutuality.core.analytics import EPOCH, NO_DAY

    mine_is_a = int(pairs.a[row]) == me_id
    last = int(max(pairs.last_ab_day[row], pairs.last_ba_day[row]))
    return RelationshipBalance(
        me_id=me_id,
        them_id=int(pairs.b[row] if mine_is_a else pairs.a[row]),
        as_of=as_of,
        settings=settings,
        given=float(pairs.given_ab[row] if mine_is_a else pairs.given_ba[row]),
        received=float(pairs.given_ba[row] if mine_is_a else pairs.given_ab[row]),
        my_cost=float(pairs.cost_a[row] if mine_is_a else pairs.cost_b[row]),
        their_cost=float(pairs.cost_b[row] if mine_is_a else pairs.cost_a[row]),
        times_given=int(pairs.count_ab[row] if mine_is_a else pairs.count_ba[row]),
        times_received=int(pairs.count_ba[row] if mine_is_a else pairs.count_ab[row]),
        last_on=None if last == NO_DAY else EPOCH + timedelta(days=last),
    )
