"""Relationship health, properties on random ledgers: swapping the two sides mirrors the
balance; a balanced win-win pair never makes a relationship more one-sided or less healthy;
decay never increases old value, and one half-life halves it."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from conftest import TODAY
from health_helpers import H, T, exchange_columns, points, random_ledgers
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.analytics import ExchangeColumns, TouchColumns, day_number, pair_figures
from mutuality.core.health import STATUS_ORDER, HealthSettings, Status, judge, orient
from mutuality.core.value import decay_weight

MIRROR = {
    Status.OVER_GIVING: Status.OVER_RECEIVING,
    Status.OVER_RECEIVING: Status.OVER_GIVING,
}


@settings(max_examples=75, deadline=None)
@given(ledger=random_ledgers(), tolerance=st.sampled_from([0.0, 0.25, 0.5]))
def test_swapping_the_sides_mirrors_the_balance(ledger, tolerance) -> None:
    exchanges, touches = ledger
    pairs = pair_figures(exchanges, touches, TODAY, H, 90)
    cadence = np.full(len(pairs), 30, dtype=np.int64)
    mine = orient(pairs, np.ones(len(pairs), dtype=bool))
    theirs = orient(pairs, np.zeros(len(pairs), dtype=bool))
    a = judge(mine, T, tolerance, HealthSettings(), cadence)
    b = judge(theirs, T, tolerance, HealthSettings(), cadence)
    np.testing.assert_array_equal(mine.given, theirs.received)
    np.testing.assert_array_equal(mine.my_cost, theirs.their_cost)
    np.testing.assert_array_equal(a.balance, -b.balance)  # NaN stays NaN in both
    np.testing.assert_array_equal(a.my_net, b.their_net)
    np.testing.assert_array_equal(mine.my_initiatives, theirs.their_initiatives)
    for one, other in zip(a.status, b.status, strict=True):
        status = tuple(Status)[one]
        assert tuple(Status)[other] is MIRROR.get(status, status)


@settings(max_examples=75, deadline=None)
@given(
    ledger=random_ledgers(people=2, touches=False),
    day=st.integers(T - 300, T),
    cost=points,
    extra=st.integers(0, 100),
)
def test_a_balanced_win_win_pair_never_makes_things_more_one_sided(ledger, day, cost, extra):
    # Adding one exchange each way, same day, same benefit and cost, with benefit >= cost
    # (each creates value): G and R both grow by the same x, so |G - R| / (G + R + 2x) can
    # only shrink, and each net grows by (benefit - cost) x weight >= 0.
    exchanges, _ = ledger
    benefit = min(cost + extra / 10, 10.0)
    before = _one_pair(exchanges)
    after = _one_pair(_with_pair(exchanges, day, benefit, cost))
    if before is not None:
        if not math.isnan(before["balance"]):
            assert abs(after["balance"]) <= abs(before["balance"]) + 1e-9
        if before["my_net"] > 1e-9 and before["their_net"] > 1e-9:
            assert after["my_net"] > 0 and after["their_net"] > 0


def test_a_balanced_pair_that_costs_more_than_it_brings_can_end_mutual_benefit() -> None:
    # Why the property above needs benefit >= cost: both nets start at +1; a pair worth 0
    # that costs 2 each leaves both at -1.
    base = exchange_columns([(0, 1, T, 2.0, 1.0), (1, 0, T, 2.0, 1.0)])
    assert _one_pair(base)["my_net"] == pytest.approx(1.0)
    after = _one_pair(_with_pair(base, T, 0.0, 2.0))
    assert after["my_net"] == pytest.approx(-1.0) and after["their_net"] == pytest.approx(-1.0)
    assert after["balance"] == pytest.approx(0.0)


def _with_pair(exchanges: ExchangeColumns, day: int, benefit: float, cost: float):
    extra = exchange_columns([(0, 1, day, benefit, cost), (1, 0, day, benefit, cost)])
    return ExchangeColumns(
        *(
            np.concatenate([getattr(exchanges, name), getattr(extra, name)])
            for name in ("giver", "receiver", "day", "benefit", "cost", "kind", "initiator")
        )
    )


def _one_pair(exchanges: ExchangeColumns) -> dict[str, float] | None:
    """Person 0's view of the relationship with person 1 (the only pair)."""
    pairs = pair_figures(exchanges, TouchColumns.empty(), TODAY, H, 90)
    if not len(pairs):
        return None
    rows = orient(pairs, pairs.a == 0)
    judged = judge(rows, T, 0.25, HealthSettings(), np.array([30]))
    return {
        "balance": float(judged.balance[0]),
        "my_net": float(judged.my_net[0]),
        "their_net": float(judged.their_net[0]),
        "status": STATUS_ORDER[int(judged.status[0])],
    }


