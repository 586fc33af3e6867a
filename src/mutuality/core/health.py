"""Relationship health: one status, one next action and an urgency per relationship,
decided from the pair figures of :mod:`mutuality.core.analytics`, vectorised so that a
whole organisation's ledger is judged in one pass and one relationship the same way.

The rules, in order (the first that holds gives the status; ``docs/value-model.md`` gives
each threshold's reason):

1. quiet: nothing logged, no exchange and no touch.
2. new: first contact within ``new_days`` and fewer than ``new_max_exchanges`` exchanges.
3. fading: silent for more than ``fading_factor`` x cadence, or activity fell to a quarter
   (momentum at most ``fading_momentum``) after at least ``fading_min_previous`` events.
4. overdue: silent for longer than the check-in cadence.
5. over-giving / over-receiving: the balance is outside the tolerance band.
6. thriving: balanced, both nets positive, active in the momentum window, not declining,
   and (where check-ins exist) satisfied.
7. balanced: everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import NO_DAY, PairFigures
from mutuality.core.health_rules import (
    ACTION_ORDER,
    DEFAULT_CADENCE_DAYS,
    STATUS_ORDER,
    Action,
    HealthSettings,
    Status,
    cadence_for,
)

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Oriented:
    """Pair figures seen from one side ("me"), one row per relationship."""

    me: NDArray[np.int64]
    them: NDArray[np.int64]
    given: Floats
    received: Floats
    my_cost: Floats
    their_cost: Floats
    times_given: NDArray[np.int32]
    times_received: NDArray[np.int32]
    first_day: NDArray[np.int32]
    last_day: NDArray[np.int32]
    recent: NDArray[np.int32]
    previous: NDArray[np.int32]
    my_initiatives: NDArray[np.int32]
    their_initiatives: NDArray[np.int32]
    last_received_day: NDArray[np.int32]
    my_thanks_day: NDArray[np.int32]


def orient(pairs: PairFigures, me_is_a: Bools) -> Oriented:
    """Turn ``a``/``b`` columns into ``me``/``them`` columns, row by row."""

    all_a = bool(me_is_a.all())

    def pick(if_a: NDArray[np.generic], if_b: NDArray[np.generic]) -> NDArray[np.generic]:
        return if_a if all_a else np.where(me_is_a, if_a, if_b)

    return Oriented(
        me=pick(pairs.a, pairs.b),
        them=pick(pairs.b, pairs.a),
        given=pick(pairs.given_ab, pairs.given_ba),
        received=pick(pairs.given_ba, pairs.given_ab),
        my_cost=pick(pairs.cost_a, pairs.cost_b),
        their_cost=pick(pairs.cost_b, pairs.cost_a),
        times_given=pick(pairs.count_ab, pairs.count_ba),
        times_received=pick(pairs.count_ba, pairs.count_ab),
        first_day=pairs.first_day,
        last_day=pairs.last_day,
        recent=pairs.recent,
        previous=pairs.previous,
        my_initiatives=pick(pairs.initiated_a, pairs.initiated_b),
        their_initiatives=pick(pairs.initiated_b, pairs.initiated_a),
        last_received_day=pick(pairs.last_ba_day, pairs.last_ab_day),
        my_thanks_day=pick(pairs.thanks_ab_day, pairs.thanks_ba_day),
    )


@dataclass(frozen=True, slots=True)
class Judgement:
    """The derived figures and the verdict for each row of an :class:`Oriented`."""

    balance: Floats
    """NaN where no benefit flowed."""
    my_net: Floats
    their_net: Floats
    momentum: Floats
    """(recent - previous) / (recent + previous); NaN with no activity in either window."""
    equity: Floats
    """(my ratio - their ratio) / (my ratio + their ratio), ratio = benefit received over
    cost borne: positive when I get the better deal."""
    initiative_share: Floats
    """Share of known initiatives that were mine; NaN when none is known."""
    days_since: NDArray[np.int64]
    cadence: NDArray[np.int64]
    appreciation_due: Bools
    status: NDArray[np.int8]
    action: NDArray[np.int8]
    urgency: Floats


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Only the verdict of each row: what a whole organisation's ledger keeps."""

    status: NDArray[np.int8]
    action: NDArray[np.int8]
    urgency: Floats


SLICE_ROWS = 1 << 16
"""Rows judged at a time: the rules are row by row, and slices this size keep their few
dozen temporaries in the cache instead of allocating each one at full length."""


def judge(
    rows: Oriented,
    today: int,
    tolerance: float,
    settings: HealthSettings,
    cadence: NDArray[np.int64],
    satisfaction: Floats | None = None,
    capacity_strained: bool = False,
) -> Judgement:
    """Apply the rules of this module to every row (a slice of rows at a time)."""
    parts = [
        judged
        for _, judged in _judge_slices(
            rows, today, tolerance, settings, cadence, satisfaction, capacity_strained
        )
    ]
    if len(parts) == 1:
        return parts[0]
    return Judgement(
        *(np.concatenate([getattr(part, name) for part in parts]) for name in Judgement.__slots__)
    )


