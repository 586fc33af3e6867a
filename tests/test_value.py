"""The value model (core/value.py), its explanations (core/explain.py) and its settings."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.errors import BadFile, InvalidInput
from mutuality.core.explain import explain_balance
from mutuality.core.model import Estimator, Exchange, ExchangeKind
from mutuality.core.value import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_TOLERANCE,
    Flow,
    Leaning,
    RelationshipBalance,
    ValueSettings,
    balances_for,
    decay_weight,
    relationship_balance,
)
from mutuality.services.settings import Settings, load_settings

AS_OF = date(2026, 11, 23)
ME, THEM, OTHER = 1, 2, 3
DEFAULTS = ValueSettings()


def gave(benefit: float, cost: float, on: date = AS_OF, to: int = THEM) -> Flow:
    return Flow(giver_id=ME, receiver_id=to, on=on, benefit=benefit, cost=cost)


def got(benefit: float, cost: float, on: date = AS_OF, frm: int = THEM) -> Flow:
    return Flow(giver_id=frm, receiver_id=ME, on=on, benefit=benefit, cost=cost)


def days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


# --- hand-worked examples -----------------------------------------------------------------------


def test_hand_worked_example_without_decay() -> None:
    # I gave 4 (costing me 1); they gave 6 (costing them 1); all today, so weight 1.
    b = relationship_balance(ME, THEM, [gave(4, 1), got(6, 1)], AS_OF, DEFAULTS)
    assert (b.given, b.received, b.my_cost, b.their_cost) == (4.0, 6.0, 1.0, 1.0)
    assert b.my_net == 5.0  # 6 received - 1 my cost
    assert b.their_net == 3.0  # 4 given - 1 their cost
    assert b.surplus == 8.0  # (4 - 1) + (6 - 1)
    assert b.balance == pytest.approx(-0.2)  # (4 - 6) / (4 + 6)
    assert b.leaning is Leaning.BALANCED
    assert b.mutual is True
    assert (b.times_given, b.times_received, b.last_on) == (1, 1, AS_OF)


def test_hand_worked_example_with_decay() -> None:
    # Gave 8 (cost 2) exactly one half-life ago: counts 4 (cost 1). Got 2 (cost 1) today.
    flows = [gave(8, 2, on=days_ago(180)), got(2, 1)]
    b = relationship_balance(ME, THEM, flows, AS_OF, DEFAULTS)
    assert b.given == 4.0
    assert b.my_cost == 1.0
    assert b.received == 2.0
    assert b.their_cost == 1.0
    assert b.my_net == 1.0
    assert b.their_net == 3.0
    assert b.balance == pytest.approx(1 / 3)  # (4 - 2) / (4 + 2)
    assert b.leaning is Leaning.OVER_GIVING
    assert b.last_on == AS_OF


def test_two_half_lives_count_a_quarter() -> None:
    b = relationship_balance(ME, THEM, [got(8, 4, on=days_ago(360))], AS_OF, DEFAULTS)
    assert b.received == 2.0
    assert b.their_cost == 1.0
    assert b.balance == -1.0
    assert b.leaning is Leaning.OVER_RECEIVING
    assert b.mutual is False  # my net 2 > 0 but their net 0 - 1 < 0


def test_no_exchanges_has_no_balance() -> None:
    b = relationship_balance(ME, THEM, [], AS_OF, DEFAULTS)
    assert b == RelationshipBalance(ME, THEM, AS_OF, DEFAULTS)
    assert b.balance is None
    assert b.leaning is Leaning.NONE
    assert b.leaning.value == "no exchanges"
    assert b.mutual is False
    assert b.last_on is None


def test_flows_between_others_and_with_myself_are_ignored() -> None:
    flows = [
        gave(4, 1),
        Flow(OTHER, THEM, AS_OF, 9, 9),  # between two other people
        Flow(ME, ME, AS_OF, 9, 9),  # nonsense self-exchange
        gave(7, 1, to=OTHER),  # another relationship of mine
    ]
    b = relationship_balance(ME, THEM, flows, AS_OF, DEFAULTS)
    assert (b.given, b.received, b.times_given, b.times_received) == (4.0, 0.0, 1, 0)
    everyone = balances_for(ME, flows, AS_OF, DEFAULTS)
    assert set(everyone) == {THEM, OTHER}
    assert everyone[OTHER].given == 7.0


def test_balances_for_matches_relationship_balance() -> None:
    flows = [gave(4, 1, on=days_ago(10)), got(6, 1, on=days_ago(3)), got(2, 1, frm=OTHER)]
    everyone = balances_for(ME, flows, AS_OF, DEFAULTS)
    assert everyone[THEM] == relationship_balance(ME, THEM, flows, AS_OF, DEFAULTS)
    assert everyone[THEM].last_on == days_ago(3)
    assert balances_for(ME, flows, AS_OF, DEFAULTS, only={OTHER}).keys() == {OTHER}


@pytest.mark.parametrize(
    ("given_benefit", "received_benefit", "tolerance", "leaning"),
    [
        (5, 3, 0.25, Leaning.BALANCED),  # (5 - 3) / 8 = 0.25: on the edge, still balanced
        (5, 3, 0.2, Leaning.OVER_GIVING),
        (3, 5, 0.25, Leaning.BALANCED),  # -0.25
        (3, 5, 0.24, Leaning.OVER_RECEIVING),
        (4, 4, 0.0, Leaning.BALANCED),  # exactly even with no band at all
        (10, 0, 0.99, Leaning.OVER_GIVING),  # +1
        (0, 10, 0.99, Leaning.OVER_RECEIVING),  # -1
    ],
)
def test_tolerance_band(given_benefit, received_benefit, tolerance, leaning) -> None:
    flows = [gave(given_benefit, 0), got(received_benefit, 0)]
    b = relationship_balance(ME, THEM, flows, AS_OF, ValueSettings(tolerance=tolerance))
    assert b.leaning is leaning


def test_mirrored_swaps_the_sides() -> None:
    b = relationship_balance(ME, THEM, [gave(8, 2), got(2, 1)], AS_OF, DEFAULTS)
    m = b.mirrored()
    assert (m.me_id, m.them_id) == (THEM, ME)
    assert (m.given, m.received, m.my_cost, m.their_cost) == (2.0, 8.0, 1.0, 2.0)
    assert (m.times_given, m.times_received) == (1, 1)
    assert m.balance == -b.balance
    assert b.leaning is Leaning.OVER_GIVING
    assert m.leaning is Leaning.OVER_RECEIVING
    assert m.mirrored() == b


def test_decay_weight_examples() -> None:
    assert decay_weight(AS_OF, AS_OF, 180) == 1.0
    assert decay_weight(days_ago(180), AS_OF, 180) == 0.5
    assert decay_weight(days_ago(360), AS_OF, 180) == 0.25
    assert decay_weight(days_ago(90), AS_OF, 180) == pytest.approx(math.sqrt(0.5))
    # An exchange dated after as_of counts fully, never more than fully.
    assert decay_weight(AS_OF + timedelta(days=30), AS_OF, 180) == 1.0


def test_exchange_surplus_is_benefit_minus_cost() -> None:
    exchange = Exchange(1, ME, THEM, ExchangeKind.TIME, "x", AS_OF, 4.5, 1.5, Estimator.ME)
    assert exchange.surplus == 3.0


# --- properties ---------------------------------------------------------------------------------

points = st.integers(min_value=0, max_value=100).map(lambda tenths: tenths / 10)
ages = st.integers(min_value=0, max_value=3000)
pairs = st.sampled_from([(ME, THEM), (THEM, ME), (ME, OTHER), (OTHER, THEM), (OTHER, ME)])
half_lives = st.floats(min_value=1, max_value=36500, allow_nan=False)
tolerances = st.floats(min_value=0, max_value=0.99, allow_nan=False)


@st.composite
def flow_lists(draw: st.DrawFn, max_age: int = 3000) -> list[Flow]:
    items = draw(st.lists(st.tuples(pairs, st.integers(0, max_age), points, points), max_size=30))
    return [Flow(g, r, days_ago(age), benefit, cost) for (g, r), age, benefit, cost in items]


def between(flows: list[Flow], a: int, b: int) -> list[Flow]:
    return [f for f in flows if {f.giver_id, f.receiver_id} == {a, b}]


@given(flow_lists(), half_lives, tolerances)
def test_balance_is_antisymmetric_between_the_two_sides(flows, half_life, tolerance) -> None:
    value = ValueSettings(half_life_days=half_life, tolerance=tolerance)
    mine = relationship_balance(ME, THEM, flows, AS_OF, value)
    theirs = relationship_balance(THEM, ME, flows, AS_OF, value)
    assert theirs == mine.mirrored()
    if mine.balance is None:
        assert theirs.balance is None
    else:
        assert theirs.balance == -mine.balance
    assert {mine.leaning, theirs.leaning} in (
        {Leaning.NONE},
        {Leaning.NO_BENEFIT},
        {Leaning.BALANCED},
        {Leaning.OVER_GIVING, Leaning.OVER_RECEIVING},
    )


@given(ages, ages, half_lives)
def test_decay_is_monotone_non_increasing_in_age(a, b, half_life) -> None:
    younger, older = sorted((a, b))
    w_young = decay_weight(days_ago(younger), AS_OF, half_life)
    w_old = decay_weight(days_ago(older), AS_OF, half_life)
    assert 0.0 <= w_old <= w_young <= 1.0


@given(st.integers(min_value=1, max_value=36500))
def test_decay_is_one_half_at_one_half_life(half_life) -> None:
    assert decay_weight(AS_OF - timedelta(days=half_life), AS_OF, half_life) == 0.5
    assert decay_weight(AS_OF - timedelta(days=2 * half_life), AS_OF, half_life) == 0.25


@given(flow_lists(max_age=0), half_lives)
def test_without_decay_balance_is_given_minus_received(flows, half_life) -> None:
    """All flows dated as_of weigh exactly 1: the plain sums of the ledger."""
    b = relationship_balance(ME, THEM, flows, AS_OF, ValueSettings(half_life_days=half_life))
    mine = between(flows, ME, THEM)
    sum_given = sum(f.benefit for f in mine if f.giver_id == ME)
    sum_received = sum(f.benefit for f in mine if f.giver_id == THEM)
    assert b.given - b.received == pytest.approx(sum_given - sum_received, abs=1e-9)
    assert b.surplus == pytest.approx(sum(f.benefit - f.cost for f in mine), abs=1e-9)
    assert b.times_given + b.times_received == len(mine)


@given(flow_lists(max_age=400))
def test_nearly_no_decay_with_the_longest_half_life(flows) -> None:
    """With the longest half-life (100 years) a year-old exchange still counts > 99 %."""
    b = relationship_balance(ME, THEM, flows, AS_OF, ValueSettings(half_life_days=36500))
    mine = between(flows, ME, THEM)
    sum_given = sum(f.benefit for f in mine if f.giver_id == ME)
    sum_received = sum(f.benefit for f in mine if f.giver_id == THEM)
    total = sum(f.benefit + f.cost for f in mine)
    assert b.given - b.received == pytest.approx(sum_given - sum_received, abs=0.01 * total + 1e-9)


@given(flow_lists(), half_lives)
def test_surplus_is_the_decayed_sum_of_benefit_minus_cost(flows, half_life) -> None:
    b = relationship_balance(ME, THEM, flows, AS_OF, ValueSettings(half_life_days=half_life))
    expected = sum(
        decay_weight(f.on, AS_OF, half_life) * (f.benefit - f.cost)
        for f in between(flows, ME, THEM)
    )
    assert b.surplus == pytest.approx(b.my_net + b.their_net)
    assert b.surplus == pytest.approx(expected, abs=1e-9)


@given(flow_lists(), half_lives, tolerances)
def test_balance_lies_in_minus_one_to_one_and_leaning_follows_the_band(
    flows, half_life, tolerance
) -> None:
    value = ValueSettings(half_life_days=half_life, tolerance=tolerance)
    b = relationship_balance(ME, THEM, flows, AS_OF, value)
    if b.given + b.received == 0:
        assert b.balance is None
        logged = b.times_given + b.times_received
        assert b.leaning is (Leaning.NO_BENEFIT if logged else Leaning.NONE)
        return
    assert -1.0 <= b.balance <= 1.0
    if b.balance > tolerance:
        assert b.leaning is Leaning.OVER_GIVING
    elif b.balance < -tolerance:
        assert b.leaning is Leaning.OVER_RECEIVING
    else:
        assert b.leaning is Leaning.BALANCED
    assert b.mutual == (b.my_net > 0 and b.their_net > 0)


@given(points, points)
def test_exchange_surplus_property(benefit, cost) -> None:
    exchange = Exchange(1, ME, THEM, ExchangeKind.OTHER, "x", AS_OF, benefit, cost, Estimator.ME)
    assert exchange.surplus == benefit - cost


# --- settings -----------------------------------------------------------------------------------


def test_value_settings_defaults() -> None:
    assert DEFAULTS.half_life_days == DEFAULT_HALF_LIFE_DAYS == 180.0
    assert DEFAULTS.tolerance == DEFAULT_TOLERANCE == 0.25


@pytest.mark.parametrize("half_life", [0, 0.5, -1, 36501, math.nan, math.inf])
def test_value_settings_rejects_bad_half_life(half_life) -> None:
    with pytest.raises(InvalidInput) as caught:
        ValueSettings(half_life_days=half_life)
    assert caught.value.field == "half_life_days"
    assert "half-life" in caught.value.message


@pytest.mark.parametrize("tolerance", [-0.01, 1, 1.5, math.nan])
def test_value_settings_rejects_bad_tolerance(tolerance) -> None:
    with pytest.raises(InvalidInput) as caught:
        ValueSettings(tolerance=tolerance)
    assert caught.value.field == "tolerance"


@pytest.mark.parametrize(("half_life", "tolerance"), [(1, 0), (36500, 0.99), (90, 0.5)])
def test_value_settings_accepts_the_edges(half_life, tolerance) -> None:
    value = ValueSettings(half_life_days=half_life, tolerance=tolerance)
    assert (value.half_life_days, value.tolerance) == (half_life, tolerance)


def test_with_half_life_overrides_only_the_half_life() -> None:
    base = Settings(value=ValueSettings(half_life_days=90, tolerance=0.1), owner_name="Ana")
    assert base.with_half_life(None) is base
    changed = base.with_half_life(30)
    assert changed.value == ValueSettings(half_life_days=30, tolerance=0.1)
    assert changed.owner_name == "Ana"
    with pytest.raises(InvalidInput):
        base.with_half_life(0)


def test_load_settings_absent_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_load_settings_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('owner_name = " Ana "\n\n[value]\nhalf_life_days = 90\ntolerance = 0.1\n')
    assert load_settings(path) == Settings(ValueSettings(90.0, 0.1), owner_name="Ana")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("owner = 1\n", "unknown setting 'owner'"),
        ("[value]\nhalflife = 3\n", "value.halflife"),
        ("[value]\nhalf_life_days = 0\ntolerance = 0.2\n", "half-life"),
        ("[value]\nhalf_life_days = 30\ntolerance = 2\n", "tolerance"),
        ('[value]\nhalf_life_days = "soon"\ntolerance = 0.2\n', "must be a number"),
        ("value = 3\n", "[value] must be a table"),
        ('owner_name = "  "\n[value]\nhalf_life_days = 30\ntolerance = 0.2\n', "owner_name"),
        ("this is = = not toml\n", "cannot read the config file"),
    ],
)
def test_load_settings_rejects_bad_files_naming_file_and_key(tmp_path, content, needle) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(BadFile) as caught:
        load_settings(path)
    assert needle in caught.value.message
    assert caught.value.location == str(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", Settings()),
        ('owner_name = "Ana"\n', Settings(owner_name="Ana")),
        ("[value]\nhalf_life_days = 90\n", Settings(ValueSettings(half_life_days=90))),
        (
            'owner_name = "Ana"\n[value]\ntolerance = 0.1\n',
            Settings(ValueSettings(tolerance=0.1), owner_name="Ana"),
        ),
    ],
)
def test_load_settings_partial_file_keeps_the_other_defaults(tmp_path, content, expected) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    assert load_settings(path) == expected


# --- explanations -------------------------------------------------------------------------------


def test_explanation_walks_through_the_arithmetic() -> None:
    b = relationship_balance(ME, THEM, [gave(4, 1), got(6, 1)], AS_OF, DEFAULTS)
    lines = explain_balance(b, "Ana")
    joined = "\n".join(lines)
    assert "half as much after 180 days (as of 2026-11-23)" in lines[0]
    assert "You gave Ana 1 time: 4.0 points of benefit to them, costing you 1.0." in joined
    assert "Ana gave you 1 time: 6.0 points of benefit to you, costing them 1.0." in joined
    assert "Your net = received - your cost = 6.0 - 1.0 = +5.0" in joined
    assert "their net = given - their cost = 4.0 - 1.0 = +3.0" in joined
    assert "(4.0 - 6.0) / (4.0 + 6.0) = -0.20" in joined
    assert "±0.25, so: balanced" in joined
    assert "mutually beneficial" in joined
    assert "in step" in lines[-1]


def test_explanation_of_one_sided_relationship_names_the_direction() -> None:
    b = relationship_balance(ME, THEM, [gave(8, 2, on=days_ago(180)), got(2, 1)], AS_OF, DEFAULTS)
    joined = "\n".join(explain_balance(b, "Bo"))
    assert "(4.0 - 2.0) / (4.0 + 2.0) = +0.33" in joined
    assert "so: over-giving" in joined
    assert "watch your capacity" in joined
    over_receiving = relationship_balance(ME, THEM, [got(5, 1)], AS_OF, DEFAULTS)
    assert "give back" in explain_balance(over_receiving, "Bo")[-1]
    assert "Not both of you come out ahead" in "\n".join(explain_balance(over_receiving, "Bo"))


def test_explanation_with_nothing_logged() -> None:
    b = relationship_balance(ME, THEM, [], AS_OF, ValueSettings(half_life_days=90))
    lines = explain_balance(b, "Dana")
    assert "after 90 days" in lines[0]
    assert "Balance =" not in "\n".join(lines)
    assert lines[-1].startswith("Nothing is logged yet")


def test_zero_benefit_exchange_is_not_reported_as_nothing_logged() -> None:
    b = relationship_balance(ME, THEM, [gave(0, 2)], AS_OF, DEFAULTS)
    assert b.times_given == 1
    assert "Nothing is logged yet" not in "\n".join(explain_balance(b, "Zoe"))


@settings(max_examples=50)
@given(flow_lists(), half_lives)
def test_explanation_contains_the_figures(flows, half_life) -> None:
    b = relationship_balance(ME, THEM, flows, AS_OF, ValueSettings(half_life_days=half_life))
    joined = "\n".join(explain_balance(b, "Ana"))
    for figure in (b.given, b.received, b.my_cost, b.their_cost):
        assert f"{figure:.1f}" in joined
    assert f"{b.my_net:+.1f}" in joined
    assert f"{b.their_net:+.1f}" in joined
    if b.balance is not None:
        assert f"{b.balance:+.2f}" in joined
        assert b.leaning.value in joined
