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
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from mutuality.core.model import ExchangeKind
from mutuality.core.pair_rows import pair_order

EPOCH = date(1970, 1, 1)
KIND_CODES: dict[ExchangeKind, int] = {kind: code for code, kind in enumerate(ExchangeKind)}
APPRECIATION = KIND_CODES[ExchangeKind.APPRECIATION]
INTRODUCTION = KIND_CODES[ExchangeKind.INTRODUCTION]
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
_Scalar = TypeVar("_Scalar", bound=np.generic)


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


def _empty_columns(count: int, dtypes: tuple[type, ...]) -> list[NDArray[Any]]:
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


def _join(first: NDArray[_Scalar], second: NDArray[_Scalar]) -> NDArray[_Scalar]:
    """Concatenate, without copying when the second part is empty (no touches)."""
    return first if not len(second) else np.concatenate([first, second])


def without_introductions_by(exchanges: ExchangeColumns, introducer: int) -> ExchangeColumns:
    """The exchanges without the introductions ``introducer`` made: an introduction is the
    introducer's contribution to both sides (the report and the portfolio count it), never a
    debt of the one introduced, and one introduction alone never changes anyone's status, so
    it moves no balance, net, style or check-in clock. The columns are copied only when
    there is such an introduction."""
    made = (exchanges.kind == INTRODUCTION) & (exchanges.giver == introducer)
    if not made.any():
        return exchanges
    kept = ~made
    return ExchangeColumns(*(getattr(exchanges, name)[kept] for name in ExchangeColumns.__slots__))


def decay(day: Days, today: int, half_life_days: float) -> Floats:
    """Each row's weight ``0.5 ** (age / half_life)``, age floored at 0 (as
    :func:`mutuality.core.value.decay_weight`): worked out once per distinct day and looked
    up, since a ledger spans far fewer days than it has rows."""
    if not len(day):
        return np.zeros(0)
    low, high = int(day.min()), int(day.max())
    if high - low > len(day):
        return np.exp2(-np.maximum(today - day, 0) / half_life_days)
    days = np.arange(low, high + 1, dtype=day.dtype)
    return np.exp2(-np.maximum(today - days, 0) / half_life_days)[day - low]


SIDE_AB, SIDE_BA, SIDE_TOUCH = 0, 1, 2
"""A row's side in its pair: ``a`` gave ``b``, ``b`` gave ``a``, or a touch (no value)."""
THANKS = 4
"""Flag in a row's code: an exchange of appreciation."""
BY_A, BY_B = 8, 16
"""Flags in a row's code: side ``a`` or side ``b`` reached out."""


def pair_figures(
    exchanges: ExchangeColumns,
    touches: TouchColumns,
    as_of: date,
    half_life_days: float,
    window_days: int,
) -> PairFigures:
    """Sum every pair's events: exchanges carry value; touches only timing.

    One sort puts the rows in pair order (:mod:`mutuality.core.pair_rows`); then, a chunk of
    rows at a time, each row gets a slot (its pair times the number of sides, plus its side)
    and each figure is one ``bincount`` or ``maximum.at`` over the slots: a ``groupby`` by
    pair and side without a full-length temporary per figure."""
    today = day_number(as_of)
    giver = _join(exchanges.giver, touches.owner)
    receiver = _join(exchanges.receiver, touches.person)
    order = pair_order(giver, receiver)
    codes = _codes(exchanges, touches, giver, receiver)
    del giver, receiver
    day = _join(exchanges.day, touches.day)
    benefit = _join(exchanges.benefit, np.zeros(len(touches)))
    cost = _join(exchanges.cost, np.zeros(len(touches)))
    sides = 3 if len(touches) else 2
    out = _Sums(order.count)
    for chunk in order.chunks():
        code = np.take(codes, chunk.rows)
        slot = chunk.pair * sides
        slot += code & 3
        when = np.take(day, chunk.rows)
        weight = decay(when, today, half_life_days)
        size = chunk.pairs * sides
        into = slice(chunk.first, chunk.first + chunk.pairs)
        for column, ab, ba in (
            (benefit, out.given_ab, out.given_ba),
            (cost, out.cost_a, out.cost_b),
        ):
            value = np.take(column, chunk.rows)
            value *= weight
            summed = np.bincount(slot, weights=value, minlength=size).reshape(-1, sides)
            ab[into] += summed[:, SIDE_AB]
            ba[into] += summed[:, SIDE_BA]
        counted = np.bincount(slot, minlength=size).reshape(-1, sides)
        out.count_ab[into] += counted[:, SIDE_AB]
        out.count_ba[into] += counted[:, SIDE_BA]
        latest = _latest(slot, when, size).reshape(-1, sides)
        _later(out.last_ab_day[into], latest[:, SIDE_AB])
        _later(out.last_ba_day[into], latest[:, SIDE_BA])
        for side in range(sides):  # (a loop over the few sides beats a reduce over axis 1)
            _later(out.last_day[into], latest[:, side])
        earliest = np.full(chunk.pairs, NEVER_FIRST, dtype=np.int32)
        np.minimum.at(earliest, chunk.pair, when)
        np.minimum(out.first_day[into], earliest, out=out.first_day[into])
        out.recent[into] += np.bincount(
            chunk.pair[when > today - window_days], minlength=chunk.pairs
        )
        earlier = (when <= today - window_days) & (when > today - 2 * window_days)
        out.previous[into] += np.bincount(chunk.pair[earlier], minlength=chunk.pairs)
        thanked = (code & THANKS).astype(bool)
        if thanked.any():
            thanks = _latest(slot[thanked], when[thanked], size).reshape(-1, sides)
            _later(out.thanks_ab_day[into], thanks[:, SIDE_AB])
            _later(out.thanks_ba_day[into], thanks[:, SIDE_BA])
        for flag, initiated in ((BY_A, out.initiated_a), (BY_B, out.initiated_b)):
            by = (code & flag).astype(bool)
            if by.any():
                initiated[into] += np.bincount(chunk.pair[by], minlength=chunk.pairs)
        begun = slice(chunk.first + chunk.pairs - len(chunk.new_keys), chunk.first + chunk.pairs)
        out.a[begun] = chunk.new_keys // order.base
        out.b[begun] = chunk.new_keys % order.base
    return PairFigures(**{name: getattr(out, name) for name in PairFigures.__slots__})


