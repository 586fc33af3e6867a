"""Relationship health, the pure rules: :func:`mutuality.core.health.judge` on hand-built
arrays, pinned by examples whose right answers were worked out by hand (in the comments)
before the code was run, plus a naive per-row reference implementation of the documented
rules (docs/value-model.md) that hypothesis compares with."""

from __future__ import annotations

import math

import numpy as np
import pytest
from health_helpers import EMPTY_ROW, T, ago, oriented, points
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.analytics import NO_DAY
from mutuality.core.health import Action, HealthSettings, Status, judge

ACTIVE = {
    # An established, lively relationship: first contact 300 days ago, last 5 days ago,
    # 3 exchanges each way, 3 events in each momentum window, I thanked them 2 days ago.
    "given": 4.0,
    "received": 5.0,
    "my_cost": 1.0,
    "their_cost": 1.0,
    "times_given": 3,
    "times_received": 3,
    "first_day": ago(300),
    "last_day": ago(5),
    "recent": 3,
    "previous": 3,
    "last_received_day": ago(5),
    "my_thanks_day": ago(2),
}


def verdict(
    row: dict[str, float | int],
    cadence: int = 30,
    tolerance: float = 0.25,
    health: HealthSettings | None = None,
    strained: bool = False,
    satisfaction: float | None = None,
):
    rows = oriented(row)
    judged = judge(
        rows,
        T,
        tolerance,
        health or HealthSettings(),
        np.array([cadence], dtype=np.int64),
        satisfaction=None if satisfaction is None else np.array([satisfaction]),
        capacity_strained=strained,
    )
    return judged


def status_action(row: dict[str, float | int], **options: object) -> tuple[Status, Action]:
    judged = verdict(row, **options)  # type: ignore[arg-type]
    return tuple(Status)[int(judged.status[0])], tuple(Action)[int(judged.action[0])]


