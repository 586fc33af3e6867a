"""Relationship health: one status, one next action and an urgency per relationship,
decided from the pair figures of :mod:`mutuality.core.analytics`, vectorised so that a
whole organisation's ledger is judged in one pass and one relationship the same way.

The rules, in order (the first that holds gives the status; ``docs/value-model.md`` gives
each threshold's reason):

1. quiet: nothing logged, no exchange and no touch.
2. new: first contact within ``new_days`` and fewer than ``new_max_exchanges`` exchanges.
3. fading: silent for more than ``fading_factor`` x cadence, or activity fell to a quarter
   (momentum at most ``fading_momentum``) after at least ``fading_min_previous`` events.
   Never for a close tie (partner, family): it is not kept alive by logging.
4. overdue: silent for longer than the check-in cadence; for a close tie, the days since the
   last check-in (none before the first one).
5. over-giving / over-receiving: the balance is outside the tolerance band, in a reciprocal
   tie. The band is ``agreed_stretch`` times wider where both sides said at their latest
   check-in that they are satisfied and that it is about even.
6. uneven by choice: outside the band in a tie of another intent (care, mentoring, service,
   close): no verdict on them (:mod:`mutuality.core.intent`).
7. thriving: balanced, both nets positive, active in the momentum window, not declining,
   and (where check-ins exist) satisfied.
8. balanced: everything else.

What people said outweighs what the ledger infers: a wish from a check-in waiting for me, or
low or falling satisfaction, decides the next action before anything the figures suggest
(:func:`_next_action`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

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
from mutuality.core.intent import INTENT_ORDER
from mutuality.core.model import Intent

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
_Scalar = TypeVar("_Scalar", bound=np.generic)


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

    def pick(if_a: NDArray[_Scalar], if_b: NDArray[_Scalar]) -> NDArray[_Scalar]:
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
class Signals:
    """What the figures cannot see, one row per relationship: what the tie is for and what
    the two people said. Built by the services from intents, states and check-ins."""

    intent: NDArray[np.int8]
    """Codes of :data:`mutuality.core.intent.INTENT_ORDER`."""
    agreed_even: Bools
    """Both said at the latest check-in that they are satisfied and that it is about even."""
    i_am_unhappy: Bools
    """My own latest satisfaction is low (:data:`mutuality.core.checkins.LOW_SATISFACTION`)."""
    alarm: Bools
    """Either side's latest satisfaction is low or fell by 2 or more
    (:func:`mutuality.core.checkins.satisfaction_alarm`)."""
    wish: Bools
    """What they said would make it better waits for me to act on it."""
    win: Bools
    """An outcome was logged for them lately: a reason to congratulate them."""
    checkin_day: NDArray[np.int32]
    """The latest check-in (``NO_DAY`` when none): a close tie's clock."""

    @classmethod
    def none(cls, count: int) -> Signals:
        """No intent chosen, nothing said: every tie reciprocal, as the figures alone judge."""
        no = np.zeros(count, dtype=bool)
        return cls(
            np.zeros(count, dtype=np.int8),
            no,
            no,
            no,
            no,
            no,
            np.full(count, NO_DAY, dtype=np.int32),
        )


