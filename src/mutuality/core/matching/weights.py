"""The weights of the match score and the limits of the search, without NumPy: the
settings loader reads them from the config file's ``[matching]`` table, and ``mutuality
--help`` must not pay for NumPy. The score itself is in :mod:`.scoring`; the defaults and
why each was chosen are in ``docs/matching.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mutuality.core import fields

LIMITS: dict[str, tuple[float, float]] = {
    "similarity": (0.1, 5.0),
    "tie": (0.0, 1.0),
    "capacity": (0.0, 1.0),
    "fairness": (0.0, 10.0),
    "two_way": (0.0, 10.0),
    "challenge": (0.0, 10.0),
    "min_similarity": (0.0, 0.99),
    "min_meaning": (0.0, 0.99),
    "candidates": (1, 100),
    "helper_slots": (1, 100),
    "owner_slots": (0, 100),
}
"""Allowed values, both ends included. ``tie`` and ``capacity`` stop at 1, where the factor
``1 − w + w · x`` reaches 0 for a tie or capacity of 0; above it a score would turn
negative. A similarity exponent of 0 would ignore the texts altogether."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How a candidate's score weighs its parts (``[matching]`` in the config file)."""

    similarity: float = 1.0
    """Exponent of the text similarity: above 1 the texts count more against the people."""
    tie: float = 0.5
    """Share of the score that rests on my tie to the people involved."""
    capacity: float = 0.25
    """Share of the score that rests on the helper's free capacity."""
    fairness: float = 0.5
    """Divides the score by ``1 + fairness · asked`` (the helper's recent asks)."""
    two_way: float = 0.25
    """Bonus when the helper also needs something the seeker offers."""
    challenge: float = 0.1
    """Bonus when the seeker faces a current challenge (good timing)."""
    min_similarity: float = 0.08
    """Candidates less similar than this (TF-IDF, the lexical method) are not considered."""
    min_meaning: float = 0.25
    """The same for the semantic method's cosine: on the development set 92% of unrelated
    pairs and 4% of right ones fall below it, and no right first proposal."""
    candidates: int = 10
    """Offers considered per need (top-k)."""
    helper_slots: int = 2
    """How many introductions one person may be asked to help with at a time."""
    owner_slots: int = 3
    """How many of my own offers may be suggested at a time (none when my capacity is strained)."""
    model: str = ""
    """A local sentence-transformers model folder for the semantic method ("": the packaged
    all-MiniLM-L6-v2)."""

    def __post_init__(self) -> None:
        fields.within_limits(
            self, ((name, low, high) for name, (low, high) in LIMITS.items()), "matching"
        )
