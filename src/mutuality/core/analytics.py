"""The ledger as columns, and the per-pair and per-person sums every judgement is made of.

One vectorised pass (NumPy: sort once by pair, then segment sums) gives, for every pair of
people who exchanged or touched base, the decayed flows each way and the timing figures
that health needs. The same functions serve one relationship right after an exchange is
logged and a whole organisation's ledger, so every figure has one definition: the decay
is :func:`mutuality.core.value.decay_weight`'s ``0.5 ** (age / half_life)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from mutuality.core.model import ExchangeKind

EPOCH = date(1970, 1, 1)
KIND_CODES: dict[ExchangeKind, int] = {kind: code for code, kind in enumerate(ExchangeKind)}
APPRECIATION = KIND_CODES[ExchangeKind.APPRECIATION]
NO_DAY = np.iinfo(np.int32).min
"""Stands for "never" in day columns."""

UNKNOWN, FIRST_SIDE, SECOND_SIDE = 0, 1, 2
"""Initiator codes: for an exchange, 1 = the giver reached out, 2 = the receiver asked; for
a touch, 1 = the owner reached out, 2 = the other person did."""


def day_number(value: date) -> int:
    """Days since 1970-01-01: the integer form of dates in every column."""
    return (value - EPOCH).days


Ints = NDArray[np.int64]
Days = NDArray[np.int32]
Floats = NDArray[np.float64]
Codes = NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class ExchangeColumns:
    """Exchanges as parallel arrays (one row per exchange)."""

    giver: Ints
    receiver: Ints
    day: Days
    benefit: Floats
    cost: Floats
    kind: Codes
    initiator: Codes

    def __len__(self) -> int:
        return len(self.giver)

    @classmethod
    def empty(cls) -> ExchangeColumns:
        return cls(
            *_empty_columns(
                7, (np.int64, np.int64, np.int32, np.float64, np.float64, np.int8, np.int8)
            )
        )


@dataclass(frozen=True, slots=True)
class TouchColumns:
    """Touches (contacts without an exchange) as parallel arrays."""

    owner: Ints
    person: Ints
    day: Days
    initiator: Codes

    def __len__(self) -> int:
        return len(self.owner)

    @classmethod
    def empty(cls) -> TouchColumns:
        return cls(*_empty_columns(4, (np.int64, np.int64, np.int32, np.int8)))


def _empty_columns(count: int, dtypes: tuple[type, ...]) -> list[NDArray[np.generic]]:
    return [np.zeros(0, dtype=dtype) for dtype in dtypes[:count]]


@dataclass(frozen=True, slots=True)
class PairFigures:
    """Per unordered pair ``a < b``: decayed flows, counts and timing (one row per pair)."""

    a: Ints
    b: Ints
    given_ab: Floats
    """Decayed benefit a gave b."""
    given_ba: Floats
    cost_a: Floats
    """Decayed cost a bore giving to b."""
    cost_b: Floats
    count_ab: Days
    count_ba: Days
    first_day: Days
    """First exchange or touch."""
    last_day: Days
    """Latest exchange or touch: what resets the check-in clock."""
    recent: Days
    """Exchanges and touches within the momentum window before ``as_of``."""
    previous: Days
    """Exchanges and touches in the window before that."""
    initiated_a: Days
    initiated_b: Days
    last_ab_day: Days
    """Latest day a gave b something (``NO_DAY`` when never)."""
    last_ba_day: Days
    thanks_ab_day: Days
    """Latest day a gave b appreciation (``NO_DAY`` when never)."""
    thanks_ba_day: Days

    def __len__(self) -> int:
        return len(self.a)

    def find(self, a: int, b: int) -> int | None:
        """Row of the pair (in either order), or ``None``."""
        low, high = min(a, b), max(a, b)
        start = int(np.searchsorted(self.a, low, side="left"))
        stop = int(np.searchsorted(self.a, low, side="right"))
        found = start + int(np.searchsorted(self.b[start:stop], high))
        if found < stop and self.b[found] == high:
            return found
        return None


def _join(first: NDArray[np.generic], second: NDArray[np.generic]) -> NDArray[np.generic]:
    """Concatenate, without copying when the second part is empty (no touches)."""
    return first if not len(second) else np.concatenate([first, second])


def _stable_order(key: Ints) -> Ints:
    """``argsort(key, kind="stable")``, several times faster: the row number is packed
    into the low bits of the key, so one plain sort gives the same order."""
    count = len(key)
    shift = max((count - 1).bit_length(), 1)
    if count and int(key.max()) < (1 << (62 - shift)):
        packed = np.sort((key.astype(np.int64) << shift) | np.arange(count, dtype=np.int64))
        return packed & ((1 << shift) - 1)
    return np.argsort(key, kind="stable")


def pair_figures(
    exchanges: ExchangeColumns,
    touches: TouchColumns,
    as_of: date,
    half_life_days: float,
    window_days: int,
) -> PairFigures:
    """Sum every pair's events in one sort: exchanges carry value; touches only timing."""
    today = day_number(as_of)
    giver = _join(exchanges.giver, touches.owner)
    receiver = _join(exchanges.receiver, touches.person)
    day = _join(exchanges.day, touches.day)
    is_exchange = np.zeros(len(giver), dtype=bool)
    is_exchange[: len(exchanges)] = True
    a = np.minimum(giver, receiver)
    b = np.maximum(giver, receiver)
    forward = giver == a
    base = np.int64(int(b.max()) + 1 if len(b) else 1)
    order = _stable_order(a * base + b)
    a, b, day, forward, is_exchange = (
        a[order],
        b[order],
        day[order],
        forward[order],
        is_exchange[order],
    )
    giver_ordered = giver[order]
    del giver, receiver
    if len(a):
        starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    else:
        starts = np.zeros(0, dtype=np.int64)

    weight = np.exp2(-np.maximum(today - day, 0) / half_life_days)
    weighted_benefit = weight * _join(exchanges.benefit, np.zeros(len(touches)))[order]
    weighted_cost = weight * _join(exchanges.cost, np.zeros(len(touches)))[order]
    del weight
    ab = forward & is_exchange
    ba = ~forward & is_exchange

    def total(values: NDArray[np.generic]) -> NDArray[np.generic]:
        if not len(starts):
            return np.zeros(0, dtype=values.dtype)
        return np.add.reduceat(values, starts)

    def latest(mask: NDArray[np.bool_]) -> Days:
        if not len(starts):
            return np.zeros(0, dtype=np.int32)
        return np.maximum.reduceat(np.where(mask, day, NO_DAY), starts).astype(np.int32)

    initiator = _join(exchanges.initiator, touches.initiator)[order]
    # Who initiated, as a pair side: an exchange's "giver reached out" means the giver side.
    first_is_initiator = (initiator == FIRST_SIDE) & (giver_ordered == a)
    first_is_initiator |= (initiator == SECOND_SIDE) & (giver_ordered != a)
    second_is_initiator = (initiator != UNKNOWN) & ~first_is_initiator
    kind = _join(exchanges.kind, np.full(len(touches), -1, dtype=np.int8))[order]
    thanks = kind == APPRECIATION
    recent = day > today - window_days
    previous = (day <= today - window_days) & (day > today - 2 * window_days)
    return PairFigures(
        a=a[starts],
        b=b[starts],
        given_ab=total(np.where(ab, weighted_benefit, 0.0)),
        given_ba=total(np.where(ba, weighted_benefit, 0.0)),
        cost_a=total(np.where(ab, weighted_cost, 0.0)),
        cost_b=total(np.where(ba, weighted_cost, 0.0)),
        count_ab=total(ab.astype(np.int32)),
        count_ba=total(ba.astype(np.int32)),
        first_day=(np.minimum.reduceat(day, starts) if len(starts) else day[:0]).astype(np.int32),
        last_day=latest(np.ones(len(day), dtype=bool)),
        recent=total(recent.astype(np.int32)),
        previous=total(previous.astype(np.int32)),
        initiated_a=total(first_is_initiator.astype(np.int32)),
        initiated_b=total(second_is_initiator.astype(np.int32)),
        last_ab_day=latest(ab),
        last_ba_day=latest(ba),
        thanks_ab_day=latest(ab & thanks),
        thanks_ba_day=latest(ba & thanks),
    )


