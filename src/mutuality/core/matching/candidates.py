"""Candidate generation: for every need, the ``k`` offers most similar to it.

Exact search is the reference. Sparse (lexical) rows go through a fused sparse product
that keeps only the top ``k`` per row (sparse-dot-topn), which at 100,000 x 100,000 is an
order of magnitude faster than a chunked SciPy product (see ``benchmarks/README.md``);
dense (semantic) rows go through chunked matrix products (or FAISS's exact flat index).
For large dense searches, a scan of compressed vectors with an exact re-ranking
(:func:`top_k_approximate`) gives nearly the same lists in a fraction of the time; its
recall against the exact search is measured, not assumed.

Every function returns ``(indices, scores)``, both shaped ``(queries, k)``, best first;
a row with fewer than ``k`` candidates is padded with index ``-1`` and score ``0``.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from scipy import sparse

from mutuality.core.matching.vectors import Vectors

DENSE_CHUNK = 512
"""Query rows per dense product: 512 x 100,000 scores and their ranks stay under 1 GiB."""

APPROXIMATE_FROM = 20_000
"""Below this many offers, exact search is fast enough and approximation buys nothing."""

PQ_SUBVECTOR = 4
"""Dimensions per 4-bit code in the compressed scan of :func:`top_k_approximate`."""

PQ_TRAINING_ROWS = 20_000
"""Corpus rows the codebooks are learnt from (a fixed sample: the same corpus, the same codes)."""

REFINE = 20
"""Candidates per wanted neighbour that the compressed scan hands to the exact re-ranking."""


def _padded(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.full((n, k), -1, dtype=np.int64), np.zeros((n, k), dtype=np.float32)


def top_k(
    queries: Vectors,
    corpus: Vectors,
    k: int,
    *,
    min_score: float = 0.0,
    approximate: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best corpus rows for each query row, above ``min_score``."""
    if k <= 0 or queries.shape[0] == 0 or corpus.shape[0] == 0:
        return _padded(queries.shape[0], max(k, 0))
    if sparse.issparse(queries) or sparse.issparse(corpus):
        return top_k_sparse(sparse.csr_matrix(queries), sparse.csr_matrix(corpus), k, min_score)
    if approximate:
        return top_k_approximate(np.asarray(queries), np.asarray(corpus), k, min_score)
    return top_k_dense(np.asarray(queries), np.asarray(corpus), k, min_score)