INTENT_CODE = {intent: code for code, intent in enumerate(INTENT_ORDER)}


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
    stretched: Bools
    """The band was widened because both sides said it is about even."""


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
    signals: Signals | None = None,
) -> Judgement:
    """Apply the rules of this module to every row (a slice of rows at a time)."""
    parts = [
        judged
        for _, judged in _judge_slices(
            rows, today, tolerance, settings, cadence, satisfaction, capacity_strained, signals
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
    signals: Signals | None = None,
) -> Verdicts:
    """The same rules as :func:`judge`, keeping only status, action and urgency: every
    relationship of a large ledger judged in a fraction of the memory."""
    count = len(rows.me)
    found = Verdicts(
        np.empty(count, dtype=np.int8), np.empty(count, dtype=np.int8), np.empty(count)
    )
    for part, judged in _judge_slices(
        rows, today, tolerance, settings, cadence, satisfaction, capacity_strained, signals
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
    signals: Signals | None,
) -> Iterator[tuple[slice, Judgement]]:
    count = len(rows.me)
    if signals is None:
        signals = Signals.none(count)
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
                Signals(*(getattr(signals, name)[part] for name in Signals.__slots__)),
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
    signals: Signals,
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
    reciprocal = signals.intent == INTENT_CODE[Intent.RECIPROCAL]
    close = signals.intent == INTENT_CODE[Intent.CLOSE]
    stretched = signals.agreed_even & (np.abs(outside) > tolerance)
    band = np.where(signals.agreed_even, tolerance * settings.agreed_stretch, tolerance)
    quiet = never
    new = (
        ~quiet
        & (today - rows.first_day.astype(np.int64) <= settings.new_days)
        & (exchanges < settings.new_max_exchanges)
    )
    fading = ~close & (
        (days_since > settings.fading_factor * cadence)
        | ((trend <= settings.fading_momentum) & (rows.previous >= settings.fading_min_previous))
    )
    checked_in = signals.checkin_day != NO_DAY
    since_checkin = today - signals.checkin_day.astype(np.int64)
    overdue = np.where(close, checked_in & (since_checkin > cadence), days_since > cadence)
    over_giving = reciprocal & (outside > band)
    over_receiving = reciprocal & (outside < -band)
    uneven = ~reciprocal & (np.abs(outside) > tolerance)
    thriving = (my_net > 0) & (their_net > 0) & (rows.recent > 0) & (trend >= 0) & satisfied
    status = _first_true(
        [quiet, new, fading, overdue, over_giving, over_receiving, uneven, thriving],
        [
            _code(Status.QUIET),
            _code(Status.NEW),
            _code(Status.FADING),
            _code(Status.OVERDUE),
            _code(Status.OVER_GIVING),
            _code(Status.OVER_RECEIVING),
            _code(Status.UNEVEN_BY_CHOICE),
            _code(Status.THRIVING),
        ],
        _code(Status.BALANCED),
    )
    long_steady = (
        (today - rows.first_day.astype(np.int64) >= settings.appreciate_after_days)
        & (rows.recent > 0)
        & (rows.previous > 0)
        & (
            (rows.my_thanks_day == NO_DAY)
            | (today - rows.my_thanks_day.astype(np.int64) > settings.appreciation_recent_days)
        )
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
        signals,
        band,
        long_steady,
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
        stretched=stretched,
    )


def _first_true(conditions: list[Bools], codes: list[int], default: int) -> NDArray[np.int8]:
    """``np.select`` for small codes: the code of the first condition that holds, else the
    default. The conditions become the bits of one integer per row and the answer is looked
    up, several times cheaper than ``np.select``'s masked copies."""
    wide = len(conditions) > 8
    kind: type[np.unsignedinteger[Any]] = np.uint16 if wide else np.uint8
    bits: NDArray[np.unsignedinteger[Any]] = np.zeros(len(conditions[0]), dtype=kind)
    for bit, condition in enumerate(conditions):
        bits |= condition.astype(kind) << kind(bit)
    found: NDArray[np.int8] = _first_true_table(tuple(codes), default)[bits]
    return found


@cache
def _first_true_table(codes: tuple[int, ...], default: int) -> NDArray[np.int8]:
    """For every combination of up to sixteen conditions, the code of the lowest that holds."""
    combinations = np.arange(1 << len(codes), dtype=np.int64)
    lowest = np.log2(
        combinations & -combinations, where=combinations > 0, out=np.zeros(len(combinations))
    ).astype(np.int64)
    table: NDArray[np.int8] = np.asarray(codes, dtype=np.int8)[lowest]
    table[0] = default
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
            Status.UNEVEN_BY_CHOICE: 0.6,  # + 1 when capacity is strained
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
    signals: Signals,
    band: Floats,
    long_steady: Bools,
) -> tuple[NDArray[np.int8], Floats]:
    """One action per relationship, and an urgency that ranks them (documented in the docs).

    What they said comes first (a wish waiting for me, low or falling satisfaction), then
    their win, then the clock, then the balance: in a reciprocal tie an imbalance first
    invites them to give back their own way, and becomes a boundary only when my budget is
    at risk or when it costs me and I am unhappy with it; in a tie of another intent the
    check is on me."""
    is_ = {s: status == _code(s) for s in Status}
    declining = momentum < 0  # (never where NaN)
    strained = np.full(len(status), capacity_strained)
    costs_me = my_net < 0
    over_giving_costs_me = is_[Status.OVER_GIVING] & costs_me
    action = _first_true(
        [
            signals.wish,
            # I said I am unhappy with a tie that costs me: my side of the conversation,
            # and a boundary, not only listening.
            over_giving_costs_me & signals.i_am_unhappy,
            signals.alarm,
            signals.win,
            is_[Status.QUIET] | is_[Status.NEW] | is_[Status.FADING] | is_[Status.OVERDUE],
            is_[Status.UNEVEN_BY_CHOICE] & strained,
            is_[Status.OVER_RECEIVING] & appreciation_due,
            is_[Status.OVER_RECEIVING],
            # My budget is at risk: decline their next ask kindly, with a third option.
            is_[Status.OVER_GIVING] & strained,
            # It costs me far past the band.
            over_giving_costs_me & (outside > 2 * band),
            # Before any boundary: let them give back in their own way (seed 003).
            is_[Status.OVER_GIVING],
            appreciation_due,
            (is_[Status.THRIVING] | is_[Status.BALANCED]) & long_steady,
            (is_[Status.BALANCED] | is_[Status.UNEVEN_BY_CHOICE]) & declining,
            is_[Status.UNEVEN_BY_CHOICE],
        ],
        [
            _act(Action.ACT_ON_WISH),
            _act(Action.PAUSE_GIVING),
            _act(Action.CHECK_IN),
            _act(Action.CONGRATULATE),
            _act(Action.CHECK_IN),
            _act(Action.LOOK_AFTER_YOURSELF),
            _act(Action.THANK),
            _act(Action.GIVE_BACK),
            _act(Action.SAY_NO_KINDLY),
            _act(Action.PAUSE_GIVING),
            _act(Action.INVITE),
            _act(Action.THANK),
            _act(Action.APPRECIATE),
            _act(Action.CHECK_IN),
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
        np.add(base, 1.0, out=base, where=is_[Status.OVER_GIVING] | is_[Status.UNEVEN_BY_CHOICE])
    base += 1.0 * signals.wish + 1.5 * signals.alarm + 1.0 * signals.win
    base += 0.4 * ((action == _act(Action.APPRECIATE)) & ~signals.wish & ~signals.alarm)
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
    "Signals",
    "Status",
    "Verdicts",
    "cadence_for",
    "judge",
    "orient",
    "verdicts",
]
