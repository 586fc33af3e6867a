"""Figures over time for charts: month boundaries, and a relationship's balance as it stood.

A chart must show the same figures as the rest of the tool, so the balance at each point
is :func:`mutuality.core.value.relationship_balance` as of that day, over the exchanges
made by then (later ones did not exist yet), with the same half-life and tolerance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from mutuality.core.errors import InvalidInput
from mutuality.core.value import (
    Flow,
    RelationshipBalance,
    ValueSettings,
    balances_of_columns,
    flow_columns,
)

if TYPE_CHECKING:
    from mutuality.core.analytics import ExchangeColumns

MAX_MONTHS = 120


def check_months(months: int) -> int:
    if isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(
            f"months must be 1 to {MAX_MONTHS}, got {months!r}", field="months", value=months
        )
    return months


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(today: date, months: int) -> list[date]:
    """The first day of each of the last ``months`` calendar months, oldest first, ending
    with the current month."""
    check_months(months)
    starts = [month_start(today)]
    while len(starts) < months:
        starts.append(month_start(starts[-1] - timedelta(days=1)))
    return starts[::-1]


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of those months; the current month ends today."""
    starts = months_back(today, months)
    ends = [start - timedelta(days=1) for start in starts[1:]]
    return [*ends, today]


@dataclass(frozen=True, slots=True)
class MonthFlow:
    """What flowed each way in one calendar month (raw benefit, not decayed)."""

    month: date
    """The month's first day."""
    given: float
    received: float
    times_given: int
    times_received: int
    through: date | None = None
    """The last day counted when the month was not over yet (the month to date, which a
    chart must not draw as a fall against whole months); ``None`` for a whole month."""

    @property
    def partial(self) -> bool:
        return self.through is not None


def month_to_date(month: date, through: date) -> date | None:
    """``through`` when it falls inside ``month`` before its last day, else ``None``."""
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return through if month <= through < next_month - timedelta(days=1) else None


def balance_history(
    me_id: int,
    them_id: int,
    flows: Iterable[Flow],
    points: list[date],
    settings: ValueSettings,
) -> list[RelationshipBalance]:
    """The relationship's balance as it stood on each day of ``points`` (oldest first)."""
    between = [f for f in flows if {f.giver_id, f.receiver_id} == {me_id, them_id}]
    if not between or me_id == them_id:
        return [RelationshipBalance(me_id, them_id, point, settings) for point in points]
    return history_of_columns(me_id, them_id, flow_columns(between), points, settings)


def history_of_columns(
    me_id: int,
    them_id: int,
    columns: ExchangeColumns,
    points: list[date],
    settings: ValueSettings,
) -> list[RelationshipBalance]:
    """:func:`balance_history` of the pair's exchanges as columns (rows between others are
    left out).

    All the points go through one pass of the vectorised sums: the exchanges made by each
    point are copied as a relationship of its own with a made-up person, each copy dated so
    that its age on the last point is its age on that point. Each figure is then what
    :func:`relationship_balance` gives as of that point, at the cost of one pass, not one
    per point, and with the copies made in NumPy rather than one object per exchange."""
    import numpy as np

    from mutuality.core.analytics import ExchangeColumns, day_number

    if not points:
        return []
    last = max(points)
    mine = columns.giver == me_id
    rows = np.flatnonzero(
        (mine & (columns.receiver == them_id))
        | ((columns.giver == them_id) & (columns.receiver == me_id))
    )
    stand_in = max(me_id, them_id) + 1  # one made-up person per point
    found = {}
    if len(rows) and me_id != them_id:
        days = np.array([day_number(point) for point in points], dtype=np.int64)
        point_of, row = np.nonzero(columns.day[rows][None, :] <= days[:, None])
        taken = rows[row]
        other = stand_in + point_of
        gave = mine[taken]
        stacked = ExchangeColumns(
            giver=np.where(gave, me_id, other).astype(np.int64),
            receiver=np.where(gave, other, me_id).astype(np.int64),
            day=(columns.day[taken] + (day_number(last) - days[point_of])).astype(np.int32),
            benefit=columns.benefit[taken],
            cost=columns.cost[taken],
            kind=columns.kind[taken],
            initiator=np.zeros(len(taken), dtype=np.int8),
        )
        found = balances_of_columns(me_id, stacked, last, settings)
    history = []
    for index, point in enumerate(points):
        summed = found.get(stand_in + index)
        if summed is None:
            history.append(RelationshipBalance(me_id, them_id, point, settings))
            continue
        shift = last - point
        history.append(
            replace(
                summed,
                them_id=them_id,
                as_of=point,
                last_on=None if summed.last_on is None else summed.last_on - shift,
            )
        )
    return history
