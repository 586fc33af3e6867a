"""Matching at scale: 100,000 open needs against 100,000 offers among 1,000,000 people.

Each scenario runs in a fresh child process (its peak RSS is its own):

* ``lexical``: texts to TF-IDF vectors, top-10 candidates per need (fused sparse top-n),
  scoring, and the capacity-respecting assignment (OR-Tools min-cost flow), plus the
  greedy pass for comparison;
* ``semantic``: embeds 20,000 synthetic texts with the default install's encoder
  (all-MiniLM-L6-v2, int8 ONNX; each phrased as a need or an offer, as matching embeds
  them: the embedding throughput on this machine, sentences/s), measures recall@10 of the
  approximate search (compressed scan with an exact re-ranking) against the exact search
  on those real embeddings (10,000 needs x 10,000 offers), then, with embeddings
  precomputed, times the approximate top-k at full scale (its recall against the exact
  search of 2,000 sampled needs), scoring and assignment;
* ``options`` (not run by default): every nearest-neighbour option that was tried, each
  timed with its recall@10 on the real embeddings and on clouds of ``--needs`` x
  ``--offers`` (use 20,000: the exact and graph searches take minutes at 100,000).

Texts are synthetic: 2,000 topics of 25 words each, drawn from the skills vocabulary and
made-up words, in the phrasings people use to ask and offer. Embedding 200k texts here
would take over 15 minutes, so the full-scale vectors are the 20,000 real embeddings
spread into clouds of nearby unit vectors (Gaussian noise, renormalised).

    .venv/bin/python benchmarks/bench_matching.py                 # both (about 8 min)
    .venv/bin/python benchmarks/bench_matching.py --only lexical --needs 20000
    .venv/bin/python benchmarks/bench_matching.py --only options --needs 20000 --offers 20000 \
        --embeddings /tmp/embeddings.npy     # keeps the 20,000 real embeddings between runs
"""

from __future__ import annotations

import argparse
import json
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
    greedy = assign(
        scored.need,
        scored.helper,
        scored.score,
        facts.free[facts.index(scored.helper)],
        method="greedy",
    )
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
    report(
        {
            "timings": timings,
            "facts": facts,
            "peak_rss_mib": peak_rss_mib(),
            "vocabulary": need_vectors.shape[1],
        }
    )


def real_embeddings(model_texts: int, cache: str | None) -> tuple[np.ndarray, dict]:
    """Real all-MiniLM-L6-v2 embeddings of synthetic needs then offers (half each), with the
    model's load time and throughput; read from ``cache`` when it holds them."""
    if cache and Path(cache).exists():
        return np.load(cache), {}
    from mutuality.core.matching.semantic import phrased
    from mutuality.services.matching.embeddings import default_encoder

    half = model_texts // 2
    texts = [phrased(t, need=True) for t in synthetic_texts(half, NEED_PHRASES, 11)] + [
        phrased(t, need=False) for t in synthetic_texts(half, OFFER_PHRASES, 12)
    ]
    started = time.perf_counter()
    encoder = default_encoder()  # the int8 ONNX model of the default install
    encoder.encode(["warm up"])
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    real = encoder.encode(texts)
    embed_seconds = time.perf_counter() - started
    if cache:
        np.save(cache, real)
    return real, {
        "encoder": f"{type(encoder).__name__} ({encoder.model_name})",
        "model_load_seconds": load_seconds,
        "embedding_sentences_per_second": model_texts / embed_seconds,
    }


RECALL_SAMPLE = 2_000
"""Needs searched exactly to measure the approximate search's recall at full scale."""


