"""Texts to vectors, behind one interface for the lexical and the semantic method.

The lexical method is TF-IDF over the terms of :mod:`mutuality.core.matching.text`
(sublinear term frequency, smoothed inverse document frequency, rows scaled to length 1),
fitted on the needs and offers being matched together, so that a word every text uses
counts little and a rare skill counts a lot. Its vectors are SciPy sparse rows; the
semantic method's (:mod:`mutuality.core.matching.semantic`) are dense float32 rows. Either
way the cosine similarity of a need and an offer is the dot product of their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

import numpy as np
from scipy import sparse

from mutuality.core.matching.text import analyse

Vectors: TypeAlias = sparse.csr_matrix | np.ndarray
"""One row per text: sparse for the lexical method, dense for the semantic one."""


class TextMethod(Protocol):
    """Anything that turns needs and offers into comparable, unit-length rows."""

    @property
    def name(self) -> str: ...

    def vectors(self, needs: Sequence[str], offers: Sequence[str]) -> tuple[Vectors, Vectors]: ...


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: dict[str, int]
    idf: np.ndarray


def term_lists(texts: Sequence[str]) -> list[list[str]]:
    return [analyse(text) for text in texts]


def _counts(docs: Sequence[Sequence[str]], terms: dict[str, int]) -> sparse.csr_matrix:
    """Documents by terms, with raw counts (terms missing from ``terms`` are dropped)."""
    lengths = np.empty(len(docs), dtype=np.int64)
    flat: list[int] = []
    for row, doc in enumerate(docs):
        found = [terms[t] for t in doc if t in terms]
        flat.extend(found)
        lengths[row] = len(found)
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.asarray(flat, dtype=np.int32)
    counts = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(docs), len(terms)),
    )
    counts.sum_duplicates()
    return counts


def fit(docs: Sequence[Sequence[str]]) -> Vocabulary:
    """The vocabulary and smoothed IDF, ``log((1 + n) / (1 + df)) + 1``, of a corpus."""
    terms: dict[str, int] = {}
    for doc in docs:
        for term in doc:
            if term not in terms:
                terms[term] = len(terms)
    counts = _counts(docs, terms)
    df = np.bincount(counts.indices, minlength=len(terms)).astype(np.float64)
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    return Vocabulary(terms, idf.astype(np.float32))


def transform(vocabulary: Vocabulary, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """TF-IDF rows of length 1 (an empty text gives an all-zero row, which matches nothing)."""
    matrix = _counts(docs, vocabulary.terms)
    matrix.data = (1.0 + np.log(matrix.data)) * vocabulary.idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


@dataclass(frozen=True, slots=True)
class Lexical:
    """The default method: TF-IDF over stemmed, synonym-folded terms."""

    name: str = "lexical"

    def vectors(
        self, needs: Sequence[str], offers: Sequence[str]
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        need_terms, offer_terms = term_lists(needs), term_lists(offers)
        vocabulary = fit(need_terms + offer_terms)
        return transform(vocabulary, need_terms), transform(vocabulary, offer_terms)
