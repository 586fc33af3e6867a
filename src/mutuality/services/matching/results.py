"""Every chosen match of a plan, in the order ``match`` lists them, and written whole to a
file: at organisation scale the plan holds hundreds of thousands of matches, and the report
shows the best few of each question.

The file has one JSON object per line (the ids of the need, the offer and both people,
the question, the similarity and the score, and the two-way need and offer), written in
batches into a temporary file that replaces the target only once complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mutuality.core.matching.scoring import Question, Scored
from mutuality.core.needs import Wish
from mutuality.store.files import atomic_text_file

BATCH = 10_000
"""Lines composed and written at a time."""


def listed(scored: Scored, chosen: np.ndarray) -> Iterator[int]:
    """The chosen edges as ``match`` lists them: two-way ones first, then by score; a
    two-way pair of two other people is one introduction, in its better direction."""
    pairs: set[tuple[int, int]] = set()
    edges = np.flatnonzero(chosen)
    for edge in edges[np.lexsort((-scored.score[edges], ~scored.two_way[edges]))]:
        question = Question(int(scored.question[edge]))
        ends = int(scored.seeker[edge]), int(scored.helper[edge])
        pair = min(ends), max(ends)
        if question is Question.INTRODUCE and pair in pairs:
            continue
        pairs.add(pair)
        yield int(edge)


def _line(needs: list[Wish], offers: list[Wish], scored: Scored, edge: int) -> str:
    two_way = bool(scored.reverse_need[edge] >= 0)
    return json.dumps(
        {
            "question": Question(int(scored.question[edge])).name.lower(),
            "need_id": needs[int(scored.need[edge])].id,
            "offer_id": offers[int(scored.offer[edge])].id,
            "seeker_id": int(scored.seeker[edge]),
            "helper_id": int(scored.helper[edge]),
            "similarity": round(float(scored.similarity[edge]), 4),
            "score": round(float(scored.score[edge]), 4),
            "two_way": two_way,
            "reverse_need_id": needs[int(scored.reverse_need[edge])].id if two_way else None,
            "reverse_offer_id": offers[int(scored.reverse_offer[edge])].id if two_way else None,
        }
    )


def write_matches(
    path: Path, needs: list[Wish], offers: list[Wish], scored: Scored, chosen: np.ndarray
) -> int:
    """Write every listed match to ``path`` (JSON lines); returns how many."""
    edges = list(listed(scored, chosen))
    with atomic_text_file(path) as handle:
        for start in range(0, len(edges), BATCH):
            batch = edges[start : start + BATCH]
            handle.write("".join(_line(needs, offers, scored, e) + "\n" for e in batch))
    return len(edges)
