"""The board's suggestions by meaning: an ask that shares no word with a member's offer is
suggested when it means what the offer gives, a decoy that shares a word but not the
meaning ranks below it, each post's vector is stored once (an edit makes a new one), and
without the model the board falls back to shared words, saying why.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise. The real
ONNX model is read once per process (about a second).
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select
from test_board import with_cy
from test_team import (
    clock,  # noqa: F401 (a fixture)
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    team,  # noqa: F401 (a fixture)
)
from test_team import pytestmark as needs_server

from mutuality.services.app import Mutuality
from mutuality.services.matching.encoder_onnx import OnnxEncoder
from mutuality.services.team import TeamService
from mutuality.store.team_tables import BoardPostEmbeddingRow

pytestmark = needs_server

TUTOR = "I can tutor secondary-school maths"
ALGEBRA = "My teenager cannot get his head around quadratic equations"
"""Shares no word with the offer, not even through the synonym table (which folds
"algebra" and "homework" onto the offer's terms)."""
LAWN = "Need someone to mow the lawn"
DECOY = "A lift to the secondary school on Monday mornings"
"""Shares "secondary school" with the offer, and little of its meaning."""


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the model embeds, in order (the real model, counted)."""
    seen: list[str] = []
    real = OnnxEncoder.encode

    def spy(self: OnnxEncoder, texts: Sequence[str], *args: Any, **kwargs: Any) -> np.ndarray:
        seen.extend(texts)
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(OnnxEncoder, "encode", spy)
    return seen


def stored(server: Mutuality) -> dict[int, str]:
    """The board's stored vectors: each post's text hash."""
    with server.database.read() as session:
        return dict(
            session.execute(
                select(BoardPostEmbeddingRow.post_id, BoardPostEmbeddingRow.text_hash)
            ).all()
        )


def test_an_ask_that_shares_no_word_is_suggested_by_meaning_and_the_decoy_ranks_below(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    algebra = board.post(bo.id, "ask", ALGEBRA)
    lawn = board.post(ana.id, "ask", LAWN)
    decoy = board.post(ana.id, "ask", DECOY)
    board.post(cy.id, "offer", TUTOR)

    found = board.suggestions(cy.id)
    assert found.method == "semantic" and found.notes == ()
    ranked = [s.post.id for s in found.items]
    assert ranked[0] == algebra.id and lawn.id not in ranked
    assert ranked.index(decoy.id) > ranked.index(algebra.id)  # above the minimum, below
    first, decoyed = found.items[0], found.items[ranked.index(decoy.id)]
    assert decoyed.matched == ("secondary", "school") and decoyed.score < first.score
    assert first.offer == TUTOR and first.matched == ()
    assert first.score >= team.settings.matching.min_meaning
    assert first.how.startswith("(a") and "in meaning" in first.how
    assert first.reason == f"your offer “{TUTOR}” {first.how}"


def test_an_offer_kept_in_the_ledger_counts_and_is_named_to_its_owner_only(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    algebra = board.post(bo.id, "ask", ALGEBRA)
    board.post(ana.id, "ask", LAWN)
    board.post(cy.id, "offer", "Happy to lend my ladder")
    team.ledger(cy.id).needs.add("offer", "me", TUTOR)

    [first, *_] = board.suggestions(cy.id).items
    assert first.post.id == algebra.id and first.offer == TUTOR
    # the asker's helpers compare only what is on the board: Cy's ledger is never shown
    helpers = board.helpers(bo.id, algebra.id)
    assert TUTOR not in repr(helpers)


def test_the_asker_sees_helpers_by_meaning(team: TeamService) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    board.post(cy.id, "offer", TUTOR)
    board.post(ana.id, "offer", "I can mow lawns on weekends")
    ask = board.post(bo.id, "ask", ALGEBRA)
    found = board.helpers(bo.id, ask.id)
    assert found.method == "semantic"
    assert [h.member for h in found.items] == ["Cy Diaz"]
    assert "in meaning" in found.items[0].how


def test_each_post_is_embedded_once_and_again_when_edited(
    team: TeamService, server: Mutuality, embedded: list[str]
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    algebra = board.post(bo.id, "ask", ALGEBRA)
    lawn = board.post(ana.id, "ask", LAWN)
    offer = board.post(cy.id, "offer", "Happy to lend my ladder")
    assert embedded == [
        f"I need help: {ALGEBRA}",
        f"I need help: {LAWN}",
        "I can help: Happy to lend my ladder",
    ]  # as they were posted: an ask as a need, an offer as an offer
    assert set(stored(server)) == {algebra.id, lawn.id, offer.id}

    board.suggestions(cy.id)
    board.suggestions(cy.id)
    board.helpers(bo.id, algebra.id)
    assert len(embedded) == 3  # read back, never embedded again

    before = stored(server)
    board.edit(cy.id, offer.id, offer.version, text=TUTOR, tags=["maths"])
    assert embedded[3:] == [f"I can help: {TUTOR} maths"]
    assert stored(server)[offer.id] != before[offer.id]
    with server.database.read() as session:
        rows = session.scalar(select(func.count()).select_from(BoardPostEmbeddingRow))
    assert rows == 3  # the edit replaced the post's vector
    [first, *_] = board.suggestions(cy.id).items
    assert first.post.id == algebra.id and first.offer == TUTOR
    assert len(embedded) == 4

    team.remove(ana.id, bo.id)  # his posts go, and their vectors with them
    assert set(stored(server)) == {lawn.id, offer.id}


def test_a_command_leaves_the_embedding_to_the_first_suggestions(
    team: TeamService, server: Mutuality, embedded: list[str]
) -> None:
    _ana, bo, cy = with_cy(team)
    team.embed_on_save = False  # as the command line sets it
    board = team.board
    algebra = board.post(bo.id, "ask", ALGEBRA)
    board.post(cy.id, "offer", TUTOR)
    assert embedded == [] and stored(server) == {}
    assert [s.post.id for s in board.suggestions(cy.id).items] == [algebra.id]
    assert len(embedded) == 2 and len(stored(server)) == 2


def test_a_failed_embedding_never_fails_the_post(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ana, bo, _cy = with_cy(team)

    def broken(*_args: Any, **_kwargs: Any) -> np.ndarray:
        raise RuntimeError("the model fell over")

    monkeypatch.setattr(OnnxEncoder, "encode", broken)
    made = team.board.post(bo.id, "ask", ALGEBRA)
    assert team.board.get(bo.id, made.id).text == ALGEBRA


def test_without_the_model_the_board_matches_by_shared_words_and_says_why(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutuality.services.matching import embeddings, encoder_onnx

    monkeypatch.setattr(encoder_onnx, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embeddings, "missing", lambda: "no torch here")
    monkeypatch.setattr(embeddings, "missing_lite", lambda: "no weights here")
    ana, bo, cy = with_cy(team)
    board = team.board
    algebra = board.post(bo.id, "ask", ALGEBRA)  # posted although nothing can embed it
    decoy = board.post(ana.id, "ask", DECOY)
    board.post(cy.id, "offer", TUTOR)

    found = board.suggestions(cy.id)
    assert found.method == "lexical"
    [note] = found.notes
    assert note.startswith("matched by shared words only: the semantic method cannot run")
    assert [s.post.id for s in found.items] == [decoy.id]  # the words, not the meaning
    assert algebra.id not in [s.post.id for s in found.items]
    [item] = found.items
    assert item.offer is None and item.how.startswith("(matched: ")
    assert item.reason.startswith("your offers (matched: ")

    board.post(ana.id, "offer", "Maths tutoring for secondary-school pupils")
    helpers = board.helpers(bo.id, algebra.id)
    assert helpers.method == "lexical" and helpers.items == [] and helpers.notes
