"""The giving budget: how much I have set aside for giving, how much I have used, and the
warning that comes before burnout rather than after it.

Use is measured in the budget's unit: value points (the cost of what I gave, on the 0-10
scale) or hours (the hours logged with an exchange, or, where none were logged, an estimate
from its cost on the scale's anchors). The current period is the calendar week (Monday to
Sunday) or month that contains today.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from mutuality.core.errors import InvalidInput
from mutuality.core.model import ExchangeKind


class CapacityUnit(StrEnum):
    POINTS = "points"
    HOURS = "hours"


class CapacityPeriod(StrEnum):
    WEEK = "week"
    MONTH = "month"


class CapacityState(StrEnum):
    UNSET = "no budget set"
    OK = "within budget"
    AT_RISK = "at risk"
    """On the current pace the budget will be exceeded before the period ends."""
    OVER = "over budget"


HOURS_BY_COST: tuple[tuple[float, float], ...] = (
    (0, 0.0),
    (1, 0.1),
    (2, 0.5),
    (3, 1.0),
    (5, 4.0),
    (7, 16.0),
    (10, 40.0),
)
"""Cost points to hours, from the scale's anchors (1: minutes, 3: an hour, 5: half a day,
7: days); linear in between."""


def hours_from_cost(cost: float) -> float:
    for (low_cost, low_hours), (high_cost, high_hours) in pairwise(HOURS_BY_COST):
        if cost <= high_cost:
            share = (cost - low_cost) / (high_cost - low_cost)
            return low_hours + share * (high_hours - low_hours)
    return HOURS_BY_COST[-1][1]


@dataclass(frozen=True, slots=True)
class Capacity:
    amount: float
    unit: CapacityUnit
    period: CapacityPeriod
    boundaries: frozenset[ExchangeKind] = frozenset()
    """Kinds I do not give."""

    def __post_init__(self) -> None:
        if not 0 < self.amount <= 100_000:
            raise InvalidInput(
                f"a budget must be above 0, got {self.amount:g}", field="amount", value=self.amount
            )


@dataclass(frozen=True, slots=True)
class Give:
    """What capacity needs of one exchange I gave."""

    on: date
    cost: float
    hours: float | None
    kind: ExchangeKind
    exchange_id: int = 0
    receiver_id: int = 0


@dataclass(frozen=True, slots=True)
class CapacityUse:
    capacity: Capacity | None
    start: date
    end: date
    used: float
    committed: float
    projected: float
    previous_used: float
    state: CapacityState
    boundary_hits: tuple[Give, ...]

    @property
    def share(self) -> float | None:
        """Used and committed against the budget (1.0 = all of it)."""
        if self.capacity is None:
            return None
        return (self.used + self.committed) / self.capacity.amount

    @property
    def strained(self) -> bool:
        return self.state in (CapacityState.AT_RISK, CapacityState.OVER)

    def warning(self) -> str | None:
        """The one warning a strained budget gives (``None`` when it is not strained): the
        words the capacity page, the command line and the report all show."""
        if self.capacity is None or not self.strained:
            return None
        span = f"{self.start} to {self.end}"
        unit = self.capacity.unit.value
        if self.state is CapacityState.OVER:
            return (
                f"Over budget {span}: used {self.used:.1f} of {self.capacity.amount:g} {unit}. "
                "Pause giving or renegotiate commitments."
            )
        return (
            f"At risk of burnout {span}: {self.used:.1f} used so far, {self.projected:.1f} at "
            f"this pace against {self.capacity.amount:g} {unit}. Slow down before the budget "
            "runs out."
        )


def period_bounds(period: CapacityPeriod, today: date) -> tuple[date, date]:
    if period is CapacityPeriod.WEEK:
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def _amount(give: Give, unit: CapacityUnit) -> float:
    if unit is CapacityUnit.POINTS:
        return give.cost
    return give.hours if give.hours is not None else hours_from_cost(give.cost)


def capacity_use(
    capacity: Capacity | None,
    gives: Iterable[Give],
    today: date,
    committed: float = 0.0,
) -> CapacityUse:
    """Use in the current period, the pace projected to its end, and the previous period.

    ``gives`` should cover at least the previous period; ``committed`` is what open
    commitments due in this period will still take.
    """
    period = capacity.period if capacity else CapacityPeriod.MONTH
    unit = capacity.unit if capacity else CapacityUnit.POINTS
    start, end = period_bounds(period, today)
    previous_start, previous_end = period_bounds(period, start - timedelta(days=1))
    used = previous_used = 0.0
    hits: list[Give] = []
    for give in gives:
        if start <= give.on <= today:
            used += _amount(give, unit)
            if capacity and give.kind in capacity.boundaries:
                hits.append(give)
        elif previous_start <= give.on <= previous_end:
            previous_used += _amount(give, unit)
    elapsed = (today - start).days + 1
    length = (end - start).days + 1
    projected = used * length / elapsed + committed
    if capacity is None:
        state = CapacityState.UNSET
    elif used + committed > capacity.amount:
        state = CapacityState.OVER
    elif projected > capacity.amount:
        state = CapacityState.AT_RISK
    else:
        state = CapacityState.OK
    return CapacityUse(
        capacity, start, end, used, committed, projected, previous_used, state, tuple(hits)
    )
