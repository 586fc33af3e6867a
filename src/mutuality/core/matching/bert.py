"""A BERT sentence encoder's forward pass in NumPy: token ids in, unit-length embeddings out.

This is the arithmetic of a sentence-transformers model such as all-MiniLM-L6-v2 (6 layers,
384 wide): word, position and token-type embeddings, then per layer self-attention and a
feed-forward block with exact (erf) GELU, each followed by a residual sum and layer
normalisation, then mean (or first-token) pooling over the real tokens and L2
normalisation. Doing it in NumPy gives the same embeddings as PyTorch (minimum cosine
0.9999999 on real text, ``benchmarks/README.md``) without the few hundred megabytes of
torch. Reading the weights and tokenising live in :mod:`mutuality.services.matching.encoder_numpy`;
this module only computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import erf


@dataclass(frozen=True, slots=True)
class Layer:
    """One transformer layer, its matrices already transposed for ``x @ w``."""

    qkv: np.ndarray
    """Query, key and value projections side by side: (width, 3 · width)."""
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, slots=True)
class Bert:
    """The weights of a BERT encoder and the shape facts its forward pass needs."""

    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[Layer, ...]
    heads: int
    eps: float
    pooling: str = "mean"
    """``mean`` over the real tokens (sentence-transformers' usual choice) or ``cls``."""

    @property
    def dimensions(self) -> int:
        return int(self.word.shape[1])


def from_tensors(
    tensors: Mapping[str, np.ndarray], heads: int, eps: float = 1e-12, pooling: str = "mean"
) -> Bert:
    """A :class:`Bert` from Hugging Face tensor names (with or without a ``bert.`` prefix)."""
    named = {key.removeprefix("bert."): value for key, value in tensors.items()}

    def get(name: str) -> np.ndarray:
        if name not in named:
            raise KeyError(f"the model has no tensor {name}")
        return np.ascontiguousarray(named[name], dtype=np.float32)

    def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return get(f"{prefix}.weight"), get(f"{prefix}.bias")

    layers = []
    index = 0
    while f"encoder.layer.{index}.attention.self.query.weight" in named:
        p = f"encoder.layer.{index}"
        parts = ("query", "key", "value")
        layers.append(
            Layer(
                qkv=np.ascontiguousarray(
                    np.concatenate([get(f"{p}.attention.self.{s}.weight").T for s in parts], 1)
                ),
                qkv_bias=np.concatenate([get(f"{p}.attention.self.{s}.bias") for s in parts]),
                attention_out=np.ascontiguousarray(get(f"{p}.attention.output.dense.weight").T),
                attention_out_bias=get(f"{p}.attention.output.dense.bias"),
                attention_norm=norm(f"{p}.attention.output.LayerNorm"),
                intermediate=np.ascontiguousarray(get(f"{p}.intermediate.dense.weight").T),
                intermediate_bias=get(f"{p}.intermediate.dense.bias"),
                output=np.ascontiguousarray(get(f"{p}.output.dense.weight").T),
                output_bias=get(f"{p}.output.dense.bias"),
                output_norm=norm(f"{p}.output.LayerNorm"),
            )
        )
        index += 1
    if not layers:
        raise KeyError("the model has no encoder layers (encoder.layer.0...)")
    if pooling not in ("mean", "cls"):
        raise ValueError(f"pooling {pooling!r}: use mean or cls")
    return Bert(
        word=get("embeddings.word_embeddings.weight"),
        position=get("embeddings.position_embeddings.weight"),
        token_type=get("embeddings.token_type_embeddings.weight"),
        embedding_norm=norm("embeddings.LayerNorm"),
        layers=tuple(layers),
        heads=heads,
        eps=eps,
        pooling=pooling,
    )


def _layer_norm(
    x: np.ndarray, scale_shift: tuple[np.ndarray, np.ndarray], eps: float
) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    scale, shift = scale_shift
    return np.asarray(centred / np.sqrt(variance + eps) * scale + shift, dtype=np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, as BERT was trained with (not the tanh approximation)."""
    return np.asarray(0.5 * x * (1.0 + erf(x / np.sqrt(2.0))), dtype=np.float32)


def embed(model: Bert, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit-length sentence embeddings of a padded batch.

    ``ids`` and ``mask`` are (batch, tokens) integer arrays; ``mask`` is 1 on real tokens
    and 0 on padding, which neither attends nor is pooled.
    """
    batch, length = ids.shape
    if length > model.position.shape[0]:
        raise ValueError(f"{length} tokens: the model reads at most {model.position.shape[0]}")
    width = model.dimensions
    heads = model.heads
    size = width // heads
    x = model.word[ids] + model.position[:length][None] + model.token_type[0]
    # Linear layers run on one (batch · tokens, width) matrix and attention on contiguous
    # per-head blocks: NumPy hands both to BLAS, where strided views would fall back to a
    # slow loop.
    x = _layer_norm(x.reshape(batch * length, width), model.embedding_norm, model.eps)
    real = mask.astype(np.float32)
    blocked = ((1.0 - real) * np.float32(-1e9))[:, None, None, :]
    scale = np.float32(1.0 / np.sqrt(size))
    for layer in model.layers:
        qkv = (x @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, heads, size)
        query, key, value = (
            np.ascontiguousarray(qkv[:, :, part].transpose(0, 2, 1, 3)) for part in range(3)
        )
        scores = query @ np.ascontiguousarray(key.transpose(0, 1, 3, 2))
        scores = scores * scale + blocked
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch * length, width)
        attended = context @ layer.attention_out + layer.attention_out_bias
        x = _layer_norm(attended + x, layer.attention_norm, model.eps)
        hidden = _gelu(x @ layer.intermediate + layer.intermediate_bias)
        x = _layer_norm(hidden @ layer.output + layer.output_bias + x, layer.output_norm, model.eps)
    x = x.reshape(batch, length, width)
    if model.pooling == "cls":
        pooled = x[:, 0]
    else:
        pooled = (x * real[:, :, None]).sum(axis=1) / np.maximum(real.sum(axis=1), 1.0)[:, None]
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)