CORE_EXAMPLES = [
    # ACTIVE: balance (4-5)/9 = -0.11 within ±0.25; my net 5-1 = 4, their net 4-1 = 3;
    # 3 recent events, momentum (3-3)/6 = 0; thanked after their last gift: thriving, and with
    # nothing due, the next step is an introduction.
    pytest.param({}, 30, False, Status.THRIVING, Action.INTRODUCE, id="thriving"),
    # Their last gift (5 days ago) came after my thank-you (10 days ago) and I received 5 >= 5:
    # appreciation due; a thriving relationship then gets a thank-you with specifics.
    pytest.param(
        {"my_thanks_day": ago(10)}, 30, False, Status.THRIVING, Action.THANK, id="thriving+thanks"
    ),
    # Their cost 5: their net 4-5 = -1, so not both come out ahead: balanced; momentum 0 is
    # not declining: introduce.
    pytest.param({"their_cost": 5.0}, 30, False, Status.BALANCED, Action.INTRODUCE, id="balanced"),
    # 2 recent against 3 before: momentum (2-3)/5 = -0.2 (> -0.6, not fading) and negative,
    # so not thriving: balanced and declining: check in.
    pytest.param({"recent": 2}, 30, False, Status.BALANCED, Action.CHECK_IN, id="balanced-down"),
    # given 8, received 2: balance 6/10 = +0.6 > 0.25: over-giving; my net 2-1 = +1 and
    # capacity fine: check in (and say what would make it better for me).
    pytest.param(
        {"given": 8.0, "received": 2.0},
        30,
        False,
        Status.OVER_GIVING,
        Action.INVITE,
        id="over-giving",
    ),
    # Same, but my cost 3: my net 2-3 = -1 < 0: pause giving.
    pytest.param(
        {"given": 8.0, "received": 2.0, "my_cost": 3.0},
        30,
        False,
        Status.OVER_GIVING,
        Action.PAUSE_GIVING,
        id="over-giving-net-negative",
    ),
    # My net +1, but my capacity is at risk or over: say no kindly to their next ask.
    pytest.param(
        {"given": 8.0, "received": 2.0},
        30,
        True,
        Status.OVER_GIVING,
        Action.SAY_NO_KINDLY,
        id="over-giving-strained",
    ),
    # given 2, received 8: balance -6/10 = -0.6 < -0.25: over-receiving; received 8 >= 5,
    # their last gift 5 days ago and my thanks 10 days ago (before it): thank them.
    pytest.param(
        {"given": 2.0, "received": 8.0, "my_thanks_day": ago(10)},
        30,
        False,
        Status.OVER_RECEIVING,
        Action.THANK,
        id="over-receiving-thank",
    ),
    # Same, thanked 2 days ago (after their last gift): not due: give back.
    pytest.param(
        {"given": 2.0, "received": 8.0},
        30,
        False,
        Status.OVER_RECEIVING,
        Action.GIVE_BACK,
        id="over-receiving-give-back",
    ),
    # Thanked on the very day of their last gift: that thank-you counts, nothing is due.
    pytest.param(
        {"given": 2.0, "received": 8.0, "my_thanks_day": ago(5)},
        30,
        False,
        Status.OVER_RECEIVING,
        Action.GIVE_BACK,
        id="thanked-same-day",
    ),
    # Received only 4.9 < 5: appreciation is not due even though never thanked: give back.
    pytest.param(
        {"given": 1.0, "received": 4.9, "my_thanks_day": NO_DAY},
        30,
        False,
        Status.OVER_RECEIVING,
        Action.GIVE_BACK,
        id="too-little-to-thank",
    ),
    # Their last gift 181 days ago (> 180) is too old for a thank-you nudge.
    pytest.param(
        {"given": 2.0, "received": 8.0, "my_thanks_day": NO_DAY, "last_received_day": ago(181)},
        30,
        False,
        Status.OVER_RECEIVING,
        Action.GIVE_BACK,
        id="gift-too-old-to-thank",
    ),
    # Silent 61 days with a 30-day cadence: 61 > 2 x 30: fading: check in.
    pytest.param({"last_day": ago(61)}, 30, False, Status.FADING, Action.CHECK_IN, id="fading"),
    # Last contact 5 days ago, but 1 event recently against 4 before: momentum (1-4)/5 = -0.6
    # <= -0.6 with 4 >= 3 events before: fading by momentum.
    pytest.param(
        {"recent": 1, "previous": 4}, 30, False, Status.FADING, Action.CHECK_IN, id="fading-trend"
    ),
    # Silent 60 days with a 30-day cadence: 60 is not > 60 (not fading) but > 30: overdue.
    pytest.param({"last_day": ago(60)}, 30, False, Status.OVERDUE, Action.CHECK_IN, id="overdue"),
    # Silent 31 days > 30: overdue.
    pytest.param(
        {"last_day": ago(31)}, 30, False, Status.OVERDUE, Action.CHECK_IN, id="overdue-31"
    ),
    # First contact 60 days ago (<= 60) and 3 exchanges (< 4): new.
    pytest.param(
        {"first_day": ago(60), "times_given": 2, "times_received": 1},
        30,
        False,
        Status.NEW,
        Action.CHECK_IN,
        id="new",
    ),
    # Nothing logged at all: quiet.
    pytest.param(dict(EMPTY_ROW), 30, False, Status.QUIET, Action.CHECK_IN, id="quiet"),
]


@pytest.mark.parametrize(("row", "cadence", "strained", "status", "action"), CORE_EXAMPLES)
def test_hand_worked_examples_through_the_rules(row, cadence, strained, status, action) -> None:
    base = {} if row.get("last_day") == NO_DAY else ACTIVE
    assert status_action({**base, **row}, cadence=cadence, strained=strained) == (status, action)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # 61 days ago is past the 60-day window for "new".
        ({"first_day": ago(61), "times_given": 2, "times_received": 1}, Status.THRIVING),
        # 4 exchanges is not fewer than 4.
        ({"first_day": ago(10), "times_given": 2, "times_received": 2}, Status.THRIVING),
        # Only 2 events before (< 3): a fall to zero is noise, not fading.
        ({"recent": 0, "previous": 2}, Status.BALANCED),
        # Momentum (1-3)/4 = -0.5 > -0.6: declining but not fading.
        ({"recent": 1, "previous": 3}, Status.BALANCED),
        # Silent exactly 30 days with a 30-day cadence: not yet overdue.
        ({"last_day": ago(30)}, Status.THRIVING),
        # Balance exactly +0.25 ((5-3)/8) is inside the band.
        ({"given": 5.0, "received": 3.0}, Status.THRIVING),
        # Balance exactly -0.25 ((3-5)/8) is inside the band.
        ({"given": 3.0, "received": 5.0}, Status.THRIVING),
        # Not active in the last window: balanced, not thriving.
        ({"recent": 0, "previous": 0}, Status.BALANCED),
    ],
)
def test_thresholds_are_where_the_docs_put_them(row, expected) -> None:
    assert status_action({**ACTIVE, **row})[0] is expected


