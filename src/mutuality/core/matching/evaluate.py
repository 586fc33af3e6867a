"""Measuring match quality on a labelled set: precision@1, recall@5 and NDCG@5.

A labelled set lists offers, and needs each with their right helpers (see
``tests/data/matching_eval.txt`` for the format). Every need is ranked against every
offer by text similarity alone (people, ties and capacity play no part here), and:

* **precision@1**: the share of needs whose first offer is a right one;
* **recall@5**: per need, the share of its right offers among the first five, averaged;
* **NDCG@5**: discounted cumulative gain of the first five (gain 2 for a right offer, 1
  for one that partly helps, at rank ``r`` divided by ``log2(r + 1)``) over the best
  possible, averaged.

Relevance is graded: after ``=>`` come the right helpers (grade 2), and after a ``;`` the
offers that partly help (grade 1), which count in NDCG@5 only. A need or an offer may end
with ``| key: value`` details (``tags``, ``title``, ``org``, ``person``); tags are compared
with the text, as matching compares them, and ``person`` ties needs and offers to one
person so that two-way pairs (each needs what the other offers) can be found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    partial: list[frozenset[str]] = field(default_factory=list)
    """For each need, the ids of the offers that partly help (grade 1)."""
    offer_details: list[dict[str, str]] = field(default_factory=list)
    need_details: list[dict[str, str]] = field(default_factory=list)

    def compared(self, texts: list[str], details: list[dict[str, str]]) -> list[str]:
        """The texts as matching compares them: each with its tags."""
        if not details:
            return list(texts)
        return [
            " ".join([text, *(t.strip() for t in extra.get("tags", "").split(",") if t.strip())])
            for text, extra in zip(texts, details, strict=True)
        ]


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
    partial: list[frozenset[str]] = []
    offer_details: list[dict[str, str]] = []
    need_details: list[dict[str, str]] = []
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
            body, extra = _details(body, number, location)
            offer_ids.append(key.strip())
            offers.append(body.strip())
            offer_details.append(extra)
        elif line.startswith("need:"):
            body, sep, right = line[len("need:") :].partition("=>")
            right, _, partly = right.partition(";")
            wanted = frozenset(part.strip() for part in right.split(",") if part.strip())
            some = frozenset(part.strip() for part in partly.split(",") if part.strip())
            body, extra = _details(body, number, location)
            if not sep or not body.strip() or not wanted:
                raise BadFile(f"line {number}: expected `need: TEXT => ID, ID`", location=location)
            needs.append(body.strip())
            helpers.append(wanted)
            partial.append(some - wanted)
            need_details.append(extra)
            fields.append(field)
        else:
            raise BadFile(f"line {number}: not a field, an offer or a need", location=location)
    known = set(offer_ids)
    for index, wanted in enumerate(helpers):
        unknown = sorted((wanted | partial[index]) - known)
        if unknown:
            raise BadFile(
                f"need {index + 1} ({needs[index][:40]}…) names unknown offers: "
                + ", ".join(unknown),
                location=location,
            )
    return LabelledSet(
        offer_ids, offers, needs, helpers, fields, partial, offer_details, need_details
    )


def _details(body: str, number: int, location: str) -> tuple[str, dict[str, str]]:
    """Split ``TEXT | key: value | key: value`` into the text and its details."""
    text, *parts = body.split(" | ")
    extra: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise BadFile(f"line {number}: expected `| key: value`", location=location)
        extra[key.strip()] = value.strip()
    return text, extra


def two_way_pairs(labelled: LabelledSet) -> set[frozenset[str]]:
    """Pairs of people (``person`` details) each of whom has a need that an offer of the
    other meets (grade 2): the matches that should be proposed first."""
    owner = {
        offer: extra["person"]
        for offer, extra in zip(labelled.offer_ids, labelled.offer_details, strict=True)
        if "person" in extra
    }
    helped: set[tuple[str, str]] = set()
    for wanted, extra in zip(labelled.helpers, labelled.need_details, strict=True):
        seeker = extra.get("person")
        if seeker:
            helped.update((seeker, owner[o]) for o in wanted if o in owner and owner[o] != seeker)
    return {frozenset(pair) for pair in helped if (pair[1], pair[0]) in helped}


def figures(ranked: np.ndarray, labelled: LabelledSet) -> Figures:
    """Metrics of ``ranked`` (offer rows per need, best first, ``-1`` padding)."""
    return metrics(
        [[labelled.offer_ids[i] for i in row if i >= 0] for row in ranked],
        labelled.helpers,
        labelled.partial or None,
    )


def metrics(
    ranked: Sequence[Sequence[str]],
    relevant: Sequence[frozenset[str]],
    partial: Sequence[frozenset[str]] | None = None,
) -> Figures:
    precision = recall = ndcg = 0.0
    partly = partial if partial is not None else [frozenset[str]()] * len(relevant)
    for found, right, some in zip(ranked, relevant, partly, strict=True):
        top = list(found[:5])
        precision += 1.0 if top[:1] and top[0] in right else 0.0
        recall += len(right.intersection(top)) / len(right)
        gain = {**dict.fromkeys(some, 1), **dict.fromkeys(right, 2)}
        dcg = sum(gain.get(item, 0) / math.log2(rank + 2) for rank, item in enumerate(top))
        best = sorted(gain.values(), reverse=True)[:5]
        ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(best))
        ndcg += dcg / ideal
    count = len(relevant)
    return Figures(precision / count, recall / count, ndcg / count, count)
