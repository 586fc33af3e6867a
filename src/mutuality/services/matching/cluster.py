"""Matching at organisation scale: the semantic pipeline with its two heavy stages spread
over workers, on a Ray cluster (the ``mutuality[cluster]`` extra) or in this process.

1. **Embedding** the texts that have no stored vector: in batches of
   :data:`~.embeddings.BATCH` texts, the batches the single-machine path would embed, each
   on a worker running the same encoder (Ray Data), each stored as it comes back, in its
   own transaction: a run cut short keeps what it stored.
2. **The candidate search**, sharded by offers (:mod:`mutuality.core.matching.shards`):
   each shard is a task running the same exact top-k; a finished shard's lists are
   recorded in a folder (:class:`ShardRecords`), so a run started again after a lost
   worker or driver skips them; within a run, Ray retries a task whose worker died.
3. The merge, scoring and the assignment: the core functions, here, as in
   :meth:`.service.MatchingService.match`, so both paths give the same report as the exact
   single-machine search (``match --exact``).

Where the stages run is :mod:`.workers` (in this process, or on Ray, imported only there).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import numpy as np

from mutuality.core.matching.pipeline import run
from mutuality.core.matching.scoring import Question, Scored
from mutuality.core.matching.semantic import text_hash
from mutuality.core.matching.shards import (
    Found,
    Shard,
    merge,
    search_for,
    split,
    width,
)
from mutuality.core.needs import Wish
from mutuality.services.matching.embeddings import (
    BATCH,
    EmbeddingStore,
    SomeEncoder,
    compared_text,
)
from mutuality.services.matching.results import listed, write_matches
from mutuality.services.matching.service import Loaded, Match, MatchingService, MatchReport
from mutuality.services.matching.workers import (
    ClusterFailed,
    ClusterUnavailable,
    Executor,
    InProcess,
    OnRay,
    connect,
    disconnect,
)
from mutuality.store.files import atomic_text_file

__all__ = [
    "SHARD_OFFERS",
    "ClusterFailed",
    "ClusterReport",
    "ClusterUnavailable",
    "InProcess",
    "OnRay",
    "ShardRecords",
    "connect",
    "default_records",
    "disconnect",
    "embed_missing",
    "match_on_cluster",
    "sharded_search",
]
"""The Python API: connect (or InProcess), then match_on_cluster; the executors and their
errors live in :mod:`.workers`."""

SHARD_OFFERS = 10_000
"""Offers per shard by default: at 300,000 needs one shard is about 30 CPU seconds (measured),
small enough to lose little with a worker, and the shards stay the same whatever the
number of workers, so a run resumed on another cluster still finds its records."""

# --- resumable shards -----------------------------------------------------------------------


def default_records() -> Path:
    """Where finished shards are kept between runs: the user's cache folder."""
    from platformdirs import user_cache_path

    return user_cache_path("mutuality", appauthor=False) / "shards"


def run_key(
    needs: np.ndarray, offers: np.ndarray, shards: Sequence[Shard], k: int, floor: float
) -> str:
    """What a shard's lists depend on: the vectors, the cut, ``k`` and the floor."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (needs, offers):
        digest.update(str(part.shape).encode())
        digest.update(np.ascontiguousarray(part, dtype=np.float32).data)
    digest.update(repr([(s.start, s.stop) for s in shards]).encode())
    digest.update(f"{k} {floor!r}".encode())
    return digest.hexdigest()


class ShardRecords:
    """Finished shards of one run, a file each (written whole, then renamed into place)."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder.expanduser() / key

    def _file(self, number: int) -> Path:
        return self.folder / f"shard-{number:05d}.npz"

    def done(self) -> set[int]:
        if not self.folder.is_dir():
            return set()
        return {int(p.stem.split("-")[1]) for p in self.folder.glob("shard-*.npz")}

    def load(self, number: int) -> Found:
        with np.load(self._file(number)) as data:
            return data["indices"], data["scores"]

    def save(self, number: int, found: Found) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".shard-", suffix=".npz", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, indices=found[0], scores=found[1])
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._file(number))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """The match report, and what the run did to get it."""

    report: MatchReport
    embedded: int
    shards: int
    resumed: int
    """Shards found finished by an earlier run and not searched again."""
    workers: int
    written: int | None = None
    """Matches written to the output file (``None``: none asked for)."""


class _Computed:
    """Vectors computed elsewhere, handed to :class:`EmbeddingStore` to store as its own."""

    def __init__(self, model_name: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.model_name = model_name
        self._vectors = dict(zip(texts, vectors, strict=True))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32)


