"""The match score's weights (core/matching/weights.py) and the config file's ``[matching]``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import open_app, populate
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import BadFile, InvalidInput
from mutuality.core.matching.scoring import PeopleFacts, score
from mutuality.core.matching.weights import LIMITS, Weights
from mutuality.services.settings import Settings, load_settings

# Seeker 2 needs something; helper 3 offers it in closer words, helper 4 is my close tie.
NEED_PERSON = np.array([2])
OFFER_PERSON = np.array([3, 4])
FACTS = PeopleFacts(
    ids=np.array([1, 2, 3, 4]),
    tie=np.array([1.0, 1.0, 0.1, 1.0]),
    free=np.array([3, 2, 2, 2]),
    asked=np.array([0.0, 0.0, 0.0, 2.0]),
    challenge=np.zeros(4, dtype=bool),
    busy=np.zeros(4, dtype=bool),
)


def _best_helper(weights: Weights, asked: np.ndarray | None = None) -> int:
    facts = (
        FACTS
        if asked is None
        else PeopleFacts(FACTS.ids, FACTS.tie, FACTS.free, asked, FACTS.challenge, FACTS.busy)
    )
    scored = score(
        np.array([0, 0]),
        np.array([0, 1]),
        np.array([0.6, 0.5]),
        NEED_PERSON,
        OFFER_PERSON,
        1,
        facts,
        np.zeros(0, np.int64),
        weights,
    )
    return int(scored.helper[np.argmax(scored.score)])


def test_weights_move_the_ranking_the_way_they_say() -> None:
    no_history = np.zeros(4)
    # By default my strong tie to 4 outweighs 3's closer words.
    assert _best_helper(Weights(), no_history) == 4
    # Ties not counted: the closer words win.
    assert _best_helper(Weights(tie=0.0), no_history) == 3
    # Similarity cubed: the texts count more than the people.
    assert _best_helper(Weights(similarity=3.0), no_history) == 3
    # 4 was asked twice lately: fairness hands the ask to 3, unless fairness is off.
    assert _best_helper(Weights()) == 3
    assert _best_helper(Weights(fairness=0.0)) == 4


def test_the_similarity_exponent_of_one_is_the_plain_similarity() -> None:
    plain = score(
        np.array([0]),
        np.array([0]),
        np.array([0.4]),
        NEED_PERSON,
        OFFER_PERSON,
        1,
        FACTS,
        np.zeros(0, np.int64),
        Weights(tie=0, capacity=0, fairness=0),
    )
    assert plain.score[0] == pytest.approx(0.4)
    squared = score(
        np.array([0]),
        np.array([0]),
        np.array([0.4]),
        NEED_PERSON,
        OFFER_PERSON,
        1,
        FACTS,
        np.zeros(0, np.int64),
        Weights(similarity=2, tie=0, capacity=0, fairness=0),
    )
    assert squared.score[0] == pytest.approx(0.16)


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_every_weight_is_refused_outside_its_range(name: str) -> None:
    low, high = LIMITS[name]
    whole = isinstance(getattr(Weights(), name), int)
    for bad in (low - 1 if whole else low - 0.01, high + 1 if whole else high + 0.5):
        with pytest.raises(InvalidInput, match=f"{name} must be from") as caught:
            Weights(**{name: bad})
        assert caught.value.field == name and caught.value.value == bad
    Weights(**{name: low})
    Weights(**{name: high})


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_sets_the_weights(tmp_path: Path) -> None:
    path = _config(tmp_path, "[matching]\ntie = 0\nsimilarity = 2\ncandidates = 20\n")
    assert load_settings(path).matching == Weights(tie=0.0, similarity=2.0, candidates=20)
    assert load_settings(_config(tmp_path, "")).matching == Weights()


@pytest.mark.parametrize(
    ("content", "key", "needle"),
    [
        ("[matching]\ntie = 1.5\n", "matching.tie", "tie must be from 0 to 1, got 1.5"),
        ("[matching]\nsimilarity = 0\n", "matching.similarity", "similarity must be from 0.1"),
        ("[matching]\nfairness = -1\n", "matching.fairness", "fairness must be from 0 to 10"),
        ("[matching]\ncandidates = 2.5\n", "matching.candidates", "must be a whole number"),
        ("[matching]\nhelper_slots = 0\n", "matching.helper_slots", "from 1 to 100, got 0"),
        ('[matching]\ntwo_way = "high"\n', "matching.two_way", "must be a number"),
        ("[matching]\nweight = 1\n", "matching.weight", "unknown setting matching.weight"),
        ("matching = 3\n", "matching", "[matching] must be a table"),
    ],
)
def test_bad_matching_settings_name_the_file_the_key_and_the_value(
    tmp_path: Path, content: str, key: str, needle: str
) -> None:
    path = _config(tmp_path, content)
    with pytest.raises(BadFile) as caught:
        load_settings(path)
    assert needle in caught.value.message
    assert caught.value.field == key and caught.value.location == str(path)


def _network(path: Path, weights: Weights):
    app = populate(open_app(path, Settings(matching=weights)))
    # Ana is my friend with exchanges both ways; Dana I have never exchanged with.
    app.needs.add("need", "bo", "Feedback on my pitch deck for investors and a demo day rehearsal")
    app.needs.add("offer", "ana", "Feedback on pitch decks, investors and demo days")
    app.needs.add("offer", "dana", "Feedback on pitch decks for investors and a demo day rehearsal")
    return app


def test_match_uses_the_configured_weights(tmp_path: Path) -> None:
    with _network(tmp_path / "default.db", Weights()) as app:
        [default] = app.matching.match().introductions
    with _network(tmp_path / "text.db", Weights(tie=0.0)) as app:
        [text_only] = app.matching.match().introductions
    assert default.helper == "Ana Lima"  # my tie to Ana outweighs Dana's closer words
    assert text_only.helper == "Dana Smith"


def test_the_cli_refuses_a_bad_matching_setting(tmp_path: Path) -> None:
    config = _config(tmp_path, "[matching]\ncapacity = 2\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "match"], env={"MUTUALITY_CONFIG": str(config)}
    )
    assert result.exit_code == 2
    assert "matching.capacity must be from 0 to 1, got 2" in result.output
    assert str(config) in result.output
