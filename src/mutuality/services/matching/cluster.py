"""Matching at organisation scale: the semantic pipeline with its two heavy stages spread
over workers, on a Ray cluster (the ``mutuality[cluster]`` extra) or in this process.

1. **Embedding** the texts that have no stored vector: in batches of
   :data:`~.embeddings.BATCH` texts, the batches the single-machine path would embed, each
   on a worker running the same encoder (Ray Data), each stored as it comes back, in its
   own transaction: a run cut short keeps what it stored.
2. **The candidate search**, sharded by offers (:mod:`mutuality.core.matching.shards`):
   each shard is a task running the same exact top-k; a finished shard's lists are
   recorded as it comes back, in a folder (:class:`ShardRecords`) or, for a saved run, in
   the database (:mod:`.runs`), so a run started again after a lost worker or driver skips
   them; within a run, Ray retries a task whose worker died.
3. The merge, scoring and the assignment: the core functions, here, from the matching
   service's own inputs and report (:meth:`.service.MatchingService.inputs`,
   :meth:`~.service.MatchingService.report`), so both paths give the same report as the
   exact single-machine search (``match --exact``). A saved run's plan is written to the
   database in batches (:meth:`.runs.MatchRuns.write_plan`).

Where the stages run is :mod:`.workers` (in this process, or on Ray, imported only there).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from mutuality.core.matching.pipeline import run
from mutuality.core.matching.shards import (
    Found,
    Shard,
    merge,
    search_for,
    split,
    width,
)
from mutuality.core.needs import Wish
from mutuality.services.matching.embeddings import BATCH, compared_text
from mutuality.services.matching.results import plan_rows, write_matches
from mutuality.services.matching.service import MatchingService, MatchReport
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
    "Kept",
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


class Kept(Protocol):
    """Where a run's finished shards are kept: a folder (:class:`ShardRecords`) or the
    database (:class:`.runs.RunShards`)."""

    def done(self) -> set[int]: ...

    def load(self, number: int) -> Found: ...

    def save(self, number: int, found: Found) -> None: ...

    def clear(self) -> None: ...


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
    run_id: int | None = None
    """The saved run (``save``): ``match run ID`` reads it back."""


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
    todo = store.missing(wishes)
    if progress is not None and len(wishes) > len(todo):
        progress(len(wishes) - len(todo))
    batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
    texts = [[compared_text(w) for w in batch] for batch in batches]
    for number, vectors in executor.embed(service.weights.model, texts):
        store.store(batches[number], vectors)
        if progress is not None:
            progress(len(batches[number]))
    return len(todo)


def sharded_search(
    executor: Executor,
    needs: np.ndarray,
    offers: np.ndarray,
    k: int,
    floor: float,
    records: Path | Callable[[str, int], Kept],
    shard_offers: int = SHARD_OFFERS,
) -> tuple[Found, int, int]:
    """The sharded search, resumable: shards recorded by an earlier run of the same inputs
    are read back, the rest searched and recorded as each finishes, and the records are
    cleared once the lists are merged. ``records`` is a folder (:class:`ShardRecords`), or
    what gives the records of a run from its key and shard count (a saved run's, in the
    database: :meth:`.runs.MatchRuns.shards`). Returns the lists, the shard count and how
    many were resumed."""
    search, align = search_for(offers)
    shards = split(offers.shape[0], max(1, -(-offers.shape[0] // shard_offers)), align)
    key = run_key(needs, offers, shards, k, floor)
    kept = ShardRecords(records, key) if isinstance(records, Path) else records(key, len(shards))
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
    records: Path | None = None,
    *,
    limit: int = 10,
    assignment: str = "exact",
    shard_offers: int = SHARD_OFFERS,
    progress: Callable[[int], None] | None = None,
    output: Path | None = None,
    save: bool = False,
) -> ClusterReport:
    """The semantic match report, its embedding and search on ``executor``: the same
    report as ``service.match("semantic", approximate=False)``. Finished shards are kept in
    ``records`` (a folder; :func:`default_records` when not given) or, with ``save``, in the
    database as part of a saved run (:mod:`.runs`), whose plan is then written there too;
    with ``output``, every chosen match is written to that file (:mod:`.results`)."""
    given = service.inputs()
    loaded = given.loaded
    weights = service.weights_for("semantic")
    if not loaded.needs or not loaded.offers:
        empty = service.match("semantic", limit=limit, approximate=False, assignment=assignment)
        if output is not None:
            with atomic_text_file(output):
                pass  # no needs or no offers: no match, an empty file
        return ClusterReport(empty, 0, 0, 0, executor.workers, 0 if output else None)
    embedded = embed_missing(service, executor, [*loaded.needs, *loaded.offers], progress)
    need_vectors, offer_vectors = service.embeddings.vectors(loaded.needs, loaded.offers)
    run_id: int | None = None

    def saved_run(key: str, shards: int) -> Kept:
        nonlocal run_id
        run_id = service.runs.begin(key, len(loaded.needs), len(loaded.offers), shards, assignment)
        return service.runs.shards(run_id)

    (indices, sims), shards, resumed = sharded_search(
        executor,
        need_vectors,
        offer_vectors,
        width(weights),
        weights.min_similarity,
        saved_run if save else (records or default_records()),
        shard_offers,
    )
    plan = run(indices, sims, *given.plan_arguments(), weights, assignment=assignment)
    report = service.report("semantic", given, plan, limit)
    rows = (
        list(plan_rows(loaded.needs, loaded.offers, plan.scored, plan.chosen))
        if output is not None or save
        else []
    )
    written = write_matches(output, rows) if output is not None else None
    if run_id is not None:
        service.runs.write_plan(run_id, rows, len(rows))
    return ClusterReport(report, embedded, shards, resumed, executor.workers, written, run_id)
