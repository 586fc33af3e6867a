"""What one part of a ledger cut by pair sends back for the network view: per-person
partial sums, pair counts and the owner's own pairs, never every pair's figures.

Each pair lies wholly in one part, so a person's sums over the parts' pairs add up to
:func:`~mutuality.core.analytics.person_totals` over every pair (the latest day is the
latest of the parts'), the pair counts add up (:class:`~mutuality.core.network.PairCounts`),
and the owner's pairs, a few rows, are put end to end. The single-machine view is the same
functions over one part, so both give the same figures; over several parts a person's
decayed sums add the same numbers in another grouping, which can move their last bits.

Arrays in, arrays out; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from mutuality.core.analytics import NO_DAY, PairFigures, PersonTotals, person_totals
from mutuality.core.analytics_shards import merge_pairs
from mutuality.core.network import NO_PAIRS, PairCounts, pair_counts


@dataclass(frozen=True, slots=True)
class PartSummary:
    """A part's share of the network view: a row per person in it and a row per pair of
    the owner's, whatever the number of pairs."""

    totals: PersonTotals
    counts: PairCounts
    owner_pairs: PairFigures
    """The pairs with the owner on one side (who reaches out first reads them)."""
    rows: int = 0
    """Exchanges and touches the part was summed from."""


def summarize(pairs: PairFigures, owner: int, rows: int = 0) -> PartSummary:
    """The summary of a part's pair figures (or of the whole ledger's: one part)."""
    mine = np.flatnonzero((pairs.a == owner) | (pairs.b == owner))
    return PartSummary(
        person_totals(pairs),
        pair_counts(pairs),
        PairFigures(**{name: getattr(pairs, name)[mine] for name in PairFigures.__slots__}),
        rows,
    )


def combine(parts: Sequence[PartSummary]) -> PartSummary:
    """The parts' summaries as one, as :func:`summarize` gives it for the whole ledger:
    sums and counts added per person, the latest day the latest, the owner's pairs in part
    order (each part in pair order, parts by ranges of the lower id: pair order)."""
    if len(parts) == 1:
        return parts[0]
    counts = sum((part.counts for part in parts), NO_PAIRS)
    owner_pairs = merge_pairs([part.owner_pairs for part in parts])
    rows = sum(part.rows for part in parts)
    every = [part.totals for part in parts]
    person = np.concatenate([t.person for t in every]) if every else np.zeros(0, np.int64)
    people, row = np.unique(person, return_inverse=True)

    def added(name: str) -> np.ndarray:
        column = np.concatenate([getattr(t, name) for t in every])
        summed = cast(np.ndarray, np.bincount(row, weights=column, minlength=len(people)))
        return summed if column.dtype.kind == "f" else summed.astype(column.dtype)

    last = np.full(len(people), NO_DAY, dtype=np.int32)
    if every:
        np.maximum.at(last, row, np.concatenate([t.last_day for t in every]))
    totals = PersonTotals(
        person=people.astype(np.int64),
        **{name: added(name) for name in PersonTotals.__slots__[1:-1]},
        last_day=last,
    )
    return PartSummary(totals, counts, owner_pairs, rows)
