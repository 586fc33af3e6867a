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

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import NO_DAY, PairFigures
from mutuality.core.errors import InvalidInput
from mutuality.core.model import RelationshipContext

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


class Status(StrEnum):
    THRIVING = "thriving"
    BALANCED = "balanced"
    OVER_GIVING = "over-giving"
    OVER_RECEIVING = "over-receiving"
    FADING = "fading"
    OVERDUE = "overdue"
    NEW = "new"
    QUIET = "quiet"


class Action(StrEnum):
    CHECK_IN = "check in"
    GIVE_BACK = "give back"
    THANK = "thank them with specifics"
    PAUSE_GIVING = "pause giving"
    INTRODUCE = "make an introduction"
    SAY_NO_KINDLY = "say no kindly"


STATUS_ORDER = tuple(Status)
ACTION_ORDER = tuple(Action)

DEFAULT_CADENCE_DAYS: dict[RelationshipContext, int] = {
    RelationshipContext.PARTNER: 7,
    RelationshipContext.FAMILY: 14,
    RelationshipContext.FRIEND: 30,
    RelationshipContext.COLLEAGUE: 30,
    RelationshipContext.CLIENT: 30,
    RelationshipContext.MENTEE: 30,
    RelationshipContext.COLLABORATOR: 21,
    RelationshipContext.MENTOR: 45,
    RelationshipContext.ACQUAINTANCE: 90,
    RelationshipContext.OTHER: 60,
}
"""Check-in cadence by context when the user has not set one: closer ties, shorter."""


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """Thresholds of the health rules (``[health]`` in the config file)."""

    window_days: int = 90
    """Momentum compares the last ``window_days`` with the ``window_days`` before."""
    new_days: int = 60
    new_max_exchanges: int = 4
    fading_factor: float = 2.0
    fading_momentum: float = -0.6
    fading_min_previous: int = 3
    appreciation_min_received: float = 5.0
    """Decayed benefit received before thanking with specifics is suggested."""
    appreciation_recent_days: int = 180
    equity_floor: float = 0.5
    """Input below this counts as this much in equity ratios, so that a gift that cost
    nothing does not make a ratio infinite."""
    satisfied_from: float = 4.0
    """Latest check-in satisfaction (1-5) needed to call a relationship thriving."""
    cadences: dict[RelationshipContext, int] = field(
        default_factory=lambda: dict(DEFAULT_CADENCE_DAYS)
    )

    def __post_init__(self) -> None:
        for name in ("window_days", "new_days", "appreciation_recent_days"):
            if getattr(self, name) < 1:
                raise InvalidInput(
                    f"{name} must be at least 1", field=name, value=getattr(self, name)
                )
        if self.fading_factor < 1:
            raise InvalidInput(
                "fading_factor must be at least 1", field="fading_factor", value=self.fading_factor
            )
        if not -1 < self.fading_momentum <= 0:
            raise InvalidInput(
                "fading_momentum must be from -1 to 0, above -1",
                field="fading_momentum",
                value=self.fading_momentum,
            )
        for name, low, high in (
            ("equity_floor", 0.01, 10.0),
            ("satisfied_from", 1.0, 5.0),
            ("appreciation_min_received", 0.0, 1000.0),
            ("new_max_exchanges", 1, 1000),
            ("fading_min_previous", 0, 1000),
        ):
            value = getattr(self, name)
            if not low <= value <= high:
                raise InvalidInput(
                    f"{name} must be from {low:g} to {high:g}, got {value:g}",
                    field=name,
                    value=value,
                )


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


def judge(
    rows: Oriented,
    today: int,
    tolerance: float,
    settings: HealthSettings,
    cadence: NDArray[np.int64],
    satisfaction: Floats | None = None,
    capacity_strained: bool = False,
) -> Judgement:
    """Apply the rules of this module to every row at once."""
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
        (trend <= settings.fading_momentum)
        & (rows.previous >= settings.fading_min_previous)
    )
    overdue = days_since > cadence
    over_giving = outside > tolerance
    over_receiving = outside < -tolerance
    thriving = (
        (my_net > 0)
        & (their_net > 0)
        & (rows.recent > 0)
        & (trend >= 0)
        & satisfied
    )
    status = np.select(
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
        default=_code(Status.BALANCED),
    ).astype(np.int8)
    action, urgency = _next_action(
        status,
        balance,
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


def _code(status: Status) -> int:
    return STATUS_ORDER.index(status)


def _act(action: Action) -> int:
    return ACTION_ORDER.index(action)


def _next_action(
    status: NDArray[np.int8],
    balance: Floats,
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
    declining = np.nan_to_num(momentum, nan=0.0) < 0
    pause = (my_net < 0) | capacity_strained
    action = np.select(
        [
            is_[Status.QUIET] | is_[Status.NEW] | is_[Status.FADING] | is_[Status.OVERDUE],
            is_[Status.OVER_RECEIVING] & appreciation_due,
            is_[Status.OVER_RECEIVING],
            is_[Status.OVER_GIVING] & pause,
            is_[Status.OVER_GIVING],
            appreciation_due,
            is_[Status.BALANCED] & declining,
        ],
        [
            _act(Action.CHECK_IN),
            _act(Action.THANK),
            _act(Action.GIVE_BACK),
            _act(Action.PAUSE_GIVING),
            _act(Action.CHECK_IN),
            _act(Action.THANK),
            _act(Action.CHECK_IN),
        ],
        default=_act(Action.INTRODUCE),
    ).astype(np.int8)
    lean = np.abs(np.nan_to_num(balance, nan=0.0))
    overdue_by = np.clip((days_since - cadence) / np.maximum(cadence, 1), 0, 3)
    base = np.select(
        [
            is_[Status.OVERDUE],
            is_[Status.FADING],
            is_[Status.OVER_RECEIVING],
            is_[Status.OVER_GIVING],
            is_[Status.NEW],
            is_[Status.QUIET],
            is_[Status.THRIVING],
        ],
        [
            2.0 + overdue_by,
            1.5 + np.minimum(days_since / 365, 1.0),
            1.0 + lean,
            1.0 + lean + (1.0 if capacity_strained else 0.0),
            1.2,
            0.5,
            0.3,
        ],
        default=0.5,
    )
    urgency = (base + 0.8 * appreciation_due) * (1.0 + np.log10(1.0 + flow))
    return action, urgency


def cadence_for(
    context: RelationshipContext, cadence_days: int | None, settings: HealthSettings
) -> int:
    """The user's cadence when set, else the context's default."""
    return cadence_days if cadence_days else settings.cadences.get(context, 60)
