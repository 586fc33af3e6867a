"""Organisation-scale matches kept in the database (``match --cluster --save``), resumable.

A run is identified by what its search depends on (:func:`~.cluster.run_key`: the vectors,
the cut into shards, k and the minimum similarity). While it searches, each finished
shard's lists are stored as a row of ``match_run_shards`` as it comes back, in its own
transaction; a run started again with the same key, on this machine or another, after a
lost worker, a killed driver or a cluster gone, takes up the unfinished run and searches
only the shards that are missing. Then the plan is written in batches of :data:`BATCH`
matches, each in its own transaction, numbered in the order ``match`` lists them; a write
cut short carries on after the last batch written, unless the plan changed in between (the
ledger moved on: it starts again). The shard rows go when the run is done.

Everything is in the database, so it is scoped like every ledger table: on PostgreSQL a
member's runs are their own (schema 0018).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from mutuality.core.errors import NotFound
from mutuality.core.matching.shards import Found
from mutuality.services.context import utc_now
from mutuality.store.database import Database
from mutuality.store.tables import MatchRunMatchRow, MatchRunRow, MatchRunShardRow

BATCH = 10_000
"""Matches written per transaction."""

MATCH_FIELDS = (
    "question",
    "need_id",
    "offer_id",
    "seeker_id",
    "helper_id",
    "similarity",
    "score",
    "two_way",
    "reverse_need_id",
    "reverse_offer_id",
)
"""One saved match: the fields of a line of ``match --output``, in its order."""


@dataclass(frozen=True, slots=True)
class MatchRun:
    """A saved run, as ``match runs`` lists it."""

    id: int
    state: str
    """``searching``, ``writing`` or ``done``."""
    needs: int
    offers: int
    shards: int
    shards_done: int
    """Shards whose lists are stored (all of them once the search is over)."""
    assignment: str
    chosen: int | None
    """Matches in the plan, once written."""
    written: int
    """Matches written so far."""
    started_at: datetime
    finished_at: datetime | None


class RunShards:
    """One run's finished shards, kept in the database: what the sharded search reads back
    and adds to (the same methods as the folder of :class:`~.cluster.ShardRecords`)."""

    def __init__(self, database: Database, run_id: int) -> None:
        self._db = database
        self.run_id = run_id

    def done(self) -> set[int]:
        with self._db.read() as session:
            return set(
                session.scalars(
                    select(MatchRunShardRow.number).where(MatchRunShardRow.run_id == self.run_id)
                )
            )

    def load(self, number: int) -> Found:
        with self._db.read() as session:
            row = session.execute(
                select(MatchRunShardRow.rows, MatchRunShardRow.indices, MatchRunShardRow.scores)
                .where(MatchRunShardRow.run_id == self.run_id)
                .where(MatchRunShardRow.number == number)
            ).one()
        indices = np.frombuffer(row.indices, dtype="<i4").astype(np.int64).reshape(row.rows, -1)
        scores = np.frombuffer(row.scores, dtype="<f4").reshape(row.rows, -1)
        return indices, scores.astype(np.float32)

    def save(self, number: int, found: Found) -> None:
        indices, scores = found
        with self._db.write() as session:
            session.add(
                MatchRunShardRow(
                    run_id=self.run_id,
                    number=number,
                    rows=int(indices.shape[0]),
                    indices=np.ascontiguousarray(indices, dtype="<i4").tobytes(),
                    scores=np.ascontiguousarray(scores, dtype="<f4").tobytes(),
                )
            )

    def clear(self) -> None:
        """Kept until the run is done (:meth:`MatchRuns.write_plan`): the plan's write may
        still be cut short, and its rerun reads the lists again."""


class MatchRuns:
    """The saved runs of this ledger."""

    def __init__(self, database: Database, now: Callable[[], datetime] = utc_now) -> None:
        self._db = database
        self._now = now

    def begin(self, key: str, needs: int, offers: int, shards: int, assignment: str) -> int:
        """The unfinished run of the same search (``key``), taken up, or a new run."""
        with self._db.write() as session:
            found = session.scalars(
                select(MatchRunRow.id)
                .where(MatchRunRow.key == key, MatchRunRow.state != "done")
                .order_by(MatchRunRow.id.desc())
            ).first()
            if found is not None:
                session.execute(
                    update(MatchRunRow).where(MatchRunRow.id == found).values(assignment=assignment)
                )
                return found
            row = MatchRunRow(
                key=key,
                state="searching",
                needs=needs,
                offers=offers,
                shards=shards,
                assignment=assignment,
                started_at=self._now(),
            )
            session.add(row)
            session.flush()
            return row.id

    def shards(self, run_id: int) -> RunShards:
        return RunShards(self._db, run_id)

    def write_plan(self, run_id: int, matches: Iterable[dict[str, Any]], total: int) -> int:
        """Write the plan's ``total`` matches (dicts of :data:`MATCH_FIELDS`, in listing
        order) in batches of :data:`BATCH`, each in its own transaction, skipping those a
        cut-short write of the same plan already stored; then mark the run done and drop
        its shards. Returns how many this call wrote."""
        rows = list(matches)
        plan_key = _plan_key(rows)
        with self._db.write() as session:
            run = session.get(MatchRunRow, run_id)
            if run is None:
                raise NotFound(f"no match run {run_id}", field="run", value=run_id)
            if run.plan_key != plan_key:  # a first write, or the plan changed since
                session.execute(delete(MatchRunMatchRow).where(MatchRunMatchRow.run_id == run_id))
                run.plan_key, run.state = plan_key, "writing"
            start = session.scalar(select(func.count()).where(MatchRunMatchRow.run_id == run_id))
        written = 0
        pending = iter(enumerate(rows))
        for _ in islice(pending, start or 0):
            pass
        while batch := list(islice(pending, BATCH)):
            with self._db.write() as session:
                session.execute(
                    insert(MatchRunMatchRow),
                    [{"run_id": run_id, "position": at, **row} for at, row in batch],
                )
            written += len(batch)
        with self._db.write() as session:
            session.execute(delete(MatchRunShardRow).where(MatchRunShardRow.run_id == run_id))
            session.execute(
                update(MatchRunRow)
                .where(MatchRunRow.id == run_id)
                .values(state="done", chosen=total, finished_at=self._now())
            )
        return written

    def list(self) -> list[MatchRun]:
        """Every saved run, the latest first."""
        with self._db.read() as session:
            ids = list(session.scalars(select(MatchRunRow.id).order_by(MatchRunRow.id.desc())))
        return [self.get(run_id) for run_id in ids]

    def get(self, run_id: int) -> MatchRun:
        with self._db.read() as session:
            run = session.get(MatchRunRow, run_id)
            if run is None:
                raise NotFound(f"no match run {run_id}", field="run", value=run_id)
            done = session.scalar(select(func.count()).where(MatchRunShardRow.run_id == run_id))
            written = session.scalar(select(func.count()).where(MatchRunMatchRow.run_id == run_id))
            return MatchRun(
                run.id,
                run.state,
                run.needs,
                run.offers,
                run.shards,
                run.shards if run.state == "done" else int(done or 0),
                run.assignment,
                run.chosen,
                int(written or 0),
                run.started_at,
                run.finished_at,
            )

    def matches(
        self, run_id: int, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[dict[str, Any]]:
        """The run's saved matches in listing order, read a batch at a time."""
        self.get(run_id)  # (a clear error for a run that is not there)
        position, stop = offset, None if limit is None else offset + limit
        columns = [getattr(MatchRunMatchRow, name) for name in MATCH_FIELDS]
        while stop is None or position < stop:
            size = BATCH if stop is None else min(BATCH, stop - position)
            with self._db.read() as session:
                rows = session.execute(
                    select(*columns)
                    .where(MatchRunMatchRow.run_id == run_id)
                    .where(MatchRunMatchRow.position >= position)
                    .order_by(MatchRunMatchRow.position)
                    .limit(size)
                ).all()
            yield from (dict(zip(MATCH_FIELDS, row, strict=True)) for row in rows)
            if len(rows) < size:
                return
            position += size

    def delete(self, run_id: int) -> None:
        with self._db.write() as session:
            if session.get(MatchRunRow, run_id) is None:
                raise NotFound(f"no match run {run_id}", field="run", value=run_id)
            for table in (MatchRunMatchRow, MatchRunShardRow):
                session.execute(delete(table).where(table.run_id == run_id))
            session.execute(delete(MatchRunRow).where(MatchRunRow.id == run_id))


def _plan_key(rows: list[dict[str, Any]]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for row in rows:
        digest.update(repr(tuple(row[name] for name in MATCH_FIELDS)).encode())
    return digest.hexdigest()
