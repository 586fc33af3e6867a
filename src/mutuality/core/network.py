"""The whole network: reciprocity, reciprocity styles, and who is at risk or left out.

Reciprocity is exactly ``networkx.reciprocity`` of the directed graph whose edges are the
distinct (giver, receiver) pairs: the share of edges whose reverse edge also exists (tests
check equality with networkx). Styles follow Adam Grant's givers, matchers and takers, each
shown with its evidence (what the person gave and received); the clearest givers and takers
are the most lopsided. Who reaches out first is judged per relationship from the counts of
known initiatives that health shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import (
    NO_DAY,
    ExchangeColumns,
    PairFigures,
    PersonTotals,
    day_number,
    decay,
)
from mutuality.core.network_rules import STYLE_ORDER, NetworkSettings, Style

Floats = NDArray[np.float64]


def reciprocity(giver: NDArray[np.int64], receiver: NDArray[np.int64]) -> float | None:
    """Share of distinct directed edges whose reverse exists (``networkx.reciprocity``);
    ``None`` for an empty graph, where networkx raises.

    One sort does it: the key is the unordered pair with the direction as its lowest bit,
    so the distinct directed edges are where the sorted keys change, and an edge that runs
    both ways is two neighbours with the same pair (self-loops count as edges, never as
    reciprocated, as in networkx). Measured in ``benchmarks/bench_reciprocity.py``.
    """
    if len(giver) == 0:
        return None
    base = np.int64(int(max(giver.max(), receiver.max())) + 1)
    low, high = np.minimum(giver, receiver), np.maximum(giver, receiver)
    keys = np.sort((low.astype(np.int64) * base + high) * 2 + (giver > receiver))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    pair = keys >> 1
    both = (pair[1:] == pair[:-1]) & (pair[1:] // base != pair[1:] % base)
    return 2 * int(both.sum()) / len(keys)


@dataclass(frozen=True, slots=True)
class PairCounts:
    """What the network view counts over pairs, as sums: the counts of disjoint sets of
    pairs add up, so parts of the ledger cut by pair give the whole's by adding."""

    relationships: int
    """Pairs with any exchange or touch."""
    with_exchanges: int
    mutual: int
    """Pairs with exchanges where both sides' nets are positive."""
    edges: int
    """Distinct directed (giver, receiver) edges."""
    both_ways: int
    """Pairs of two people with exchanges each way (each two reciprocated edges)."""

    def __add__(self, other: PairCounts) -> PairCounts:
        return PairCounts(
            *(getattr(self, name) + getattr(other, name) for name in PairCounts.__slots__)
        )


NO_PAIRS = PairCounts(0, 0, 0, 0, 0)


def pair_counts(pairs: PairFigures) -> PairCounts:
    """The counts :func:`network_figures_of` needs, read from the pair figures: a pair with
    exchanges each way is two edges, each the reverse of the other (a self-loop is one
    edge, never reciprocated), so no second sort of the exchanges."""
    ab, ba = pairs.count_ab > 0, pairs.count_ba > 0
    with_exchanges = ab | ba
    net_a = pairs.given_ba - pairs.cost_a
    net_b = pairs.given_ab - pairs.cost_b
    return PairCounts(
        relationships=len(pairs),
        with_exchanges=int(np.count_nonzero(with_exchanges)),
        mutual=int(np.count_nonzero(with_exchanges & (net_a > 0) & (net_b > 0))),
        edges=int(np.count_nonzero(ab)) + int(np.count_nonzero(ba)),
        both_ways=int(np.count_nonzero(ab & ba & (pairs.a != pairs.b))),
    )


def counted_reciprocity(counts: PairCounts) -> float | None:
    """:func:`reciprocity` from the pair counts (``None`` without an edge)."""
    return 2 * counts.both_ways / counts.edges if counts.edges else None


def pair_reciprocity(pairs: PairFigures) -> float | None:
    """:func:`reciprocity` of the exchanges that ``pairs`` sums, read from the pairs alone."""
    return counted_reciprocity(pair_counts(pairs))


def styles(totals: PersonTotals, settings: NetworkSettings) -> NDArray[np.int8]:
    """Each person's style code (index into :data:`STYLE_ORDER`)."""
    return style_codes(
        totals.gave, totals.received, totals.times_gave + totals.times_received, settings
    )


def style_codes(
    gave: NDArray[np.float64],
    received: NDArray[np.float64],
    exchanges: NDArray[np.int32],
    settings: NetworkSettings,
) -> NDArray[np.int8]:
    """The style rule over arrays: share of all benefit a person took part in that they gave."""
    flow = gave + received
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(flow > 0, gave / flow, 0.5)
    enough = exchanges >= settings.min_exchanges
    return np.select(
        [~enough, share >= settings.giver_share, share <= settings.taker_share],
        [
            STYLE_ORDER.index(Style.UNKNOWN),
            STYLE_ORDER.index(Style.GIVER),
            STYLE_ORDER.index(Style.TAKER),
        ],
        default=STYLE_ORDER.index(Style.MATCHER),
    ).astype(np.int8)