def embed_missing(
    service: MatchingService,
    executor: Executor,
    wishes: Sequence[Wish],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed the ``wishes`` without a current stored vector on the executor's workers, in
    the batches the single-machine path would use, each stored in its own transaction as
    it comes back. Returns how many were embedded."""
    store = service.embeddings
    database = service._db
    with database.read() as session:
        stored = store._hashes(session, wishes)
    todo = [w for w in wishes if stored.get((w.kind, w.id)) != text_hash(compared_text(w))]
    if progress is not None and len(wishes) > len(todo):
        progress(len(wishes) - len(todo))
    batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
    texts = [[compared_text(w) for w in batch] for batch in batches]
    model_name = store.encoder.model_name
    for number, vectors in executor.embed(service.weights.model, texts):
        done = cast(SomeEncoder, _Computed(model_name, texts[number], vectors))
        EmbeddingStore(database, done, now=service._now).embed(batches[number])
        if progress is not None:
            progress(len(batches[number]))
    return len(todo)


def sharded_search(
    executor: Executor,
    needs: np.ndarray,
    offers: np.ndarray,
    k: int,
    floor: float,
    records: Path,
    shard_offers: int = SHARD_OFFERS,
) -> tuple[Found, int, int]:
    """The sharded search, resumable: shards recorded by an earlier run of the same inputs
    are read back, the rest searched and recorded as each finishes, and the records are
    removed once the lists are merged. Returns the lists, the shard count and how many
    were resumed."""
    search, align = search_for(offers)
    shards = split(offers.shape[0], max(1, -(-offers.shape[0] // shard_offers)), align)
    kept = ShardRecords(records, run_key(needs, offers, shards, k, floor))
    done = kept.done() & {s.number for s in shards}
    merged = merge([kept.load(n) for n in sorted(done)], k, needs.shape[0])
    todo = [s for s in shards if s.number not in done]
    for shard, found in executor.search(needs, offers, todo, k, floor, search):
        kept.save(shard.number, found)
        merged = merge([merged, found], k)
    kept.clear()
    return merged, len(shards), len(done)


def match_on_cluster(
    service: MatchingService,
    executor: Executor,
    records: Path,
    *,
    limit: int = 10,
    assignment: str = "exact",
    shard_offers: int = SHARD_OFFERS,
    progress: Callable[[int], None] | None = None,
    output: Path | None = None,
) -> ClusterReport:
    """The semantic match report, its embedding and search on ``executor``: the same
    report as ``service.match("semantic", approximate=False)``; with ``output``, every
    chosen match is written there too (:func:`.results.write_matches`)."""
    inputs = _read(service)
    loaded, owner, facts, excluded, notes, strained = inputs
    weights = replace(service.weights, min_similarity=service.weights.min_meaning)
    if not loaded.needs or not loaded.offers:
        empty = service.match("semantic", limit=limit, approximate=False, assignment=assignment)
        if output is not None:
            with atomic_text_file(output):
                pass  # no needs or no offers: no match, an empty file
        return ClusterReport(empty, 0, 0, 0, executor.workers, 0 if output else None)
    embedded = embed_missing(service, executor, [*loaded.needs, *loaded.offers], progress)
    need_vectors, offer_vectors = service.embeddings.vectors(loaded.needs, loaded.offers)
    (indices, sims), shards, resumed = sharded_search(
        executor,
        need_vectors,
        offer_vectors,
        width(weights),
        weights.min_similarity,
        records,
        shard_offers,
    )
    plan = run(
        indices,
        sims,
        np.array([w.person_id for w in loaded.needs], dtype=np.int64),
        np.array([w.person_id for w in loaded.offers], dtype=np.int64),
        owner,
        facts,
        excluded,
        weights,
        assignment=assignment,
    )
    if strained:
        notes.append("your capacity is at risk or over: your offers are left out for now")
    groups = _groups(service, loaded, plan.scored, plan.chosen, limit)
    report = MatchReport(
        "semantic",
        len(loaded.needs),
        len(loaded.offers),
        plan.candidates,
        len(plan.scored),
        int(plan.chosen.sum()),
        groups[Question.HELP_ME],
        groups[Question.I_HELP],
        groups[Question.INTRODUCE],
        notes,
    )
    written = None
    if output is not None:
        written = write_matches(output, loaded.needs, loaded.offers, plan.scored, plan.chosen)
    return ClusterReport(report, embedded, shards, resumed, executor.workers, written)


def _read(service: MatchingService) -> tuple[Loaded, int, Any, np.ndarray, list[str], bool]:
    """The matching service's one read: needs, offers, people facts, excluded pairs."""
    health = {item.person.id: item.health for item in service._health.relationships()}
    with service._db.read() as session:
        owner = service._people.owner_id(session)
        loaded = service._load(session)
        facts, notes = service._facts(session, loaded, owner, health)
        excluded = service._excluded_pairs(session)
        strained = service._capacity.measure(session).strained
    return loaded, owner, facts, excluded, notes, strained


def _groups(
    service: MatchingService, loaded: Loaded, scored: Scored, chosen: np.ndarray, limit: int
) -> dict[Question, list[Match]]:
    """The first ``limit`` listed matches of each question, as the service shows them."""
    groups: dict[Question, list[Match]] = {q: [] for q in Question}
    for edge in listed(scored, chosen):
        question = Question(int(scored.question[edge]))
        if len(groups[question]) < limit:
            groups[question].append(service._match(loaded, scored, edge))
    return groups
