"""The network figures at organisation scale: each worker reads its own range of pairs from
the database and sends back a summary, on a Ray cluster (``mutuality[cluster]``) or in this
process; the driver never reads the ledger's rows.

The driver asks the database only for the rows per pair's lower id and cuts the ids into
ranges of about equal rows (:func:`~mutuality.core.analytics_shards.bounds_of_counts`).
Each task opens its own connection (an SQLite file read-only, a member's ledger scoped as
the driver's), reads its pairs' exchanges and touches through the single-machine view's
filters (:func:`~mutuality.services.health.ledger_parts.read_part`), computes their pair
figures and sends back per-person partial sums, pair counts and the owner's pairs
(:func:`~mutuality.services.health.ledger_parts.part_summary`). The driver adds them up
(:func:`~mutuality.core.network_parts.combine`) and :meth:`.service.HealthService.network`
makes the report from them with the same functions as the single-machine view, so both
give the same report (tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from mutuality.core.analytics_shards import bounds_of_counts
from mutuality.core.network_parts import PartSummary, combine
from mutuality.services.health.ledger_parts import NetworkPass, part_summary
from mutuality.services.health.service import HealthService
from mutuality.services.health.views import NetworkReport
from mutuality.services.matching.workers import Executor
from mutuality.store.columns import lower_id_counts

PARTS_PER_WORKER = 2
"""Parts per worker by default: a worker that finishes early takes another part."""


@dataclass(frozen=True, slots=True)
class ClusterNetwork:
    """The network report, and how it was computed."""

    report: NetworkReport
    parts: int
    workers: int
    exchanges: int
    """Exchanges and touches the workers read, all parts together."""


def network_on_cluster(
    health: HealthService, executor: Executor, parts: int | None = None
) -> ClusterNetwork:
    """:meth:`HealthService.network`, from ``parts`` parts of the ledger (by default
    :data:`PARTS_PER_WORKER` per worker), each read and summed on ``executor``'s workers."""
    count = parts or max(1, executor.workers * PARTS_PER_WORKER)
    source = health.ledger_source
    rows = 0

    def from_parts(session: Session, run: NetworkPass) -> PartSummary:
        nonlocal rows
        bounds = bounds_of_counts(*lower_id_counts(session), count)
        ranges = [(int(bounds[p]), int(bounds[p + 1])) for p in range(count)]
        found = dict(executor.each(part_summary, [(source, run, lower) for lower in ranges]))
        summary = combine([found[number] for number in range(count)])
        rows = summary.rows
        return summary

    report = health.network(from_parts)
    return ClusterNetwork(report, count, executor.workers, rows)
