"""Figures over time for charts: month boundaries, and a relationship's balance as it stood.

A chart must show the same figures as the rest of the tool, so the balance at each point
is :func:`mutuality.core.value.relationship_balance` as of that day, over the exchanges
made by then (later ones did not exist yet), with the same half-life and tolerance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from mutuality.core.errors import InvalidInput
from mutuality.core.value import Flow, RelationshipBalance, ValueSettings, relationship_balance

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


def balance_history(
    me_id: int,
    them_id: int,
    flows: Iterable[Flow],
    points: list[date],
    settings: ValueSettings,
) -> list[RelationshipBalance]:
    """The relationship's balance as it stood on each day of ``points`` (oldest first)."""
    ordered = sorted(flows, key=lambda flow: flow.on)
    history = []
    for point in points:
        so_far = [flow for flow in ordered if flow.on <= point]
        history.append(relationship_balance(me_id, them_id, so_far, point, settings))
    return history
