"""The organisation-scale path (services/matching/cluster.py) without Ray: the same report
as the single-machine exact search, resumable shards, and plain words where Ray is missing.
The same path on a real local Ray cluster is in ``test_matching_cluster_ray.py`` (slow)."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_postgres import SERVER, pg, pg_url  # noqa: F401 (the fixtures, one definition)
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.matching.evaluate import parse
from mutuality.core.matching.shards import Found, exact_search
from mutuality.core.matching.vectors import Vectors
from mutuality.services.app import Mutuality
from mutuality.services.matching import cluster
from mutuality.services.matching.cluster import (
    ClusterUnavailable,
    InProcess,
    ShardRecords,
    match_on_cluster,
    sharded_search,
)
from mutuality.services.matching.service import MatchReport
from mutuality.synthetic.matching import unit_vectors


def same(mine: MatchReport, theirs: MatchReport) -> None:
    """The same report; similarities equal to float32 rounding (shards of a few offers may
    take another BLAS kernel; at the shard sizes of real runs they are bit for bit equal,
    see test_matching_shards.py)."""
    assert replace(mine, help_me=[], i_help=[], introductions=[]) == replace(
        theirs, help_me=[], i_help=[], introductions=[]
    )
    for group in ("help_me", "i_help", "introductions"):
        a, b = getattr(mine, group), getattr(theirs, group)
        assert [replace(m, similarity=0, score=0) for m in a] == [
            replace(m, similarity=0, score=0) for m in b
        ]
        assert [m.similarity for m in a] == pytest.approx([m.similarity for m in b], abs=1e-6)
        assert [m.score for m in a] == pytest.approx([m.score for m in b], abs=1e-6)


DEV = Path(__file__).parent / "data" / "matching" / "dev.txt"
PEOPLE = ("me", "ana", "bo", "josé", "dana")


@pytest.fixture
def org(populated: Mutuality) -> Mutuality:
    """40 needs and 60 offers of the development set, spread over the populated people."""
    labelled = parse(DEV.read_text(encoding="utf-8"))
    populated.needs.on_saved = None  # a bulk load: the texts are embedded by the run
    for i, text in enumerate(labelled.needs[:40]):
        populated.needs.add("need", PEOPLE[i % 5], text[:900])
    for i, text in enumerate(labelled.offers[:60]):
        populated.needs.add("offer", PEOPLE[(i + 2) % 5], text[:900])
    return populated


def fill_server_ledger(app: Mutuality) -> None:
    """30 needs and 40 offers of the development set over four people of a fresh ledger."""
    labelled = parse(DEV.read_text(encoding="utf-8"))
    for name in ("Ana Lima", "Bo Chen", "Cy Diaz"):
        app.people.add(name)
    names = ("me", "ana", "bo", "cy")
    app.needs.on_saved = None  # a bulk load: the texts are embedded by the run
    for i, text in enumerate(labelled.needs[:30]):
        app.needs.add("need", names[i % 4], text[:900])
    for i, text in enumerate(labelled.offers[:40]):
        app.needs.add("offer", names[(i + 1) % 4], text[:900])


def test_the_cluster_path_gives_the_single_machine_report(org: Mutuality, tmp_path: Path) -> None:
    output = tmp_path / "matches.jsonl"
    done = match_on_cluster(
        org.matching, InProcess(), tmp_path / "records", shard_offers=7, output=output
    )
    assert (done.embedded, done.shards, done.resumed) == (100, 9, 0)
    assert org.matching.embeddings.count() == 100  # each text embedded once, and stored
    single = org.matching.match("semantic", approximate=False)
    assert org.matching.embeddings.count() == 100
    same(done.report, single)
    assert single.chosen > 5 and single.introductions
    assert not any((tmp_path / "records").glob("*/shard-*"))  # records go once merged
    # the file lists every chosen match, in the report's order, the report's first
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(lines) == done.written > 5
    two_way_pairs = sum(m["two_way"] and m["question"] == "introduce" for m in lines)
    assert single.chosen - two_way_pairs <= len(lines) <= single.chosen
    for group, question in (
        ("help_me", "help_me"),
        ("i_help", "i_help"),
        ("introductions", "introduce"),
    ):
        shown = [(m.need.id, m.offer.id) for m in getattr(single, group)]
        listed = [(m["need_id"], m["offer_id"]) for m in lines if m["question"] == question]
        assert listed[: len(shown)] == shown


def test_a_run_cut_short_resumes_from_its_finished_shards(org: Mutuality, tmp_path: Path) -> None:
    records = tmp_path / "records"
    searched: list[int] = []

    def failing_on_the_fourth(needs: Vectors, offers: Vectors, k: int, floor: float) -> Found:
        if len(searched) == 3:
            raise RuntimeError("worker lost")
        searched.append(1)
        return exact_search(needs, offers, k, floor)

    with pytest.raises(RuntimeError, match="worker lost"):
        match_on_cluster(org.matching, InProcess(failing_on_the_fourth), records, shard_offers=7)
    [folder] = records.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "shard-00000.npz",
        "shard-00001.npz",
        "shard-00002.npz",
    ]
    searched.clear()
    counting = InProcess(lambda *a: searched.append(1) or exact_search(*a))
    again = match_on_cluster(org.matching, counting, records, shard_offers=7)
    assert (again.embedded, again.resumed, len(searched)) == (0, 3, 6)
    same(again.report, org.matching.match("semantic", approximate=False))


def test_records_belong_to_their_inputs(tmp_path: Path) -> None:
    needs, offers = unit_vectors(50, seed=1), unit_vectors(80, seed=2)
    reference = exact_search(needs, offers, 12, 0.25)
    first, shards, resumed = sharded_search(InProcess(), needs, offers, 12, 0.25, tmp_path, 30)
    assert (shards, resumed) == (3, 0)
    np.testing.assert_array_equal(first[0], reference[0])
    # a record left by a run of other offers is never read for these
    other = unit_vectors(80, seed=3)
    stale = ShardRecords(tmp_path, cluster.run_key(needs, other, cluster.split(80, 3), 12, 0.25))
    stale.save(0, exact_search(needs, other[:27], 12, 0.25))
    found, _, resumed = sharded_search(InProcess(), needs, offers, 12, 0.25, tmp_path, 30)
    assert resumed == 0
    np.testing.assert_array_equal(found[0], reference[0])


def test_without_ray_the_cluster_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a)
    )
    with pytest.raises(ClusterUnavailable, match=r"mutuality\[cluster\]"):
        cluster.connect("local")
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(cli, ["--db", db, "match", "--cluster", "local"])
    assert result.exit_code == 2
    assert "pip install 'mutuality[cluster]'" in result.output
    for alone in (["match", "--cluster"], ["match", "--cluster", "--workers", "1"]):
        # no address is `local`: the same answer, not "requires an argument"
        result = CliRunner().invoke(cli, ["--db", db, *alone])
        assert result.exit_code == 2 and "pip install 'mutuality[cluster]'" in result.output
    result = CliRunner().invoke(
        cli, ["--db", db, "match", "--cluster", "local", "--method", "lexical"]
    )
    assert result.exit_code == 2 and "by meaning only" in result.output
    result = CliRunner().invoke(cli, ["--db", db, "match", "--output", str(tmp_path / "m.jsonl")])
    assert result.exit_code == 2 and "only with --cluster" in result.output


@pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
def test_on_postgresql_the_cluster_path_gives_the_single_machine_report(
    pg: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    fill_server_ledger(pg)
    done = match_on_cluster(pg.matching, InProcess(), tmp_path, shard_offers=15)
    assert (done.embedded, done.shards) == (70, 3)
    same(done.report, pg.matching.match("semantic", approximate=False))
    assert done.report.chosen > 3


def test_an_option_whose_value_may_be_left_out_gets_its_implied_one() -> None:
    from mutuality.cli.main import with_optional_values

    assert with_optional_values(["match", "--cluster"]) == ["match", "--cluster", "local"]
    assert with_optional_values(["network", "--cluster", "-f", "json"]) == [
        "network",
        "--cluster",
        "local",
        "-f",
        "json",
    ]
    given = ["match", "--cluster", "head:6379", "--save"]
    assert with_optional_values(given) == given
    assert with_optional_values(["gave", "ana", "--", "--cluster"]) == [
        "gave",
        "ana",
        "--",
        "--cluster",
    ]