def verdicts(
    rows: Oriented,
    today: int,
    tolerance: float,
    settings: HealthSettings,
    cadence: NDArray[np.int64],
    satisfaction: Floats | None = None,
    capacity_strained: bool = False,
) -> Verdicts:
    """The same rules as :func:`judge`, keeping only status, action and urgency: every
    relationship of a large ledger judged in a fraction of the memory."""
    count = len(rows.me)
    found = Verdicts(
        np.empty(count, dtype=np.int8), np.empty(count, dtype=np.int8), np.empty(count)
    )
    for part, judged in _judge_slices(
        rows, today, tolerance, settings, cadence, satisfaction, capacity_strained
    ):
        found.status[part] = judged.status
        found.action[part] = judged.action
        found.urgency[part] = judged.urgency
    return found


def _judge_slices(
    rows: Oriented,
    today: int,
    tolerance: float,
    settings: HealthSettings,
    cadence: NDArray[np.int64],
    satisfaction: Floats | None,
    capacity_strained: bool,
) -> Iterator[tuple[slice, Judgement]]:
    count = len(rows.me)
    starts = range(0, count, SLICE_ROWS) if count else [0]
    for start in starts:
        part = slice(start, start + SLICE_ROWS)
        yield (
            part,
            _judge(
                _part(rows, part),
                today,
                tolerance,
                settings,
                cadence[part],
                None if satisfaction is None else satisfaction[part],
                capacity_strained,
            ),
        )


def _part(rows: Oriented, part: slice) -> Oriented:
    return Oriented(*(getattr(rows, name)[part] for name in Oriented.__slots__))


def _judge(
    rows: Oriented,
    today: int,
    tolerance: float,
    settings: HealthSettings,
    cadence: NDArray[np.int64],
    satisfaction: Floats | None,
    capacity_strained: bool,
) -> Judgement:
    given, received = rows.given, rows.received
    with np.errstate(divide="ignore", invalid="ignore"):
        flow = given + received
        balance = np.where(flow > 0, (given - received) / flow, np.nan)
        activity = (rows.recent + rows.previous).astype(np.float64)
        momentum = np.where(activity > 0, (rows.recent - rows.previous) / activity, np.nan)
        my_ratio = received / np.maximum(rows.my_cost, settings.equity_floor)
        their_ratio = given / np.maximum(rows.their_cost, settings.equity_floor)
        ratio_sum = my_ratio + their_ratio
        equity = np.where(ratio_sum > 0, (my_ratio - their_ratio) / ratio_sum, np.nan)
        known = (rows.my_initiatives + rows.their_initiatives).astype(np.float64)
        initiative_share = np.where(known > 0, rows.my_initiatives / known, np.nan)
    my_net = received - rows.my_cost
    their_net = given - rows.their_cost
    never = rows.last_day == NO_DAY
    days_since = np.where(never, 0, today - rows.last_day.astype(np.int64))
    exchanges = rows.times_given + rows.times_received
    satisfied = (
        np.ones(len(given), dtype=bool)
        if satisfaction is None
        else np.isnan(satisfaction) | (satisfaction >= settings.satisfied_from)
    )
    appreciation_due = (
        (received >= settings.appreciation_min_received)
        & (rows.last_received_day > rows.my_thanks_day)
        & (today - rows.last_received_day.astype(np.int64) <= settings.appreciation_recent_days)
    )
    outside = np.nan_to_num(balance, nan=0.0)
    trend = np.nan_to_num(momentum, nan=0.0)
    quiet = never
    new = (
        ~quiet
        & (today - rows.first_day.astype(np.int64) <= settings.new_days)
        & (exchanges < settings.new_max_exchanges)
    )
    fading = (days_since > settings.fading_factor * cadence) | (
        (trend <= settings.fading_momentum) & (rows.previous >= settings.fading_min_previous)
    )
    overdue = days_since > cadence
    over_giving = outside > tolerance
    over_receiving = outside < -tolerance
    thriving = (my_net > 0) & (their_net > 0) & (rows.recent > 0) & (trend >= 0) & satisfied
    status = _first_true(
        [quiet, new, fading, overdue, over_giving, over_receiving, thriving],
        [
            _code(Status.QUIET),
            _code(Status.NEW),
            _code(Status.FADING),
            _code(Status.OVERDUE),
            _code(Status.OVER_GIVING),
            _code(Status.OVER_RECEIVING),
            _code(Status.THRIVING),
        ],
        _code(Status.BALANCED),
    )
    action, urgency = _next_action(
        status,
        outside,
        momentum,
        my_net,
        days_since,
        cadence,
        appreciation_due,
        flow,
        capacity_strained,
    )
    return Judgement(
        balance=balance,
        my_net=my_net,
        their_net=their_net,
        momentum=momentum,
        equity=equity,
        initiative_share=initiative_share,
        days_since=days_since,
        cadence=cadence,
        appreciation_due=appreciation_due,
        status=status,
        action=action,
        urgency=urgency,
    )


