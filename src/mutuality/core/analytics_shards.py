"""The network-wide pair figures split by pair, so that each part can run on another machine.

Every figure of :func:`~mutuality.core.analytics.pair_figures` is a sum, a count, a
minimum or a maximum over one pair's rows, so rows cut by their unordered pair (each
pair's rows all in one part) give parts whose pair figures are disjoint pieces of the
whole. The cut is by ranges of the pair's lower id, so the pieces, each in pair order,
are in pair order one after another: merging is putting them end to end, no sort. Pairs,
counts and days are equal exactly; the decayed sums add the same numbers in the same
order, except that the single-machine pass reads its rows 65,536 at a time and a pair
whose rows straddle two of its chunks is summed in two steps, which can move the last
bits of that pair's sum (4.7e-15 relative at most, measured at 10M exchanges). Person
totals and the network figures are then the same core functions over the merged pairs
(:func:`~mutuality.core.analytics.person_totals`,
:func:`~mutuality.core.network.network_figures`).

Arrays in, arrays out; no Ray, no I/O.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import ExchangeColumns, PairFigures, TouchColumns

Ints = NDArray[np.int64]


def part_bounds(low: Ints, parts: int) -> Ints:
    """``parts + 1`` increasing ids cutting pairs into ``parts`` ranges by their lower id,
    each with about as many rows (``low``: each row's lower id): part ``p`` holds the pairs
    whose lower id is at least ``bounds[p]`` and below ``bounds[p + 1]``. All rows of one
    lower id fall in one part, so a person in many pairs as their lower side weighs on one."""
    ids, counts = np.unique(low, return_counts=True)  # only the ids present: any size
    return bounds_of_counts(ids.astype(np.int64), counts.astype(np.int64), parts)


def bounds_of_counts(ids: Ints, counts: Ints, parts: int) -> Ints:
    """:func:`part_bounds` from the rows per lower id (``ids`` increasing, ``counts`` their
    rows): what a database's count by lower id gives without sending the rows."""
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    if not len(ids):
        ids, counts = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    cumulative = np.cumsum(counts)
    targets = cumulative[-1] * np.arange(1, parts) / parts
    inner = np.searchsorted(cumulative, targets, side="right")
    past = np.append(ids, ids[-1] + 1)
    return np.concatenate([[0], past[inner], [past[-1]]]).astype(np.int64)


def pair_part(first: Ints, second: Ints, bounds: Ints) -> NDArray[np.intp]:
    """Each row's part: the range of ``bounds`` its pair's lower id falls in, whichever way
    the row ran."""
    low = np.minimum(first, second)
    return np.searchsorted(bounds, low, side="right") - 1


def split_ledger(
    exchanges: ExchangeColumns, touches: TouchColumns, parts: int
) -> list[tuple[ExchangeColumns, TouchColumns]]:
    """The exchanges and touches cut into ``parts`` parts by pair (ranges of the pair's
    lower id, :func:`part_bounds`), rows kept in their order, so every pair's rows are
    summed in the order the whole ledger sums them, and the parts' pair figures, each in
    pair order, follow one another in pair order too."""
    low = np.concatenate(
        [np.minimum(exchanges.giver, exchanges.receiver), np.minimum(touches.owner, touches.person)]
    )
    bounds = part_bounds(low, parts)
    del low
    by_exchange = pair_part(exchanges.giver, exchanges.receiver, bounds).astype(np.int32)
    by_touch = pair_part(touches.owner, touches.person, bounds).astype(np.int32)
    exchange_rows = _rows_by_part(by_exchange, parts)
    touch_rows = _rows_by_part(by_touch, parts)
    return [
        (
            ExchangeColumns(
                *(np.take(getattr(exchanges, n), rows) for n in ExchangeColumns.__slots__)
            ),
            TouchColumns(*(np.take(getattr(touches, n), seen) for n in TouchColumns.__slots__)),
        )
        for rows, seen in zip(exchange_rows, touch_rows, strict=True)
    ]


def _rows_by_part(part: NDArray[np.signedinteger[Any]], parts: int) -> list[Ints]:
    """Each part's row numbers, in order: one stable sort by part (a radix sort for these
    small integers), cut where the part changes."""
    order = np.argsort(part, kind="stable")
    ends = np.cumsum(np.bincount(part, minlength=parts))
    return np.split(order, ends[:-1])


def merge_pairs(parts: list[PairFigures]) -> PairFigures:
    """The pair figures of the parts of :func:`split_ledger`, given in part order, as one:
    each part is in pair order and holds a range of lower ids, so one after another they
    are in pair order ``(a, b)`` as :func:`~mutuality.core.analytics.pair_figures` gives
    them."""
    return PairFigures(
        **{
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in PairFigures.__slots__
        }
    )
