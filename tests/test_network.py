"""The network view: reciprocity (equal to networkx's), per-person totals, reciprocity
styles, burnout risk, isolation and one-way takers, in the core and through the service."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import pytest
from conftest import TODAY, owner_id
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.analytics import (
    FIRST_SIDE,
    NO_DAY,
    SECOND_SIDE,
    ExchangeColumns,
    PersonTotals,
    TouchColumns,
    day_number,
    pair_figures,
    person_totals,
)
from mutuality.core.errors import InvalidInput
from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.core.network import (
    STYLE_ORDER,
    Initiatives,
    NetworkSettings,
    ReachingOut,
    Style,
    StyleEvidence,
    clearest,
    network_figures,
    pair_reciprocity,
    reaches_out_first,
    reaching_out,
    reciprocity,
    style_evidence,
    styles,
)

T = day_number(TODAY)
H = 180.0


def w(age_days: float) -> float:
    return 0.5 ** (age_days / H)


# --- reciprocity equals networkx ------------------------------------------------------------------


def networkx_reciprocity(edges: list[tuple[int, int]]) -> float:
    graph = nx.DiGraph()
    graph.add_edges_from(edges)
    return nx.reciprocity(graph)


def ours(edges: list[tuple[int, int]]) -> float | None:
    return reciprocity(
        np.array([g for g, _ in edges], dtype=np.int64),
        np.array([r for _, r in edges], dtype=np.int64),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=60))
def test_reciprocity_equals_networkx_with_duplicates_and_self_loops(edges) -> None:
    assert ours(edges) == networkx_reciprocity(edges)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reciprocity_equals_networkx_on_larger_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    nodes = rng.choice(10**9, size=300, replace=False)  # large, sparse ids
    giver = nodes[rng.integers(0, 300, size=4000)]
    receiver = nodes[rng.integers(0, 300, size=4000)]
    edges = list(zip(giver.tolist(), receiver.tolist(), strict=True))
    assert reciprocity(giver, receiver) == networkx_reciprocity(edges)


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([(1, 2)], 0.0),
        ([(1, 2), (2, 1)], 1.0),
        ([(1, 2), (2, 1), (1, 2), (1, 2)], 1.0),  # duplicates count once
        ([(1, 2), (2, 1), (1, 3)], 2 / 3),
        ([(1, 1)], 0.0),  # a self-loop is not reciprocated by itself
        ([(1, 1), (1, 2), (2, 1)], 2 / 3),
    ],
)
def test_reciprocity_small_cases(edges, expected) -> None:
    assert ours(edges) == pytest.approx(expected)
    assert networkx_reciprocity(edges) == pytest.approx(expected)


def pairs_of(edges: list[tuple[int, int]], touches: list[tuple[int, int]] = ()):
    """The pair figures of one exchange per edge (and one touch per ``touches`` item)."""
    exchanges = ExchangeColumns(
        giver=np.array([g for g, _ in edges], dtype=np.int64),
        receiver=np.array([r for _, r in edges], dtype=np.int64),
        day=np.full(len(edges), T, dtype=np.int32),
        benefit=np.ones(len(edges)),
        cost=np.zeros(len(edges)),
        kind=np.zeros(len(edges), dtype=np.int8),
        initiator=np.zeros(len(edges), dtype=np.int8),
    )
    contacts = TouchColumns(
        owner=np.array([o for o, _ in touches], dtype=np.int64),
        person=np.array([p for _, p in touches], dtype=np.int64),
        day=np.full(len(touches), T, dtype=np.int32),
        initiator=np.zeros(len(touches), dtype=np.int8),
    )
    return pair_figures(exchanges, contacts, TODAY, H, 90)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=60),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=10),
)
def test_reciprocity_from_the_pair_figures_equals_networkx(edges, touches) -> None:
    # Touches make pairs but no edges: only exchanges count.
    expected = networkx_reciprocity(edges) if edges else None
    assert pair_reciprocity(pairs_of(edges, touches)) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_reciprocity_from_the_pair_figures_with_large_sparse_ids(seed: int) -> None:
    rng = np.random.default_rng(seed)
    nodes = rng.choice(10**9, size=300, replace=False)  # keys too wide to pack: argsort
    edges = list(
        zip(
            nodes[rng.integers(0, 300, size=4000)].tolist(),
            nodes[rng.integers(0, 300, size=4000)].tolist(),
            strict=True,
        )
    )
    assert pair_reciprocity(pairs_of(edges)) == networkx_reciprocity(edges)


def test_reciprocity_of_an_empty_graph_is_none_where_networkx_raises() -> None:
    assert ours([]) is None
    with pytest.raises(nx.NetworkXError):
        nx.reciprocity(nx.DiGraph())


# --- person totals against a naive reference ------------------------------------------------------

points = st.integers(0, 100).map(lambda tenths: tenths / 10)


@st.composite
def ledgers(draw: st.DrawFn, people: int = 6):
    pair = st.tuples(st.integers(0, people - 1), st.integers(0, people - 1)).filter(
        lambda p: p[0] != p[1]
    )
    rows = draw(st.lists(st.tuples(pair, st.integers(T - 400, T), points, points), max_size=25))
    touches = draw(st.lists(st.tuples(pair, st.integers(T - 400, T)), max_size=6))
    exchanges = ExchangeColumns(
        giver=np.array([p[0] for p, *_ in rows], dtype=np.int64),
        receiver=np.array([p[1] for p, *_ in rows], dtype=np.int64),
        day=np.array([d for _, d, _, _ in rows], dtype=np.int32),
        benefit=np.array([b for *_, b, _ in rows], dtype=np.float64),
        cost=np.array([c for *_, c in rows], dtype=np.float64),
        kind=np.zeros(len(rows), dtype=np.int8),
        initiator=np.zeros(len(rows), dtype=np.int8),
    )
    contacts = TouchColumns(
        owner=np.array([p[0] for p, _ in touches], dtype=np.int64),
        person=np.array([p[1] for p, _ in touches], dtype=np.int64),
        day=np.array([d for _, d in touches], dtype=np.int32),
        initiator=np.zeros(len(touches), dtype=np.int8),
    )
    return exchanges, contacts


def naive_totals(exchanges: ExchangeColumns, touches: TouchColumns, half_life: float) -> dict:
    people: dict[int, dict] = {}

    def of(person: int) -> dict:
        return people.setdefault(
            person,
            {
                "gave": 0.0,
                "received": 0.0,
                "cost": 0.0,
                "times_gave": 0,
                "times_received": 0,
                "gave_to": set(),
                "received_from": set(),
                "last_day": NO_DAY,
            },
        )

    for i in range(len(exchanges)):
        giver, receiver = int(exchanges.giver[i]), int(exchanges.receiver[i])
        day = int(exchanges.day[i])
        weight = 0.5 ** (max(T - day, 0) / half_life)
        of(giver)["gave"] += weight * float(exchanges.benefit[i])
        of(giver)["cost"] += weight * float(exchanges.cost[i])
        of(giver)["times_gave"] += 1
        of(giver)["gave_to"].add(receiver)
        of(receiver)["received"] += weight * float(exchanges.benefit[i])
        of(receiver)["times_received"] += 1
        of(receiver)["received_from"].add(giver)
        for person in (giver, receiver):
            of(person)["last_day"] = max(of(person)["last_day"], day)
    for i in range(len(touches)):
        for person in (int(touches.owner[i]), int(touches.person[i])):
            of(person)["last_day"] = max(of(person)["last_day"], int(touches.day[i]))
    return people


@settings(max_examples=75, deadline=None)
@given(ledger=ledgers(), half_life=st.sampled_from([30.0, 180.0]))
def test_person_totals_agree_with_a_naive_reference(ledger, half_life) -> None:
    exchanges, touches = ledger
    pairs = pair_figures(exchanges, touches, TODAY, half_life, 90)
    totals = person_totals(pairs)
    expected = naive_totals(exchanges, touches, half_life)
    assert totals.person.tolist() == sorted(expected)
    for row, person in enumerate(sorted(expected)):
        want = expected[person]
        assert totals.gave[row] == pytest.approx(want["gave"], rel=1e-9, abs=1e-12)
        assert totals.received[row] == pytest.approx(want["received"], rel=1e-9, abs=1e-12)
        assert totals.cost[row] == pytest.approx(want["cost"], rel=1e-9, abs=1e-12)
        assert int(totals.times_gave[row]) == want["times_gave"]
        assert int(totals.times_received[row]) == want["times_received"]
        assert int(totals.gave_to[row]) == len(want["gave_to"])
        assert int(totals.received_from[row]) == len(want["received_from"])
        assert int(totals.last_day[row]) == want["last_day"]


# --- styles and the figures, on hand-built totals -------------------------------------------------


def totals_of(rows: list[dict]) -> PersonTotals:
    """PersonTotals from rows of ``person, gave, received, cost, times_gave, times_received``
    (plus optional ``received_from`` and ``last_day``, default 1 and today)."""
    column = {
        "person": np.int64,
        "gave": np.float64,
        "received": np.float64,
        "cost": np.float64,
        "times_gave": np.int32,
        "times_received": np.int32,
        "gave_to": np.int32,
        "received_from": np.int32,
        "last_day": np.int32,
    }
    defaults = {"gave_to": 1, "received_from": 1, "last_day": T, "cost": 0.0}
    return PersonTotals(
        **{
            name: np.array([{**defaults, **row}[name] for row in rows], dtype=dtype)
            for name, dtype in column.items()
        }
    )


def style_names(totals: PersonTotals, network: NetworkSettings | None = None) -> list[Style]:
    return [STYLE_ORDER[code] for code in styles(totals, network or NetworkSettings())]


def test_styles_by_share_of_benefit_given() -> None:
    totals = totals_of(
        [
            # share = gave / (gave + received); at least 3 exchanges for a verdict
            {"person": 1, "gave": 6, "received": 4, "times_gave": 2, "times_received": 1},  # 0.6
            {"person": 2, "gave": 4, "received": 6, "times_gave": 2, "times_received": 1},  # 0.4
            {"person": 3, "gave": 5, "received": 5, "times_gave": 2, "times_received": 1},  # 0.5
            {"person": 4, "gave": 5.9, "received": 4.1, "times_gave": 2, "times_received": 1},
            {"person": 5, "gave": 9, "received": 0, "times_gave": 1, "times_received": 1},  # 2 ex.
            {"person": 6, "gave": 0, "received": 0, "times_gave": 2, "times_received": 1},  # 0/0
            {"person": 7, "gave": 0, "received": 3, "times_gave": 0, "times_received": 3},  # 0.0
        ]
    )
    assert style_names(totals) == [
        Style.GIVER,  # 0.6 >= 0.6
        Style.TAKER,  # 0.4 <= 0.4
        Style.MATCHER,
        Style.MATCHER,  # 0.59 < 0.6
        Style.UNKNOWN,  # only 2 exchanges
        Style.MATCHER,  # 3 exchanges that carried no benefit: neither gives nor takes
        Style.TAKER,
    ]
    stricter = NetworkSettings(giver_share=0.7, taker_share=0.3, min_exchanges=2)
    assert style_names(totals, stricter)[:5] == [
        Style.MATCHER,
        Style.MATCHER,
        Style.MATCHER,
        Style.MATCHER,
        Style.GIVER,
    ]


def test_the_clearest_givers_and_takers_are_the_most_lopsided() -> None:
    three = {"times_gave": 2, "times_received": 1}
    totals = totals_of(
        [
            {"person": 1, "gave": 9, "received": 1, **three},  # 0.9
            {"person": 2, "gave": 7, "received": 3, **three},  # 0.7
            {"person": 3, "gave": 2, "received": 0, **three},  # 1.0, flow 2
            {"person": 4, "gave": 10, "received": 0, **three},  # 1.0, flow 10
            {"person": 5, "gave": 20, "received": 0, **three},  # 1.0: the owner
            {"person": 6, "gave": 5, "received": 5, **three},  # 0.5: matcher
            {"person": 7, "gave": 0, "received": 5, **three},  # 0.0, flow 5
            {"person": 8, "gave": 1, "received": 9, **three},  # 0.1
            {"person": 9, "gave": 3, "received": 7, **three},  # 0.3
            {"person": 10, "gave": 0, "received": 2, **three},  # 0.0, flow 2
            {"person": 11, "gave": 0, "received": 9, "times_gave": 0, "times_received": 2},
        ]
    )
    codes = styles(totals, NetworkSettings())
    givers = clearest(totals, codes, Style.GIVER, 10, leave_out=5)
    # The highest share first; at 1.0, more benefit flowed (4: 10) before less (3: 2).
    assert [g.person for g in givers] == [4, 3, 1, 2]
    assert givers[2] == StyleEvidence(1, Style.GIVER, 9.0, 1.0, 3, pytest.approx(0.9))
    # The lowest share first; 11 (2 exchanges) has no style and is never listed.
    takers = clearest(totals, codes, Style.TAKER, 10)
    assert [t.person for t in takers] == [7, 10, 8, 9]
    assert takers[0] == StyleEvidence(7, Style.TAKER, 0.0, 5.0, 3, 0.0)
    assert [g.person for g in clearest(totals, codes, Style.GIVER, 2)] == [5, 4]
    with pytest.raises(ValueError, match="matcher"):
        clearest(totals, codes, Style.MATCHER, 10)
    assert style_evidence(totals, codes, 6) == StyleEvidence(6, Style.MATCHER, 5, 5, 3, 0.5)
    assert style_evidence(totals, codes, 11).style is Style.UNKNOWN
    assert style_evidence(totals, codes, 99) == StyleEvidence(99, Style.UNKNOWN, 0, 0, 0, None)


def test_evidence_without_benefit_has_no_share() -> None:
    totals = totals_of(
        [{"person": 1, "gave": 0, "received": 0, "times_gave": 3, "times_received": 0}]
    )
    codes = styles(totals, NetworkSettings())
    # No benefit either way counts as even: a matcher, with no share to show.
    assert style_evidence(totals, codes, 1) == StyleEvidence(1, Style.MATCHER, 0, 0, 3, None)


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        (3, 0, True),  # 3 known, all mine
        (2, 0, False),  # only 2 known: chance, not a habit
        (4, 1, True),  # 4 / 5 = 0.8: one time in five the other way still counts
        (3, 1, False),  # 3 / 4 = 0.75 < 0.8
        (0, 5, False),
        (0, 0, False),
    ],
)
def test_who_reaches_out_first(mine: int, theirs: int, expected: bool) -> None:
    assert bool(reaches_out_first(mine, theirs, NetworkSettings())) is expected


def test_reaching_out_first_thresholds_are_settings() -> None:
    looser = NetworkSettings(reach_out_share=0.7, reach_out_min=1)
    assert reaches_out_first([1, 3, 2], [0, 1, 1], looser).tolist() == [True, True, False]
    with pytest.raises(InvalidInput, match="reach_out_share"):
        NetworkSettings(reach_out_share=0.4)
    with pytest.raises(InvalidInput, match="reach_out_min"):
        NetworkSettings(reach_out_min=0)


def test_reaching_out_over_my_pairs() -> None:
    # Owner 1. An exchange's initiator: FIRST_SIDE = the giver reached out, SECOND_SIDE =
    # the receiver asked; a touch's: FIRST_SIDE = the owner, SECOND_SIDE = the other person.
    G, R = FIRST_SIDE, SECOND_SIDE
    rows = [
        (1, 2, G),  # 2: I offered three times: 3 of 3 mine
        (1, 2, G),
        (1, 2, G),
        (3, 1, R),  # 3 gave me what I asked for four times, and offered once: 4 of 5
        (3, 1, R),
        (3, 1, R),
        (3, 1, R),
        (3, 1, G),
        (1, 4, G),  # 4: twice, mine: too few to judge
        (1, 4, G),
        (2, 3, G),  # not my relationship: never counted
        (2, 3, G),
        (2, 3, G),
        (1, 6, 0),  # 6: nobody logged who reached out
        (1, 6, 0),
        (1, 6, 0),
    ]
    exchanges = ExchangeColumns(
        giver=np.array([r[0] for r in rows], dtype=np.int64),
        receiver=np.array([r[1] for r in rows], dtype=np.int64),
        day=np.full(len(rows), T, dtype=np.int32),
        benefit=np.ones(len(rows)),
        cost=np.zeros(len(rows)),
        kind=np.zeros(len(rows), dtype=np.int8),
        initiator=np.array([r[2] for r in rows], dtype=np.int8),
    )
    # 5: two calls I made and two they made: judged (4 known), 50%, not mine first.
    touches = TouchColumns(
        owner=np.full(4, 1, dtype=np.int64),
        person=np.full(4, 5, dtype=np.int64),
        day=np.full(4, T, dtype=np.int32),
        initiator=np.array([G, G, R, R], dtype=np.int8),
    )
    pairs = pair_figures(exchanges, touches, TODAY, H, 90)
    result = reaching_out(pairs, 1, NetworkSettings())
    assert result.judged == 3  # 2, 3 and 5
    assert result.me_first == [Initiatives(2, 3, 0), Initiatives(3, 4, 1)]
    # Seen from person 2, who offered 3 something three times and was offered by 1 three times.
    assert reaching_out(pairs, 2, NetworkSettings()) == ReachingOut(2, [Initiatives(3, 3, 0)])


def _pairs_and_totals(rows, touches=()):
    exchanges = ExchangeColumns(
        giver=np.array([r[0] for r in rows], dtype=np.int64),
        receiver=np.array([r[1] for r in rows], dtype=np.int64),
        day=np.array([r[2] for r in rows], dtype=np.int32),
        benefit=np.array([r[3] for r in rows], dtype=np.float64),
        cost=np.array([r[4] for r in rows], dtype=np.float64),
        kind=np.zeros(len(rows), dtype=np.int8),
        initiator=np.zeros(len(rows), dtype=np.int8),
    )
    contacts = TouchColumns(
        owner=np.array([t[0] for t in touches], dtype=np.int64),
        person=np.array([t[1] for t in touches], dtype=np.int64),
        day=np.array([t[2] for t in touches], dtype=np.int32),
        initiator=np.zeros(len(touches), dtype=np.int8),
    )
    pairs = pair_figures(exchanges, contacts, TODAY, H, 90)
    return pairs, person_totals(pairs)


def figures(rows, touches=(), known=None, network: NetworkSettings | None = None):
    pairs, totals = _pairs_and_totals(rows, touches)
    return network_figures(
        pairs,
        totals,
        T,
        network or NetworkSettings(),
        None if known is None else np.array(known, dtype=np.int64),
    )


def test_burnout_risk_needs_a_heavy_giver_in_the_top_tenth_by_cost() -> None:
    # Person 1 gives 9 (cost 5) three times to 2, 3, 4 and gets 1 back: share 27/28 >= 0.75,
    # cost 15 (the most). Person 5 gives 2 (cost 1) three times and receives nothing: a
    # giver with share 1, but cost 3 is below the top tenth.
    rows = [
        (1, 2, T, 9, 5),
        (1, 3, T, 9, 5),
        (1, 4, T, 9, 5),
        (2, 1, T, 1, 1),
        (5, 2, T, 2, 1),
        (5, 3, T, 2, 1),
        (5, 4, T, 2, 1),
    ]
    result = figures(rows)
    # costs by person: 1: 15, 2: 1, 3: 0, 4: 0, 5: 3; the 0.9 quantile of [0, 0, 1, 3, 15]
    # is 3 + 0.6 x 12 = 10.2: only person 1 is at or above it.
    assert result.burnout_risk == [1]
    assert result.style_counts[Style.GIVER] == 2


def test_burnout_risk_lists_the_most_cost_first_and_ignores_free_giving() -> None:
    # Person 1 gives 5 times at cost 1 (cost 5), person 2 five times at cost 2 (cost 10),
    # each to 5 different people (10 receivers who bear no cost). 12 people: the 0.9
    # quantile of [0 x 10, 5, 10] sits at position 9.9: 0 + 0.9 x 5 = 4.5, so both givers
    # are in the top tenth: most cost first.
    rows = [(1, 10 + i, T, 3, 1) for i in range(5)] + [(2, 20 + i, T, 3, 2) for i in range(5)]
    assert figures(rows).burnout_risk == [2, 1]
    # Three people who only gave things that cost them nothing: no burden, no risk.
    free = [(1, 9, T, 3, 0)] * 3 + [(2, 9, T, 3, 0)] * 3
    result = figures(free)
    assert result.style_counts[Style.GIVER] == 2 and result.burnout_risk == []


def test_a_giver_below_the_burnout_share_is_not_at_risk() -> None:
    # Gives 7, gets 3: share 0.7 >= 0.6 (giver) but < 0.75.
    rows = [(1, 2, T, 7, 5), (2, 1, T, 3, 0), (1, 2, T, 0, 0)]
    result = figures(rows)
    assert result.style_counts[Style.GIVER] == 1 and result.burnout_risk == []


def test_isolated_takers_mutual_share_and_known_people() -> None:
    rows = [
        (1, 2, T, 4, 1),  # 1 <-> 2 both ways: nets 3 - 1 = 2 and 4 - 2 = 2: mutual
        (2, 1, T, 3, 2),
        (1, 3, T, 2, 1),  # 3 only receives, from 1 and 4: a one-way taker
        (4, 3, T, 2, 1),
        (5, 1, T - 181, 2, 1),  # 5's last event 181 days ago (> 180): isolated
        (6, 1, T - 180, 2, 1),  # 180 days ago: not yet isolated
    ]
    result = figures(rows, touches=[(1, 7, T - 500), (1, 8, T - 3)], known=[2, 3, 9])
    assert result.isolated == [5, 7, 9]  # 7 touched long ago; 9 known with no event at all
    assert result.one_way_takers == [3]
    # pairs with exchanges: 1-2 (mutual), 1-3, 3-4, 1-5, 1-6 (one side bears a cost for
    # nothing back): 1 of 5. The touch-only pairs 1-7 and 1-8 are relationships but not
    # counted in the share.
    assert result.mutual_share == pytest.approx(1 / 5)
    assert result.relationships == 7
    assert result.people == 9  # 1..8 seen, plus 9 known
    assert result.reciprocity == pytest.approx(2 / 6)


def test_network_figures_of_nothing() -> None:
    result = figures([], known=[3, 4])
    assert result.reciprocity is None and result.mutual_share is None
    assert result.people == 2 and result.relationships == 0
    assert result.isolated == [3, 4] and result.burnout_risk == [] and result.one_way_takers == []
    assert sum(result.style_counts.values()) == 0


def test_isolated_days_is_a_setting() -> None:
    rows = [(1, 2, T - 40, 1, 1)]
    assert figures(rows, network=NetworkSettings(isolated_days=30)).isolated == [1, 2]
    assert figures(rows).isolated == []


# --- through the service --------------------------------------------------------------------------


def _between(app, giver: int, receiver: int, benefit: float, cost: float, on: date = TODAY):
    return NewExchange(giver, receiver, ExchangeKind.TIME, "help", on, benefit, cost, Estimator.ME)


NETWORK = """
got  Gina time      2026-11-23 benefit=4 cost=3 "Gina helped me"
gave Mat  knowledge 2026-11-23 benefit=3 cost=1 "Advice for Mat"
gave Tom  knowledge 2026-11-23 benefit=2 cost=1 "Advice for Tom"
got  Iso  knowledge 2026-04-01 benefit=2 cost=1 "An old tip"        # 236 days ago
touch Kim 2026-11-13
"""


def build_network(app, ledger) -> dict[str, int]:
    ledger(NETWORK)
    app.people.add("Zed")
    ids = {p.name: p.id for p in app.people.list()}
    gina, mat, tom = ids["Gina"], ids["Mat"], ids["Tom"]
    app.ledger.bulk_add(
        [
            _between(app, gina, tom, 4, 3),
            _between(app, gina, mat, 4, 3),
            _between(app, mat, gina, 4, 1),
            _between(app, mat, tom, 5, 1),
        ]
    )
    ids["Me"] = owner_id(app)
    return ids


def test_network_view_of_a_small_organisation(app, ledger) -> None:
    ids = build_network(app, ledger)
    report = app.health.network()
    result = report.figures
    # Per person (decay 1 today; Iso's tip w(236) = 0.403):
    #   Me:   gave 3 + 2 = 5, received 4 + 0.81: share 0.51, 4 exchanges: matcher
    #   Gina: gave 12, received 4: share 0.75, cost 9: giver, and at risk of burnout
    #         (costs [Me 2, Gina 9, Mat 2, Tom 0, Iso 0.4, Kim 0]: 0.9 quantile 5.5 <= 9)
    #   Mat:  gave 9, received 7: share 0.56: matcher
    #   Tom:  gave 0, received 11 from 3 people, 3 exchanges: taker and one-way taker
    #   Iso:  1 exchange, Kim: a touch only: not enough evidence
    assert result.style_counts == {
        Style.GIVER: 1,
        Style.MATCHER: 2,
        Style.TAKER: 1,
        Style.UNKNOWN: 2,
    }
    assert result.burnout_risk == [ids["Gina"]]
    assert result.one_way_takers == [ids["Tom"]]
    # Iso: last contact 236 days ago; Zed: never. Kim was touched 10 days ago.
    assert result.isolated == sorted([ids["Iso"], ids["Zed"]])
    # Pairs: Me-Gina, Me-Mat, Me-Tom, Me-Iso, Me-Kim (touch only), Gina-Tom, Gina-Mat, Mat-Tom.
    assert result.relationships == 8
    # Only Gina-Mat leaves both ahead (Gina 4 - 3 = 1, Mat 4 - 1 = 3): 1 of the 7 pairs with
    # exchanges.
    assert result.mutual_share == pytest.approx(1 / 7)
    # Directed links: Gina->Me, Me->Mat, Me->Tom, Iso->Me, Gina->Tom, Gina->Mat, Mat->Gina,
    # Mat->Tom: 8, of which Gina->Mat and Mat->Gina are reciprocated: 2 / 8.
    assert result.reciprocity == pytest.approx(0.25)
    assert result.people == 7
    assert report.my_style is Style.MATCHER and report.my_giving == "not a giver"
    for person in ("Gina", "Tom", "Iso", "Zed"):
        assert report.names[ids[person]] == person
    # The evidence: Gina gave 4 to me, Tom and Mat (12) and received 4 from Mat, in 4
    # exchanges; Tom gave nothing and received 2 + 4 + 5 = 11 in 3; Mat (a matcher) and I
    # are in neither list.
    assert report.givers == [StyleEvidence(ids["Gina"], Style.GIVER, 12, 4, 4, 0.75)]
    assert report.takers == [StyleEvidence(ids["Tom"], Style.TAKER, 0, 11, 3, 0.0)]
    me = report.me
    assert (me.person, me.style, me.gave, me.exchanges) == (ids["Me"], Style.MATCHER, 5, 4)
    assert me.received == pytest.approx(4 + 2 * w(236))
    assert me.share == pytest.approx(5 / (9 + 2 * w(236)))
    assert report.thresholds == NetworkSettings()
    # Nobody logged who reached out: no relationship to judge.
    assert (report.reaching_out.judged, report.reaching_out.me_first) == (0, [])


def test_my_giving_is_otherish_or_self_sacrificing(app, ledger) -> None:
    ledger("""
    gave Ana knowledge 2026-11-20 benefit=5 cost=2 "a"
    gave Ana knowledge 2026-11-21 benefit=5 cost=2 "b"
    gave Ana knowledge 2026-11-22 benefit=5 cost=2 "c"
    """)
    # I give all (share 1, 3 exchanges): a giver. No budget: unknown which kind of giver.
    report = app.health.network()
    assert (report.my_style, report.my_giving) == (Style.GIVER, "unknown")
    app.capacity.set(100, "points", "month")  # 6 used of 100, pace 7.8: within budget
    assert app.health.network().my_giving == "otherish"
    app.capacity.set(7, "points", "month")  # pace 6 x 30 / 23 = 7.8 > 7: at risk
    report = app.health.network()
    assert report.my_giving == "self-sacrificing" and report.capacity.strained


def test_network_of_an_empty_database(app) -> None:
    report = app.health.network()
    assert report.figures.people == 0 and report.figures.reciprocity is None
    assert report.figures.mutual_share is None and report.my_style is Style.UNKNOWN
    assert report.me.style is Style.UNKNOWN and report.me.exchanges == 0
    assert report.givers == report.takers == [] and report.reaching_out.judged == 0


def test_the_network_names_the_people_i_reach_out_to_first(app, ledger) -> None:
    ledger("""
    gave Ana knowledge 2026-11-01 benefit=2 cost=1 initiated=me "a"
    got  Ana knowledge 2026-11-02 benefit=2 cost=1 initiated=me "b"
    touch Ana 2026-11-03 initiated=me
    touch Ana 2026-11-04 initiated=them
    touch Ana 2026-11-05 initiated=me
    gave Bob knowledge 2026-11-01 benefit=2 cost=1 initiated=them "c"
    touch Bob 2026-11-03 initiated=them
    touch Bob 2026-11-04 initiated=me
    """)
    # Ana: I offered, I asked, I called, she called, I called: 4 of 5 = 0.8. Bob: 1 of 3.
    report = app.health.network()
    ana = app.people.get("Ana").person.id
    assert report.reaching_out.judged == 2
    assert report.reaching_out.me_first == [Initiatives(ana, 4, 1)]
    assert report.names[ana] == "Ana"
    [item] = [i for i in app.health.relationships() if i.person.id == ana]
    assert item.health.initiative_share == pytest.approx(0.8)  # the same figure as health


def test_network_counts_the_decay(app, ledger) -> None:
    # One exchange each way; mine 180 days old counts half: given 2 x 0.5 = 1 against 1:
    # both nets: mine 1 - 0.5 = 0.5, theirs 1 - 1 = 0: not mutual.
    ledger("""
    gave Ana knowledge 2026-05-27 benefit=2 cost=1 "Half a year ago"
    got  Ana knowledge 2026-11-23 benefit=1 cost=1 "Today"
    """)
    assert app.health.network().figures.mutual_share == 0.0
    assert w(180) == 0.5


def test_a_persons_style_is_the_same_in_health_and_in_the_network(app, ledger) -> None:
    ledger('got Ann knowledge 2026-11-20 benefit=3 cost=1 "Tip"')
    ann = app.people.get("Ann").person.id
    ben = app.people.add("Ben").id
    app.ledger.bulk_add([_between(app, ann, ben, 3, 1)] * 3)
    # Over the whole ledger Ann gave 4 times and received nothing: a giver.
    assert app.health.network().figures.style_counts[Style.GIVER] == 1
    [item] = [i for i in app.health.relationships() if i.person.id == ann]
    assert item.style is Style.GIVER
    assert app.health.for_person("ann").style is Style.GIVER
