"""The organisation-scale path on a real local Ray cluster (2 CPUs, loopback only, no
dashboard): the same answer as the single-machine path, and the same answer again when a
worker dies mid-run. Slow, and skipped where Ray (``mutuality[cluster]``) is not installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from test_matching_cluster import org, same  # noqa: F401 (the fixture, one definition)

from mutuality.core.matching.pipeline import candidates, run
from mutuality.core.matching.shards import Found, exact_search, width
from mutuality.core.matching.vectors import Vectors
from mutuality.core.matching.weights import Weights
from mutuality.services.app import Mutuality
from mutuality.services.matching.cluster import (
    ClusterFailed,
    OnRay,
    match_on_cluster,
    sharded_search,
)
from mutuality.services.matching.embeddings import compared_text
from mutuality.synthetic.matching import people, unit_vectors

pytestmark = pytest.mark.slow

SEMANTIC = Weights(min_similarity=Weights().min_meaning)


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def case() -> tuple[np.ndarray, np.ndarray, Found]:
    needs, offers = unit_vectors(10_000, seed=21), unit_vectors(10_000, seed=22)
    return needs, offers, candidates(needs, offers, SEMANTIC)


def plans_equal(found: Found, reference: Found) -> None:
    np.testing.assert_array_equal(found[0], reference[0])
    np.testing.assert_array_equal(found[1], reference[1])
    who = people(10_000, 10_000, members=15_000, seed=23)
    args = (who.need_person, who.offer_person, who.owner, who.facts, who.excluded_pairs, SEMANTIC)
    mine, theirs = run(*found, *args), run(*reference, *args)
    assert theirs.chosen.sum() > 1_000
    np.testing.assert_array_equal(mine.chosen, theirs.chosen)
    np.testing.assert_array_equal(mine.scored.score, theirs.scored.score)


def test_ten_thousand_by_ten_thousand_on_ray_equals_one_machine(
    local_cluster: None, case: tuple[np.ndarray, np.ndarray, Found], tmp_path: Path
) -> None:
    needs, offers, reference = case
    found, shards, resumed = sharded_search(
        OnRay(workers=2), needs, offers, width(SEMANTIC), 0.25, tmp_path, shard_offers=1_500
    )
    assert (shards, resumed) == (7, 0)
    plans_equal(found, reference)


def test_a_worker_killed_mid_run_gives_the_same_answer(
    local_cluster: None, case: tuple[np.ndarray, np.ndarray, Found], tmp_path: Path
) -> None:
    needs, offers, reference = case
    marker = tmp_path / "killed"

    def dies_once(needs: Vectors, offers: Vectors, k: int, floor: float) -> Found:
        if not marker.exists():
            marker.touch()
            os._exit(1)  # the worker process itself goes, as when a machine is lost
        return exact_search(needs, offers, k, floor)

    executor = OnRay(workers=2, search_one=dies_once, max_retries=2)
    found, shards, _ = sharded_search(
        executor, needs, offers, width(SEMANTIC), 0.25, tmp_path / "records", shard_offers=2_500
    )
    assert marker.exists() and shards == 4
    plans_equal(found, reference)


def test_embedding_on_ray_stores_what_one_machine_would(
    local_cluster: None,
    org: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    # in the single-machine path's order: needs, then offers, each by id
    needs, offers = (sorted(org.needs.list(kind), key=lambda w: w.id) for kind in ("need", "offer"))
    done = match_on_cluster(org.matching, OnRay(workers=2), tmp_path, shard_offers=20)
    assert (done.embedded, done.shards, done.workers) == (100, 3, 2)
    stored = np.vstack(org.matching.embeddings.vectors(needs, offers))
    here = org.matching.embeddings.encoder.encode([compared_text(w) for w in [*needs, *offers]])
    np.testing.assert_array_equal(stored, here)
    same(done.report, org.matching.match("semantic", approximate=False))


def test_the_command_on_a_local_cluster_prints_the_single_machine_matches(
    org: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    pytest.importorskip("ray", reason="Ray is an extra: pip install 'mutuality[cluster]'")
    database = str(org.database.url.database)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    output = tmp_path / "matches.jsonl"
    command = [sys.executable, "-m", "mutuality", "--db", database, "match"]
    done = subprocess.run(
        [*command, "--cluster", "local", "--workers", "1", "--format", "json", "-o", str(output)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 workers: 100 texts embedded, 1 shards searched" in done.stderr
    single = subprocess.run(
        [*command, "--exact", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    mine, theirs = json.loads(done.stdout), json.loads(single.stdout)
    for group in ("help_me", "i_help", "introductions"):
        assert [(m["need_id"], m["offer_id"], m["score"]) for m in mine[group]] == [
            (m["need_id"], m["offer_id"], m["score"]) for m in theirs[group]
        ]
    assert mine["chosen"] == theirs["chosen"] > 5
    lines = output.read_text().splitlines()
    # (the note is wrapped at the terminal's width, even inside the path: compare unwrapped)
    written = f"{len(lines)} matches written to {output}"
    assert "".join(written.split()) in "".join(done.stderr.split())


def test_a_shard_that_keeps_failing_stops_the_run_saying_how_to_resume(
    local_cluster: None, tmp_path: Path
) -> None:
    def refuses(needs: Vectors, offers: Vectors, k: int, floor: float) -> Found:
        raise ValueError("no memory left")

    needs, offers = unit_vectors(200, seed=24), unit_vectors(3_000, seed=25)
    with pytest.raises(ClusterFailed, match=r"shard \d+ \(offers \d+ to \d+\) failed") as error:
        sharded_search(
            OnRay(workers=2, search_one=refuses), needs, offers, 12, 0.25, tmp_path, 1_000
        )
    assert "run the same command again to resume" in error.value.message
