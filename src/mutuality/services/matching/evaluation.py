"""The evaluation command: match quality of each text method on a labelled set.

Run from the repository root::

    # semantic (the default method, when its model loads here), then lexical
    .venv/bin/python -m mutuality.services.matching.evaluation
    .venv/bin/python -m mutuality.services.matching.evaluation --method lexical --file my_set.txt
    .venv/bin/python -m mutuality.services.matching.evaluation --file tests/data/matching/dev.txt

It ranks every offer for every need by text similarity (the candidate stage of matching),
each text with its tags as matching compares it, and prints precision@1, recall@5 and
NDCG@5 (:mod:`mutuality.core.matching.evaluate`). ``semantic`` is the encoder matching
uses (the int8 ONNX model of the default install), with each text phrased as a need or an
offer as matching embeds it; ``semantic-lite`` is the NumPy encoder (float32 weights),
``semantic-torch`` sentence-transformers, ``--model FOLDER`` a model of one's own.
Tune on ``tests/data/matching/dev.txt``; ``test.txt`` is for reporting only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from mutuality.core.errors import BadFile, MutualityError
from mutuality.core.matching.candidates import top_k
from mutuality.core.matching.evaluate import Figures, LabelledSet, figures, parse
from mutuality.core.matching.semantic import Encoder, missing, phrased
from mutuality.core.matching.vectors import Lexical, TextMethod
from mutuality.services.matching.embeddings import default_encoder
from mutuality.services.matching.encoder_numpy import NumpyEncoder, missing_lite
from mutuality.services.matching.encoder_onnx import missing_onnx

DEFAULT_SET = Path("tests/data/matching_eval.txt")


def load(path: Path) -> LabelledSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BadFile(f"cannot read {path}: {error.strerror}", location=str(path)) from None
    return parse(text, str(path))


METHODS = ("lexical", "semantic", "semantic-lite", "semantic-torch")


def method_named(name: str, model: Path | None = None) -> TextMethod:
    """``semantic`` is the encoder matching uses here (:func:`default_encoder`: the int8
    ONNX model of the default install); ``semantic-lite`` the NumPy encoder and
    ``semantic-torch`` sentence-transformers (the float32 model, extras); a ``model``
    folder always runs on the NumPy encoder."""
    if name == "lexical":
        return Lexical()
    if model is not None and name.startswith("semantic"):
        return NumpyEncoder(model)
    if name == "semantic":
        return default_encoder()
    if name == "semantic-lite":
        return NumpyEncoder()
    if name == "semantic-torch":
        return Encoder()
    raise MutualityError(f"method {name!r}: use {', '.join(METHODS)}", field="method", value=name)


def semantic_missing(model: Path | None = None) -> str | None:
    """Why no semantic method can run here (no encoder of any kind)."""
    if model is not None:
        return missing_lite(model)
    return missing_onnx() and missing() and missing_lite()


def evaluate(labelled: LabelledSet, method: TextMethod, tags: bool = True) -> Figures:
    """Rank all offers for each need by similarity and score the first five."""
    if tags:
        need_texts = labelled.compared(labelled.needs, labelled.need_details)
        offer_texts = labelled.compared(labelled.offers, labelled.offer_details)
    else:
        need_texts, offer_texts = list(labelled.needs), list(labelled.offers)
    if not isinstance(method, Lexical):  # embedded as matching embeds them
        need_texts = [phrased(text, need=True) for text in need_texts]
        offer_texts = [phrased(text, need=False) for text in offer_texts]
    needs, offers = method.vectors(need_texts, offer_texts)
    ranked, _ = top_k(needs, offers, 5)
    return figures(ranked, labelled)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_SET, help="the labelled set")
    parser.add_argument(
        "--method",
        choices=(*METHODS, "both"),
        default="both",
        help="which text method (both: semantic when it can run here, then lexical)",
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="a local sentence-transformers model folder"
    )
    parser.add_argument(
        "--text-only", action="store_true", help="compare the texts without their tags"
    )
    args = parser.parse_args(argv)
    try:
        labelled = load(args.file)
        # The default method first: semantic where its model loads (matching's ``auto``).
        names = ["semantic", "lexical"] if args.method == "both" else [args.method]
        reason = semantic_missing(args.model)
        if args.method == "both" and reason:
            print(f"semantic: skipped ({reason})", file=sys.stderr)
            names = ["lexical"]
        print(
            f"{args.file}: {len(labelled.needs)} needs, {len(labelled.offers)} offers, "
            f"{len(set(labelled.fields))} fields"
        )
        print(f"{'method':<10} {'P@1':>6} {'R@5':>6} {'NDCG@5':>7} {'seconds':>8}")
        for name in names:
            started = time.perf_counter()
            result = evaluate(labelled, method_named(name, args.model), not args.text_only)
            took = time.perf_counter() - started
            print(
                f"{name:<10} {result.precision_at_1:>6.3f} {result.recall_at_5:>6.3f} "
                f"{result.ndcg_at_5:>7.3f} {took:>8.1f}"
            )
    except MutualityError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
