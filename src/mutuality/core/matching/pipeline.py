"""The matching pipeline as pure functions over batches, so that each stage can run
in-process (the default) or, later, as a task on a distributed engine::

    need_vectors, offer_vectors = method.vectors(need_texts, offer_texts)   # text to vectors
    indices, sims = candidates(need_vectors, offer_vectors, weights)         # top-k per need
    scored = score(...)                                                      # filters, score
    chosen = assign(scored.need, scored.helper, scored.score, capacity)      # global plan

:func:`run` chains the last three. Arrays in, arrays out; no database, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutuality.core.health import Status
from mutuality.core.matching.assignment import assign
from mutuality.core.matching.candidates import top_k
from mutuality.core.matching.scoring import PeopleFacts, Scored, edges, score
from mutuality.core.matching.vectors import Vectors
from mutuality.core.matching.weights import Weights

STATUS_TIE: dict[Status, float] = {
    Status.THRIVING: 1.0,
    Status.BALANCED: 0.9,
    Status.OVER_GIVING: 0.8,
    Status.OVER_RECEIVING: 0.8,
    Status.UNEVEN_BY_CHOICE: 0.8,  # a mentee, a client served for free: ties I know well
    Status.NEW: 0.7,
    Status.OVERDUE: 0.6,
    Status.FADING: 0.4,
    Status.QUIET: 0.3,
}
"""How much a relationship's health lets me vouch for an introduction right now."""

DEFAULT_WEIGHTS = Weights()

TIE_VOLUME = 10.0
"""Decayed benefit (both ways) at which a tie counts 63% of its full strength."""


def tie_strength(given: np.ndarray, received: np.ndarray, status_weight: np.ndarray) -> np.ndarray:
    """0 to 1: how much flows between us (saturating) times how alive the tie is now.

    No exchange at all still leaves 0.2 of the volume part: I know them, a little.
    """
    volume = np.maximum(np.asarray(given) + np.asarray(received), 0.0)
    strength: np.ndarray = np.clip(
        (0.2 + 0.8 * (1 - np.exp(-volume / TIE_VOLUME))) * status_weight, 0.0, 1.0
    )
    return strength


@dataclass(frozen=True, slots=True)
class Plan:
    """Every scored candidate and which of them the assignment chose."""

    scored: Scored
    chosen: np.ndarray
    candidates: int
    """Candidate edges before the filters."""


def candidates(
    need_vectors: Vectors,
    offer_vectors: Vectors,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    approximate: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k offers per need. A few extra are fetched so that offers of the need's own
    person, dropped later, do not crowd out real candidates."""
    return top_k(
        need_vectors,
        offer_vectors,
        weights.candidates + 2,
        min_score=weights.min_similarity,
        approximate=approximate,
    )


def run(
    indices: np.ndarray,
    sims: np.ndarray,
    need_person: np.ndarray,
    offer_person: np.ndarray,
    owner: int,
    people: PeopleFacts,
    excluded_pairs: np.ndarray,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    assignment: str = "exact",
) -> Plan:
    """Score the candidates and choose the capacity-respecting plan."""
    need, offer, similarity = edges(indices, sims)
    scored = score(
        need, offer, similarity, need_person, offer_person, owner, people, excluded_pairs, weights
    )
    capacity = people.free[people.index(scored.helper)]
    chosen = assign(scored.need, scored.helper, scored.score, capacity, method=assignment)
    return Plan(scored, chosen, len(need))