@dataclass(frozen=True, slots=True)
class PersonTotals:
    """Per person over the whole ledger: what they gave and received, and with how many."""

    person: Ints
    gave: Floats
    """Decayed benefit this person gave anyone."""
    received: Floats
    cost: Floats
    """Decayed cost this person bore giving."""
    times_gave: Days
    times_received: Days
    gave_to: Days
    """Distinct people this person gave to."""
    received_from: Days
    last_day: Days


def person_totals(
    exchanges: ExchangeColumns, pairs: PairFigures, as_of: date, half_life_days: float
) -> PersonTotals:
    """Sum by person with ``bincount`` (people are dense integer ids)."""
    today = day_number(as_of)
    size = (
        int(
            max(
                exchanges.giver.max(initial=0),
                exchanges.receiver.max(initial=0),
                pairs.b.max(initial=0),
            )
        )
        + 1
    )
    weight = np.exp2(-np.maximum(today - exchanges.day, 0) / half_life_days)
    gave = np.bincount(exchanges.giver, weights=weight * exchanges.benefit, minlength=size)
    received = np.bincount(exchanges.receiver, weights=weight * exchanges.benefit, minlength=size)
    cost = np.bincount(exchanges.giver, weights=weight * exchanges.cost, minlength=size)
    times_gave = np.bincount(exchanges.giver, minlength=size).astype(np.int32)
    times_received = np.bincount(exchanges.receiver, minlength=size).astype(np.int32)
    gave_to = (
        np.bincount(pairs.a[pairs.count_ab > 0], minlength=size)
        + np.bincount(pairs.b[pairs.count_ba > 0], minlength=size)
    ).astype(np.int32)
    received_from = (
        np.bincount(pairs.b[pairs.count_ab > 0], minlength=size)
        + np.bincount(pairs.a[pairs.count_ba > 0], minlength=size)
    ).astype(np.int32)
    last = np.full(size, NO_DAY, dtype=np.int32)
    np.maximum.at(last, pairs.a, pairs.last_day)
    np.maximum.at(last, pairs.b, pairs.last_day)
    seen = (times_gave + times_received > 0) | (last != NO_DAY)
    people = np.flatnonzero(seen)
    return PersonTotals(
        person=people,
        gave=gave[people],
        received=received[people],
        cost=cost[people],
        times_gave=times_gave[people],
        times_received=times_received[people],
        gave_to=gave_to[people],
        received_from=received_from[people],
        last_day=last[people],
    )
