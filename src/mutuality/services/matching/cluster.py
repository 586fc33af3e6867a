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

Ray is imported only inside :class:`OnRay` and :func:`connect`, never on a command's
start-up path; without Ray, :func:`connect` says which extra to install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np

from mutuality.core.errors import MutualityError
from mutuality.core.matching.pipeline import run
from mutuality.core.matching.scoring import Question, Scored
from mutuality.core.matching.semantic import text_hash
from mutuality.core.matching.shards import (
    Found,
    Search,
    Shard,
    merge,
    search_for,
    search_shard,
    split,
    width,
)
from mutuality.core.needs import Wish
from mutuality.services.matching.embeddings import (
    BATCH,
    EmbeddingStore,
    SomeEncoder,
    compared_text,
    default_encoder,
)
from mutuality.services.matching.results import listed, write_matches
from mutuality.services.matching.service import Loaded, Match, MatchingService, MatchReport
from mutuality.store.files import atomic_text_file

SHARD_OFFERS = 10_000
"""Offers per shard by default: at 300,000 needs one shard is about a minute of one core,
small enough to lose little with a worker, and the shards stay the same whatever the
number of workers, so a run resumed on another cluster still finds its records."""

INSTALL = "pip install 'mutuality[cluster]'"


class ClusterUnavailable(MutualityError):
    """Ray is not installed, or the cluster cannot be reached."""

    status = 501


class ClusterFailed(MutualityError):
    """A stage failed on the cluster after its retries."""

    status = 503


def missing_ray() -> str | None:
    """Why the cluster path cannot run here, or ``None`` when it can."""
    if importlib.util.find_spec("ray") is None:
        return f"running on a cluster needs Ray: install the extra with {INSTALL}"
    return None


# --- where the work runs --------------------------------------------------------------------


class Executor(Protocol):
    """Runs the two heavy stages; results come back as each part finishes."""

    workers: int

    def embed(self, model: str, batches: Sequence[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """(batch number, its vectors) for each batch of texts."""
        ...

    def search(
        self,
        needs: np.ndarray,
        offers: np.ndarray,
        shards: Sequence[Shard],
        k: int,
        floor: float,
        search: Search,
    ) -> Iterator[tuple[Shard, Found]]:
        """(shard, its top-k lists as global offer rows) for each shard, each searched with
        ``search`` (unless the executor was given its own)."""
        ...


def encoder_for(model: str) -> SomeEncoder:
    """The encoder the single-machine path builds for the ``[matching] model`` setting."""
    return default_encoder(Path(model).expanduser() if model else None)


@dataclass
class InProcess:
    """Every part in this process, one after another: the reference, and a way to run the
    resumable path without a cluster."""

    search_one: Search | None = None
    """Overrides the per-shard search (the single-machine one by default)."""
    workers: int = 1

    def embed(self, model: str, batches: Sequence[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        encoder = encoder_for(model)
        for number, texts in enumerate(batches):
            yield number, encoder.encode(texts)

    def search(
        self,
        needs: np.ndarray,
        offers: np.ndarray,
        shards: Sequence[Shard],
        k: int,
        floor: float,
        search: Search,
    ) -> Iterator[tuple[Shard, Found]]:
        for shard in shards:
            yield shard, search_shard(needs, offers, shard, k, floor, self.search_one or search)


class EmbedBatches:
    """A Ray Data worker: loads the encoder once, then embeds whole batches of texts."""

    def __init__(self, model: str) -> None:
        self.encoder = encoder_for(model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = [self.encoder.encode(list(texts)).tobytes() for texts in batch["texts"]]
        return {"number": batch["number"], "vectors": np.array(vectors, dtype=object)}


@dataclass
class OnRay:
    """The stages as Ray work on ``workers`` CPUs: embedding with Ray Data (one encoder per
    worker), the search as one task per shard, each retried up to ``max_retries`` times
    when its worker dies."""

    workers: int
    search_one: Search | None = None
    """Overrides the per-shard search (the single-machine one by default)."""
    max_retries: int = 3

    def embed(self, model: str, batches: Sequence[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        if not batches:
            return
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its plan, timings and notices

        class EmbedWithModel(EmbedBatches):  # sent whole to the workers, the model's name in it
            def __init__(self) -> None:
                super().__init__(model)

        items = [{"number": n, "texts": texts} for n, texts in enumerate(batches)]
        dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            EmbedWithModel,
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=max(1, min(self.workers, len(items)))),
            num_cpus=1,  # Ray Data restarts a lost worker and retries its batch
        )
        for row in dataset.iter_rows():
            vectors = np.frombuffer(row["vectors"], dtype=np.float32)
            yield int(row["number"]), vectors.reshape(len(batches[int(row["number"])]), -1)

    def search(
        self,
        needs: np.ndarray,
        offers: np.ndarray,
        shards: Sequence[Shard],
        k: int,
        floor: float,
        search: Search,
    ) -> Iterator[tuple[Shard, Found]]:
        import ray

        search_one = self.search_one or search

        @ray.remote(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)
        def shard_task(needs: np.ndarray, part: np.ndarray, shard: Shard) -> Found:
            return search_shard(needs, part, shard, k, floor, search_one)

        needs_ref = ray.put(needs)  # once: every worker on a machine reads the same copy
        waiting = list(shards)
        pending: dict[Any, Shard] = {}

        def submit() -> None:  # at most one shard per worker in flight, its offers sent then
            shard = waiting.pop(0)
            part = ray.put(offers[shard.start : shard.stop])
            pending[shard_task.remote(needs_ref, part, shard)] = shard

        while waiting and len(pending) < self.workers:
            submit()
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            shard = pending.pop(ready[0])
            if waiting:
                submit()
            try:
                found = ray.get(ready[0])
            except Exception as error:  # a task error or a worker lost beyond its retries
                for ref in pending:
                    ray.cancel(ref)
                raise ClusterFailed(
                    f"shard {shard.number} (offers {shard.start} to {shard.stop - 1}) failed "
                    f"after {self.max_retries} retries: {type(error).__name__}; the finished "
                    "shards are kept, run the same command again to resume",
                    field="shard",
                    value=shard.number,
                ) from None
            yield shard, found


def connect(address: str, workers: int | None = None) -> OnRay:
    """Join the Ray cluster at ``address`` (``local``: start one on this machine with
    ``workers`` CPUs, no dashboard) and size the work to its CPUs."""
    reason = missing_ray()
    if reason:
        raise ClusterUnavailable(reason, field="cluster", value=address)
    import ray

    if not ray.is_initialized():
        options: dict[str, Any] = {"log_to_driver": False, "configure_logging": False}
        try:
            if address == "local":
                ray.init(
                    num_cpus=workers,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",  # a local cluster listens on loopback only
                    **options,
                )
            else:
                ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ClusterUnavailable(
                f"cannot reach the Ray cluster at {address}: {error}",
                field="cluster",
                value=address,
            ) from None
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    return OnRay(workers=min(workers, cpus) if workers else cpus)


def disconnect() -> None:
    """Leave the cluster (and stop a local one)."""
    if importlib.util.find_spec("ray") is not None:
        import ray

        if ray.is_initialized():
            ray.shutdown()


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