def styles_of(
    exchanges: ExchangeColumns, as_of: date, half_life_days: float, settings: NetworkSettings
) -> dict[int, Style]:
    """Every person's style over the given exchanges (the whole ledger, or all of one
    person's exchanges), by the same rule as the network view."""
    if not len(exchanges):
        return {}
    value = decay(exchanges.day, day_number(as_of), half_life_days) * exchanges.benefit
    size = int(max(exchanges.giver.max(), exchanges.receiver.max())) + 1
    # With weights, bincount returns floats; numpy's stubs say intp whatever the weights.
    gave = cast(Floats, np.bincount(exchanges.giver, weights=value, minlength=size))
    received = cast(Floats, np.bincount(exchanges.receiver, weights=value, minlength=size))
    count = np.bincount(exchanges.giver, minlength=size) + np.bincount(
        exchanges.receiver, minlength=size
    )
    people = np.flatnonzero(count)
    codes = style_codes(gave[people], received[people], count[people], settings)
    return {int(p): STYLE_ORDER[int(c)] for p, c in zip(people, codes, strict=True)}


def style_of(
    exchanges: ExchangeColumns,
    person: int,
    as_of: date,
    half_life_days: float,
    settings: NetworkSettings,
) -> Style:
    """One person's style over all of that person's exchanges: :func:`styles_of`'s figure
    for them (the same sums, in the same order), without arrays as long as the largest id."""
    gave_rows, received_rows = exchanges.giver == person, exchanges.receiver == person
    count = int(np.count_nonzero(gave_rows)) + int(np.count_nonzero(received_rows))
    if not count:
        return Style.UNKNOWN
    value = decay(exchanges.day, day_number(as_of), half_life_days) * exchanges.benefit
    gave = cast(Floats, np.bincount(gave_rows, weights=value, minlength=2))[1:]
    received = cast(Floats, np.bincount(received_rows, weights=value, minlength=2))[1:]
    return STYLE_ORDER[int(style_codes(gave, received, np.array([count]), settings)[0])]


@dataclass(frozen=True, slots=True)
class StyleEvidence:
    """One person's reciprocity style with the figures it was judged on (over the whole
    ledger), so that a style is never shown without its reason."""

    person: int
    style: Style
    gave: float
    """Decayed benefit this person gave anyone."""
    received: float
    """Decayed benefit this person received from anyone."""
    exchanges: int
    """Exchanges they took part in, either way."""
    share: float | None
    """``gave / (gave + received)``: the figure the style is judged on; ``None`` when no
    benefit flowed (the rule then counts it as 0.5)."""


def style_evidence(totals: PersonTotals, codes: NDArray[np.int8], person: int) -> StyleEvidence:
    """``person``'s style (``codes`` from :func:`styles` over ``totals``) and its figures:
    not enough evidence and zeros for someone with no exchange."""
    found = np.flatnonzero(totals.person == person)
    if not len(found):
        return StyleEvidence(person, Style.UNKNOWN, 0.0, 0.0, 0, None)
    return _evidence(totals, codes, int(found[0]))


def _evidence(totals: PersonTotals, codes: NDArray[np.int8], row: int) -> StyleEvidence:
    gave, received = float(totals.gave[row]), float(totals.received[row])
    flow = gave + received
    return StyleEvidence(
        person=int(totals.person[row]),
        style=STYLE_ORDER[int(codes[row])],
        gave=gave,
        received=received,
        exchanges=int(totals.times_gave[row]) + int(totals.times_received[row]),
        share=gave / flow if flow > 0 else None,
    )


