"""The synthetic network generator: deterministic, well-formed and shaped as documented."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.core.names import name_key
from mutuality.core.scale import KIND_DEFAULTS, check_points
from mutuality.synthetic import OWNER, ExchangeChunk, Style, generate_network, person_name
from mutuality.synthetic.network import STYLES, SyntheticNetwork

TODAY = date(2026, 11, 23)
PEOPLE = 200


def network(seed: int = 7, **options: object) -> SyntheticNetwork:
    return generate_network(PEOPLE, 10, seed=seed, today=TODAY, **options)  # type: ignore[arg-type]


def joined(net: SyntheticNetwork) -> ExchangeChunk:
    chunks = list(net.chunks())
    return ExchangeChunk(
        *(np.concatenate([getattr(c, f) for c in chunks]) for f in ExchangeChunk.__slots__)
    )


@pytest.fixture(scope="module")
def net() -> SyntheticNetwork:
    return network(chunk_size=300, community_size=40)


@pytest.fixture(scope="module")
def all_exchanges(net: SyntheticNetwork) -> ExchangeChunk:
    return joined(net)


def test_same_seed_same_network_and_other_seed_differs() -> None:
    first, again, other = joined(network(1)), joined(network(1)), joined(network(2))
    for field in ExchangeChunk.__slots__:
        assert np.array_equal(getattr(first, field), getattr(again, field))
    assert not np.array_equal(first.giver, other.giver)
    assert list(network(1).names()) == list(network(2).names())


def test_counts_and_chunking(net: SyntheticNetwork, all_exchanges: ExchangeChunk) -> None:
    sizes = [len(chunk) for chunk in net.chunks()]
    assert sum(sizes) == len(all_exchanges) == net.total == PEOPLE * 10
    assert max(sizes) == 300 and len(sizes) == 7
    assert len(list(net.names())) == PEOPLE - 1


def test_names_unique_and_never_the_owner_default() -> None:
    names = list(network().names())
    keys = {name_key(name) for name in names}
    assert len(keys) == len(names)
    assert "me" not in keys
    big = 20_000
    assert len({name_key(person_name(i, big)) for i in range(1, big)}) == big - 1


def test_ids_in_range_and_no_self_exchange(all_exchanges: ExchangeChunk) -> None:
    for side in (all_exchanges.giver, all_exchanges.receiver):
        assert side.min() >= 0 and side.max() < PEOPLE
    assert not np.any(all_exchanges.giver == all_exchanges.receiver)


def test_dates_within_the_years_and_never_in_the_future(net: SyntheticNetwork) -> None:
    dates = [exchange.on for exchange in net.exchanges(np.arange(PEOPLE))]
    assert max(dates) <= TODAY
    assert min(dates) >= TODAY - timedelta(days=int(3 * 365.25))
    recent = sum(d >= TODAY - timedelta(days=365) for d in dates)
    assert recent > len(dates) / 3  # denser in recent months


def test_values_on_the_scale(all_exchanges: ExchangeChunk) -> None:
    for values in (all_exchanges.benefit, all_exchanges.cost):
        assert values.min() >= 0 and values.max() <= 10
        assert np.array_equal(np.round(values, 1), values)
        assert all(check_points(v, "benefit") == v for v in values.tolist())


def test_new_exchanges_map_indices_to_ids(
    net: SyntheticNetwork, all_exchanges: ExchangeChunk
) -> None:
    ids = np.arange(PEOPLE) * 10 + 1000
    made = list(net.exchanges(ids))
    assert len(made) == net.total
    assert all(isinstance(e, NewExchange) for e in made)
    assert [e.giver_id for e in made] == (all_exchanges.giver * 10 + 1000).tolist()
    assert [e.receiver_id for e in made] == (all_exchanges.receiver * 10 + 1000).tolist()
    assert {e.kind for e in made} <= set(ExchangeKind)
    assert len({e.kind for e in made}) >= 8
    assert all(e.description for e in made)
    defaults = [e for e in made if e.estimated_by is Estimator.DEFAULT]
    assert defaults and all((e.benefit, e.cost) == KIND_DEFAULTS[e.kind] for e in defaults)
    with pytest.raises(ValueError):
        next(net.exchanges(ids[:-1]))


def test_owner_takes_part_in_a_share(all_exchanges: ExchangeChunk) -> None:
    involving = (all_exchanges.giver == OWNER) | (all_exchanges.receiver == OWNER)
    assert 0.02 < involving.mean() < 0.10  # owner_share is 0.05
    partners = np.unique(
        np.where(all_exchanges.giver == OWNER, all_exchanges.receiver, all_exchanges.giver)[
            involving
        ]
    )
    assert len(partners) >= 10
    # Both directions occur, so the owner's balances lean both ways.
    assert np.any(all_exchanges.giver == OWNER) and np.any(all_exchanges.receiver == OWNER)


def test_activity_is_skewed(all_exchanges: ExchangeChunk) -> None:
    taking_part = np.bincount(
        np.concatenate([all_exchanges.giver, all_exchanges.receiver]), minlength=PEOPLE
    )[1:]
    ranked = np.sort(taking_part)[::-1]
    top_tenth = ranked[: len(ranked) // 10].sum() / ranked.sum()
    assert top_tenth > 0.3  # a uniform network gives about 0.15
    assert np.median(taking_part) < taking_part.mean()


def test_communities_keep_most_exchanges_inside(
    net: SyntheticNetwork, all_exchanges: ExchangeChunk
) -> None:
    others = (all_exchanges.giver != OWNER) & (all_exchanges.receiver != OWNER)
    same = net.community[all_exchanges.giver] == net.community[all_exchanges.receiver]
    assert len(net.community_start) == 5
    assert same[others].mean() > 0.8  # within_community is 0.85


def test_givers_give_and_takers_take(net: SyntheticNetwork, all_exchanges: ExchangeChunk) -> None:
    gave = np.bincount(all_exchanges.giver, minlength=PEOPLE)
    got = np.bincount(all_exchanges.receiver, minlength=PEOPLE)
    style = net.style.copy()
    style[OWNER] = -1
    givers = style == STYLES.index(Style.GIVER)
    takers = style == STYLES.index(Style.TAKER)
    assert givers.any() and takers.any()
    assert gave[givers].sum() > 1.5 * got[givers].sum()
    assert got[takers].sum() > 1.5 * gave[takers].sum()
    # A giver's gifts are worth more on average than a taker's.
    from_givers = givers[all_exchanges.giver]
    from_takers = takers[all_exchanges.giver]
    assert all_exchanges.benefit[from_givers].mean() > all_exchanges.benefit[from_takers].mean()


def test_rejects_impossible_networks() -> None:
    with pytest.raises(ValueError):
        generate_network(2, today=TODAY)
    with pytest.raises(ValueError):
        generate_network(10, today=TODAY, owner_share=1.5)
    tiny = joined(generate_network(3, 20, today=TODAY, seed=3))
    assert len(tiny) == 60 and not np.any(tiny.giver == tiny.receiver)
