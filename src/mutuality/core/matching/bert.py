"""A BERT sentence encoder's forward pass in NumPy: token ids in, unit-length embeddings out.

This is the arithmetic of a sentence-transformers model such as all-MiniLM-L6-v2 (6 layers,
384 wide): word, position and token-type embeddings, then per layer self-attention and a
feed-forward block with exact (erf) GELU, each followed by a residual sum and layer
normalisation, then mean (or first-token) pooling over the real tokens and L2
normalisation. Doing it in NumPy gives the same embeddings as PyTorch (minimum cosine
0.9999999 on real text, ``benchmarks/README.md``) without the few hundred megabytes of
torch. Reading the weights and tokenising live in :mod:`mutuality.services.matching.encoder_numpy`;
this module only computes.

MPNet (all-mpnet-base-v2, the strongest sentence-transformers model that installs from the
package registry) is the same pass with three differences, each a field of :class:`Bert`:
no token types, positions counted from 2, and a learnt bias per
head added to every layer's attention scores by the bucketed distance between two tokens
(:func:`relative_buckets`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import erf

MPNET_FIRST_POSITION = 2
"""MPNet counts positions from after its padding id (1), whatever the model's config says:
the reference implementation fixes it."""


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
    position_offset: int = 0
    """The position embedding of the first token (MPNet: :data:`MPNET_FIRST_POSITION`)."""
    relative_bias: np.ndarray | None = None
    """MPNet: (buckets, heads), added to the attention scores by relative distance."""

    @property
    def dimensions(self) -> int:
        return int(self.word.shape[1])


Matrix = Callable[[str], np.ndarray]
Norm = Callable[[str], tuple[np.ndarray, np.ndarray]]


def _reader(named: Mapping[str, np.ndarray]) -> tuple[Matrix, Norm]:
    """Read tensors by name as contiguous float32, and layer norms by prefix."""

    def get(name: str) -> np.ndarray:
        if name not in named:
            raise KeyError(f"the model has no tensor {name}")
        return np.ascontiguousarray(named[name], dtype=np.float32)

    def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return get(f"{prefix}.weight"), get(f"{prefix}.bias")

    return get, norm


@dataclass(frozen=True, slots=True)
class LayerNames:
    """Where a layer's tensors are, relative to ``encoder.layer.N.``: BERT and MPNet name the
    same parts differently."""

    query_key_value: tuple[str, str, str]
    attention_out: str
    attention_norm: str


BERT_NAMES = LayerNames(
    ("attention.self.query", "attention.self.key", "attention.self.value"),
    "attention.output.dense",
    "attention.output.LayerNorm",
)
MPNET_NAMES = LayerNames(
    ("attention.attn.q", "attention.attn.k", "attention.attn.v"),
    "attention.attn.o",
    "attention.LayerNorm",
)


def _layers(named: Mapping[str, np.ndarray], names: LayerNames) -> tuple[Layer, ...]:
    """Every ``encoder.layer.N`` in order, its matrices transposed for ``x @ w``."""
    get, norm = _reader(named)

    def matrix(name: str) -> np.ndarray:
        return np.ascontiguousarray(get(f"{name}.weight").T)

    layers: list[Layer] = []
    while f"encoder.layer.{len(layers)}.{names.query_key_value[0]}.weight" in named:
        p = f"encoder.layer.{len(layers)}"
        parts = [f"{p}.{name}" for name in names.query_key_value]
        layers.append(
            Layer(
                qkv=np.ascontiguousarray(np.concatenate([matrix(part) for part in parts], 1)),
                qkv_bias=np.concatenate([get(f"{part}.bias") for part in parts]),
                attention_out=matrix(f"{p}.{names.attention_out}"),
                attention_out_bias=get(f"{p}.{names.attention_out}.bias"),
                attention_norm=norm(f"{p}.{names.attention_norm}"),
                intermediate=matrix(f"{p}.intermediate.dense"),
                intermediate_bias=get(f"{p}.intermediate.dense.bias"),
                output=matrix(f"{p}.output.dense"),
                output_bias=get(f"{p}.output.dense.bias"),
                output_norm=norm(f"{p}.output.LayerNorm"),
            )
        )
    if not layers:
        raise KeyError(
            f"the model has no encoder layers (encoder.layer.0.{names.query_key_value[0]})"
        )
    return tuple(layers)


def from_tensors(
    tensors: Mapping[str, np.ndarray], heads: int, eps: float = 1e-12, pooling: str = "mean"
) -> Bert:
    """A :class:`Bert` from Hugging Face tensor names (with or without a ``bert.`` prefix)."""
    named = {key.removeprefix("bert."): value for key, value in tensors.items()}
    get, norm = _reader(named)
    return Bert(
        word=get("embeddings.word_embeddings.weight"),
        position=get("embeddings.position_embeddings.weight"),
        token_type=get("embeddings.token_type_embeddings.weight"),
        embedding_norm=norm("embeddings.LayerNorm"),
        layers=_layers(named, BERT_NAMES),
        heads=heads,
        eps=eps,
        pooling=_pooling(pooling),
    )


def from_mpnet_tensors(
    tensors: Mapping[str, np.ndarray],
    heads: int,
    eps: float = 1e-5,
    pooling: str = "mean",
) -> Bert:
    """A :class:`Bert` from an MPNet model's Hugging Face tensors (with or without an
    ``mpnet.`` prefix): its attention is named ``attn.q/k/v/o``, it has no token types,
    its positions start at :data:`MPNET_FIRST_POSITION`, and one relative-position bias serves
    all layers."""
    named = {key.removeprefix("mpnet."): value for key, value in tensors.items()}
    get, norm = _reader(named)
    word = get("embeddings.word_embeddings.weight")
    return Bert(
        word=word,
        position=get("embeddings.position_embeddings.weight"),
        token_type=np.zeros((1, word.shape[1]), dtype=np.float32),
        embedding_norm=norm("embeddings.LayerNorm"),
        layers=_layers(named, MPNET_NAMES),
        heads=heads,
        eps=eps,
        pooling=_pooling(pooling),
        position_offset=MPNET_FIRST_POSITION,
        relative_bias=get("encoder.relative_attention_bias.weight"),
    )


def _pooling(name: str) -> str:
    if name not in ("mean", "cls"):
        raise ValueError(f"pooling {name!r}: use mean or cls")
    return name


def relative_buckets(length: int, buckets: int, max_distance: int = 128) -> np.ndarray:
    """MPNet's bucket for each (query, key) pair of a ``length``-token text: half the
    buckets for keys before the query, half for keys after; within each half, exact
    distances up to a quarter of the buckets, then logarithmic steps up to ``max_distance``.
    Worked out in float32, as the reference implementation does, so that a distance on a
    bucket's edge falls on the same side."""
    relative = np.arange(length)[None, :] - np.arange(length)[:, None]
    half = buckets // 2
    found = (relative > 0).astype(np.int64) * half
    distance = np.abs(relative)
    exact = half // 2
    logarithmic = np.log(np.maximum(distance, 1).astype(np.float32) / np.float32(exact))
    steps = logarithmic / np.float32(math.log(max_distance / exact)) * np.float32(half - exact)
    far = np.minimum(exact + steps.astype(np.int64), half - 1)
    return np.asarray(found + np.where(distance < exact, distance, far), dtype=np.int64)


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
    positions = model.position.shape[0] - model.position_offset
    if length > positions:
        raise ValueError(f"{length} tokens: the model reads at most {positions}")
    width = model.dimensions
    heads = model.heads
    size = width // heads
    start = model.position_offset
    x = model.word[ids] + model.position[start : start + length][None] + model.token_type[0]
    # Linear layers run on one (batch · tokens, width) matrix and attention on contiguous
    # per-head blocks: NumPy hands both to BLAS, where strided views would fall back to a
    # slow loop.
    x = _layer_norm(x.reshape(batch * length, width), model.embedding_norm, model.eps)
    real = mask.astype(np.float32)
    blocked = ((1.0 - real) * np.float32(-1e9))[:, None, None, :]
    if model.relative_bias is not None:
        by_distance = model.relative_bias[relative_buckets(length, len(model.relative_bias))]
        blocked = blocked + by_distance.transpose(2, 0, 1)[None]
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