def clearest(
    totals: PersonTotals,
    codes: NDArray[np.int8],
    style: Style,
    limit: int,
    leave_out: int | None = None,
) -> list[StyleEvidence]:
    """The clearest people of ``style`` (giver or taker): those whose given share lies
    furthest to that side, the highest share first for givers and the lowest first for
    takers. At the same share, more benefit flowed first (more evidence), then by id.
    ``leave_out`` (the owner, whose own style is shown apart) is never listed."""
    if style not in (Style.GIVER, Style.TAKER):
        raise ValueError(f"only givers and takers are lopsided, not {style.value}")
    chosen = codes == STYLE_ORDER.index(style)
    if leave_out is not None:
        chosen &= totals.person != leave_out
    rows = np.flatnonzero(chosen)
    flow = totals.gave[rows] + totals.received[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(flow > 0, totals.gave[rows] / flow, 0.5)
    lopsided = share if style is Style.GIVER else -share
    order = np.lexsort((totals.person[rows], -flow, -lopsided))[:limit]
    return [_evidence(totals, codes, int(row)) for row in rows[order]]


def reaches_out_first(
    mine: NDArray[np.integer] | Sequence[int] | int,
    theirs: NDArray[np.integer] | Sequence[int] | int,
    settings: NetworkSettings,
) -> NDArray[np.bool_]:
    """Per relationship, whether I (nearly) always reach out first: at least
    ``reach_out_min`` times known, and at least ``reach_out_share`` of them mine (the share
    ``mine / (mine + theirs)`` that health shows as ``initiative_share``)."""
    mine_, theirs_ = np.asarray(mine, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    known = mine_ + theirs_
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(known > 0, mine_ / known, 0.0)
    return (known >= settings.reach_out_min) & (share >= settings.reach_out_share)


@dataclass(frozen=True, slots=True)
class Initiatives:
    """How often each side of one of my relationships reached out first."""

    person: int
    mine: int
    theirs: int


@dataclass(frozen=True, slots=True)
class ReachingOut:
    """Who reaches out first across my relationships."""

    judged: int
    """My relationships where who reached out is known at least ``reach_out_min`` times."""
    me_first: list[Initiatives]
    """Those where I reach out first (:func:`reaches_out_first`): the highest share of mine
    first, then the most known times, then by id."""


def reaching_out(pairs: PairFigures, owner: int, settings: NetworkSettings) -> ReachingOut:
    """:func:`reaches_out_first` over every pair that has ``owner`` on one side."""
    is_a, is_b = pairs.a == owner, pairs.b == owner
    rows = np.flatnonzero(is_a ^ is_b)
    on_a = is_a[rows]
    them = np.where(on_a, pairs.b[rows], pairs.a[rows])
    mine = np.where(on_a, pairs.initiated_a[rows], pairs.initiated_b[rows]).astype(np.int64)
    theirs = np.where(on_a, pairs.initiated_b[rows], pairs.initiated_a[rows]).astype(np.int64)
    known = mine + theirs
    first = np.flatnonzero(reaches_out_first(mine, theirs, settings))
    share = mine[first] / known[first]
    order = first[np.lexsort((them[first], -known[first], -share))]
    return ReachingOut(
        judged=int(np.count_nonzero(known >= settings.reach_out_min)),
        me_first=[Initiatives(int(them[i]), int(mine[i]), int(theirs[i])) for i in order.tolist()],
    )


@dataclass(frozen=True, slots=True)
class NetworkFigures:
    people: int
    relationships: int
    reciprocity: float | None
    mutual_share: float | None
    """Share of relationships with exchanges where both sides' nets are positive."""
    style_counts: dict[Style, int]
    burnout_risk: list[int]
    """Person ids, most cost borne first."""
    isolated: list[int]
    one_way_takers: list[int]


def network_figures(
    pairs: PairFigures,
    totals: PersonTotals,
    today: int,
    settings: NetworkSettings,
    known_people: NDArray[np.int64] | None = None,
) -> NetworkFigures:
    """The network view over every pair and person (``known_people``, distinct ids, adds
    people who have no event at all, so that they count as isolated)."""
    return network_figures_of(pair_counts(pairs), totals, today, settings, known_people)


def network_figures_of(
    counts: PairCounts,
    totals: PersonTotals,
    today: int,
    settings: NetworkSettings,
    known_people: NDArray[np.int64] | None = None,
) -> NetworkFigures:
    """:func:`network_figures` from the pair counts and person totals alone: what a part
    of the ledger sends back (:mod:`mutuality.core.network_parts`), added up."""
    codes = styles(totals, settings)
    flow = totals.gave + totals.received
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(flow > 0, totals.gave / flow, 0.0)
    threshold = float(np.quantile(totals.cost, 0.9)) if len(totals.cost) else 0.0
    at_risk = (
        (codes == STYLE_ORDER.index(Style.GIVER))
        & (share >= settings.burnout_share)
        & (totals.cost >= threshold)
        & (totals.cost > 0)
    )
    risk_order = np.argsort(-totals.cost[at_risk], kind="stable")
    silent = (totals.last_day == NO_DAY) | (
        today - totals.last_day.astype(np.int64) > settings.isolated_days
    )
    unseen = (
        np.setdiff1d(known_people, totals.person, assume_unique=True)
        if known_people is not None
        else totals.person[:0]
    )
    isolated = np.sort(np.concatenate([totals.person[silent], unseen]))  # (disjoint parts)
    takers = (totals.times_gave == 0) & (totals.received_from >= 2)
    counted = counts.with_exchanges
    return NetworkFigures(
        people=len(totals.person) + len(unseen),
        relationships=counts.relationships,
        reciprocity=counted_reciprocity(counts),
        mutual_share=(counts.mutual / counted) if counted else None,
        style_counts={style: int((codes == i).sum()) for i, style in enumerate(STYLE_ORDER)},
        burnout_risk=totals.person[at_risk][risk_order].tolist(),
        isolated=isolated.tolist(),
        one_way_takers=totals.person[takers].tolist(),
    )


__all__ = [
    "STYLE_ORDER",
    "Initiatives",
    "NetworkFigures",
    "NetworkSettings",
    "PairCounts",
    "ReachingOut",
    "Style",
    "StyleEvidence",
    "clearest",
    "counted_reciprocity",
    "network_figures",
    "network_figures_of",
    "pair_counts",
    "pair_reciprocity",
    "reaches_out_first",
    "reaching_out",
    "reciprocity",
    "style_codes",
    "style_evidence",
    "style_of",
    "styles",
    "styles_of",
]