def test_precedence_quiet_new_fading_overdue_one_sided_thriving_balanced() -> None:
    # Each row satisfies its own rule and every later one; the first rule in the documented
    # order must win.
    one_sided = {"given": 9.0, "received": 1.5}  # balance 7.5 / 10.5 = +0.71: over-giving
    silent = {"last_day": ago(100)}  # 100 > 2 x 30: fading, and > 30: overdue
    rows = {
        # never in touch, yet the other columns are one-sided: quiet first
        Status.QUIET: {**ACTIVE, **one_sided, "last_day": NO_DAY, "first_day": NO_DAY},
        # first contact 50 days ago, 2 exchanges, silent for 50 days (> 2 x 7), one-sided
        Status.NEW: {
            **ACTIVE,
            **one_sided,
            "first_day": ago(50),
            "last_day": ago(50),
            "times_given": 1,
            "times_received": 1,
        },
        Status.FADING: {**ACTIVE, **one_sided, **silent},
        Status.OVERDUE: {**ACTIVE, **one_sided, "last_day": ago(45)},  # 30 < 45 <= 60
        # nets +0.5 and +8, active, momentum 0: thriving too, but one-sided comes first
        Status.OVER_GIVING: {**ACTIVE, **one_sided},
        Status.THRIVING: {**ACTIVE},
    }
    cadence = {Status.NEW: 7}
    for expected, row in rows.items():
        assert status_action(row, cadence=cadence.get(expected, 30))[0] is expected, expected


def test_exact_figures_of_one_row() -> None:
    # given 4, received 6, my cost 1, their cost 0.2 (below the 0.5 floor):
    #   balance = (4 - 6) / (4 + 6) = -0.2; my net = 6 - 1 = 5; their net = 4 - 0.2 = 3.8;
    #   equity: mine = 6 / max(1, 0.5) = 6, theirs = 4 / max(0.2, 0.5) = 8,
    #           (6 - 8) / (6 + 8) = -1/7 (they get the better deal);
    #   momentum = (3 - 1) / (3 + 1) = +0.5; initiative share = 3 / (3 + 1) = 0.75;
    #   days since = 5; urgency (thriving, nothing due) = 0.3 * (1 + log10(1 + 10)).
    judged = verdict(
        {
            **ACTIVE,
            "given": 4.0,
            "received": 6.0,
            "my_cost": 1.0,
            "their_cost": 0.2,
            "recent": 3,
            "previous": 1,
            "my_initiatives": 3,
            "their_initiatives": 1,
        }
    )
    assert judged.balance[0] == pytest.approx(-0.2)
    assert judged.my_net[0] == pytest.approx(5.0)
    assert judged.their_net[0] == pytest.approx(3.8)
    assert judged.equity[0] == pytest.approx(-1 / 7)
    assert judged.momentum[0] == pytest.approx(0.5)
    assert judged.initiative_share[0] == pytest.approx(0.75)
    assert judged.days_since[0] == 5
    assert tuple(Status)[judged.status[0]] is Status.THRIVING
    assert judged.urgency[0] == pytest.approx(0.3 * (1 + math.log10(11)))


def test_undefined_figures_are_nan_not_zero() -> None:
    judged = verdict(dict(EMPTY_ROW))
    assert math.isnan(judged.balance[0])
    assert math.isnan(judged.momentum[0])
    assert math.isnan(judged.initiative_share[0])
    assert math.isnan(judged.equity[0])


