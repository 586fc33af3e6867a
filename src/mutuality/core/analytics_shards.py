"""The network-wide pair figures split by pair, so that each part can run on another machine.

Every figure of :func:`~mutuality.core.analytics.pair_figures` is a sum, a count, a
minimum or a maximum over one pair's rows, so rows cut by their unordered pair (each
pair's rows all in one shard) give shards whose pair figures are disjoint parts of the
whole: merged back in pair order, they are the single-machine result. Counts, days and
the pairs themselves are equal exactly; the decayed sums add the same numbers in the same
order, except that the single-machine pass reads its rows 65,536 at a time and a pair
whose rows straddle two of its chunks is summed in two parts, which may move the last bit
of that pair's sum (a relative 1e-16). Person totals and the network figures are then the
same core functions over the merged pairs (:func:`~mutuality.core.analytics.person_totals`,
:func:`~mutuality.core.network.network_figures`).

Arrays in, arrays out; no Ray, no I/O.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import ExchangeColumns, PairFigures, TouchColumns

Ints = NDArray[np.int64]

_MIX = np.int64(0x9E3779B1)
"""Spreads neighbouring pairs over the shards (a Fibonacci hashing constant)."""


def pair_shard(first: Ints, second: Ints, shards: int) -> Ints:
    """Each row's shard, from its unordered pair alone: a pair's rows share one shard,
    whichever way they ran."""
    if shards < 1:
        raise ValueError(f"shards must be at least 1, got {shards}")
    low, high = np.minimum(first, second), np.maximum(first, second)
    mixed = (low * _MIX + high) & np.int64(0x7FFFFFFFFFFF)  # ids below 2**31: no overflow
    return mixed % shards


def split_ledger(
    exchanges: ExchangeColumns, touches: TouchColumns, shards: int
) -> list[tuple[ExchangeColumns, TouchColumns]]:
    """The exchanges and touches cut into ``shards`` parts by pair, rows kept in their
    order (so every pair's rows are summed in the order the whole ledger sums them)."""
    by_exchange = pair_shard(exchanges.giver, exchanges.receiver, shards)
    by_touch = pair_shard(touches.owner, touches.person, shards)
    parts = []
    for shard in range(shards):
        rows = by_exchange == shard
        seen = by_touch == shard
        parts.append(
            (
                ExchangeColumns(*(getattr(exchanges, n)[rows] for n in ExchangeColumns.__slots__)),
                TouchColumns(*(getattr(touches, n)[seen] for n in TouchColumns.__slots__)),
            )
        )
    return parts


def merge_pairs(parts: list[PairFigures]) -> PairFigures:
    """The pair figures of disjoint shards as one, in pair order ``(a, b)`` as
    :func:`~mutuality.core.analytics.pair_figures` gives them."""
    columns = {
        name: np.concatenate([getattr(part, name) for part in parts])
        for name in PairFigures.__slots__
    }
    order = np.lexsort((columns["b"], columns["a"]))
    return PairFigures(**{name: column[order] for name, column in columns.items()})
