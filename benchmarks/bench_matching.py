"""Matching at scale: 100,000 open needs against 100,000 offers among 1,000,000 people.

Each scenario runs in a fresh child process (its peak RSS is its own):

* ``lexical``: texts to TF-IDF vectors, top-10 candidates per need (fused sparse top-n),
  scoring, and the capacity-respecting assignment (OR-Tools min-cost flow), plus the
  greedy pass for comparison;
* ``semantic``: embeds 20,000 synthetic texts with all-MiniLM-L6-v2 (the embedding
  throughput on this machine, sentences/s), measures recall@10 of the approximate FAISS HNSW
  search against the exact search on those real embeddings (10,000 needs x 10,000 offers),
  then, with embeddings precomputed, times exact and approximate top-k at full scale,
  scoring and assignment.

Texts are synthetic: 2,000 topics of 25 words each, drawn from the skills vocabulary and
made-up words, in the phrasings people use to ask and offer. Embedding 200k texts here
would take over 15 minutes, so the full-scale vectors are the 20,000 real embeddings
spread into clouds of nearby unit vectors (Gaussian noise, renormalised).

    .venv/bin/python benchmarks/bench_matching.py                 # both (about 8 min)
    .venv/bin/python benchmarks/bench_matching.py --only lexical --needs 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import describe_machine, peak_rss_mib, report, run_child

NEED_PHRASES = (
    "Looking for someone who can help with {}",
    "Need advice on {}",
    "Could anyone help me with {}?",
    "Searching for an expert in {}",
    "We want help with {}",
)
TOPICS = 2_000
"""Topics of 25 words each: needs and offers on one topic share words, as in a real network."""

OFFER_PHRASES = (
    "Happy to help with {}",
    "I can offer {}",
    "Experienced in {}, glad to share",
    "Can give feedback on {}",
    "I know a lot about {}",
)


def synthetic_texts(count: int, phrases: tuple[str, ...], seed: int) -> list[str]:
    from mutuality.core.matching.text import SYNONYMS

    rng = np.random.default_rng(seed)
    words = sorted({w for variants in SYNONYMS.values() for w in variants if " " not in w})
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    made_up = np.random.default_rng(0).choice(len(syllables), size=(8_000, 3))
    words += sorted({"".join(syllables[i] for i in row) for row in made_up})
    topics = np.random.default_rng(1).choice(len(words), size=(TOPICS, 25))
    texts = []
    for topic, size, phrase in zip(
        rng.integers(0, TOPICS, count),
        rng.integers(2, 6, count),
        rng.integers(0, len(phrases), count),
        strict=True,
    ):
        chosen = [words[i] for i in rng.choice(topics[topic], size=size, replace=False)]
        texts.append(phrases[phrase].format(", ".join(chosen[:-1]) + " and " + chosen[-1]))
    return texts


def people_facts(need_person: np.ndarray, offer_person: np.ndarray, seed: int):
    from mutuality.core.matching.scoring import PeopleFacts

    rng = np.random.default_rng(seed)
    ids = np.unique(np.concatenate([need_person, offer_person, [0]]))
    return PeopleFacts(
        ids=ids,
        tie=rng.random(len(ids)),
        free=np.where(rng.random(len(ids)) < 0.02, 0, 2),
        asked=rng.exponential(0.3, len(ids)),
        challenge=rng.random(len(ids)) < 0.05,
        busy=rng.random(len(ids)) < 0.02,
    )


def plan_and_report(indices, sims, n_needs, n_offers, people, timings, seed) -> dict:
    from mutuality.core.matching.assignment import assign
    from mutuality.core.matching.pipeline import run

    rng = np.random.default_rng(seed)
    need_person = rng.integers(1, people, n_needs)
    offer_person = rng.integers(1, people, n_offers)
    need_person[:50] = 0  # a few of mine
    offer_person[:50] = 0
    facts = people_facts(need_person, offer_person, seed)
    started = time.perf_counter()
    plan = run(indices, sims, need_person, offer_person, 0, facts, np.zeros(0, np.int64))
    timings["score + assign (exact)"] = time.perf_counter() - started
    scored = plan.scored
    started = time.perf_counter()
    greedy = assign(scored.need, scored.helper, scored.score,
                    facts.free[facts.index(scored.helper)], method="greedy")
    timings["assign (greedy, for comparison)"] = time.perf_counter() - started
    exact_total = float(scored.score[plan.chosen].sum())
    return {
        "candidates": plan.candidates,
        "scored": len(scored),
        "chosen": int(plan.chosen.sum()),
        "greedy_share": float(scored.score[greedy].sum()) / exact_total if exact_total else 1.0,
    }


def child_lexical(n_needs: int, n_offers: int, people: int) -> None:
    from mutuality.core.matching.pipeline import candidates
    from mutuality.core.matching.vectors import Lexical

    needs = synthetic_texts(n_needs, NEED_PHRASES, 1)
    offers = synthetic_texts(n_offers, OFFER_PHRASES, 2)
    timings: dict[str, float] = {}
    total = time.perf_counter()
    started = time.perf_counter()
    need_vectors, offer_vectors = Lexical().vectors(needs, offers)
    timings["texts to TF-IDF vectors"] = time.perf_counter() - started
    started = time.perf_counter()
    indices, sims = candidates(need_vectors, offer_vectors)
    timings["top-10 candidates (sparse-dot-topn)"] = time.perf_counter() - started
    facts = plan_and_report(indices, sims, n_needs, n_offers, people, timings, 3)
    timings["end to end (excluding the greedy pass)"] = (
        time.perf_counter() - total - timings["assign (greedy, for comparison)"]
    )
    report({"timings": timings, "facts": facts, "peak_rss_mib": peak_rss_mib(),
            "vocabulary": need_vectors.shape[1]})


def child_semantic(n_needs: int, n_offers: int, people: int, model_texts: int) -> None:
    from mutuality.core.matching.candidates import recall_at, top_k_approximate, top_k_dense
    from mutuality.core.matching.semantic import Encoder

    rng = np.random.default_rng(4)
    half = model_texts // 2
    texts = synthetic_texts(half, NEED_PHRASES, 11) + synthetic_texts(half, OFFER_PHRASES, 12)
    started = time.perf_counter()
    encoder = Encoder()
    encoder._load()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    real = encoder.encode(texts)
    embed_seconds = time.perf_counter() - started
    # Recall on real embeddings: half the texts as needs against the other half as offers.
    exact_real, _ = top_k_dense(real[:half], real[half:], 10)
    approx_real, _ = top_k_approximate(real[:half], real[half:], 10, exact_below=0)
    real_recall = recall_at(approx_real, exact_real)

    def cloud(count: int) -> np.ndarray:
        vectors = real[rng.integers(0, len(real), count)] + rng.normal(
            0, 0.04, (count, real.shape[1])
        ).astype(np.float32)
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    need_vectors, offer_vectors = cloud(n_needs), cloud(n_offers)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    exact, _ = top_k_dense(need_vectors, offer_vectors, 10)
    timings["exact top-10 (FAISS flat index)"] = time.perf_counter() - started
    total = time.perf_counter()
    started = time.perf_counter()
    indices, sims = top_k_approximate(need_vectors, offer_vectors, 12, 0.08)
    timings["approximate top-12 (FAISS HNSW, build + search)"] = time.perf_counter() - started
    recall = recall_at(indices[:, :10], exact)
    facts = plan_and_report(indices, sims, n_needs, n_offers, people, timings, 3)
    timings["end to end with the approximate index"] = (
        time.perf_counter() - total - timings["assign (greedy, for comparison)"]
    )
    report({"timings": timings, "facts": facts, "recall_at_10_at_scale": recall,
            "recall_at_10_real_embeddings": real_recall,
            "real_embeddings": f"{half:,} x {half:,}", "peak_rss_mib": peak_rss_mib(),
            "model_load_seconds": load_seconds,
            "embedding_sentences_per_second": model_texts / embed_seconds})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--model-texts", type=int, default=20_000)
    parser.add_argument("--only", choices=("lexical", "semantic"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "lexical":
        return child_lexical(args.needs, args.offers, args.people)
    if args.child == "semantic":
        return child_semantic(args.needs, args.offers, args.people, args.model_texts)
    print(describe_machine())
    scale = ["--needs", str(args.needs), "--offers", str(args.offers), "--people",
             str(args.people), "--model-texts", str(args.model_texts)]
    for name in ("lexical", "semantic"):
        if args.only and args.only != name:
            continue
        result = run_child("bench_matching.py", "--child", name, *scale)
        print(f"\n== {name} ({args.needs:,} needs x {args.offers:,} offers, "
              f"{args.people:,} people) ==")
        for key, value in result.get("timings", {}).items():
            print(f"  {key:<48} {value:8.2f} s")
        for key, value in result.items():
            if key != "timings":
                print(f"  {key:<48} {value}")


if __name__ == "__main__":
    main()
