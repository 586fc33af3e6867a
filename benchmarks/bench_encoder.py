"""The encoders of the semantic method side by side: same embeddings? how fast?

    .venv/bin/python benchmarks/bench_encoder.py [--texts N] [--folder MODEL_FOLDER]

Embeds the needs and offers of the labelled sets (tests/data/matching/*.txt) with the
default install's encoder (all-MiniLM-L6-v2 as int8 ONNX,
mutuality.services.matching.encoder_onnx), with the NumPy encoder (float32 weights,
mutuality.services.matching.encoder_numpy) where those weights are installed, and with
sentence-transformers where it is installed, and prints for each the load time, sentences
per second, the time for one text, and against the float32 reference (sentence-transformers,
else NumPy) the minimum and mean cosine of each text's two embeddings and the share of texts
whose five nearest texts are the same. ``--folder`` compares a model folder of one's own
(NumPy against sentence-transformers; the ONNX model is all-MiniLM-L6-v2 only).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mutuality.core.matching.evaluate import parse
from mutuality.services.matching.encoder_numpy import NumpyEncoder, packaged_folder
from mutuality.services.matching.encoder_onnx import OnnxEncoder, missing_onnx

SETS = sorted(Path("tests/data/matching").glob("*.txt"))
Encode = Callable[[list[str]], np.ndarray]


def texts(limit: int) -> list[str]:
    found: list[str] = []
    for path in SETS:
        labelled = parse(path.read_text(encoding="utf-8"), str(path))
        found += labelled.compared(labelled.needs, labelled.need_details)
        found += labelled.compared(labelled.offers, labelled.offer_details)
    return found[:limit]


def timed(encode: Encode, sample: list[str]) -> tuple[np.ndarray, float, float]:
    started = time.perf_counter()
    vectors = encode(sample)
    rate = len(sample) / (time.perf_counter() - started)
    one = []
    for text in sample[:20]:
        started = time.perf_counter()
        encode([text])
        one.append(time.perf_counter() - started)
    return vectors, rate, float(np.median(one))


def measure(name: str, load: Callable[[], Encode], sample: list[str]) -> np.ndarray:
    started = time.perf_counter()
    encode = load()
    encode(["warm up"])
    print(f"{name}: loaded in {time.perf_counter() - started:.2f} s (imports included)")
    vectors, rate, one = timed(encode, sample)
    print(f"{name}: {rate:.0f} sentences/s, one text {one * 1000:.1f} ms")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    return vectors


def compare(name: str, mine: np.ndarray, reference: np.ndarray) -> None:
    cosines = np.sum(mine * reference, axis=1)
    tops = [np.argsort(-(vectors @ vectors.T), axis=1)[:, 1:6] for vectors in (mine, reference)]
    count = len(mine)
    same = np.mean([set(a) == set(b) for a, b in zip(*tops, strict=True)])
    print(
        f"{name}: cosine min {cosines.min():.7f}, mean {cosines.mean():.7f}; "
        f"same five nearest texts for {same:.1%} of {count} texts"
    )


def sentence_transformers_loader(folder: Path) -> Encode:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu")
    return lambda batch: model.encode(batch, batch_size=64, normalize_embeddings=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=1_200)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    sample = texts(args.texts)
    folder = args.folder or packaged_folder()
    print(f"{len(sample)} texts, float32 model folder {folder}")

    found: dict[str, np.ndarray] = {}
    if args.folder is None and missing_onnx() is None:
        found["onnx int8"] = measure("onnx int8", lambda: OnnxEncoder().encode, sample)
    if folder is not None:
        found["numpy"] = measure("numpy", lambda: NumpyEncoder(args.folder).encode, sample)
        try:
            import sentence_transformers  # noqa: F401
        except ImportError:
            print("sentence-transformers is not installed: NumPy is the float32 reference")
        else:
            found["torch"] = measure("torch", lambda: sentence_transformers_loader(folder), sample)
    reference = "torch" if "torch" in found else "numpy"
    for name, vectors in found.items():
        if name != reference and reference in found:
            compare(f"{name} vs {reference}", vectors, found[reference])


if __name__ == "__main__":
    main()
