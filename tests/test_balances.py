"""Balances over the stored ledger, per person and as an overview (services/health/balances.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import load_ledger, open_app, owner_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutuality.core.errors import Ambiguous, InvalidInput, NotFound
from mutuality.core.value import Leaning, ValueSettings
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings


def test_for_person_without_decay(app, ledger) -> None:
    ledger("""
    gave Ana knowledge    2026-11-23 benefit=4 cost=1 "Reviewed her deck"
    got  Ana introduction 2026-11-23 benefit=6 cost=1 "Intro to Bo"
    gave Bo  time         2026-11-23 benefit=9 cost=9 "Not Ana's business"
    """)
    result = app.balances.for_person("ana")
    b = result.balance
    assert result.person.name == "Ana"
    assert (b.me_id, b.them_id) == (owner_id(app), result.person.id)
    assert (b.given, b.received, b.my_cost, b.their_cost) == (4.0, 6.0, 1.0, 1.0)
    assert (b.my_net, b.their_net, b.surplus) == (5.0, 3.0, 8.0)
    assert b.balance == pytest.approx(-0.2)
    assert b.leaning is Leaning.BALANCED
    assert b.mutual
    assert (b.times_given, b.times_received) == (1, 1)
    joined = "\n".join(result.explanation)
    assert "You gave Ana 1 time: 4.0 points" in joined
    assert "= -0.20" in joined


def test_for_person_with_decay(app, ledger) -> None:
    ledger("""
    gave Ana knowledge 2026-05-27 benefit=8 cost=2 "Half a year ago: counts half"
    gave Ana knowledge 2025-11-28 benefit=8 cost=4 "A year ago: counts a quarter"
    got  Ana time      2026-11-23 benefit=2 cost=1 "Today"
    """)
    b = app.balances.for_person("ana").balance
    assert b.given == 4.0 + 2.0
    assert b.my_cost == 1.0 + 1.0
    assert (b.received, b.their_cost) == (2.0, 1.0)
    assert b.balance == pytest.approx((6 - 2) / (6 + 2))
    assert b.leaning is Leaning.OVER_GIVING
    assert b.last_on.isoformat() == "2026-11-23"


def test_half_life_override(app, ledger) -> None:
    ledger('got Ana time 2026-05-27 benefit=8 cost=4 "180 days ago"')
    assert app.balances.for_person("ana").balance.received == 4.0  # default 180 days
    b = app.balances.for_person("ana", half_life_days=90).balance
    assert b.received == 2.0
    assert b.settings.half_life_days == 90
    assert b.settings.tolerance == 0.25
    assert "after 90 days" in app.balances.for_person("ana", half_life_days=90).explanation[0]
    assert app.balances.overview(half_life_days=360)[0].balance.received == pytest.approx(
        8 * 0.5**0.5
    )


@pytest.mark.parametrize("half_life", [0, -5, 40_000])
def test_bad_half_life_override(populated, half_life) -> None:
    with pytest.raises(InvalidInput) as caught:
        populated.balances.for_person("ana", half_life_days=half_life)
    assert caught.value.field == "half_life_days"
    with pytest.raises(InvalidInput):
        populated.balances.overview(half_life_days=half_life)


def test_configured_settings_are_used(tmp_path) -> None:
    settings = Settings(ValueSettings(half_life_days=30, tolerance=0.5))
    with open_app(tmp_path / "s.db", settings) as app:
        load_ledger(
            app,
            """
        gave Ana time 2026-10-24 benefit=4 cost=0 "Thirty days ago"
        got  Ana time 2026-11-23 benefit=1 cost=0 "Today"
        """,
        )
        b = app.balances.for_person("ana").balance
        assert (b.given, b.received) == (2.0, 1.0)
        assert b.balance == pytest.approx(1 / 3)
        assert b.leaning is Leaning.BALANCED  # within ±0.5


def test_person_without_exchanges(populated) -> None:
    result = populated.balances.for_person("dana")
    assert result.balance.balance is None
    assert result.balance.leaning is Leaning.NONE
    assert result.balance.leaning.value == "no exchanges"
    assert result.explanation[-1].startswith("Nothing is logged yet")


def test_for_person_unknown_or_ambiguous(populated) -> None:
    with pytest.raises(NotFound):
        populated.balances.for_person("Quentin")
    populated.people.add("Ana Souza")
    with pytest.raises(Ambiguous):
        populated.balances.for_person("ana")


def test_overview_lists_everyone_most_one_sided_first(populated) -> None:
    overview = populated.balances.overview()
    assert [item.person.name for item in overview] == [
        "Bo Chen",  # +1: only giving
        "José Álvarez",  # -1: only receiving (tie on |balance| broken by name)
        "Ana Lima",  # (3.26 - 5.51) / 8.77 = -0.257: just outside the band
        "Dana Smith",  # no exchanges: last
    ]
    leanings = {item.person.name: item.balance.leaning for item in overview}
    assert leanings == {
        "Bo Chen": Leaning.OVER_GIVING,
        "José Álvarez": Leaning.OVER_RECEIVING,
        "Ana Lima": Leaning.OVER_RECEIVING,  # just outside the band of ±0.25
        "Dana Smith": Leaning.NONE,
    }
    by_name = {item.person.name: item.balance for item in overview}
    assert by_name["Dana Smith"].leaning.value == "no exchanges"
    assert (by_name["Dana Smith"].given, by_name["Dana Smith"].received) == (0.0, 0.0)
    jose = by_name["José Álvarez"]
    assert (jose.received, jose.their_cost) == (2.0, 1.0)  # one half-life ago: half
    ana = by_name["Ana Lima"]
    assert ana.given == pytest.approx(4 * 0.5 ** (53 / 180))  # 2026-10-01: 53 days ago
    assert ana.received == pytest.approx(6 * 0.5 ** (22 / 180))  # 2026-11-01: 22 days ago
    assert ana.balance == pytest.approx(-0.2566, abs=1e-4)
    # The overview and the per-person view agree.
    for item in overview:
        assert populated.balances.for_person(item.person.name).balance == item.balance


def test_overview_of_an_empty_database(app) -> None:
    assert app.balances.overview() == []


def test_overview_with_people_but_no_exchanges(app) -> None:
    app.people.add("Bo")
    app.people.add("Al")
    overview = app.balances.overview()
    assert [item.person.name for item in overview] == ["Al", "Bo"]
    assert all(item.balance.leaning is Leaning.NONE for item in overview)


def test_overview_orders_by_distance_from_even(app, ledger) -> None:
    ledger("""
    gave Cy time 2026-11-23 benefit=6 cost=0 "x"
    got  Cy time 2026-11-23 benefit=4 cost=0 "x"
    gave Ab time 2026-11-23 benefit=4 cost=0 "x"
    got  Ab time 2026-11-23 benefit=4 cost=0 "x"
    got  Bu time 2026-11-23 benefit=9 cost=0 "x"
    gave Bu time 2026-11-23 benefit=1 cost=0 "x"
    """)
    app.people.add("Aa")
    overview = app.balances.overview()
    assert [(i.person.name, i.balance.balance) for i in overview] == [
        ("Bu", pytest.approx(-0.8)),
        ("Cy", pytest.approx(0.2)),
        ("Ab", 0.0),
        ("Aa", None),
    ]


def test_forgotten_people_leave_the_overview(populated) -> None:
    populated.people.forget("bo")
    assert "Bo Chen" not in [item.person.name for item in populated.balances.overview()]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Ana", "Bo"]),
            st.sampled_from(list(Direction)),
            st.integers(0, 100).map(lambda t: t / 10),
            st.integers(0, 100).map(lambda t: t / 10),
        ),
        max_size=10,
    )
)
def test_stored_balance_is_given_minus_received(entries) -> None:
    """I11 through the database: with every exchange dated today (weight 1), the balance's
    given - received is the plain sum of what I gave minus what I got."""
    with tempfile.TemporaryDirectory() as folder, open_app(Path(folder) / "p.db") as app:
        app.people.add("Ana")
        app.people.add("Bo")
        for name, direction, benefit, cost in entries:
            app.ledger.log(name, direction, kind="time", what="x", benefit=benefit, cost=cost)
        for name in ("Ana", "Bo"):
            mine = [e for e in entries if e[0] == name]
            gave = sum(e[2] for e in mine if e[1] is Direction.GAVE)
            got = sum(e[2] for e in mine if e[1] is Direction.GOT)
            b = app.balances.for_person(name).balance
            assert b.given - b.received == pytest.approx(gave - got, abs=1e-9)
            assert b.surplus == pytest.approx(sum(e[2] - e[3] for e in mine), abs=1e-9)
            assert b.times_given + b.times_received == len(mine)


def test_an_introduction_moves_no_balance(app, ledger) -> None:
    """An introduction I make is my contribution, never a debt of the one introduced: it
    is left out of the balance here as in health (one they make for me is their gift)."""
    ledger("""
    gave Ana knowledge    2026-11-23 benefit=4 cost=1 "Reviewed her deck"
    gave Ana introduction 2026-11-22 benefit=8 cost=1 "Introduced her to a hiring manager"
    got  Ana knowledge    2026-11-23 benefit=4 cost=1 "Taught me her pricing model"
    """)
    b = app.balances.for_person("ana").balance
    assert (b.given, b.received) == (4.0, 4.0)
    assert b.leaning is Leaning.BALANCED
    assert app.health.for_person("ana").health.balance == pytest.approx(0.0)