def clouds(real: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` unit vectors spread around the real embeddings (Gaussian noise, renormalised)."""
    vectors = real[rng.integers(0, len(real), count)] + rng.normal(
        0, 0.04, (count, real.shape[1])
    ).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def child_semantic(
    n_needs: int, n_offers: int, people: int, model_texts: int, cache: str | None
) -> None:
    from mutuality.core.matching.candidates import recall_at, top_k_approximate, top_k_dense
    from mutuality.core.matching.weights import Weights

    real, model = real_embeddings(model_texts, cache)
    half = len(real) // 2
    # Recall on real embeddings: half the texts as needs against the other half as offers.
    exact_real, _ = top_k_dense(real[:half], real[half:], 10)
    approx_real, _ = top_k_approximate(real[:half], real[half:], 10, exact_below=0)
    real_recall = recall_at(approx_real, exact_real)

    rng = np.random.default_rng(4)
    need_vectors, offer_vectors = clouds(real, n_needs, rng), clouds(real, n_offers, rng)
    timings: dict[str, float] = {}
    # The exact search of every need takes minutes here: recall at scale is measured on a
    # fixed sample of needs, searched exactly against every offer.
    sample = np.sort(rng.choice(n_needs, min(n_needs, RECALL_SAMPLE), replace=False))
    started = time.perf_counter()
    exact, _ = top_k_dense(need_vectors[sample], offer_vectors, 10)
    timings[f"exact top-10 of {len(sample):,} sampled needs (reference)"] = (
        time.perf_counter() - started
    )
    total = time.perf_counter()
    cpu = time.process_time()  # every thread of this process: the work, whatever the load
    started = time.perf_counter()
    indices, sims = top_k_approximate(need_vectors, offer_vectors, 12, Weights().min_meaning)
    timings["approximate top-12 (compressed scan + exact re-rank)"] = time.perf_counter() - started
    recall = recall_at(indices[sample, :10], exact)
    facts = plan_and_report(indices, sims, n_needs, n_offers, people, timings, 3)
    timings["end to end with the approximate search"] = (
        time.perf_counter() - total - timings["assign (greedy, for comparison)"]
    )
    timings["the same, CPU seconds of all threads (greedy pass included)"] = (
        time.process_time() - cpu
    )
    report(
        {
            "timings": timings,
            "facts": facts,
            "recall_at_10_at_scale": recall,
            "recall_at_10_real_embeddings": real_recall,
            "real_embeddings": f"{half:,} x {half:,}",
            "peak_rss_mib": peak_rss_mib(),
            **model,
        }
    )


SEARCH_OPTIONS: tuple[tuple[str, str, dict], ...] = (
    ("exact: FAISS flat index", "Flat", {}),
    ("exact: NumPy float32 products in chunks + argpartition", "numpy", {}),
    *(
        (f"HNSW M 32, efConstruction 80, efSearch {ef}", "HNSW32", {"efSearch": ef})
        for ef in (64, 128, 256)
    ),
    ("HNSW on int8 codes (IndexHNSWSQ), efSearch 128", "HNSW32_SQ8", {"efSearch": 128}),
    *(
        (
            f"PCA to {dims} + flat, top-{10 * kf} re-ranked",
            f"pca{dims}",
            {"k_factor": kf},
        )
        for dims, kf in ((64, 10), (96, 3), (96, 5), (128, 2), (128, 3))
    ),
    *(
        (f"IVF 256 lists, {probes} probed", "IVF256,Flat", {"nprobe": probes})
        for probes in (16, 64)
    ),
    ("int8 scan (IndexScalarQuantizer) + re-rank of top-30", "SQ8,RFlat", {"k_factor": 3}),
    *(
        (
            f"4-bit PQ fast scan, {codes} codes, top-{10 * kf} re-ranked",
            f"PQ{codes}x4fs,RFlat",
            {"k_factor": kf},
        )
        for codes, kf in ((64, 20), (96, 10), (96, 20), (128, 10), (192, 5))
    ),
)
"""Every option tried for semantic top-10 search: (label, a FAISS factory string, or `numpy`
or `pcaN` for the two written out here, settings)."""


def search_option(
    factory: str, settings: dict, queries: np.ndarray, corpus: np.ndarray, k: int = 10
) -> np.ndarray:
    import faiss

    if factory == "numpy":
        corpus_t = np.ascontiguousarray(corpus.T)
        found = np.empty((len(queries), k), np.int64)
        for start in range(0, len(queries), 1024):
            block = queries[start : start + 1024] @ corpus_t
            found[start : start + 1024] = np.argpartition(-block, k - 1, axis=1)[:, :k]
        return found
    if factory.startswith("pca"):
        return _pca_then_exact(int(factory[3:]), settings["k_factor"] * k, queries, corpus, k)
    index = faiss.index_factory(corpus.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        sample = np.random.default_rng(0).permutation(len(corpus))[:20_000]
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        index.train(corpus[np.sort(sample)])
        faiss.omp_set_num_threads(threads)
    if "efSearch" in settings:
        faiss.downcast_index(index).hnsw.efConstruction = 80
    index.add(corpus)
    if "efSearch" in settings:
        faiss.downcast_index(index).hnsw.efSearch = settings["efSearch"]
    if "nprobe" in settings:
        faiss.extract_index_ivf(index).nprobe = settings["nprobe"]
    if "k_factor" in settings:
        index.k_factor = settings["k_factor"]
    return index.search(queries, k)[1]


def _pca_then_exact(
    dims: int, wide: int, queries: np.ndarray, corpus: np.ndarray, k: int
) -> np.ndarray:
    """Top ``wide`` by inner product after projecting on the top ``dims`` right singular
    vectors of a sample (not centred: FAISS's centred PCA biases inner products by each
    offer's product with the mean), then the top ``k`` of those on the full vectors."""
    import faiss

    sample = np.vstack([queries[:10_000], corpus[:10_000]])
    basis = np.ascontiguousarray(np.linalg.svd(sample, full_matrices=False)[2][:dims].T)
    index = faiss.IndexFlatIP(dims)
    index.add(np.ascontiguousarray(corpus @ basis))
    wide_found = index.search(np.ascontiguousarray(queries @ basis), wide)[1]
    found = np.empty((len(queries), k), np.int64)
    for start in range(0, len(queries), 1024):
        rows = wide_found[start : start + 1024]
        sims = np.matmul(corpus[rows], queries[start : start + 1024, :, None])[:, :, 0]
        best = np.argsort(-sims, axis=1)[:, :k]
        found[start : start + 1024] = np.take_along_axis(rows, best, 1)
    return found


def child_options(n_needs: int, n_offers: int, model_texts: int, cache: str | None) -> None:
    from mutuality.core.matching.candidates import recall_at

    real, _ = real_embeddings(model_texts, cache)
    half = len(real) // 2
    rng = np.random.default_rng(4)
    data = {
        "real": (np.ascontiguousarray(real[:half]), np.ascontiguousarray(real[half:])),
        "clouds": (clouds(real, n_needs, rng), clouds(real, n_offers, rng)),
    }
    rows = []
    for name, (queries, corpus) in data.items():
        reference = search_option("Flat", {}, queries, corpus)
        for label, factory, settings in SEARCH_OPTIONS:
            started = time.perf_counter()
            found = search_option(factory, settings, queries, corpus)
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "data": name,
                    "option": label,
                    "seconds": round(seconds, 2),
                    "recall_at_10": round(recall_at(found, reference), 4),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    report(
        {"options": rows, "real": f"{half:,} x {half:,}", "clouds": f"{n_needs:,} x {n_offers:,}"}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--model-texts", type=int, default=20_000)
    parser.add_argument("--only", choices=("lexical", "semantic", "options"))
    parser.add_argument("--embeddings", help="an .npy file to keep the real embeddings in")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "lexical":
        return child_lexical(args.needs, args.offers, args.people)
    if args.child == "semantic":
        return child_semantic(
            args.needs, args.offers, args.people, args.model_texts, args.embeddings
        )
    if args.child == "options":
        return child_options(args.needs, args.offers, args.model_texts, args.embeddings)
    print(describe_machine())
    scale = [
        "--needs",
        str(args.needs),
        "--offers",
        str(args.offers),
        "--people",
        str(args.people),
        "--model-texts",
        str(args.model_texts),
    ]
    if args.embeddings:
        scale += ["--embeddings", args.embeddings]
    for name in ("lexical", "semantic", "options"):
        if (args.only or name) != name or (name == "options" and not args.only):
            continue
        result = run_child("bench_matching.py", "--child", name, *scale)
        print(
            f"\n== {name} ({args.needs:,} needs x {args.offers:,} offers, "
            f"{args.people:,} people) =="
        )
        for key, value in result.get("timings", {}).items():
            print(f"  {key:<48} {value:8.2f} s")
        for row in result.get("options", []):
            print(
                f"  {row['data']:<7} {row['option']:<58} {row['seconds']:8.2f} s"
                f"  recall@10 {row['recall_at_10']:.4f}"
            )
        for key, value in result.items():
            if key not in ("timings", "options"):
                print(f"  {key:<48} {value}")


if __name__ == "__main__":
    main()
