"""Saved runs and the network figures on a real local Ray cluster (2 CPUs, loopback only, no
dashboard): a saved run that loses a worker keeps the plan of an uninterrupted run, and the
network report computed by Ray tasks is the single-machine report. Slow, and skipped where
Ray (``mutuality[cluster]``) is not installed."""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from test_matching_cluster import org  # noqa: F401 (the fixture, one definition)
from test_matching_cluster_ray import local_cluster  # noqa: F401 (the fixture, one definition)
from test_network_cluster import (
    HALF_LIFE,
    WINDOW,
    generated,
    network_ledger,  # noqa: F401 (the fixture, one definition)
    same_pairs,
    same_report,
)

from mutuality.core.analytics import PairFigures, pair_figures
from mutuality.core.analytics_shards import merge_pairs, split_ledger
from mutuality.core.matching.shards import Found, exact_search
from mutuality.core.matching.vectors import Vectors
from mutuality.services.app import Mutuality
from mutuality.services.health.cluster import network_on_cluster
from mutuality.services.matching.cluster import InProcess, OnRay, match_on_cluster

pytestmark = pytest.mark.slow


def test_a_saved_run_that_loses_a_worker_keeps_the_uninterrupted_plan(
    local_cluster: None,
    org: Mutuality,
    tmp_path: Path,
) -> None:
    marker = tmp_path / "killed"

    def dies_once(needs: Vectors, offers: Vectors, k: int, floor: float) -> Found:
        if not marker.exists():
            marker.touch()
            os._exit(1)  # the worker process itself goes, as when a machine is lost
        return exact_search(needs, offers, k, floor)

    executor = OnRay(workers=2, search_one=dies_once, max_retries=2)
    on_ray = match_on_cluster(org.matching, executor, shard_offers=7, save=True)
    assert marker.exists() and on_ray.shards == 9
    here = match_on_cluster(org.matching, InProcess(), shard_offers=7, save=True)
    assert on_ray.run_id != here.run_id
    mine = list(org.matching.runs.matches(on_ray.run_id))  # type: ignore[arg-type]
    theirs = list(org.matching.runs.matches(here.run_id))  # type: ignore[arg-type]
    assert [(m["need_id"], m["offer_id"], m["question"]) for m in mine] == [
        (m["need_id"], m["offer_id"], m["question"]) for m in theirs
    ]
    assert [m["score"] for m in mine] == pytest.approx([m["score"] for m in theirs], abs=1e-6)
    assert len(mine) > 5


def test_pair_figures_on_ray_equal_the_whole(local_cluster: None) -> None:
    exchanges, touches = generated(3_000, 30, seed=22)
    whole = pair_figures(exchanges, touches, TODAY, HALF_LIFE, WINDOW)
    cut = split_ledger(exchanges, touches, 6)
    found = dict(OnRay(workers=2).pairs(cut, TODAY, HALF_LIFE, WINDOW))
    same_pairs(merge_pairs([found[n] for n in range(6)]), whole)


def test_pair_figures_on_ray_that_lose_a_worker_equal_the_whole(
    local_cluster: None, tmp_path: Path
) -> None:
    exchanges, touches = generated(2_000, 20, seed=24)
    marker = tmp_path / "killed"

    def dies_once(*arguments: Any) -> PairFigures:
        if not marker.exists():
            marker.touch()
            os._exit(1)  # the worker process itself goes, as when a machine is lost
        return pair_figures(*arguments)

    cut = split_ledger(exchanges, touches, 4)
    executor = OnRay(workers=2, pairs_one=dies_once, max_retries=2)
    found = dict(executor.pairs(cut, TODAY, HALF_LIFE, WINDOW))
    assert marker.exists()
    same_pairs(
        merge_pairs([found[n] for n in range(4)]),
        pair_figures(exchanges, touches, TODAY, HALF_LIFE, WINDOW),
    )


def test_the_network_report_on_ray_is_the_single_machine_report(
    local_cluster: None,
    network_ledger: Mutuality,
) -> None:
    done = network_on_cluster(network_ledger.health, OnRay(workers=2))
    assert (done.parts, done.workers) == (4, 2)
    same_report(done.report, network_ledger.health.network())


def test_the_network_command_on_a_local_cluster_prints_the_single_machine_report(
    network_ledger: Mutuality,
    tmp_path: Path,
) -> None:
    pytest.importorskip("ray", reason="Ray is an extra: pip install 'mutuality[cluster]'")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "mutuality", "--db", str(network_ledger.database.path)]
    done = subprocess.run(
        [*command, "network", "--cluster", "local", "--workers", "2", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "on 2 workers:" in done.stderr and "in 4 parts" in done.stderr
    single = subprocess.run(
        [*command, "network", "--format", "json"], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == json.loads(single.stdout)


def test_the_match_command_on_a_local_cluster_saves_its_run(
    org: Mutuality,
    tmp_path: Path,
) -> None:
    pytest.importorskip("ray", reason="Ray is an extra: pip install 'mutuality[cluster]'")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "mutuality", "--db", str(org.database.path), "match"]
    done = subprocess.run(
        [*command, "--cluster", "local", "--workers", "1", "--save", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "savedasrun1(`matchrun1`)" in "".join(done.stderr.split())  # however wrapped
    assert not any(tmp_path.rglob("shard-*"))  # a saved run keeps its shards in the database
    shown = subprocess.run(
        [*command, "run", "1", "--limit", "1000", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    saved = json.loads(shown.stdout)
    assert saved["run"]["state"] == "done" and saved["run"]["written"] == len(saved["matches"])
    report = json.loads(done.stdout)
    first = report["help_me"][0]
    assert {"need_id": first["need_id"], "offer_id": first["offer_id"]}.items() <= next(
        m for m in saved["matches"] if m["question"] == "help_me"
    ).items()
