"""The giving budget: periods, units, the warning before burnout, boundaries, and the service.

Today is Monday 2026-11-23 in the ``app`` fixture: the current week is 23-29 November (1 day
elapsed of 7), the current month 1-30 November (23 days elapsed of 30).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import TODAY, table_counts
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.capacity import (
    HOURS_BY_COST,
    Capacity,
    CapacityPeriod,
    CapacityState,
    CapacityUnit,
    Give,
    capacity_use,
    hours_from_cost,
    period_bounds,
)
from mutuality.core.errors import InvalidInput
from mutuality.core.model import ExchangeKind

WEEK, MONTH = CapacityPeriod.WEEK, CapacityPeriod.MONTH
POINTS, HOURS = CapacityUnit.POINTS, CapacityUnit.HOURS


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        (WEEK, date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29)),  # a Monday
        (WEEK, date(2026, 11, 26), date(2026, 11, 23), date(2026, 11, 29)),  # Thursday
        (WEEK, date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),  # Sunday
        (WEEK, date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 6)),  # next Monday
        (WEEK, date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),  # across the year
        (MONTH, date(2026, 11, 23), date(2026, 11, 1), date(2026, 11, 30)),
        (MONTH, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (MONTH, date(2026, 2, 10), date(2026, 2, 1), date(2026, 2, 28)),
        (MONTH, date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (MONTH, date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
        (MONTH, date(2100, 2, 10), date(2100, 2, 1), date(2100, 2, 28)),  # not a leap year
        (MONTH, date(2000, 2, 10), date(2000, 2, 1), date(2000, 2, 29)),  # but 2000 was
        (MONTH, date(2026, 4, 30), date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_period_bounds(period, today, start, end) -> None:
    assert period_bounds(period, today) == (start, end)


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_periods_contain_today_and_tile_the_calendar(day: date) -> None:
    start, end = period_bounds(WEEK, day)
    assert start.weekday() == 0 and end.weekday() == 6 and start <= day <= end
    assert period_bounds(WEEK, end + timedelta(days=1))[0] == end + timedelta(days=1)
    start, end = period_bounds(MONTH, day)
    assert start.day == 1 and start <= day <= end and (end + timedelta(days=1)).day == 1


# --- hours from cost ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "hours"),
    [
        # the scale's anchors
        (0, 0.0),
        (1, 0.1),
        (2, 0.5),
        (3, 1.0),
        (5, 4.0),
        (7, 16.0),
        (10, 40.0),
        # linear in between: half way between anchors is half way between their hours
        (0.5, 0.05),
        (1.5, 0.3),
        (2.5, 0.75),
        (4, 2.5),  # 1 + (4 - 3) / 2 x (4 - 1)
        (6, 10.0),  # 4 + 1/2 x 12
        (8.5, 28.0),  # 16 + 1/2 x 24
        (9, 32.0),  # 16 + 2/3 x 24
    ],
)
def test_hours_from_cost(cost, hours) -> None:
    assert hours_from_cost(cost) == pytest.approx(hours)


def test_the_anchor_table_matches_the_docs() -> None:
    assert HOURS_BY_COST == (
        (0, 0.0),
        (1, 0.1),
        (2, 0.5),
        (3, 1.0),
        (5, 4.0),
        (7, 16.0),
        (10, 40.0),
    )


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0, 10), b=st.floats(0, 10))
def test_hours_grow_with_cost(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert 0 <= hours_from_cost(low) <= hours_from_cost(high) <= 40


# --- the budget -----------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -1, -0.5, 100_001, float("nan")])
def test_a_budget_must_be_positive_and_sane(amount) -> None:
    with pytest.raises(InvalidInput, match="budget must be above 0") as caught:
        Capacity(amount, POINTS, MONTH)
    assert caught.value.field == "amount"


def test_smallest_and_largest_budgets() -> None:
    assert Capacity(0.1, HOURS, WEEK).amount == 0.1
    assert Capacity(100_000, POINTS, MONTH).amount == 100_000


def give(on: date, cost: float, hours: float | None = None, kind=ExchangeKind.TIME, ident=0):
    return Give(on, cost, hours, kind, ident, 2)


NOV = [
    give(date(2026, 9, 30), 9),  # before the previous month: ignored
    give(date(2026, 10, 15), 4),  # previous month
    give(date(2026, 10, 31), 1),  # previous month
    give(date(2026, 11, 2), 3),
    give(date(2026, 11, 20), 5),
    give(date(2026, 11, 23), 2),
]


def test_within_budget_with_the_pace_projected() -> None:
    # Used in November up to the 23rd: 3 + 5 + 2 = 10; pace 10 / 23 days x 30 = 13.04 <= 20.
    use = capacity_use(Capacity(20, POINTS, MONTH), NOV, TODAY)
    assert (use.start, use.end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert use.used == 10 and use.previous_used == 5 and use.committed == 0
    assert use.projected == pytest.approx(10 * 30 / 23)
    assert use.state is CapacityState.OK and not use.strained
    assert use.share == pytest.approx(0.5)


def test_at_risk_before_the_budget_is_exceeded() -> None:
    # Another 6 on the 22nd: used 16 <= 20, but pace 16 x 30 / 23 = 20.87 > 20: at risk.
    use = capacity_use(Capacity(20, POINTS, MONTH), [*NOV, give(date(2026, 11, 22), 6)], TODAY)
    assert use.used == 16 and use.projected == pytest.approx(16 * 30 / 23)
    assert use.state is CapacityState.AT_RISK and use.strained


def test_over_budget() -> None:
    # Another 11: used 21 > 20.
    use = capacity_use(Capacity(20, POINTS, MONTH), [*NOV, give(date(2026, 11, 22), 11)], TODAY)
    assert use.used == 21 and use.state is CapacityState.OVER and use.strained
    assert use.share == pytest.approx(21 / 20)


def test_exactly_the_budget() -> None:
    # All of it used by the last day of the month: the pace equals the budget: fine.
    last = date(2026, 11, 30)
    use = capacity_use(Capacity(10, POINTS, MONTH), [give(last, 10)], last)
    assert (use.used, use.projected, use.state) == (10, 10, CapacityState.OK)
    # All of it used by the 23rd: not over yet, but at risk.
    use = capacity_use(Capacity(10, POINTS, MONTH), [give(TODAY, 10)], TODAY)
    assert use.state is CapacityState.AT_RISK


def test_commitments_count_towards_use_and_pace() -> None:
    # used 10 + committed 5 = 15 <= 20; pace 13.04 + 5 = 18.04 <= 20: fine.
    use = capacity_use(Capacity(20, POINTS, MONTH), NOV, TODAY, committed=5)
    assert use.projected == pytest.approx(10 * 30 / 23 + 5)
    assert use.state is CapacityState.OK and use.share == pytest.approx(15 / 20)
    # committed 8: pace 21.04 > 20: at risk; committed 11: 10 + 11 = 21 > 20: over.
    assert capacity_use(Capacity(20, POINTS, MONTH), NOV, TODAY, 8).state is CapacityState.AT_RISK
    assert capacity_use(Capacity(20, POINTS, MONTH), NOV, TODAY, 11).state is CapacityState.OVER


def test_february_of_a_leap_year_has_29_days_of_pace() -> None:
    gives = [give(date(2028, 2, 3), 10)]
    leap = capacity_use(Capacity(20, POINTS, MONTH), gives, date(2028, 2, 15))
    assert leap.end == date(2028, 2, 29) and leap.projected == pytest.approx(10 * 29 / 15)
    plain = capacity_use(
        Capacity(20, POINTS, MONTH), [give(date(2026, 2, 3), 10)], date(2026, 2, 15)
    )
    assert plain.end == date(2026, 2, 28) and plain.projected == pytest.approx(10 * 28 / 15)
    # In March 2028 the previous month is all of February, the 29th included.
    march = capacity_use(
        Capacity(20, POINTS, MONTH),
        [give(date(2028, 2, 1), 1), give(date(2028, 2, 29), 2), give(date(2028, 1, 31), 4)],
        date(2028, 3, 5),
    )
    assert (march.used, march.previous_used) == (0, 3)


def test_weekly_budget_on_a_monday() -> None:
    # Week of Monday 23 November; 1 day elapsed of 7: pace = used x 7.
    gives = [give(date(2026, 11, 22), 8), give(TODAY, 2)]  # Sunday belongs to the last week
    use = capacity_use(Capacity(15, POINTS, WEEK), gives, TODAY)
    assert (use.start, use.end, use.used, use.previous_used) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
        2,
        8,
    )
    assert use.projected == 14 and use.state is CapacityState.OK


def test_hours_use_logged_hours_else_an_estimate_from_cost() -> None:
    gives = [
        give(TODAY, 2, hours=2.5),  # logged: 2.5 h
        give(TODAY, 3),  # estimated: cost 3 = 1 h
        give(TODAY, 5, hours=0),  # logged zero hours counts as zero, not as 4 h
        give(TODAY, 6),  # estimated: 10 h
    ]
    hours = capacity_use(Capacity(40, HOURS, WEEK), gives, TODAY)
    assert hours.used == pytest.approx(2.5 + 1 + 0 + 10)
    assert hours.projected == pytest.approx(13.5 * 7) and hours.state is CapacityState.AT_RISK
    points = capacity_use(Capacity(40, POINTS, WEEK), gives, TODAY)
    assert points.used == 2 + 3 + 5 + 6


def test_boundaries_hit_in_the_current_period_only() -> None:
    cap = Capacity(100, POINTS, WEEK, frozenset({ExchangeKind.MONEY, ExchangeKind.TIME}))
    gives = [
        give(TODAY, 1, kind=ExchangeKind.MONEY, ident=7),
        give(TODAY, 1, kind=ExchangeKind.KNOWLEDGE, ident=8),
        give(TODAY, 1, kind=ExchangeKind.TIME, ident=9),
        give(date(2026, 11, 20), 1, kind=ExchangeKind.MONEY, ident=6),  # last week
    ]
    use = capacity_use(cap, gives, TODAY)
    assert [g.exchange_id for g in use.boundary_hits] == [7, 9]


def test_no_budget_still_measures_this_month_in_points() -> None:
    use = capacity_use(None, NOV, TODAY)
    assert use.state is CapacityState.UNSET and not use.strained and use.share is None
    assert (use.start, use.end, use.used) == (date(2026, 11, 1), date(2026, 11, 30), 10)
    assert use.boundary_hits == ()


# --- through the service (app fixture) ------------------------------------------------------------


def test_set_get_and_clear(app) -> None:
    app.people.add("Ana")
    assert app.capacity.get() is None
    cap = app.capacity.set(20, "points", "week", ("money", "intro"))
    assert cap == Capacity(
        20, POINTS, WEEK, frozenset({ExchangeKind.MONEY, ExchangeKind.INTRODUCTION})
    )
    assert app.capacity.get() == cap
    # Setting again without boundaries keeps them; with an empty tuple clears them.
    again = app.capacity.set(10, " Hours ", "Monthly")
    assert (again.amount, again.unit, again.period) == (10, HOURS, MONTH)
    assert again.boundaries == cap.boundaries and app.capacity.get() == again
    cleared = app.capacity.set(10, "h", "month", ())
    assert cleared.boundaries == frozenset() and app.capacity.get() == cleared
    app.capacity.clear()
    assert app.capacity.get() is None
    app.capacity.clear()  # clearing nothing is fine
    assert app.capacity.use().state is CapacityState.UNSET


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ((20, "days", "week"), "unit", "unit 'days': use points or hours"),
        ((20, "points", "fortnight"), "period", "period 'fortnight': use week or month"),
        ((20, "points", "week", ("gossip",)), "kind", "unknown kind 'gossip'"),
        ((0, "points", "week"), "amount", "a budget must be above 0"),
        ((-5, "points", "week"), "amount", "a budget must be above 0"),
        ((100_001, "points", "week"), "amount", "a budget must be above 0"),
    ],
)
def test_bad_budgets_are_clear_errors_and_write_nothing(app, args, field, message) -> None:
    app.people.add("Ana")
    app.capacity.set(7, "hours", "month", ("money",))
    before, counts = app.capacity.get(), table_counts(app)
    with pytest.raises(InvalidInput) as caught:
        app.capacity.set(*args)
    assert message in str(caught.value) and caught.value.field == field
    assert app.capacity.get() == before and table_counts(app) == counts


def test_bad_budget_on_an_empty_database_writes_nothing(app) -> None:
    counts = table_counts(app)
    with pytest.raises(InvalidInput):
        app.capacity.set(0)
    assert table_counts(app) == counts


MY_WEEK = """
gave Ana time      2026-11-23 benefit=3 cost=2 hours=2.5 "Workshop prep"   # 2.5 h logged
gave Ana knowledge 2026-11-23 benefit=3 cost=3           "Review"          # 1 h estimated
gave Ana money     2026-11-23 benefit=4 cost=4           "Lent her cash"   # 2.5 h estimated
gave Ana time      2026-11-20 benefit=3 cost=5 hours=6   "Last Friday"     # last week
got  Ana time      2026-11-23 benefit=9 cost=9 hours=20  "She gave to me"  # not mine
"""


def test_use_in_hours_from_the_ledger(app, ledger) -> None:
    ledger(MY_WEEK)
    app.capacity.set(10, "hours", "week", ("money",))
    use = app.capacity.use()
    # This week (Monday only): 2.5 + 1 + hours_from_cost(4) = 2.5 + 1 + 2.5 = 6 h;
    # pace 6 x 7 = 42 > 10: at risk; last week 6 h logged.
    assert (use.start, use.end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert use.used == pytest.approx(6.0)
    assert use.previous_used == pytest.approx(6.0)
    assert use.projected == pytest.approx(42.0)
    assert use.state is CapacityState.AT_RISK
    [hit] = use.boundary_hits
    assert hit.kind is ExchangeKind.MONEY and hit.on == TODAY
    money = [e for e in app.ledger.timeline("ana").entries if e.exchange.kind.value == "money"]
    assert hit.exchange_id == money[0].exchange.id


def test_use_in_points_from_the_ledger(app, ledger) -> None:
    ledger(MY_WEEK)
    app.capacity.set(12, "points", "month")
    use = app.capacity.use()
    # November: costs 2 + 3 + 4 + 5 = 14 > 12 (what Ana gave me does not count): over.
    assert use.used == 14 and use.state is CapacityState.OVER
    assert use.boundary_hits == ()


def test_gives_between_other_people_do_not_use_my_budget(app) -> None:
    from mutuality.core.model import Estimator, NewExchange

    a = app.people.add("Ann").id
    b = app.people.add("Ben").id
    app.ledger.bulk_add([NewExchange(a, b, ExchangeKind.TIME, "x", TODAY, 9.0, 9.0, Estimator.ME)])
    app.capacity.set(1, "points", "week")
    assert app.capacity.use().used == 0
