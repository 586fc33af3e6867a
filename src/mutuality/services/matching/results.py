"""Every chosen match of a plan, in the order ``match`` lists them, and written whole to a
file: at organisation scale the plan holds hundreds of thousands of matches, and the report
shows the best few of each question.

The file has one JSON object per line (the ids of the need, the offer and both people,
the question, the similarity and the score, and the two-way need and offer), written in
batches into a temporary file that replaces the target only once complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

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


def plan_rows(
    needs: list[Wish], offers: list[Wish], scored: Scored, chosen: np.ndarray
) -> Iterator[dict[str, Any]]:
    """Every listed match as a record (ids, the question, the similarity and the score at
    full precision): a line of the file, a row of a saved run (:mod:`.runs`)."""
    for edge in listed(scored, chosen):
        two_way = bool(scored.reverse_need[edge] >= 0)
        yield {
            "question": Question(int(scored.question[edge])).name.lower(),
            "need_id": needs[int(scored.need[edge])].id,
            "offer_id": offers[int(scored.offer[edge])].id,
            "seeker_id": int(scored.seeker[edge]),
            "helper_id": int(scored.helper[edge]),
            "similarity": float(scored.similarity[edge]),
            "score": float(scored.score[edge]),
            "two_way": two_way,
            "reverse_need_id": needs[int(scored.reverse_need[edge])].id if two_way else None,
            "reverse_offer_id": offers[int(scored.reverse_offer[edge])].id if two_way else None,
        }


def match_line(row: dict[str, Any]) -> str:
    """A record as one JSON line, similarity and score to four places."""
    shown = {**row, "similarity": round(row["similarity"], 4), "score": round(row["score"], 4)}
    return json.dumps(shown)


def write_matches(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write every record of ``rows`` to ``path`` (JSON lines, in batches); returns how many."""
    written = 0
    pending = iter(rows)
    with atomic_text_file(path) as handle:
        while batch := list(islice(pending, BATCH)):
            handle.write("".join(match_line(row) + "\n" for row in batch))
            written += len(batch)
    return written
