"""Synthetic matching inputs at any scale: embedding-like unit vectors and the people behind
them, seeded, so that the sharded and the single-machine search can be compared (and
timed) without embedding text first.

Vectors are clustered like real embeddings of needs and offers: each is a topic's centre
plus noise, scaled to length 1, so that a need's best offers share its topic and their
cosines clear the semantic minimum (plain random 384-d unit vectors sit near cosine 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutuality.core.matching.scoring import PeopleFacts

DIMENSIONS = 384


def unit_vectors(
    count: int,
    seed: int,
    *,
    dimensions: int = DIMENSIONS,
    topics: int = 1_000,
    noise: float = 0.9,
    topic_seed: int = 0,
) -> np.ndarray:
    """``count`` float32 rows of length 1 around ``topics`` shared centres (needs and offers
    drawn with the same ``topic_seed`` share topics); generated in blocks to bound memory."""
    centres = np.random.default_rng(topic_seed).standard_normal((topics, dimensions))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    out = np.empty((count, dimensions), dtype=np.float32)
    for start in range(0, count, 65_536):
        size = min(65_536, count - start)
        block = centres[rng.integers(0, topics, size)]
        block += rng.standard_normal((size, dimensions)) * (noise / np.sqrt(dimensions))
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + size] = block
    return out


@dataclass(frozen=True, slots=True)
class People:
    """Who holds each need and offer, and the facts scoring needs about them."""

    need_person: np.ndarray
    offer_person: np.ndarray
    owner: int
    facts: PeopleFacts
    excluded_pairs: np.ndarray


def people(needs: int, offers: int, members: int, seed: int, *, owner: int = 1) -> People:
    """People for ``needs`` and ``offers`` drawn from ``members`` ids: ties, 1 to 3 free
    slots (none for 2% busy), recent asks, 5% facing a challenge."""
    rng = np.random.default_rng(seed)
    need_person = rng.integers(1, members + 1, needs).astype(np.int64)
    offer_person = rng.integers(1, members + 1, offers).astype(np.int64)
    ids = np.unique(np.concatenate([need_person, offer_person, [owner]]))
    busy = rng.random(len(ids)) < 0.02
    free = np.where(busy, 0, rng.integers(1, 4, len(ids)))
    facts = PeopleFacts(
        ids,
        rng.uniform(0.06, 1.0, len(ids)),
        free,
        rng.exponential(0.3, len(ids)),
        rng.random(len(ids)) < 0.05,
        busy,
    )
    return People(need_person, offer_person, owner, facts, np.zeros(0, dtype=np.int64))
