"""The semantic method without torch against sentence-transformers: same embeddings? how fast?

    .venv/bin/python benchmarks/bench_encoder.py [--texts N] [--folder MODEL_FOLDER]

Embeds the needs and offers of the labelled sets (tests/data/matching/*.txt) with the NumPy
encoder (mutuality.services.matching.encoder_numpy) and, when sentence-transformers is installed,
with it too, and prints the load time, sentences per second, the time for one text, and
the minimum and mean cosine between the two embeddings of each text.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from mutuality.core.matching.evaluate import parse
from mutuality.services.matching.encoder_numpy import NumpyEncoder, packaged_folder

SETS = sorted(Path("tests/data/matching").glob("*.txt"))


def texts(limit: int) -> list[str]:
    found: list[str] = []
    for path in SETS:
        labelled = parse(path.read_text(encoding="utf-8"), str(path))
        found += labelled.compared(labelled.needs, labelled.need_details)
        found += labelled.compared(labelled.offers, labelled.offer_details)
    return found[:limit]


def timed(encode, sample: list[str]) -> tuple[np.ndarray, float, float]:
    started = time.perf_counter()
    vectors = encode(sample)
    rate = len(sample) / (time.perf_counter() - started)
    one = []
    for text in sample[:20]:
        started = time.perf_counter()
        encode([text])
        one.append(time.perf_counter() - started)
    return vectors, rate, float(np.median(one))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    sample = texts(args.texts)
    folder = args.folder or packaged_folder()
    print(f"{len(sample)} texts, model folder {folder}")

    started = time.perf_counter()
    encoder = NumpyEncoder(args.folder)
    encoder.encode(["warm up"])
    print(f"numpy: loaded in {time.perf_counter() - started:.2f} s")
    mine, rate, one = timed(encoder.encode, sample)
    print(f"numpy: {rate:.0f} sentences/s, one text {one * 1000:.1f} ms")
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-4)

    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("sentence-transformers is not installed: no comparison")
        return
    started = time.perf_counter()
    model = SentenceTransformer(str(folder), device="cpu")
    model.encode(["warm up"])
    print(f"torch: loaded in {time.perf_counter() - started:.2f} s (import included)")

    def reference(batch: list[str]) -> np.ndarray:
        return model.encode(batch, batch_size=64, normalize_embeddings=True)

    theirs, rate, one = timed(reference, sample)
    print(f"torch: {rate:.0f} sentences/s, one text {one * 1000:.1f} ms")
    cosines = np.sum(mine * theirs, axis=1)
    print(f"cosine numpy vs torch: min {cosines.min():.7f}, mean {cosines.mean():.7f}")
    same = np.mean(
        [
            set(np.argsort(-(mine @ mine[i]))[:5]) == set(np.argsort(-(theirs @ theirs[i]))[:5])
            for i in range(min(200, len(sample)))
        ]
    )
    print(f"same five nearest texts for {same:.1%} of the first 200 texts")


if __name__ == "__main__":
    main()
