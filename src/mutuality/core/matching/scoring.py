"""Scoring candidate matches: text similarity weighed by the people involved.

For a candidate (a need of the seeker S, an offer of the helper H) with cosine similarity
``sim``::

    score = sim ^ w_sim
          × (1 − w_tie + w_tie · tie)                 my ties: to H (my needs), to S (my
                                                      offers), √(tie_S · tie_H) (introductions)
          × (1 − w_cap + w_cap · min(free_H, 3) / 3)  the helper's free capacity
          × 1 / (1 + w_fair · asked_H)                fairness: recent asks of H as a helper
          × (1 + w_two · two_way)                     H also needs something S offers
          × (1 + w_challenge · challenge_S)           S faces a current challenge: good timing

Before scoring, candidates are dropped when the two sides are the same person, when the
pair was declined or is already being introduced, when the helper has no free capacity
(busy, or already asked as often as their capacity allows), or when either side of an
introduction is in a busy period. Of several offers of one helper for one need, the most
similar stays. Everything here works on whole arrays at once. The weights ``w_…`` are
:class:`~mutuality.core.matching.weights.Weights`, read from the config file's ``[matching]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from mutuality.core.matching.weights import Weights


class Question(IntEnum):
    """The three questions ``mutuality match`` answers."""

    HELP_ME = 0
    """Who in my network can help me with my needs."""
    I_HELP = 1
    """Whom I can help with my offers."""
    INTRODUCE = 2
    """Which introductions between two other people would help."""


@dataclass(frozen=True, slots=True)
class PeopleFacts:
    """What scoring needs per person, as parallel arrays sorted by ``ids``."""

    ids: np.ndarray
    tie: np.ndarray
    """Strength of my tie to them, 0 to 1 (1 for me)."""
    free: np.ndarray
    """Helper slots left: 0 means do not ask them now."""
    asked: np.ndarray
    """How often they were recently asked to help (decayed count of introductions)."""
    challenge: np.ndarray
    busy: np.ndarray

    def index(self, person: np.ndarray) -> np.ndarray:
        """Row of each person id in these arrays (every id must be present)."""
        return np.searchsorted(self.ids, person)


@dataclass(frozen=True, slots=True)
class Scored:
    """Candidates that survived the filters, with their score and the parts of it."""

    need: np.ndarray
    offer: np.ndarray
    seeker: np.ndarray
    helper: np.ndarray
    similarity: np.ndarray
    tie: np.ndarray
    two_way: np.ndarray
    """Whether the helper also has a need that one of the seeker's offers meets."""
    reverse_need: np.ndarray
    """That need of the helper (-1 when not two-way) and the seeker's offer for it."""
    reverse_offer: np.ndarray
    question: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.need)


def edges(indices: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-k arrays as flat (need row, offer row, similarity), padding dropped."""
    rows = np.repeat(np.arange(indices.shape[0], dtype=np.int64), indices.shape[1])
    flat, sims = indices.ravel(), scores.ravel()
    keep = flat >= 0
    return rows[keep], flat[keep].astype(np.int64), sims[keep].astype(np.float64)


def pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per ordered pair of person ids (ids below 2**31)."""
    return a.astype(np.int64) << 31 | b.astype(np.int64)


def score(
    need: np.ndarray,
    offer: np.ndarray,
    similarity: np.ndarray,
    need_person: np.ndarray,
    offer_person: np.ndarray,
    owner: int,
    people: PeopleFacts,
    excluded_pairs: np.ndarray,
    weights: Weights | None = None,
) -> Scored:
    """Filter and score candidate edges (need row, offer row, similarity)."""
    weights = weights or Weights()
    seeker, helper = need_person[need], offer_person[offer]
    keep = (seeker != helper) & (similarity >= weights.min_similarity)
    keep &= ~np.isin(pair_keys(seeker, helper), excluded_pairs)
    s_row, h_row = people.index(seeker), people.index(helper)
    keep &= people.free[h_row] > 0
    introduce = (seeker != owner) & (helper != owner)
    keep &= ~((people.busy[s_row] & (seeker != owner)) | people.busy[h_row])
    need, offer, similarity = need[keep], offer[keep], similarity[keep]
    seeker, helper, s_row, h_row = seeker[keep], helper[keep], s_row[keep], h_row[keep]
    introduce = introduce[keep]

    # Of one helper's offers for one need, keep the most similar.
    order = np.lexsort((-similarity, helper, need))
    first = np.ones(len(order), dtype=bool)
    first[1:] = (need[order][1:] != need[order][:-1]) | (helper[order][1:] != helper[order][:-1])
    pick = order[first]
    need, offer, similarity = need[pick], offer[pick], similarity[pick]
    seeker, helper, s_row, h_row = seeker[pick], helper[pick], s_row[pick], h_row[pick]
    introduce = introduce[pick]

    reverse_need, reverse_offer = _reverse(need, offer, similarity, seeker, helper)
    two_way = reverse_need >= 0

    question = np.full(len(need), Question.INTRODUCE, dtype=np.int8)
    question[seeker == owner] = Question.HELP_ME
    question[helper == owner] = Question.I_HELP
    tie = np.where(
        introduce,
        np.sqrt(people.tie[s_row] * people.tie[h_row]),
        np.where(seeker == owner, people.tie[h_row], people.tie[s_row]),
    )
    free = np.minimum(people.free[h_row], 3) / 3.0
    total = (
        similarity**weights.similarity
        * (1 - weights.tie + weights.tie * tie)
        * (1 - weights.capacity + weights.capacity * free)
        / (1 + weights.fairness * people.asked[h_row])
        * (1 + weights.two_way * two_way)
        * (1 + weights.challenge * people.challenge[s_row])
    )
    return Scored(
        need,
        offer,
        seeker,
        helper,
        similarity,
        tie,
        two_way,
        reverse_need,
        reverse_offer,
        question,
        total,
    )


def _reverse(
    need: np.ndarray,
    offer: np.ndarray,
    similarity: np.ndarray,
    seeker: np.ndarray,
    helper: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each edge S→H, the best candidate H→S (a need of H met by an offer of S)."""
    keys = pair_keys(seeker, helper)
    order = np.lexsort((-similarity, keys))
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    best_keys, best = sorted_keys[first], order[first]
    wanted = pair_keys(helper, seeker)
    at = np.searchsorted(best_keys, wanted)
    at = np.minimum(at, max(len(best_keys) - 1, 0))
    found = (best_keys[at] == wanted) if len(best_keys) else np.zeros(len(need), dtype=bool)
    reverse_need = np.where(found, need[best[at]] if len(best) else -1, -1)
    reverse_offer = np.where(found, offer[best[at]] if len(best) else -1, -1)
    return reverse_need.astype(np.int64), reverse_offer.astype(np.int64)
