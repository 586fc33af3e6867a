"""Measuring match quality on a labelled set: precision@1, recall@5 and NDCG@5.

A labelled set lists offers, and needs each with their right helpers (see
``tests/data/matching_eval.txt`` for the format). Every need is ranked against every
offer by text similarity alone (people, ties and capacity play no part here), and:

* **precision@1**: the share of needs whose first offer is a right one;
* **recall@5**: per need, the share of its right offers among the first five, averaged;
* **NDCG@5**: discounted cumulative gain of the first five (gain 1 for a right offer, at
  rank ``r`` divided by ``log2(r + 1)``) over the best possible, averaged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mutuality.core.errors import BadFile


@dataclass(frozen=True, slots=True)
class LabelledSet:
    offer_ids: list[str]
    offers: list[str]
    needs: list[str]
    helpers: list[frozenset[str]]
    """For each need, the ids of the offers that would really help."""
    fields: list[str]


@dataclass(frozen=True, slots=True)
class Figures:
    precision_at_1: float
    recall_at_5: float
    ndcg_at_5: float
    needs: int


def parse(text: str, location: str = "<labelled set>") -> LabelledSet:
    """Read the labelled-set format; a malformed line is an error naming its line."""
    offer_ids: list[str] = []
    offers: list[str] = []
    needs: list[str] = []
    helpers: list[frozenset[str]] = []
    fields: list[str] = []
    field = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            field = line[1:-1].strip()
        elif line.startswith("offer "):
            key, sep, body = line[len("offer ") :].partition(":")
            if not sep or not key.strip() or not body.strip():
                raise BadFile(f"line {number}: expected `offer ID: TEXT`", location=location)
            if key.strip() in offer_ids:
                raise BadFile(f"line {number}: offer {key.strip()} twice", location=location)
            offer_ids.append(key.strip())
            offers.append(body.strip())
        elif line.startswith("need:"):
            body, sep, right = line[len("need:") :].partition("=>")
            wanted = frozenset(part.strip() for part in right.split(",") if part.strip())
            if not sep or not body.strip() or not wanted:
                raise BadFile(f"line {number}: expected `need: TEXT => ID, ID`", location=location)
            needs.append(body.strip())
            helpers.append(wanted)
            fields.append(field)
        else:
            raise BadFile(f"line {number}: not a field, an offer or a need", location=location)
    known = set(offer_ids)
    for index, wanted in enumerate(helpers):
        unknown = sorted(wanted - known)
        if unknown:
            raise BadFile(
                f"need {index + 1} ({needs[index][:40]}…) names unknown offers: "
                + ", ".join(unknown),
                location=location,
            )
    return LabelledSet(offer_ids, offers, needs, helpers, fields)


def figures(ranked: np.ndarray, labelled: LabelledSet) -> Figures:
    """Metrics of ``ranked`` (offer rows per need, best first, ``-1`` padding)."""
    return metrics(
        [[labelled.offer_ids[i] for i in row if i >= 0] for row in ranked], labelled.helpers
    )


def metrics(ranked: Sequence[Sequence[str]], relevant: Sequence[frozenset[str]]) -> Figures:
    precision = recall = ndcg = 0.0
    for found, right in zip(ranked, relevant, strict=True):
        top = list(found[:5])
        precision += 1.0 if top[:1] and top[0] in right else 0.0
        recall += len(right.intersection(top)) / len(right)
        dcg = sum(1 / math.log2(rank + 2) for rank, item in enumerate(top) if item in right)
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(right), 5)))
        ndcg += dcg / ideal
    count = len(relevant)
    return Figures(precision / count, recall / count, ndcg / count, count)