def top_k_sparse(
    queries: sparse.csr_matrix, corpus: sparse.csr_matrix, k: int, min_score: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top ``k`` of sparse rows, fused with the product (no full score matrix)."""
    from sparse_dot_topn import sp_matmul_topn

    product = sp_matmul_topn(
        queries.astype(np.float32),
        corpus.astype(np.float32).T.tocsr(),
        top_n=k,
        threshold=min_score if min_score > 0 else None,
        sort=True,
    )
    return _from_csr(product, k, min_score)


def _from_csr(
    product: sparse.csr_matrix, k: int, min_score: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a sorted top-k product as padded arrays (scores at or below the floor go)."""
    indices, scores = _padded(product.shape[0], k)
    counts = np.diff(product.indptr)
    rows = np.repeat(np.arange(product.shape[0]), counts)
    columns = np.arange(len(product.indices)) - np.repeat(product.indptr[:-1], counts)
    keep = product.data > min_score
    indices[rows[keep], columns[keep]] = product.indices[keep]
    scores[rows[keep], columns[keep]] = product.data[keep]
    # Rows may have lost middle entries to the floor: compact each row, best first again.
    order = np.argsort(-scores, axis=1, kind="stable")
    return np.take_along_axis(indices, order, 1), np.take_along_axis(scores, order, 1)


def top_k_dense(
    queries: np.ndarray, corpus: np.ndarray, k: int, min_score: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top ``k`` of dense unit rows by inner product, in chunks of queries (through
    FAISS's flat index when the extra is installed and the corpus is large)."""
    if corpus.shape[0] >= APPROXIMATE_FROM and importlib.util.find_spec("faiss") is not None:
        return _exact_faiss(queries, corpus, k, min_score)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    corpus_t = np.ascontiguousarray(np.asarray(corpus, dtype=np.float32).T)
    n, m = queries.shape[0], corpus_t.shape[1]
    width = min(k, m)
    indices, scores = _padded(n, k)
    for start in range(0, n, DENSE_CHUNK):
        block = queries[start : start + DENSE_CHUNK] @ corpus_t
        if width < m:
            part = np.argpartition(-block, width - 1, axis=1)[:, :width]
        else:
            part = np.broadcast_to(np.arange(m), (block.shape[0], m))
        values = np.take_along_axis(block, part, 1)
        order = np.argsort(-values, axis=1, kind="stable")
        best = np.take_along_axis(part, order, 1)
        best_scores = np.take_along_axis(values, order, 1)
        best[best_scores <= min_score] = -1
        best_scores[best_scores <= min_score] = 0.0
        indices[start : start + len(block), :width] = best
        scores[start : start + len(block), :width] = best_scores
    return indices, scores


def top_k_approximate(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int,
    min_score: float = 0.0,
    *,
    refine: int = REFINE,
    exact_below: int = APPROXIMATE_FROM,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximate top ``k``: a scan of compressed vectors picks ``refine`` x ``k``
    candidates per query, which are re-ranked by their exact inner product.

    The compressed vectors are 4-bit product-quantisation codes, one per 4 dimensions (96
    codes, 48 bytes, for a 384-d embedding), scanned with FAISS's SIMD fast scan, which is
    far cheaper per pair than a float product; the re-ranking on the full vectors makes the
    order and the scores exact. On real all-MiniLM-L6-v2 embeddings this kept recall@10 at
    0.99 against the exact search, where an HNSW graph needed a search depth of 256 for
    0.97 and was slower than the exact search on two cores (``benchmarks/README.md``). Needs
    the ``semantic`` extra (faiss-cpu); smaller corpora are searched exactly.
    """
    dim = corpus.shape[1]
    if (
        corpus.shape[0] < exact_below
        or dim % PQ_SUBVECTOR
        or importlib.util.find_spec("faiss") is None
    ):
        return top_k_dense(queries, corpus, k, min_score)
    import faiss

    corpus = np.ascontiguousarray(corpus, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    codes = faiss.IndexPQFastScan(dim, dim // PQ_SUBVECTOR, 4, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).permutation(corpus.shape[0])[:PQ_TRAINING_ROWS]
    threads = faiss.omp_get_max_threads()
    # Training is many tiny k-means runs: on a busy machine, threads mostly wait on each other.
    faiss.omp_set_num_threads(1)
    try:
        codes.train(corpus[np.sort(sample)])
    finally:
        faiss.omp_set_num_threads(threads)
    index = faiss.IndexRefineFlat(codes)
    index.k_factor = refine
    index.add(corpus)
    scores, indices = index.search(queries, k)
    return _floor(indices.astype(np.int64), scores, min_score)


def _floor(
    indices: np.ndarray, scores: np.ndarray, min_score: float
) -> tuple[np.ndarray, np.ndarray]:
    drop = (indices < 0) | (scores <= min_score)
    indices[drop] = -1
    scores = scores.astype(np.float32)
    scores[drop] = 0.0
    return indices, scores


def _exact_faiss(
    queries: np.ndarray, corpus: np.ndarray, k: int, min_score: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product search with FAISS's flat index: BLAS products with the top-k
    heap fused in, much faster than NumPy's argpartition over every row."""
    import faiss

    index = faiss.IndexFlatIP(corpus.shape[1])
    index.add(np.ascontiguousarray(corpus, dtype=np.float32))
    scores, indices = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return _floor(indices.astype(np.int64), scores, min_score)


def recall_at(found: np.ndarray, reference: np.ndarray) -> float:
    """Share of the reference's (non-padding) neighbours that ``found`` also lists."""
    hits = total = 0
    for mine, theirs in zip(found, reference, strict=True):
        wanted = set(theirs[theirs >= 0].tolist())
        hits += len(wanted & set(mine[mine >= 0].tolist()))
        total += len(wanted)
    return hits / total if total else 1.0
