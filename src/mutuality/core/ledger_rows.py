"""Picking rows out of the ledger's columns, and padding a relationship's rows with the
people who have none yet: the small selections the health passes share."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

import numpy as np

from mutuality.core.analytics import NO_DAY, ExchangeColumns, TouchColumns
from mutuality.core.health import Oriented

Columns = TypeVar("Columns", ExchangeColumns, TouchColumns)


def rows_where(columns: Columns, keep: np.ndarray) -> Columns:
    """The rows where ``keep`` is true (the same columns, unchanged, when all are kept)."""
    if keep.all():
        return columns
    return type(columns)(*(getattr(columns, f.name)[keep] for f in dataclasses.fields(columns)))


def involving(exchanges: ExchangeColumns, person: int) -> ExchangeColumns:
    """The exchanges ``person`` gave or received."""
    keep = (exchanges.giver == person) | (exchanges.receiver == person)
    return rows_where(exchanges, keep)


def between(exchanges: ExchangeColumns, owner: int, other: int) -> ExchangeColumns:
    """The exchanges between the owner and ``other`` among ``other``'s exchanges."""
    keep = ((exchanges.giver == owner) & (exchanges.receiver == other)) | (
        (exchanges.giver == other) & (exchanges.receiver == owner)
    )
    return rows_where(exchanges, keep)


def with_everyone(rows: Oriented, owner: int, people: list[int]) -> Oriented:
    """Add an empty row for each person with no exchange or touch yet (they are quiet)."""
    missing = np.setdiff1d(np.array(people, dtype=np.int64), rows.them)
    if not len(missing):
        return rows
    count = len(missing)

    def extend(values: np.ndarray, fill: float | int) -> np.ndarray:
        return np.concatenate([values, np.full(count, fill, dtype=values.dtype)])

    return Oriented(
        me=extend(rows.me, owner),
        them=np.concatenate([rows.them, missing]),
        given=extend(rows.given, 0.0),
        received=extend(rows.received, 0.0),
        my_cost=extend(rows.my_cost, 0.0),
        their_cost=extend(rows.their_cost, 0.0),
        times_given=extend(rows.times_given, 0),
        times_received=extend(rows.times_received, 0),
        first_day=extend(rows.first_day, NO_DAY),
        last_day=extend(rows.last_day, NO_DAY),
        recent=extend(rows.recent, 0),
        previous=extend(rows.previous, 0),
        my_initiatives=extend(rows.my_initiatives, 0),
        their_initiatives=extend(rows.their_initiatives, 0),
        last_received_day=extend(rows.last_received_day, NO_DAY),
        my_thanks_day=extend(rows.my_thanks_day, NO_DAY),
    )