HEALTHIER = {
    Status.QUIET: 0,
    Status.FADING: 1,
    Status.OVERDUE: 2,
    Status.OVER_GIVING: 3,
    Status.OVER_RECEIVING: 3,
    Status.BALANCED: 4,
    Status.THRIVING: 5,
}
"""How healthy each status is, for the property below (``new`` is left out: it says how
young a relationship is, and it hides a lean until the relationship has a few exchanges)."""


@settings(max_examples=150, deadline=None)
@given(ledger=random_ledgers(people=2, touches=False), cost=points, extra=st.integers(0, 100))
def test_logging_a_balanced_win_win_pair_never_makes_a_relationship_less_healthy(
    ledger, cost, extra
):
    # One exchange each way, logged today, same benefit and cost, benefit >= cost: the
    # balance moves toward zero, both nets grow, the clock resets and momentum rises. So the
    # status never ranks lower (fading or overdue may give way to a lean they hid), and a
    # thriving one stays thriving.
    # (Backdated into the previous window, a pair lowers momentum: that is what momentum
    # measures, so the property is about logging, dated today.)
    exchanges, _ = ledger
    benefit = min(cost + extra / 10, 10.0)
    before = _one_pair(exchanges)
    after = _one_pair(_with_pair(exchanges, T, benefit, cost))
    assert after is not None
    if before is None:
        return
    was, now = before["status"], after["status"]
    if was in HEALTHIER and now in HEALTHIER:
        assert HEALTHIER[now] >= HEALTHIER[was], (was, now)
    if was is Status.THRIVING:
        assert now is Status.THRIVING


@settings(max_examples=150, deadline=None)
@given(
    on=st.integers(-400, 0),
    first=st.integers(-400, 400),
    later=st.integers(0, 800),
    half_life=st.sampled_from([1.0, 30.0, 180.0, 365.0, 36500.0]),
    benefit=points,
)
def test_decay_never_increases_old_value(on, first, later, half_life, benefit) -> None:
    exchange = TODAY + timedelta(days=on)
    earlier = TODAY + timedelta(days=first)
    after = earlier + timedelta(days=later)
    assert decay_weight(exchange, after, half_life) <= decay_weight(exchange, earlier, half_life)
    assert 0 <= decay_weight(exchange, after, half_life) <= 1
    columns = exchange_columns([(0, 1, day_number(exchange), benefit, benefit / 2)])
    then = pair_figures(columns, TouchColumns.empty(), earlier, half_life, 90)
    now = pair_figures(columns, TouchColumns.empty(), after, half_life, 90)
    assert now.given_ab[0] <= then.given_ab[0]
    assert now.cost_a[0] <= then.cost_a[0]
    assert then.given_ab[0] == pytest.approx(benefit * decay_weight(exchange, earlier, half_life))


def test_one_half_life_halves_and_future_dates_count_fully() -> None:
    assert decay_weight(date(2026, 5, 27), TODAY, 180) == 0.5  # exactly 180 days
    assert decay_weight(date(2025, 11, 28), TODAY, 180) == 0.25  # 360 days
    assert decay_weight(TODAY + timedelta(days=3), TODAY, 180) == 1.0