def _first_true(conditions: list[Bools], codes: list[int], default: int) -> NDArray[np.int8]:
    """``np.select`` for small codes: the code of the first condition that holds, else the
    default. The conditions become the bits of one byte per row and the answer is looked
    up, several times cheaper than ``np.select``'s masked copies."""
    bits = np.zeros(len(conditions[0]), dtype=np.uint8)
    for bit, condition in enumerate(conditions):
        bits |= condition.view(np.uint8) << np.uint8(bit)
    return _first_true_table(tuple(codes), default)[bits]


@cache
def _first_true_table(codes: tuple[int, ...], default: int) -> NDArray[np.int8]:
    """For every combination of up to eight conditions, the code of the lowest that holds."""
    table = np.full(1 << len(codes), default, dtype=np.int8)
    for bits in range(1, len(table)):
        table[bits] = codes[(bits & -bits).bit_length() - 1]
    return table


def _code(status: Status) -> int:
    return STATUS_ORDER.index(status)


_BASE_URGENCY = np.array(
    [
        {
            Status.OVERDUE: 2.0,  # + how far overdue (up to 3 cadences)
            Status.FADING: 1.5,  # + years silent (up to 1)
            Status.OVER_RECEIVING: 1.0,  # + the lean of the balance
            Status.OVER_GIVING: 1.0,  # + the lean, + 1 when capacity is strained
            Status.NEW: 1.2,
            Status.QUIET: 0.5,
            Status.THRIVING: 0.3,
        }.get(status, 0.5)
        for status in STATUS_ORDER
    ]
)
"""Each status's base urgency, before what :func:`_next_action` adds row by row."""


def _act(action: Action) -> int:
    return ACTION_ORDER.index(action)


def _next_action(
    status: NDArray[np.int8],
    outside: Floats,
    momentum: Floats,
    my_net: Floats,
    days_since: NDArray[np.int64],
    cadence: NDArray[np.int64],
    appreciation_due: Bools,
    flow: Floats,
    capacity_strained: bool,
) -> tuple[NDArray[np.int8], Floats]:
    """One action per status, and an urgency that ranks them (documented in the docs)."""
    is_ = {s: status == _code(s) for s in Status}
    declining = momentum < 0  # (never where NaN)
    action = _first_true(
        [
            is_[Status.QUIET] | is_[Status.NEW] | is_[Status.FADING] | is_[Status.OVERDUE],
            is_[Status.OVER_RECEIVING] & appreciation_due,
            is_[Status.OVER_RECEIVING],
            # My budget is at risk: decline their next ask kindly, with a third option.
            is_[Status.OVER_GIVING] & capacity_strained,
            # Giving costs me more than I get back: stop offering until it evens out.
            is_[Status.OVER_GIVING] & (my_net < 0),
            is_[Status.OVER_GIVING],
            appreciation_due,
            is_[Status.BALANCED] & declining,
        ],
        [
            _act(Action.CHECK_IN),
            _act(Action.THANK),
            _act(Action.GIVE_BACK),
            _act(Action.SAY_NO_KINDLY),
            _act(Action.PAUSE_GIVING),
            _act(Action.CHECK_IN),
            _act(Action.THANK),
            _act(Action.CHECK_IN),
        ],
        _act(Action.INTRODUCE),
    )
    lean = np.abs(outside)
    overdue_by = np.clip((days_since - cadence) / np.maximum(cadence, 1), 0, 3)
    base = _BASE_URGENCY[status]
    np.add(base, overdue_by, out=base, where=is_[Status.OVERDUE])
    np.add(base, np.minimum(days_since / 365, 1.0), out=base, where=is_[Status.FADING])
    np.add(base, lean, out=base, where=is_[Status.OVER_RECEIVING] | is_[Status.OVER_GIVING])
    if capacity_strained:
        np.add(base, 1.0, out=base, where=is_[Status.OVER_GIVING])
    urgency = (base + 0.8 * appreciation_due) * (1.0 + np.log10(1.0 + flow))
    return action, urgency


__all__ = [
    "ACTION_ORDER",
    "DEFAULT_CADENCE_DAYS",
    "STATUS_ORDER",
    "Action",
    "HealthSettings",
    "Judgement",
    "Oriented",
    "Status",
    "Verdicts",
    "cadence_for",
    "judge",
    "orient",
    "verdicts",
]
