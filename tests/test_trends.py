"""A relationship's balance over time: every point is the balance as it stood that day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.trends import balance_history, month_ends
from mutuality.core.value import Flow, ValueSettings, relationship_balance

TODAY = date(2026, 11, 23)
ME, THEM, OTHER = 1, 7, 3


def flow(giver: int, receiver: int, days_ago: int, benefit: float, cost: float) -> Flow:
    return Flow(giver, receiver, TODAY - timedelta(days=days_ago), benefit, cost)


flows_strategy = st.lists(
    st.builds(
        flow,
        st.sampled_from([ME, THEM, OTHER]),
        st.sampled_from([ME, THEM, OTHER]),
        st.integers(-40, 800),  # a few dated after today: they count from their day on
        st.floats(0, 10, allow_nan=False),
        st.floats(0, 5, allow_nan=False),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(flows_strategy, st.sampled_from([1, 3, 12, 24]), st.sampled_from([30.0, 180.0]))
def test_each_point_is_the_balance_as_of_that_day(
    flows: list[Flow], months: int, half_life: float
) -> None:
    value = ValueSettings(half_life_days=half_life)
    points = month_ends(TODAY, months)
    history = balance_history(ME, THEM, flows, points, value)
    assert [p.as_of for p in history] == points
    for point, shown in zip(points, history, strict=True):
        made = [f for f in flows if f.on <= point]
        expected = relationship_balance(ME, THEM, made, point, value)
        assert shown.them_id == THEM and shown.me_id == ME
        assert shown.last_on == expected.last_on
        assert (shown.times_given, shown.times_received) == (
            expected.times_given,
            expected.times_received,
        )
        for name in ("given", "received", "my_cost", "their_cost"):
            assert getattr(shown, name) == pytest.approx(getattr(expected, name), abs=1e-9)


def test_a_relationship_with_nothing_yet_is_empty_at_every_point() -> None:
    points = month_ends(TODAY, 3)
    history = balance_history(ME, THEM, [flow(ME, OTHER, 5, 2.0, 1.0)], points, ValueSettings())
    assert [(p.as_of, p.balance, p.times_given) for p in history] == [
        (point, None, 0) for point in points
    ]
