"""The candidate search split by offers, so that each part can run on another machine.

The offers are cut into contiguous shards; every shard is searched for every need with the
same top-k function the single-machine path runs (:func:`~.candidates.top_k`), and the
shards' lists are merged into each need's global top ``k``. A need's ``k`` best offers
overall are each among the ``k`` best of their own shard, so the merge loses none, and a
shard of a few thousand offers computes bit for bit the scores the whole search computes
(the same BLAS products, row by row; checked at 10,000 x 10,000). Very small shards (tens
of offers) may go through another BLAS kernel, whose scores can differ in the last bit
(by about 1e-8), enough to swap two offers whose similarities agree to seven digits.

Order: best score first; equal scores by offer row, lowest first. Which of several
exactly equal offers a shard keeps at its cut-off (copies of one text) is left to the
search's selection routine, as in the single-machine search: both paths then list the
same scores, not always the same tied offers.

Arrays in, arrays out; no Ray, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mutuality.core.matching.candidates import top_k
from mutuality.core.matching.vectors import Vectors
from mutuality.core.matching.weights import Weights

Found = tuple[np.ndarray, np.ndarray]
"""``(indices, scores)``, each ``(needs, k)``, best first, padded with -1 and 0."""

Search = Callable[[Vectors, Vectors, int, float], Found]
"""A top-k search over one shard: (needs, the shard's offers, k, minimum score)."""


@dataclass(frozen=True, slots=True)
class Shard:
    """Offer rows ``start`` to ``stop`` (excluded): one unit of work, and of resumption."""

    number: int
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


def split(offers: int, shards: int) -> list[Shard]:
    """Contiguous shards of nearly equal size (sizes differ by at most one). Never an empty
    shard: with more shards asked for than offers, each offer is a shard."""
    if shards < 1:
        raise ValueError(f"shards must be at least 1, got {shards}")
    count = min(shards, offers)
    if count == 0:
        return []
    bounds = np.linspace(0, offers, count + 1).round().astype(np.int64)
    return [Shard(i, int(bounds[i]), int(bounds[i + 1])) for i in range(count)]


def exact_search(needs: Vectors, offers: Vectors, k: int, min_score: float) -> Found:
    """The exact top-k of the single-machine path (its approximate scan is not shardable
    exactly: its codebooks are learnt from the offers it sees)."""
    return top_k(needs, offers, k, min_score=min_score)


def search_shard(
    need_vectors: Vectors,
    offer_vectors: Vectors,
    shard: Shard,
    k: int,
    min_score: float = 0.0,
    search: Search = exact_search,
) -> Found:
    """The top ``k`` of one shard for every need, as global offer rows.

    ``offer_vectors`` holds either every offer or the shard's rows alone (a worker that
    was sent only its slice)."""
    if offer_vectors.shape[0] != len(shard):
        offer_vectors = offer_vectors[shard.start : shard.stop]
    indices, scores = search(need_vectors, offer_vectors, k, min_score)
    return np.where(indices >= 0, indices + shard.start, -1), scores


def merge(parts: Sequence[Found], k: int, needs: int | None = None) -> Found:
    """Each need's ``k`` best of the shards' lists: best score first, equal scores by offer
    row, padding last. ``needs`` gives the row count when there are no parts."""
    if not parts:
        rows = needs or 0
        return np.full((rows, k), -1, dtype=np.int64), np.zeros((rows, k), dtype=np.float32)
    indices = np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts], axis=1)
    scores = np.concatenate([np.asarray(p[1], dtype=np.float32) for p in parts], axis=1)
    if indices.shape[1] < k:
        pad = k - indices.shape[1]
        indices = np.pad(indices, ((0, 0), (0, pad)), constant_values=-1)
        scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=0.0)
    padding = indices < 0
    order = np.lexsort((np.where(padding, 0, indices), -scores, padding), axis=1)[:, :k]
    return np.take_along_axis(indices, order, 1), np.take_along_axis(scores, order, 1)


def sharded_top_k(
    need_vectors: Vectors,
    offer_vectors: Vectors,
    k: int,
    shards: int,
    min_score: float = 0.0,
    search: Search = exact_search,
) -> Found:
    """The sharded search run shard after shard in this process: the reference the
    distributed run is checked against, and the same answer as :func:`exact_search` over
    all offers (up to the order of equal scores)."""
    parts = [
        search_shard(need_vectors, offer_vectors, shard, k, min_score, search)
        for shard in split(offer_vectors.shape[0], shards)
    ]
    return merge(parts, k, need_vectors.shape[0])


def width(weights: Weights) -> int:
    """Candidates fetched per need: as :func:`~.pipeline.candidates` fetches them (a few
    extra, for offers of the need's own person, which scoring drops)."""
    return weights.candidates + 2
