"""The network figures at organisation scale: the pair figures, the heavy part (one sort of
every exchange and touch, then sums per pair), computed by workers over parts of the
ledger cut by pair, on a Ray cluster (``mutuality[cluster]``) or in this process.

The ledger is read here, cut by pair (:func:`~mutuality.core.analytics_shards.split_ledger`),
each part's pair figures computed by the single-machine
:func:`~mutuality.core.analytics.pair_figures` on a worker, and the parts merged back in
pair order (:func:`~mutuality.core.analytics_shards.merge_pairs`); the person totals, the
network figures, the styles and the rest are :meth:`.service.HealthService.network`'s own,
so both paths give the same report (tests check it on a generated ledger).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutuality.core.analytics import ExchangeColumns, PairFigures, TouchColumns
from mutuality.core.analytics_shards import merge_pairs, split_ledger
from mutuality.services.health.service import HealthService
from mutuality.services.health.views import NetworkReport
from mutuality.services.matching.workers import Executor

PARTS_PER_WORKER = 2
"""Parts per worker by default: a worker that finishes early takes another part."""


@dataclass(frozen=True, slots=True)
class ClusterNetwork:
    """The network report, and how it was computed."""

    report: NetworkReport
    parts: int
    workers: int
    exchanges: int
    """Exchanges (and touches) read and cut into parts."""


def network_on_cluster(
    health: HealthService, executor: Executor, parts: int | None = None
) -> ClusterNetwork:
    """:meth:`HealthService.network`, its pair figures computed on ``executor``'s workers
    over ``parts`` parts of the ledger (by default :data:`PARTS_PER_WORKER` per worker)."""
    count = parts or max(1, executor.workers * PARTS_PER_WORKER)
    rows = 0

    def sharded(
        exchanges: ExchangeColumns,
        touches: TouchColumns,
        as_of: date,
        half_life_days: float,
        window_days: int,
    ) -> PairFigures:
        nonlocal rows
        rows = len(exchanges) + len(touches)
        cut = split_ledger(exchanges, touches, count)
        found = dict(executor.pairs(cut, as_of, half_life_days, window_days))
        return merge_pairs([found[number] for number in range(count)])

    report = health.network(sharded)
    return ClusterNetwork(report, count, executor.workers, rows)
