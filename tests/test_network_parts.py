"""The network view from parts that read their own range of pairs from the database
(services/health/ledger_parts.py, core/network_parts.py): the in-process executor gives the
single-machine report on SQLite and on PostgreSQL, leaves out the owner's introductions and
what is dated after today exactly as the single-machine view does, and the driver never
reads the ledger's rows: only summaries come back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from conftest import TODAY, open_app
from test_network_cluster import generated, same_report
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture, one definition)

from mutuality.core.analytics import day_number, pair_figures, person_totals
from mutuality.core.analytics_shards import bounds_of_counts, pair_part, part_bounds
from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.core.network import network_figures, network_figures_of
from mutuality.core.network_parts import PartSummary, combine, summarize
from mutuality.core.network_rules import NetworkSettings
from mutuality.services.app import Mutuality
from mutuality.services.health import ledger_parts
from mutuality.services.health.cluster import network_on_cluster
from mutuality.services.matching.workers import InProcess
from mutuality.services.settings import Settings
from mutuality.synthetic import generate_network

T = TypeVar("T")
LATER = TODAY + timedelta(days=20)


@dataclass
class Watching(InProcess):
    """The in-process executor, keeping what each task sent back."""

    sent_back: list[Any] = field(default_factory=list)

    def each(
        self, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, T]]:
        for number, found in super().each(task, arguments):
            self.sent_back.append(found)
            yield number, found


def fill(app: Mutuality, later: Mutuality) -> None:
    """A generated ledger, with introductions the owner made and, written on a later day,
    exchanges and touches dated after ``TODAY``."""
    net = generate_network(120, 30, seed=11, today=TODAY)
    owner = app.people.owner().id
    ids = [owner, *app.people.bulk_add(net.names())]
    app.ledger.bulk_add(net.exchanges(ids))

    def made(giver: int, receiver: int, kind: ExchangeKind, on: date) -> NewExchange:
        return NewExchange(giver, receiver, kind, "x", on, 3.0, 1.0, Estimator.ME)

    introductions = [
        made(owner, ids[n], ExchangeKind.INTRODUCTION, TODAY - timedelta(days=n)) for n in (1, 2, 3)
    ]
    others = [made(ids[4], ids[5], ExchangeKind.INTRODUCTION, TODAY - timedelta(days=2))]
    app.ledger.bulk_add(introductions + others)
    future = [
        made(ids[n], ids[n + 1], ExchangeKind.TIME, LATER - timedelta(days=n)) for n in range(1, 9)
    ]
    later.ledger.bulk_add([*future, made(owner, ids[7], ExchangeKind.TIME, LATER)])
    for n in range(1, 6):
        later.ledger.touch(ids[n], on=LATER - timedelta(days=n), initiated_by="me")
        app.ledger.touch(ids[n + 10], on=TODAY - timedelta(days=n), initiated_by="them")


def parts_give_the_single_report(app: Mutuality, monkeypatch: pytest.MonkeyPatch) -> None:
    single = app.health.network()
    read: list[Any] = []
    real = ledger_parts.exchange_columns

    def spy(session: Any, where: Any = None, until: Any = None) -> Any:
        read.append(where)
        return real(session, where, until)

    monkeypatch.setattr(ledger_parts, "exchange_columns", spy)
    executor = Watching()
    done = network_on_cluster(app.health, executor, parts=4)
    same_report(done.report, single)
    assert len(read) == 4 and all(where is not None for where in read)  # no whole read
    assert [type(found) for found in executor.sent_back] == [PartSummary] * 4
    people = single.figures.people
    for found in executor.sent_back:  # a row per person, not per pair
        assert len(found.totals.person) <= people + 1
    assert sum(len(found.owner_pairs) for found in executor.sent_back) < people + 1
    assert done.exchanges == sum(found.rows for found in executor.sent_back) > 3_000


def test_parts_read_from_sqlite_give_the_single_machine_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parts.db"
    with open_app(path) as app, open_app(path, today=LATER) as later:
        fill(app, later)
        parts_give_the_single_report(app, monkeypatch)
        with_future = later.health.network()
        assert with_future.figures.relationships > app.health.network().figures.relationships


@pytest.mark.parametrize("keep", ["on_or_before", "without_introductions_by"])
def test_the_left_out_rows_matter(
    keep: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part that read the owner's introductions or the later rows would differ: the
    report counts what the filters leave out."""
    path = tmp_path / "parts.db"
    with open_app(path) as app, open_app(path, today=LATER) as later:
        fill(app, later)
        single = app.health.network()
        monkeypatch.setattr(ledger_parts, keep, lambda columns, _other: columns)
        done = network_on_cluster(app.health, InProcess(), parts=3)
        assert done.report.figures != single.figures


@pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
def test_parts_read_from_postgresql_give_the_single_machine_report(
    pg_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(owner_name="Samira Haddad")
    with (
        Mutuality.open(pg_url, settings, today=lambda: TODAY) as app,
        Mutuality.open(pg_url, settings, today=lambda: LATER) as later,
    ):
        fill(app, later)
        parts_give_the_single_report(app, monkeypatch)


@pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
def test_parts_of_a_members_ledger_read_only_that_ledger(
    pg_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(owner_name="Samira Haddad")
    with Mutuality.open(pg_url, settings, today=lambda: TODAY, ledger=8) as other:
        net = generate_network(60, 20, seed=3, today=TODAY)
        other.ledger.bulk_add(
            net.exchanges([other.people.owner().id, *other.people.bulk_add(net.names())])
        )
    with (
        Mutuality.open(pg_url, settings, today=lambda: TODAY, ledger=7) as app,
        Mutuality.open(pg_url, settings, today=lambda: LATER, ledger=7) as later,
    ):
        fill(app, later)
        parts_give_the_single_report(app, monkeypatch)


def test_the_summaries_add_up_to_the_whole() -> None:
    exchanges, touches = generated(2_000, 20, seed=31)
    whole = pair_figures(exchanges, touches, TODAY, 180.0, 90)
    low = np.minimum(
        np.concatenate([exchanges.giver, touches.owner]),
        np.concatenate([exchanges.receiver, touches.person]),
    )
    bounds = part_bounds(low, 5)
    ids, counts = np.unique(low, return_counts=True)
    assert (bounds_of_counts(ids, counts, 5) == bounds).all()
    part = pair_part(whole.a, whole.b, bounds)
    pieces = [
        summarize(
            type(whole)(**{n: getattr(whole, n)[part == p] for n in type(whole).__slots__}), 0
        )
        for p in range(5)
    ]
    added = combine(pieces)
    totals = person_totals(whole)
    for name in type(totals).__slots__:
        mine, theirs = getattr(added.totals, name), getattr(totals, name)
        assert mine.dtype == theirs.dtype, name
        if mine.dtype.kind == "f":
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=0, err_msg=name)
        else:
            np.testing.assert_array_equal(mine, theirs, err_msg=name)
    settings, today = NetworkSettings(), day_number(TODAY)
    assert network_figures_of(added.counts, added.totals, today, settings) == network_figures(
        whole, totals, today, settings
    )
    assert added.owner_pairs.a.tolist() == whole.a[whole.a == 0].tolist()
