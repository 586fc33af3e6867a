"""Relationship health, the vectorised pair figures
(:func:`mutuality.core.analytics.pair_figures`) against a naive pure-Python reference on
random ledgers, whole and summed in small chunks; judging in slices changes nothing; the
momentum windows' edges."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from conftest import TODAY
from health_helpers import H, T, ago, exchange_columns, random_ledgers
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core import health as health_module
from mutuality.core import pair_rows
from mutuality.core.analytics import (
    APPRECIATION,
    FIRST_SIDE,
    NO_DAY,
    SECOND_SIDE,
    UNKNOWN,
    ExchangeColumns,
    TouchColumns,
    pair_figures,
)
from mutuality.core.health import HealthSettings, judge, orient, verdicts


def naive_pair_figures(
    exchanges: ExchangeColumns, touches: TouchColumns, today: int, half_life: float, window: int
) -> dict[tuple[int, int], dict[str, float]]:
    """Every figure of :class:`PairFigures`, one event at a time, in plain Python."""
    found: dict[tuple[int, int], dict[str, float]] = {}

    def slot(x: int, y: int) -> dict[str, float]:
        return found.setdefault(
            (min(x, y), max(x, y)),
            {
                "given_ab": 0.0,
                "given_ba": 0.0,
                "cost_a": 0.0,
                "cost_b": 0.0,
                "count_ab": 0,
                "count_ba": 0,
                "first_day": None,
                "last_day": None,
                "recent": 0,
                "previous": 0,
                "initiated_a": 0,
                "initiated_b": 0,
                "last_ab_day": NO_DAY,
                "last_ba_day": NO_DAY,
                "thanks_ab_day": NO_DAY,
                "thanks_ba_day": NO_DAY,
            },
        )

    def timing(row: dict, day: int, initiator: int | None, a: int) -> None:
        row["first_day"] = day if row["first_day"] is None else min(row["first_day"], day)
        row["last_day"] = day if row["last_day"] is None else max(row["last_day"], day)
        age = today - day
        if age < window:
            row["recent"] += 1
        elif age < 2 * window:
            row["previous"] += 1
        if initiator is not None:
            row["initiated_a" if initiator == a else "initiated_b"] += 1

    for i in range(len(exchanges)):
        giver, receiver = int(exchanges.giver[i]), int(exchanges.receiver[i])
        day = int(exchanges.day[i])
        row = slot(giver, receiver)
        a = min(giver, receiver)
        side = "ab" if giver == a else "ba"
        weight = 0.5 ** (max(today - day, 0) / half_life)
        row[f"given_{side}"] += weight * float(exchanges.benefit[i])
        row["cost_a" if giver == a else "cost_b"] += weight * float(exchanges.cost[i])
        row[f"count_{side}"] += 1
        row[f"last_{side}_day"] = max(row[f"last_{side}_day"], day)
        if exchanges.kind[i] == APPRECIATION:
            row[f"thanks_{side}_day"] = max(row[f"thanks_{side}_day"], day)
        code = int(exchanges.initiator[i])
        initiator = {FIRST_SIDE: giver, SECOND_SIDE: receiver, UNKNOWN: None}[code]
        timing(row, day, initiator, a)
    for i in range(len(touches)):
        owner, person = int(touches.owner[i]), int(touches.person[i])
        code = int(touches.initiator[i])
        initiator = {FIRST_SIDE: owner, SECOND_SIDE: person, UNKNOWN: None}[code]
        timing(slot(owner, person), int(touches.day[i]), initiator, min(owner, person))
    return found


@settings(max_examples=75, deadline=None)
@given(
    ledger=random_ledgers(),
    half_life=st.sampled_from([7.0, 180.0, 1000.0]),
    window=st.sampled_from([1, 30, 90, 200]),
)
def test_pair_figures_agree_with_a_naive_reference(ledger, half_life, window) -> None:
    exchanges, touches = ledger
    pairs = pair_figures(exchanges, touches, TODAY, half_life, window)
    expected = naive_pair_figures(exchanges, touches, T, half_life, window)
    assert [(int(a), int(b)) for a, b in zip(pairs.a, pairs.b, strict=True)] == sorted(expected)
    for row, key in enumerate(sorted(expected)):
        want = expected[key]
        for name in ("given_ab", "given_ba", "cost_a", "cost_b"):
            assert getattr(pairs, name)[row] == pytest.approx(want[name], rel=1e-9, abs=1e-12)
        for name in (
            "count_ab",
            "count_ba",
            "first_day",
            "last_day",
            "recent",
            "previous",
            "initiated_a",
            "initiated_b",
            "last_ab_day",
            "last_ba_day",
            "thanks_ab_day",
            "thanks_ba_day",
        ):
            assert int(getattr(pairs, name)[row]) == want[name], name
        assert pairs.find(*key) == row and pairs.find(key[1], key[0]) == row
    assert pairs.find(98, 99) is None


@settings(max_examples=50, deadline=None)
@given(ledger=random_ledgers(people=4), chunk=st.integers(1, 4), window=st.sampled_from([30, 90]))
def test_pair_figures_summed_in_small_chunks_agree_with_a_naive_reference(
    ledger, chunk, window
) -> None:
    # A pair's rows split over several chunks must add up as if read at once.
    exchanges, touches = ledger
    with patch.object(pair_rows, "CHUNK_ROWS", chunk):
        pairs = pair_figures(exchanges, touches, TODAY, H, window)
    expected = naive_pair_figures(exchanges, touches, T, H, window)
    assert [(int(a), int(b)) for a, b in zip(pairs.a, pairs.b, strict=True)] == sorted(expected)
    for row, key in enumerate(sorted(expected)):
        for name, want in expected[key].items():
            assert getattr(pairs, name)[row] == pytest.approx(want, rel=1e-9, abs=1e-12), name


@settings(max_examples=50, deadline=None)
@given(ledger=random_ledgers(), rows=st.integers(1, 3), strained=st.booleans())
def test_judging_in_slices_changes_nothing(ledger, rows, strained) -> None:
    exchanges, touches = ledger
    pairs = pair_figures(exchanges, touches, TODAY, H, 90)
    oriented = orient(pairs, pairs.a == 0)
    cadence = np.arange(len(pairs), dtype=np.int64) * 20 + 10
    satisfaction = np.where(np.arange(len(pairs)) % 2 == 0, np.nan, 2.0)
    args = (oriented, T, 0.25, HealthSettings(), cadence, satisfaction, strained)
    whole = judge(*args)
    with patch.object(health_module, "SLICE_ROWS", rows):
        sliced, kept = judge(*args), verdicts(*args)
    for name in whole.__slots__:
        np.testing.assert_array_equal(getattr(sliced, name), getattr(whole, name))
    for name in ("status", "action", "urgency"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(whole, name))


def test_pair_figures_of_nothing_are_empty() -> None:
    pairs = pair_figures(ExchangeColumns.empty(), TouchColumns.empty(), TODAY, H, 90)
    assert len(pairs) == 0 and pairs.find(1, 2) is None


def test_momentum_windows_edges() -> None:
    # window 90: ages 0..89 are recent, 90..179 previous, 180 and older neither.
    ages = [0, 89, 90, 179, 180]
    columns = exchange_columns([(0, 1, ago(age), 1.0, 0.0) for age in ages])
    pairs = pair_figures(columns, TouchColumns.empty(), TODAY, H, 90)
    assert (int(pairs.recent[0]), int(pairs.previous[0])) == (2, 2)
