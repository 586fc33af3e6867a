"""Stored embeddings of needs and offers: computed once per text, never again while the
text is unchanged, read by matching.

Embedding is slow (about 200 sentences a second on two cores), so :meth:`EmbeddingStore.embed`
works in batches, each written in its own transaction: an interrupted run keeps what it
finished and the next run carries on from there. An embedding is stored against a hash of
the exact text compared (text and tags); editing either makes a new one.

The encoder is the int8 ONNX model of the default install
(:mod:`mutuality.services.matching.encoder_onnx`); where it is missing, sentence-transformers
(torch) or the NumPy encoder (:mod:`mutuality.services.matching.encoder_numpy`), which give the
same float32 vectors, so vectors stored by one are read by the other. Vectors are filed
under the encoder's model name: the int8 model's, the float32 model's and a model of one's
own (a local folder) never mix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mutuality.core.matching.semantic import (
    DIMENSIONS,
    Encoder,
    from_bytes,
    missing,
    phrased,
    text_hash,
    to_bytes,
)
from mutuality.core.needs import Wish, WishKind
from mutuality.services.context import utc_now
from mutuality.services.matching.encoder_numpy import NumpyEncoder, missing_lite
from mutuality.services.matching.encoder_onnx import OnnxEncoder, missing_onnx
from mutuality.store.database import Database
from mutuality.store.tables import NeedRow, OfferRow, TextEmbeddingRow

BATCH = 256
"""Texts per batch and per transaction: about a second or two of work each."""

Progress = Callable[[int], None]
SomeEncoder = Encoder | NumpyEncoder | OnnxEncoder


@dataclass(frozen=True, slots=True)
class EmbedReport:
    model: str
    computed: int
    reused: int


def compared(text: str, tags: Sequence[str], need: bool) -> str:
    """What is embedded: the text with its tags, phrased as a need or an offer (a ledger's
    need or offer, and a board's ask or offer, alike)."""
    return phrased(" ".join([text, *tags]), need)


def compared_text(wish: Wish) -> str:
    return compared(wish.text, wish.tags, wish.kind is WishKind.NEED)


def default_encoder(model: Path | None = None) -> SomeEncoder:
    """The encoder to use here: a model folder of one's own runs on NumPy; otherwise the
    int8 ONNX model of the default install; where it is missing, the float32 model on torch
    when sentence-transformers is installed, else on NumPy (no torch); with none of them,
    the ONNX encoder, whose error says what is missing."""
    if model is not None:
        return NumpyEncoder(model)
    if missing_onnx() is None:
        return OnnxEncoder()
    if missing() is None:
        return Encoder()
    if missing_lite() is None:
        return NumpyEncoder()
    return OnnxEncoder()


def configured_encoder(model: str) -> SomeEncoder | None:
    """The encoder the ``[matching]`` setting ``model`` names (a model folder of one's own),
    or ``None`` where it names none: then :func:`default_encoder`, chosen on first use."""
    return default_encoder(Path(model).expanduser()) if model else None


class VectorStore:
    """Vectors of texts kept in the database, computed by one encoder: the one given, else
    :func:`default_encoder`, chosen on first use (nothing is loaded on start-up)."""

    def __init__(
        self,
        database: Database,
        encoder: SomeEncoder | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = database
        self._encoder = encoder
        self._now = now

    @property
    def encoder(self) -> SomeEncoder:
        if self._encoder is None:
            self._encoder = default_encoder()
        return self._encoder


class EmbeddingStore(VectorStore):
    """A ledger's needs and offers."""

    def embed(
        self, wishes: Sequence[Wish] | None = None, progress: Progress | None = None
    ) -> EmbedReport:
        """Embed every open need and offer (or ``wishes``) that has no current embedding."""
        if wishes is None:
            wishes = self._open_wishes()
        todo = self.missing(wishes)
        if progress is not None and len(wishes) > len(todo):
            progress(len(wishes) - len(todo))
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            self.store(batch, self.encoder.encode([compared_text(w) for w in batch]))
            if progress is not None:
                progress(len(batch))
        return EmbedReport(self.encoder.model_name, len(todo), len(wishes) - len(todo))

    def missing(self, wishes: Sequence[Wish]) -> list[Wish]:
        """Those of ``wishes`` with no stored vector of their current text, in order."""
        with self._db.read() as session:
            stored = self._hashes(session, wishes)
        return [w for w in wishes if stored.get((w.kind, w.id)) != text_hash(compared_text(w))]

    def store(self, wishes: Sequence[Wish], vectors: np.ndarray) -> None:
        """Store ``vectors`` (one row per wish, computed elsewhere by this store's model, as
        on a cluster's workers) in one transaction."""
        with self._db.write() as session:
            for wish, vector in zip(wishes, vectors, strict=True):
                self._store(session, wish, vector)

    def vectors(
        self, needs: Sequence[Wish], offers: Sequence[Wish]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Stored vectors of ``needs`` and ``offers`` (missing ones embedded and stored first)."""
        self.embed([*needs, *offers])
        with self._db.read() as session:
            need_vectors = self._load(session, needs)
            offer_vectors = self._load(session, offers)
        return need_vectors, offer_vectors

    def count(self) -> int:
        """How many vectors of this store's model are stored."""
        with self._db.read() as session:
            return len(
                session.scalars(
                    select(TextEmbeddingRow.id).where(
                        TextEmbeddingRow.model == self.encoder.model_name
                    )
                ).all()
            )

    # --- helpers -----------------------------------------------------------------------------

    def _open_wishes(self) -> list[Wish]:
        from mutuality.services.needs import WishRow, wish_record

        tables: tuple[type[NeedRow] | type[OfferRow], ...] = (NeedRow, OfferRow)
        found: list[Wish] = []
        with self._db.read() as session:
            for table in tables:
                query: Select[WishRow] = select(table)
                rows = session.scalars(query.where(table.status == "open"))
                found += [wish_record(row) for row in rows]
        return found

    @staticmethod
    def _column(kind: WishKind) -> InstrumentedAttribute[int | None]:
        return TextEmbeddingRow.need_id if kind is WishKind.NEED else TextEmbeddingRow.offer_id

    def _hashes(self, session: Session, wishes: Sequence[Wish]) -> dict[tuple[WishKind, int], str]:
        found: dict[tuple[WishKind, int], str] = {}
        for kind in WishKind:
            ids = [w.id for w in wishes if w.kind is kind]
            column = self._column(kind)
            for start in range(0, len(ids), 500):
                rows = session.execute(
                    select(column, TextEmbeddingRow.text_hash).where(
                        column.in_(ids[start : start + 500]),
                        TextEmbeddingRow.model == self.encoder.model_name,
                    )
                )
                found.update({(kind, item): digest for item, digest in rows if item is not None})
        return found

    def _store(self, session: Session, wish: Wish, vector: np.ndarray) -> None:
        column = self._column(wish.kind)
        row = session.scalars(
            select(TextEmbeddingRow).where(
                column == wish.id,
                TextEmbeddingRow.model == self.encoder.model_name,
            )
        ).first()
        if row is None:
            row = TextEmbeddingRow(model=self.encoder.model_name)
            if wish.kind is WishKind.NEED:
                row.need_id = wish.id
            else:
                row.offer_id = wish.id
            session.add(row)
        row.text_hash = text_hash(compared_text(wish))
        row.dim = int(vector.shape[0])
        row.vector = to_bytes(vector)
        row.created_at = self._now()

    def _load(self, session: Session, wishes: Sequence[Wish]) -> np.ndarray:
        found: dict[int, np.ndarray] = {}
        for kind in WishKind:
            rows = {w.id: i for i, w in enumerate(wishes) if w.kind is kind}
            column = self._column(kind)
            ids = list(rows)
            for start in range(0, len(ids), 500):
                for item, data, dim in session.execute(
                    select(column, TextEmbeddingRow.vector, TextEmbeddingRow.dim).where(
                        column.in_(ids[start : start + 500]),
                        TextEmbeddingRow.model == self.encoder.model_name,
                    )
                ):
                    if item is not None:
                        found[rows[item]] = from_bytes(data, dim)
        dim = next(iter(found.values())).shape[0] if found else DIMENSIONS
        matrix = np.zeros((len(wishes), dim), dtype=np.float32)
        for row, vector in found.items():
            matrix[row] = vector
        return matrix
