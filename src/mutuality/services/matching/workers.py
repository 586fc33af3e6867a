"""Where the heavy stages of organisation-scale matching and analytics run: in this process,
one part after another (:class:`InProcess`), or on a Ray cluster (:class:`OnRay`, the
``mutuality[cluster]`` extra): texts embedded with Ray Data, one encoder per worker; the
candidate search as one Ray task per shard of offers, each running the single-machine
search of :mod:`mutuality.core.matching.shards`; and the network's parts as one task each
(:meth:`Executor.each`: a part reads its own rows and sends back its summary, or
:meth:`Executor.pairs`: a part's rows given, its pair figures sent back).

Ray is imported only inside :class:`OnRay`, :func:`connect` and :func:`disconnect`, never
on a command's start-up path; without Ray, :func:`connect` says which extra to install.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from mutuality.core.analytics import ExchangeColumns, PairFigures, TouchColumns, pair_figures
from mutuality.core.errors import MutualityError
from mutuality.core.matching.shards import Found, Search, Shard, search_shard
from mutuality.services.matching.embeddings import SomeEncoder, default_encoder

INSTALL = "pip install 'mutuality[cluster]'"

PairsOne = Callable[[ExchangeColumns, TouchColumns, date, float, int], PairFigures]
"""A part's pair figures: :func:`~mutuality.core.analytics.pair_figures`'s arguments."""

T = TypeVar("T")

LedgerPart = tuple[ExchangeColumns, TouchColumns]
"""The exchanges and touches of some pairs, every row of each
(:func:`~mutuality.core.analytics_shards.split_ledger`)."""


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

    def pairs(
        self, parts: Sequence[LedgerPart], as_of: date, half_life_days: float, window_days: int
    ) -> Iterator[tuple[int, PairFigures]]:
        """(part number, its pair figures) for each part of a ledger cut by pair."""
        ...

    def each(
        self, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, T]]:
        """(number, ``task(*arguments[number])``) for each argument tuple: a task that reads
        its own part (the network's parts read from the database) and sends back its result."""
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
    pairs_one: PairsOne = pair_figures
    """Computes a part's pair figures (the single-machine function by default)."""

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

    def pairs(
        self, parts: Sequence[LedgerPart], as_of: date, half_life_days: float, window_days: int
    ) -> Iterator[tuple[int, PairFigures]]:
        for number, (exchanges, touches) in enumerate(parts):
            yield number, self.pairs_one(exchanges, touches, as_of, half_life_days, window_days)

    def each(
        self, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, T]]:
        for number, given in enumerate(arguments):
            yield number, task(*given)


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
    pairs_one: PairsOne = pair_figures
    """Computes a part's pair figures (the single-machine function by default)."""

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
        if not shards:  # every shard was found finished by an earlier run
            return
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

    def pairs(
        self, parts: Sequence[LedgerPart], as_of: date, half_life_days: float, window_days: int
    ) -> Iterator[tuple[int, PairFigures]]:
        pairs_one = self.pairs_one
        given = [(*part, as_of, half_life_days, window_days) for part in parts]
        return self.each(pairs_one, given)

    def each(
        self, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, T]]:
        if not arguments:
            return
        import ray

        remote = ray.remote(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)(task)
        pending = {remote.remote(*given): n for n, given in enumerate(arguments)}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            number = pending.pop(ready[0])
            try:
                found = ray.get(ready[0])
            except Exception as error:  # a task error or a worker lost beyond its retries
                for ref in pending:
                    ray.cancel(ref)
                raise ClusterFailed(
                    f"part {number} of the network figures failed after {self.max_retries} "
                    f"retries: {type(error).__name__}; run the same command again",
                    field="part",
                    value=number,
                ) from None
            yield number, found


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