@pytest.mark.parametrize(
    ("row", "cadence", "strained", "base"),
    [
        # overdue 45 days with cadence 30: 2 + (45 - 30) / 30 = 2.5
        ({"last_day": ago(45)}, 30, False, 2.5),
        # fading after 100 silent days: 1.5 + 100 / 365
        ({"last_day": ago(100)}, 30, False, 1.5 + 100 / 365),
        ({"given": 8.0, "received": 2.0}, 30, False, 1.0 + 0.6),  # over-giving
        ({"given": 8.0, "received": 2.0}, 30, True, 1.0 + 0.6 + 1.0),  # ... and strained
        ({"given": 2.0, "received": 8.0}, 30, False, 1.0 + 0.6),  # over-receiving, no thanks due
        ({"recent": 2}, 30, False, 0.5),  # balanced
    ],
)
def test_urgency_follows_the_documented_formula(row, cadence, strained, base) -> None:
    full = {**ACTIVE, **row}
    judged = verdict(full, cadence=cadence, strained=strained)
    flow = full["given"] + full["received"]
    assert judged.urgency[0] == pytest.approx(base * (1 + math.log10(1 + flow)))


def test_overdue_urgency_is_capped_at_three_cadences() -> None:
    # fading_factor 10 keeps a 170-day silence with a 20-day cadence overdue:
    # 2 + min((170 - 20) / 20, 3) = 5; plus 0.8 since appreciation is due (received 5 >= 5,
    # their gift 170 <= 180 days ago, never thanked); flow 9: x (1 + log10 10) = x 2.
    health = HealthSettings(fading_factor=10.0)
    row = {**ACTIVE, "last_day": ago(170), "last_received_day": ago(170), "my_thanks_day": NO_DAY}
    judged = verdict(row, cadence=20, health=health)
    assert tuple(Status)[judged.status[0]] is Status.OVERDUE
    assert judged.urgency[0] == pytest.approx((5 + 0.8) * (1 + math.log10(10)))


def test_satisfaction_below_four_keeps_a_relationship_from_thriving() -> None:
    assert status_action(ACTIVE, satisfaction=3.5)[0] is Status.BALANCED
    assert status_action(ACTIVE, satisfaction=4.0)[0] is Status.THRIVING
    assert status_action(ACTIVE, satisfaction=float("nan"))[0] is Status.THRIVING


def test_many_rows_are_judged_independently() -> None:
    rows = oriented(ACTIVE, {**ACTIVE, "last_day": ago(61)}, dict(EMPTY_ROW))
    judged = judge(rows, T, 0.25, HealthSettings(), np.array([30, 30, 30]))
    assert [tuple(Status)[s] for s in judged.status] == [
        Status.THRIVING,
        Status.FADING,
        Status.QUIET,
    ]


# --- a naive reference of the documented rules, compared on random rows ---------------------------


