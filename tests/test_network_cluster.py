"""The network figures computed over parts of the ledger cut by pair
(core/analytics_shards.py, services/health/cluster.py): the same figures as the
single-machine pass, on a generated ledger, without Ray (in this process). The same on a
local Ray cluster is in ``test_cluster_ray.py`` (slow)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import TODAY
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.analytics import (
    KIND_CODES,
    ExchangeColumns,
    PairFigures,
    TouchColumns,
    day_number,
    pair_figures,
    person_totals,
)
from mutuality.core.analytics_shards import merge_pairs, pair_part, part_bounds, split_ledger
from mutuality.core.network import network_figures
from mutuality.core.network_rules import NetworkSettings
from mutuality.services.app import Mutuality
from mutuality.services.health.cluster import network_on_cluster
from mutuality.services.matching.workers import InProcess
from mutuality.synthetic import generate_network
from mutuality.synthetic.network import KINDS

HALF_LIFE, WINDOW = 180.0, 90


def generated(people: int, per_person: int, seed: int) -> tuple[ExchangeColumns, TouchColumns]:
    """A generated ledger as columns, with who reached out and contacts drawn at random."""
    net = generate_network(people, per_person, seed=seed, today=TODAY)
    chunks = list(net.chunks())
    kinds = np.array([KIND_CODES[kind] for kind in KINDS], dtype=np.int8)
    today = day_number(TODAY)
    rng = np.random.default_rng(seed)
    giver = np.concatenate([c.giver for c in chunks]).astype(np.int64)
    exchanges = ExchangeColumns(
        giver,
        np.concatenate([c.receiver for c in chunks]).astype(np.int64),
        (today - np.concatenate([c.age_days for c in chunks])).astype(np.int32),
        np.concatenate([c.benefit for c in chunks]),
        np.concatenate([c.cost for c in chunks]),
        kinds[np.concatenate([c.kind for c in chunks])],
        rng.integers(0, 3, len(giver)).astype(np.int8),
    )
    contacts = len(giver) // 10
    touches = TouchColumns(
        np.zeros(contacts, dtype=np.int64),
        rng.integers(1, people, contacts).astype(np.int64),
        (today - rng.integers(0, 700, contacts)).astype(np.int32),
        rng.integers(0, 3, contacts).astype(np.int8),
    )
    return exchanges, touches


def same_pairs(mine: PairFigures, theirs: PairFigures) -> None:
    """Equal pairs, counts and days; sums equal but for the last bit of a pair that the
    single-machine pass sums in two of its chunks."""
    for field in fields(PairFigures):
        a, b = getattr(mine, field.name), getattr(theirs, field.name)
        assert a.dtype == b.dtype, field.name
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-13, atol=0, err_msg=field.name)
        else:
            np.testing.assert_array_equal(a, b, err_msg=field.name)


def same_report(mine: Any, theirs: Any) -> None:
    """Equal reports: every count, id, style and order the same, and the decayed sums equal
    but for their last bits (a person's sums over parts add the same numbers in another
    grouping)."""
    if is_dataclass(mine) and not isinstance(mine, type):
        assert type(mine) is type(theirs)
        for field in fields(mine):
            same_report(getattr(mine, field.name), getattr(theirs, field.name))
    elif isinstance(mine, float):
        assert theirs == pytest.approx(mine, rel=1e-12, abs=0)
    elif isinstance(mine, list | tuple):
        assert len(mine) == len(theirs)
        for one, other in zip(mine, theirs, strict=True):
            same_report(one, other)
    elif isinstance(mine, dict):
        assert mine.keys() == theirs.keys()
        for key in mine:
            same_report(mine[key], theirs[key])
    else:
        assert mine == theirs


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_pair_figures_by_parts_equal_the_whole(parts: int) -> None:
    exchanges, touches = generated(3_000, 30, seed=21)  # 90,000 rows: more than one chunk
    whole = pair_figures(exchanges, touches, TODAY, HALF_LIFE, WINDOW)
    cut = split_ledger(exchanges, touches, parts)
    assert sum(len(e) for e, _ in cut) == len(exchanges)
    merged = merge_pairs([pair_figures(*part, TODAY, HALF_LIFE, WINDOW) for part in cut])
    same_pairs(merged, whole)
    settings, today = NetworkSettings(), day_number(TODAY)
    known = np.arange(1, 3_000, dtype=np.int64)
    assert network_figures(merged, person_totals(merged), today, settings, known) == (
        network_figures(whole, person_totals(whole), today, settings, known)
    )


def test_a_pairs_rows_share_one_part_whichever_way_they_ran() -> None:
    a = np.array([1, 7, 7, 2**31 - 1, 5, 9], dtype=np.int64)
    b = np.array([7, 1, 1, 3, 5, 8], dtype=np.int64)
    bounds = part_bounds(np.minimum(a, b), 3)
    assert len(bounds) == 4 and (np.diff(bounds) >= 0).all()
    part = pair_part(a, b, bounds)
    assert part[0] == part[1] == part[2] and part[3] == pair_part(b[3:4], a[3:4], bounds)[0]
    assert ((part >= 0) & (part < 3)).all()
    with pytest.raises(ValueError):
        part_bounds(a, 0)
    parts = split_ledger(ExchangeColumns.empty(), TouchColumns.empty(), 3)
    empty = merge_pairs([pair_figures(*p, TODAY, HALF_LIFE, WINDOW) for p in parts])
    same_pairs(
        empty,
        pair_figures(ExchangeColumns.empty(), TouchColumns.empty(), TODAY, HALF_LIFE, WINDOW),
    )


def test_the_parts_are_of_about_equal_rows() -> None:
    exchanges, touches = generated(3_000, 30, seed=23)
    rows = [len(e) + len(t) for e, t in split_ledger(exchanges, touches, 8)]
    assert sum(rows) == len(exchanges) + len(touches)
    assert max(rows) < 2 * sum(rows) / 8  # the owner's many pairs weigh on one part


@pytest.fixture
def network_ledger(app: Mutuality) -> Mutuality:
    net = generate_network(200, 40, seed=5, today=TODAY)
    ids = [app.people.owner().id, *app.people.bulk_add(net.names())]
    app.ledger.bulk_add(net.exchanges(ids))
    return app


def test_the_network_report_by_parts_is_the_single_machine_report(
    network_ledger: Mutuality,
) -> None:
    done = network_on_cluster(network_ledger.health, InProcess(), parts=5)
    assert (done.parts, done.workers) == (5, 1) and done.exchanges >= 7_000
    single = network_ledger.health.network()
    same_report(done.report, single)
    assert single.figures.relationships > 500 and single.figures.reciprocity is not None


def test_the_network_command_without_a_cluster_refuses_its_options(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    result = CliRunner().invoke(cli, ["--db", db, "network", "--parts", "4"])
    assert result.exit_code == 2 and "only with --cluster" in result.output