class _Sums:
    """The results, filled chunk by chunk."""

    # Set by ``__init__`` from ``_START``: the columns of :class:`PairFigures`.
    a: Ints
    b: Ints
    given_ab: Floats
    given_ba: Floats
    cost_a: Floats
    cost_b: Floats
    count_ab: Days
    count_ba: Days
    first_day: Days
    last_day: Days
    recent: Days
    previous: Days
    initiated_a: Days
    initiated_b: Days
    last_ab_day: Days
    last_ba_day: Days
    thanks_ab_day: Days
    thanks_ba_day: Days

    def __init__(self, count: int) -> None:
        for name, dtype, fill in _START:  # (zeros stay unmapped until written: no cost)
            start: NDArray[Any] = (
                np.zeros(count, dtype) if fill == 0 else np.full(count, fill, dtype)
            )
            setattr(self, name, start)


NEVER_FIRST = np.iinfo(np.int32).max
"""Where ``first_day`` starts before a chunk brings an earlier day."""


def _start(name: str) -> tuple[type, int]:
    """A result column's type and starting value."""
    if name in ("a", "b"):
        return np.int64, 0
    if name.startswith(("given", "cost")):
        return np.float64, 0
    if name.startswith(("last", "thanks")):
        return np.int32, NO_DAY
    return np.int32, NEVER_FIRST if name == "first_day" else 0


_START = [(name, *_start(name)) for name in PairFigures.__slots__]


def _codes(
    exchanges: ExchangeColumns, touches: TouchColumns, giver: Ints, receiver: Ints
) -> NDArray[np.int8]:
    """Per row: its side, whether it is a thank-you, and which side reached out, as bits
    (one small column to read in pair order instead of three)."""
    codes = (giver > receiver).view(np.int8)  # SIDE_AB (0) or SIDE_BA (1)
    codes[len(exchanges) :] = SIDE_TOUCH
    codes[: len(exchanges)] |= (exchanges.kind == APPRECIATION).view(np.int8) * np.int8(THANKS)
    initiator = _join(exchanges.initiator, touches.initiator)
    if initiator.any():
        # An exchange's "giver reached out" is the giver's side; a touch's "owner reached
        # out" the owner's side.
        forward = giver <= receiver
        by_a = ((initiator == FIRST_SIDE) & forward) | ((initiator == SECOND_SIDE) & ~forward)
        by_b = (initiator != UNKNOWN) & ~by_a
        codes |= by_a.view(np.int8) * np.int8(BY_A)
        codes |= by_b.view(np.int8) * np.int8(BY_B)
    return codes


def _latest(slot: Ints, day: Days, size: int) -> Days:
    """The latest day in each slot (``NO_DAY`` where none)."""
    latest = np.full(size, NO_DAY, dtype=np.int32)
    np.maximum.at(latest, slot, day)
    return latest


def _later(into: Days, found: Days) -> None:
    np.maximum(into, found, out=into)


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


def person_totals(pairs: PairFigures) -> PersonTotals:
    """Sum the pair figures by person with ``bincount`` (people are dense integer ids): a
    pair's ``a`` side goes to ``a`` and its ``b`` side to ``b``. Summing pairs rather than
    exchanges reads a third fewer rows, and the exchange columns can go once the pair
    figures exist."""
    size = int(pairs.b.max(initial=0)) + 1

    def by_person(for_a: NDArray[np.generic], for_b: NDArray[np.generic]) -> Floats:
        # With weights, bincount returns floats; numpy's stubs say intp whatever the weights.
        found = cast(Floats, np.bincount(pairs.a, weights=for_a, minlength=size))
        found += np.bincount(pairs.b, weights=for_b, minlength=size)
        return found

    gave_any, received_any = pairs.count_ab > 0, pairs.count_ba > 0
    times_gave = by_person(pairs.count_ab, pairs.count_ba).astype(np.int32)
    times_received = by_person(pairs.count_ba, pairs.count_ab).astype(np.int32)
    last = np.full(size, NO_DAY, dtype=np.int32)
    np.maximum.at(last, pairs.a, pairs.last_day)
    np.maximum.at(last, pairs.b, pairs.last_day)
    people = np.flatnonzero((times_gave + times_received > 0) | (last != NO_DAY))
    return PersonTotals(
        person=people,
        gave=by_person(pairs.given_ab, pairs.given_ba)[people],
        received=by_person(pairs.given_ba, pairs.given_ab)[people],
        cost=by_person(pairs.cost_a, pairs.cost_b)[people],
        times_gave=times_gave[people],
        times_received=times_received[people],
        gave_to=by_person(gave_any, received_any)[people].astype(np.int32),
        received_from=by_person(received_any, gave_any)[people].astype(np.int32),
        last_day=last[people],
    )
