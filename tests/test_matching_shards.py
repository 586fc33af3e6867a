"""The candidate search split by offers (core/matching/shards.py): the same candidates and
the same plan as the single-machine search, however the offers are cut."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from mutuality.core.matching.pipeline import candidates, run
from mutuality.core.matching.shards import (
    Shard,
    exact_search,
    flat_search,
    merge,
    search_for,
    search_shard,
    sharded_top_k,
    split,
    width,
)
from mutuality.core.matching.weights import Weights
from mutuality.synthetic.matching import people, unit_vectors

SEMANTIC = Weights(min_similarity=Weights().min_meaning)


def test_split_covers_every_offer_once_in_near_equal_parts() -> None:
    for offers, asked in [(10, 3), (7, 7), (5, 8), (1, 4), (10_000, 6), (3, 1)]:
        shards = split(offers, asked)
        assert len(shards) == min(offers, asked)
        assert [s.number for s in shards] == list(range(len(shards)))
        assert shards[0].start == 0 and shards[-1].stop == offers
        assert all(a.stop == b.start for a, b in itertools.pairwise(shards))
        sizes = [len(s) for s in shards]
        assert min(sizes) >= 1 and max(sizes) - min(sizes) <= 1
    assert split(0, 4) == []
    with pytest.raises(ValueError, match="at least 1"):
        split(10, 0)
    aligned = split(30_000, 3, align=1024)
    assert [(s.start, s.stop) for s in aligned] == [(0, 10240), (10240, 20480), (20480, 30000)]
    assert len(split(2_000, 5, align=1024)) == 2


def test_from_twenty_thousand_offers_shards_search_as_the_single_machine_does() -> None:
    """FAISS's flat index, as the single-machine exact search from 20,000 offers; shards
    cut at its blocks compute the same scores."""
    pytest.importorskip("faiss")
    needs, offers = unit_vectors(2_000, seed=13), unit_vectors(24_000, seed=14)
    single = candidates(needs, offers, SEMANTIC)
    assert search_for(offers) == (flat_search, 1024)
    assert search_for(offers[:19_999]) == (exact_search, 1)
    indices, scores = sharded_top_k(needs, offers, width(SEMANTIC), 3, SEMANTIC.min_similarity)
    np.testing.assert_array_equal(scores, single[1])
    np.testing.assert_array_equal(indices, single[0])


def test_ten_thousand_by_ten_thousand_sharded_equals_single_machine() -> None:
    needs, offers = unit_vectors(10_000, seed=1), unit_vectors(10_000, seed=2)
    single = candidates(needs, offers, SEMANTIC)
    assert (single[0] >= 0).sum() > 50_000  # the case is not empty: most needs have candidates
    for shards in (1, 4, 7):
        indices, scores = sharded_top_k(
            needs, offers, width(SEMANTIC), shards, SEMANTIC.min_similarity
        )
        np.testing.assert_array_equal(indices, single[0])
        np.testing.assert_array_equal(scores, single[1])

    who = people(10_000, 10_000, members=15_000, seed=3)
    args = (who.need_person, who.offer_person, who.owner, who.facts, who.excluded_pairs, SEMANTIC)
    reference = run(*single, *args)
    sharded = run(*sharded_top_k(needs, offers, width(SEMANTIC), 5, 0.25), *args)
    assert reference.chosen.sum() > 1_000
    np.testing.assert_array_equal(sharded.chosen, reference.chosen)
    for name in ("need", "offer", "helper", "score", "two_way"):
        mine, theirs = getattr(sharded.scored, name), getattr(reference.scored, name)
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize(
    ("offers", "shards", "k"),
    [(40, 1, 12), (5, 8, 12), (30, 10, 12), (3, 2, 12), (200, 3, 5)],
    ids=["one shard", "more shards than offers", "k larger than a shard", "tiny", "small k"],
)
def test_edge_cases_agree_with_the_single_machine_search(offers: int, shards: int, k: int) -> None:
    needs, corpus = unit_vectors(25, seed=4, topics=3), unit_vectors(offers, seed=5, topics=3)
    single = candidates(needs, corpus, Weights(candidates=k - 2, min_similarity=0.0))
    found = sharded_top_k(needs, corpus, k, shards, 0.0)
    np.testing.assert_array_equal(found[0], single[0])
    # shards of a few offers may go through another BLAS kernel: the last bit can differ
    np.testing.assert_allclose(found[1], single[1], rtol=1e-6, atol=1e-6)
    # k larger than the offers: every offer once, then padding
    if k > offers:
        every = sharded_top_k(needs, corpus, k, shards, min_score=-1.0)
        assert (every[0] >= 0).sum(axis=1).tolist() == [offers] * 25
        assert (every[0][:, offers:] == -1).all() and (every[1][:, offers:] == 0).all()


def test_no_offers_or_no_needs_give_padding() -> None:
    needs = unit_vectors(4, seed=6)
    indices, scores = sharded_top_k(needs, np.zeros((0, 384), np.float32), 12, 3, 0.25)
    assert indices.shape == (4, 12) and (indices == -1).all() and (scores == 0).all()
    indices, _ = sharded_top_k(np.zeros((0, 384), np.float32), unit_vectors(9, seed=7), 12, 3)
    assert indices.shape == (0, 12)


def test_equal_scores_list_the_same_scores_and_merge_by_offer_row() -> None:
    """Copies of one offer tie exactly: every cut lists the single-machine scores, and the
    merge orders equal scores by offer row."""
    base = unit_vectors(3, seed=8, topics=3)
    corpus = base[[0, 1, 0, 2, 0, 0, 1, 0]]  # offer 0's copies: rows 0, 2, 4, 5, 7
    single = candidates(base[:1], corpus, Weights(candidates=1, min_similarity=0.0))
    for shards in range(1, 9):
        indices, scores = sharded_top_k(base[:1], corpus, 3, shards)
        assert set(indices[0].tolist()) <= {0, 2, 4, 5, 7}
        np.testing.assert_allclose(scores, single[1], rtol=1e-6, atol=1e-6)
    a = (np.array([[7, 3, -1]]), np.array([[0.5, 0.5, 0.0]], dtype=np.float32))
    b = (np.array([[1, 9]]), np.array([[0.5, 0.6]], dtype=np.float32))
    assert merge([a, b], 5)[0].tolist() == [[9, 1, 3, 7, -1]]


def test_merge_keeps_the_best_of_each_shard_as_global_rows() -> None:
    needs, corpus = unit_vectors(6, seed=9, topics=2), unit_vectors(50, seed=10, topics=2)
    part = search_shard(needs, corpus, Shard(1, 20, 35), 4)
    assert ((part[0] >= 20) & (part[0] < 35)).all()
    alone = search_shard(needs, corpus[20:35], Shard(1, 20, 35), 4)
    np.testing.assert_array_equal(part[0], alone[0])
    merged = merge([part], 6)
    assert merged[0].shape == (6, 6) and (merged[0][:, 4:] == -1).all()
    assert merge([], 3, needs=2)[0].tolist() == [[-1, -1, -1], [-1, -1, -1]]


def test_width_is_what_the_single_machine_search_fetches() -> None:
    for weights in (Weights(), Weights(candidates=1), Weights(candidates=40)):
        found = candidates(unit_vectors(2, seed=11), unit_vectors(100, seed=12), weights)
        assert found[0].shape[1] == width(weights)


def test_the_core_and_the_cluster_module_never_import_ray() -> None:
    code = "import sys, mutuality.core.matching.shards; print('ray' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"
