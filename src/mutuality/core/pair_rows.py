"""The rows of a ledger in pair order, handed out a cache-sized chunk at a time.

Summing millions of exchanges per pair is bound by memory, not by arithmetic: every fresh
full-length temporary costs page faults worth several times the work done in it, and every
random read misses the cache. So the rows are put in pair order by one in-place sort of
packed keys, and all the work after it runs over chunks of that order: each chunk's
temporaries are small enough to stay in the cache and to be reused from one chunk to the
next, and each chunk covers a contiguous run of pairs, so its sums land in a contiguous
slice of the results. Measured in ``benchmarks/bench_health.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]

CHUNK_ROWS = 1 << 16
"""Rows per chunk: 512 KiB per 8-byte column, so a chunk's temporaries stay in the cache."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of rows in pair order."""

    rows: Ints
    """Row numbers in the original columns."""
    pair: Ints
    """Each row's pair, counted from the chunk's first pair (0)."""
    first: int
    """Number of the chunk's first pair among all pairs."""
    pairs: int
    """Pairs the chunk touches (the first may have begun in the chunk before)."""
    new_keys: Ints
    """Keys ``a * base + b`` of the pairs that begin in this chunk, in order: they are pairs
    ``first + pairs - len(new_keys)`` onwards."""


@dataclass(frozen=True, slots=True)
class PairOrder:
    """Rows sorted by their unordered pair ``(a, b)``, ties by row number (a stable order,
    so every sum adds the same numbers in the same order on every run)."""

    base: int
    """``a * base + b`` is a pair's key."""
    count: int
    """Distinct pairs."""
    begins: NDArray[np.bool_]
    """Whether each sorted row begins a new pair."""
    packed: NDArray[np.uint64] | None
    """Sorted ``key << shift | row``, or ``None`` when keys are too wide to pack."""
    shift: int
    order: Ints | None
    """Only when not packed: the row numbers in order, and their keys."""
    keys: Ints | None

    def chunks(self) -> Iterator[Chunk]:
        size, begun = CHUNK_ROWS, 0
        for start in range(0, len(self.begins), size):
            stop = min(start + size, len(self.begins))
            rows, keys = self._slice(start, stop)
            begins = self.begins[start:stop]
            pair = np.cumsum(begins, dtype=np.int64)
            continued = not begins[0]
            if not continued:
                pair -= 1
            new_keys = keys[begins]
            yield Chunk(rows, pair, begun - continued, int(pair[-1]) + 1, new_keys)
            begun += len(new_keys)

    def _slice(self, start: int, stop: int) -> tuple[Ints, Ints]:
        if self.packed is None:
            assert self.order is not None and self.keys is not None
            return self.order[start:stop], self.keys[start:stop]
        packed = self.packed[start:stop]
        rows = (packed & np.uint64((1 << self.shift) - 1)).view(np.int64)
        return rows, (packed >> np.uint64(self.shift)).view(np.int64)


def pair_order(first: Ints, second: Ints) -> PairOrder:
    """Sort the rows by unordered pair (``first`` and ``second`` are people's ids, >= 0).

    The row number goes into the low bits of the pair's key, as an unsigned 64-bit number,
    so one plain in-place sort gives the stable order, many times faster than a stable
    ``argsort``; keys too wide for that (ids above about a million at 10M rows) fall back
    to ``argsort``."""
    count = len(first)
    base = int(max(first.max(initial=0), second.max(initial=0))) + 1
    shift = max((count - 1).bit_length(), 1)
    packed: NDArray[np.uint64] | None = None
    order = keys = None
    if base * base <= 1 << (64 - shift):
        packed = np.empty(count, dtype=np.uint64)
        for start in range(0, count, CHUNK_ROWS):
            part = slice(start, start + CHUNK_ROWS)
            key = np.minimum(first[part], second[part])
            key *= base
            key += np.maximum(first[part], second[part])
            packed[part] = key.view(np.uint64) << np.uint64(shift)
            packed[part] |= np.arange(start, min(start + CHUNK_ROWS, count), dtype=np.uint64)
        packed.sort()
        begins = np.empty(count, dtype=bool)
        previous = None
        for start in range(0, count, CHUNK_ROWS):
            part = slice(start, start + CHUNK_ROWS)
            key = packed[part] >> np.uint64(shift)
            begins[part] = _begins(key, previous)
            previous = key[-1]
    else:
        key = np.minimum(first, second) * base + np.maximum(first, second)
        order = np.argsort(key, kind="stable")
        keys = key[order]
        begins = _begins(keys, None)
    return PairOrder(base, int(np.count_nonzero(begins)), begins, packed, shift, order, keys)


def _begins(keys: NDArray[np.generic], previous: np.generic | None) -> NDArray[np.bool_]:
    """Whether each sorted key differs from the one before it (``previous`` ends the last
    chunk; ``None`` at the start)."""
    begins = np.empty(len(keys), dtype=bool)
    begins[0] = previous is None or keys[0] != previous
    np.not_equal(keys[1:], keys[:-1], out=begins[1:])
    return begins