def reference_judgement(
    row: dict, cadence: int, tolerance: float, s: HealthSettings, strained: bool
) -> tuple[Status, Action, float]:
    """The rules of docs/value-model.md, one row at a time, in plain Python."""
    quiet = row["last_day"] == NO_DAY
    days_since = 0 if quiet else T - row["last_day"]
    exchanges = row["times_given"] + row["times_received"]
    flow = row["given"] + row["received"]
    balance = (row["given"] - row["received"]) / flow if flow > 0 else None
    activity = row["recent"] + row["previous"]
    momentum = (row["recent"] - row["previous"]) / activity if activity else None
    my_net = row["received"] - row["my_cost"]
    their_net = row["given"] - row["their_cost"]
    last_gift = row["last_received_day"]
    due = (
        row["received"] >= s.appreciation_min_received
        and last_gift != NO_DAY
        and last_gift > row["my_thanks_day"]
        and T - last_gift <= s.appreciation_recent_days
    )
    if quiet:
        status = Status.QUIET
    elif T - row["first_day"] <= s.new_days and exchanges < s.new_max_exchanges:
        status = Status.NEW
    elif days_since > s.fading_factor * cadence or (
        momentum is not None
        and momentum <= s.fading_momentum
        and row["previous"] >= s.fading_min_previous
    ):
        status = Status.FADING
    elif days_since > cadence:
        status = Status.OVERDUE
    elif balance is not None and balance > tolerance:
        status = Status.OVER_GIVING
    elif balance is not None and balance < -tolerance:
        status = Status.OVER_RECEIVING
    elif my_net > 0 and their_net > 0 and row["recent"] > 0 and (momentum or 0) >= 0:
        status = Status.THRIVING
    else:
        status = Status.BALANCED

    if status in (Status.QUIET, Status.NEW, Status.FADING, Status.OVERDUE):
        action = Action.CHECK_IN
    elif status is Status.OVER_RECEIVING:
        action = Action.THANK if due else Action.GIVE_BACK
    elif status is Status.OVER_GIVING:
        if strained:
            action = Action.SAY_NO_KINDLY
        elif my_net < 0 and balance > 2 * tolerance:
            action = Action.PAUSE_GIVING
        else:
            action = Action.INVITE
    elif due:
        action = Action.THANK
    elif (
        status in (Status.THRIVING, Status.BALANCED)
        and T - row["first_day"] >= s.appreciate_after_days
        and row["recent"] > 0
        and row["previous"] > 0
        and (
            row["my_thanks_day"] == NO_DAY or T - row["my_thanks_day"] > s.appreciation_recent_days
        )
    ):
        action = Action.APPRECIATE
    elif status is Status.BALANCED and momentum is not None and momentum < 0:
        action = Action.CHECK_IN
    else:
        action = Action.INTRODUCE

    lean = abs(balance or 0.0)
    base = {
        Status.OVERDUE: 2 + min(max((days_since - cadence) / max(cadence, 1), 0), 3),
        Status.FADING: 1.5 + min(days_since / 365, 1),
        Status.OVER_RECEIVING: 1 + lean,
        Status.OVER_GIVING: 1 + lean + (1 if strained else 0),
        Status.NEW: 1.2,
        Status.QUIET: 0.5,
        Status.THRIVING: 0.3,
        Status.BALANCED: 0.5,
    }[status]
    base += 0.4 if action is Action.APPRECIATE else 0
    urgency = (base + (0.8 if due else 0)) * (1 + math.log10(1 + flow))
    return status, action, urgency


@st.composite
def random_rows(draw: st.DrawFn) -> dict:
    if draw(st.integers(0, 9)) == 0:
        return dict(EMPTY_ROW)
    first_age = draw(st.integers(0, 400))
    last_age = draw(st.integers(0, first_age))
    times_received = draw(st.integers(0, 6))
    received = draw(points) * times_received
    gift_age = draw(st.integers(last_age, first_age)) if times_received else None
    thanks_age = draw(st.one_of(st.none(), st.integers(0, first_age)))
    return {
        **EMPTY_ROW,
        "given": draw(points) * draw(st.integers(0, 3)),
        "received": received,
        "my_cost": draw(points),
        "their_cost": draw(points),
        "times_given": draw(st.integers(0, 6)),
        "times_received": times_received,
        "first_day": ago(first_age),
        "last_day": ago(last_age),
        "recent": draw(st.integers(0, 6)),
        "previous": draw(st.integers(0, 6)),
        "my_initiatives": draw(st.integers(0, 4)),
        "their_initiatives": draw(st.integers(0, 4)),
        "last_received_day": NO_DAY if gift_age is None else ago(gift_age),
        "my_thanks_day": NO_DAY if thanks_age is None else ago(thanks_age),
    }


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(random_rows(), min_size=1, max_size=6),
    cadence=st.integers(1, 120),
    tolerance=st.sampled_from([0.0, 0.1, 0.25, 0.5]),
    strained=st.booleans(),
)
def test_judge_agrees_with_a_naive_reference(rows, cadence, tolerance, strained) -> None:
    s = HealthSettings()
    judged = judge(
        oriented(*rows),
        T,
        tolerance,
        s,
        np.full(len(rows), cadence, dtype=np.int64),
        capacity_strained=strained,
    )
    for index, row in enumerate(rows):
        status, action, urgency = reference_judgement(row, cadence, tolerance, s, strained)
        assert tuple(Status)[judged.status[index]] is status
        assert tuple(Action)[judged.action[index]] is action
        assert judged.urgency[index] == pytest.approx(urgency)
