"""Matching on the community's board: asks against offers by meaning, as ``mutuality match``
compares a ledger's needs and offers, falling back to shared words (saying why) where the
model cannot load (:func:`~mutuality.services.matching.service.auto`, the same rule).

A post is embedded as a ledger's need or offer is: its text with its tags, phrased as a need
(an ask) or an offer (:func:`~mutuality.services.matching.embeddings.compared`), once per
text and model, and kept in the community's registry (``board_post_embeddings``); an edit
makes a new one. The web app embeds a post as it is posted or edited, best effort (a post is
never lost to its embedding); otherwise it is embedded the first time it is compared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from mutuality.core.matching.explain import how_matched, matched_words
from mutuality.core.matching.semantic import DIMENSIONS, from_bytes, text_hash, to_bytes
from mutuality.core.matching.weights import Weights
from mutuality.core.needs import Wish
from mutuality.services.context import utc_now
from mutuality.services.matching.embeddings import (
    EmbeddingStore,
    VectorStore,
    compared,
    configured_encoder,
)
from mutuality.store.database import Database
from mutuality.store.team_tables import BoardPostEmbeddingRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PostText:
    """What of a post is compared: its text and tags, as an ask or an offer."""

    id: int
    ask: bool
    text: str
    tags: tuple[str, ...]

    @property
    def words(self) -> str:
        """The text with its tags, as the shared words are found in it."""
        return " ".join([self.text, *self.tags])

    @property
    def embedded(self) -> str:
        """The text as it is embedded: phrased as a need (an ask) or an offer."""
        return compared(self.text, self.tags, self.ask)


class BoardEmbeddings(VectorStore):
    """The vectors of board posts, one per post and model, computed once per text."""

    def missing(self, posts: Sequence[PostText]) -> list[PostText]:
        """Those of ``posts`` with no stored vector of their current text, in order."""
        if not posts:
            return []
        with self._db.read() as session:
            stored = dict(
                session.execute(
                    select(BoardPostEmbeddingRow.post_id, BoardPostEmbeddingRow.text_hash).where(
                        BoardPostEmbeddingRow.post_id.in_([p.id for p in posts]),
                        BoardPostEmbeddingRow.model == self.encoder.model_name,
                    )
                ).all()
            )
        return [p for p in posts if stored.get(p.id) != text_hash(p.embedded)]

    def embed(self, posts: Sequence[PostText]) -> int:
        """Embed and store those of ``posts`` not embedded as they read now; how many."""
        todo = self.missing(posts)
        if not todo:
            return 0
        vectors = self.encoder.encode([p.embedded for p in todo])
        model = self.encoder.model_name
        with self._db.write() as session:
            kept = {
                row.post_id: row
                for row in session.scalars(
                    select(BoardPostEmbeddingRow).where(
                        BoardPostEmbeddingRow.post_id.in_([p.id for p in todo]),
                        BoardPostEmbeddingRow.model == model,
                    )
                )
            }
            for post, vector in zip(todo, vectors, strict=True):
                row = kept.get(post.id)
                if row is None:
                    row = BoardPostEmbeddingRow(post_id=post.id, model=model)
                    session.add(row)
                row.text_hash = text_hash(post.embedded)
                row.dim = int(vector.shape[0])
                row.vector = to_bytes(vector)
                row.created_at = self._now()
        return len(todo)

    def embed_saved(self, posts: Sequence[PostText]) -> bool:
        """Embed just-posted or edited posts so that no page view has to: best effort, since
        a post must never be lost to its embedding (it is then embedded on first use)."""
        try:
            self.embed(posts)
        except Exception as error:  # the write stands whatever the model does
            log.info("embedding of the board post left for later: %s", error)
            return False
        return True

    def vectors(self, posts: Sequence[PostText]) -> np.ndarray:
        """The stored vectors of ``posts``, one row each (missing ones embedded first)."""
        self.embed(posts)
        found: dict[int, np.ndarray] = {}
        if posts:
            with self._db.read() as session:
                for post_id, data, dim in session.execute(
                    select(
                        BoardPostEmbeddingRow.post_id,
                        BoardPostEmbeddingRow.vector,
                        BoardPostEmbeddingRow.dim,
                    ).where(
                        BoardPostEmbeddingRow.post_id.in_([p.id for p in posts]),
                        BoardPostEmbeddingRow.model == self.encoder.model_name,
                    )
                ):
                    found[post_id] = from_bytes(data, dim)
        dim = next(iter(found.values())).shape[0] if found else DIMENSIONS
        matrix = np.zeros((len(posts), dim), dtype=np.float32)
        for row, post in enumerate(posts):
            if post.id in found:
                matrix[row] = found[post.id]
        return matrix


@dataclass(frozen=True, slots=True)
class Close:
    """One item that matched, and how: ``item`` is the ask (for an offer's suggestions) or
    the offer (for an ask's helpers), ``offer`` the one of the member's offers an ask
    matched best by meaning (``None`` by shared words, where all their offers count at once)."""

    item: int
    score: float
    matched: tuple[str, ...]
    """The words the two share (cited where there are some)."""
    how: str
    """How it matched, in the words of a match's reason: "(a close match in meaning)", "(a
    loose match in meaning, worth checking)", "(matched: algebra, homework)"."""
    offer: int | None = None


@dataclass(frozen=True, slots=True)
class Compared:
    found: list[Close]
    """Best first; only those above the method's minimum."""
    method: str | None = None
    """``semantic`` or ``lexical``; ``None`` when there was nothing to compare."""
    notes: tuple[str, ...] = ()
    """Why the words were used instead of the meaning, where they were."""


class BoardMatcher:
    """Asks against offers on the board, by ``auto``: meaning where the model loads, with
    the minimum similarity of ``[matching]`` (``min_meaning``), else shared words."""

    def __init__(
        self, database: Database, weights: Weights, now: Callable[[], datetime] = utc_now
    ) -> None:
        self.weights = weights
        self.embeddings = BoardEmbeddings(database, configured_encoder(weights.model), now)

    def asks_for(
        self,
        asks: Sequence[PostText],
        offers: Sequence[PostText],
        ledger_offers: Sequence[Wish] = (),
        ledger_store: EmbeddingStore | None = None,
    ) -> Compared:
        """The asks a member could help with: by meaning, each ask's best cosine against any
        one of their offers (on the board, and ``ledger_offers`` with their vectors from
        ``ledger_store``, their own ledger's); by shared words, all their offers as one."""
        from mutuality.core.matching.vectors import Lexical
        from mutuality.services.matching.service import auto

        if ledger_offers and ledger_store is None:
            raise ValueError("a ledger's offers are compared with that ledger's vectors")
        texts = [o.words for o in offers] + [" ".join([w.text, *w.tags]) for w in ledger_offers]
        if not asks or not texts:
            return Compared([])

        def by_meaning() -> list[Close]:
            ask_vectors = self.embeddings.vectors(asks)
            mine = [self.embeddings.vectors(offers)] if offers else []
            if ledger_offers and ledger_store is not None:
                mine.append(ledger_store.vectors([], ledger_offers)[1])
            sims = ask_vectors @ np.vstack(mine).T
            best = sims.argmax(axis=1)
            scores = sims[np.arange(len(asks)), best]
            return [
                _close(i, scores[i], asks[i].words, texts[best[i]], True, int(best[i]))
                for i in _ranked(scores, scores >= self.weights.min_meaning)
            ]

        def by_words() -> list[Close]:
            profile = " ".join(texts)
            need_rows, offer_rows = Lexical().vectors([a.words for a in asks], [profile])
            scores = (need_rows @ offer_rows.T).toarray().ravel()
            return [
                _close(i, scores[i], asks[i].words, profile, False)
                for i in _ranked(scores, scores > 0)
            ]

        notes: list[str] = []
        method, found = auto(by_meaning, by_words, notes)
        return Compared(found, method, tuple(notes))

    def offers_for(self, ask: PostText, offers: Sequence[PostText]) -> Compared:
        """The offers that match ``ask``, best first: by meaning where the model loads, else
        by shared words."""
        from mutuality.core.matching.vectors import Lexical
        from mutuality.services.matching.service import auto

        if not offers:
            return Compared([])

        def by_meaning() -> list[Close]:
            scores = self.embeddings.vectors(offers) @ self.embeddings.vectors([ask])[0]
            return [
                _close(i, scores[i], ask.words, offers[i].words, True)
                for i in _ranked(scores, scores >= self.weights.min_meaning)
            ]

        def by_words() -> list[Close]:
            need_rows, offer_rows = Lexical().vectors([ask.words], [o.words for o in offers])
            scores = (need_rows @ offer_rows.T).toarray().ravel()
            return [
                _close(i, scores[i], ask.words, offers[i].words, False)
                for i in _ranked(scores, scores > 0)
            ]

        notes: list[str] = []
        method, found = auto(by_meaning, by_words, notes)
        return Compared(found, method, tuple(notes))


def _close(
    item: int, score: float, ask: str, offer: str, semantic: bool, best: int | None = None
) -> Close:
    """How ``ask`` and ``offer`` matched, in the words of a match's reason."""
    words = matched_words(ask, offer)
    return Close(
        item, round(float(score), 3), words, how_matched(words, semantic, score).strip(), best
    )


def _ranked(scores: np.ndarray, keep: np.ndarray) -> list[int]:
    """The indices kept, best first (the earlier one first on a tie)."""
    return sorted((int(i) for i in np.flatnonzero(keep)), key=lambda i: (-scores[i], i))
