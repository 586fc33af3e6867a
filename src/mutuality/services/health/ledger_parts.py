"""The rows the network view is made of, read whole or by a range of pairs, and one part's
summary read and computed where it runs (a cluster's worker, or this process).

The single-machine view and each part read through the same filters: every exchange but
the introductions the owner made (:func:`~mutuality.core.analytics.without_introductions_by`),
every touch and check-in, each on or before today
(:func:`~mutuality.store.columns.on_or_before`). A part adds only the range of its pairs'
lower ids (:func:`~mutuality.store.columns.lower_in`), so the parts hold every row the
whole does, each pair's rows in one part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from mutuality.core.analytics import (
    ExchangeColumns,
    TouchColumns,
    pair_figures,
    without_introductions_by,
)
from mutuality.core.network_parts import PartSummary, summarize
from mutuality.store.columns import (
    LowerIds,
    exchange_columns,
    lower_in,
    on_or_before,
    touch_columns,
)
from mutuality.store.database import read_elsewhere
from mutuality.store.tables import ExchangeRow


@dataclass(frozen=True, slots=True)
class NetworkPass:
    """What every part of one computation of the network view shares."""

    owner: int
    as_of: date
    half_life_days: float
    window_days: int


@dataclass(frozen=True, slots=True)
class LedgerSource:
    """Where a worker reads its part: the database's URL (with its credentials) and the
    member's ledger in team mode (``None``: the whole database, as an unscoped read)."""

    url: URL
    ledger: int | None


def ledger_exchanges(
    session: Session, owner: int, lower: LowerIds | None = None
) -> ExchangeColumns:
    """Every exchange of the pairs in ``lower`` (all pairs without it), less the
    introductions ``owner`` made, of any day (the caller keeps those on or before today)."""
    where = (
        None if lower is None else lower_in(ExchangeRow.giver_id, ExchangeRow.receiver_id, lower)
    )
    return without_introductions_by(exchange_columns(session, where), owner)


def read_part(
    session: Session, run: NetworkPass, lower: LowerIds
) -> tuple[ExchangeColumns, TouchColumns]:
    """The exchanges and touches of the pairs in ``lower`` that the network view counts."""
    return (
        on_or_before(ledger_exchanges(session, run.owner, lower), run.as_of),
        on_or_before(touch_columns(session, lower=lower), run.as_of),
    )


def summary_of(exchanges: ExchangeColumns, touches: TouchColumns, run: NetworkPass) -> PartSummary:
    """The summary of the rows of some pairs (every row of each): their pair figures,
    summed as :func:`~mutuality.core.network_parts.summarize` does."""
    pairs = pair_figures(exchanges, touches, run.as_of, run.half_life_days, run.window_days)
    return summarize(pairs, run.owner, len(exchanges) + len(touches))


def part_summary(source: LedgerSource, run: NetworkPass, lower: LowerIds) -> PartSummary:
    """One part, where it runs: its rows read on a connection of its own, its summary
    computed, and only the summary sent back."""
    with read_elsewhere(source.url, source.ledger) as session:
        exchanges, touches = read_part(session, run, lower)
    return summary_of(exchanges, touches, run)
