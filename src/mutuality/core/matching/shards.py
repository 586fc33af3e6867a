"""The candidate search split by offers, so that each part can run on another machine.

The offers are cut into contiguous shards; every shard is searched for every need with the
exact search the single-machine path runs over all of them (:func:`search_for`: NumPy
products below 20,000 offers, FAISS's flat index from there), and the shards' lists are
merged into each need's global top ``k``. A need's ``k`` best offers overall are each among
the ``k`` best of their own shard, so the merge loses none; and a shard computes bit for
bit the scores the whole search computes, the same BLAS products row by row (checked at
10,000 x 10,000 with NumPy, and with FAISS for shards cut at multiples of its block of
1,024 offers). Two limits: shards of a few dozen offers may go through another BLAS
kernel, and FAISS's scores change in the last bit with its number of threads (a Ray
worker runs one); either can swap two offers whose similarities agree to seven digits.

Order: best score first; equal scores by offer row, lowest first. Which of several
exactly equal offers a shard keeps at its cut-off (copies of one text) is left to the
search's selection routine, as in the single-machine search: both paths then list the
same scores, not always the same tied offers.

Arrays in, arrays out; no Ray, no I/O.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from mutuality.core.matching.candidates import APPROXIMATE_FROM, top_k
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


def split(offers: int, shards: int, align: int = 1) -> list[Shard]:
    """Contiguous shards of nearly equal size, each starting at a multiple of ``align``
    (sizes differ by at most ``align``). Never an empty shard: with more shards asked for
    than offers (or aligned blocks), there are fewer."""
    if shards < 1 or align < 1:
        raise ValueError(f"shards and align must be at least 1, got {shards} and {align}")
    blocks = -(-offers // align)
    count = min(shards, blocks)
    if count == 0:
        return []
    bounds = np.linspace(0, blocks, count + 1).round().astype(np.int64) * align
    bounds[-1] = offers
    return [Shard(i, int(bounds[i]), int(bounds[i + 1])) for i in range(count)]


def exact_search(needs: Vectors, offers: Vectors, k: int, min_score: float) -> Found:
    """The single-machine exact top-k (:func:`~.candidates.top_k`): NumPy products below
    :data:`~.candidates.APPROXIMATE_FROM` offers. (Its approximate scan is not shardable
    exactly: its codebooks are learnt from the offers it sees.)"""
    return top_k(needs, offers, k, min_score=min_score)


def flat_search(needs: Vectors, offers: Vectors, k: int, min_score: float) -> Found:
    """FAISS's exact flat index, which the single-machine exact search uses from
    :data:`~.candidates.APPROXIMATE_FROM` offers: its products run in blocks of
    :data:`FLAT_BLOCK` offers, so shards cut at multiples of it compute the same scores."""
    import faiss

    index = faiss.IndexFlatIP(offers.shape[1])
    index.add(np.ascontiguousarray(offers, dtype=np.float32))
    scores, indices = index.search(np.ascontiguousarray(needs, dtype=np.float32), k)
    indices = indices.astype(np.int64)
    scores = scores.astype(np.float32)
    drop = (indices < 0) | (scores <= min_score)
    indices[drop] = -1
    scores[drop] = 0.0
    return indices, scores


FLAT_BLOCK = 1024
"""Offers per block of FAISS's flat search (``distance_compute_blas_database_bs``)."""


def search_for(offers: Vectors) -> tuple[Search, int]:
    """The per-shard search the single-machine exact search would run over all ``offers``,
    and the multiple shards must start at for it to compute the same scores."""
    dense = not sparse.issparse(offers)
    if dense and offers.shape[0] >= APPROXIMATE_FROM and importlib.util.find_spec("faiss"):
        return flat_search, FLAT_BLOCK
    return exact_search, 1


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
    search: Search | None = None,
) -> Found:
    """The sharded search run shard after shard in this process: the reference the
    distributed run is checked against, and the same answer as the single-machine exact
    search over all offers (``search``: the one it would run, by default)."""
    chosen, align = search_for(offer_vectors)
    parts = [
        search_shard(need_vectors, offer_vectors, shard, k, min_score, search or chosen)
        for shard in split(offer_vectors.shape[0], shards, align)
    ]
    return merge(parts, k, need_vectors.shape[0])


def width(weights: Weights) -> int:
    """Candidates fetched per need: as :func:`~.pipeline.candidates` fetches them (a few
    extra, for offers of the need's own person, which scoring drops)."""
    return weights.candidates + 2
