"""Saved organisation-scale runs (services/matching/runs.py): the plan kept in the database
in batches, and a run cut short (in its search, or in writing its plan) finished by the
next with the same result; on SQLite, and on PostgreSQL where a server answers. Runs the
resumable path in this process (``InProcess``): no Ray needed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert
from test_matching_cluster import (  # noqa: F401 (the fixture, one definition)
    DEV,
    fill_server_ledger,
    org,
    same,
)
from test_postgres import SERVER, pg, pg_url  # noqa: F401 (the fixtures, one definition)
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import NotFound
from mutuality.core.matching.shards import Found, exact_search
from mutuality.core.matching.vectors import Vectors
from mutuality.services.app import Mutuality
from mutuality.services.matching import runs as runs_module
from mutuality.services.matching.cluster import InProcess, match_on_cluster
from mutuality.store.tables import MatchRunMatchRow, MatchRunShardRow


def saved(app: Mutuality, run_id: int) -> list[dict[str, Any]]:
    return list(app.matching.runs.matches(run_id))


def shard_rows(app: Mutuality) -> int:
    with app.database.read() as session:
        return session.query(MatchRunShardRow).count()


def failing_after(count: int) -> Callable[[Vectors, Vectors, int, float], Found]:
    searched: list[int] = []

    def search(needs: Vectors, offers: Vectors, k: int, floor: float) -> Found:
        if len(searched) == count:
            raise RuntimeError("worker lost")
        searched.append(1)
        return exact_search(needs, offers, k, floor)

    return search


def test_a_saved_run_keeps_its_plan_as_the_file_has_it(
    org: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    output = tmp_path / "matches.jsonl"
    done = match_on_cluster(
        org.matching, InProcess(), shard_offers=7, output=output, save=True, limit=50
    )
    assert done.run_id is not None and done.shards == 9
    same(done.report, org.matching.match("semantic", approximate=False, limit=50))
    run = org.matching.runs.get(done.run_id)
    assert (run.state, run.needs, run.offers, run.shards, run.shards_done) == ("done", 40, 60, 9, 9)
    rows = saved(org, done.run_id)
    assert run.chosen == run.written == len(rows) == done.written > 5
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [(r["need_id"], r["offer_id"], r["question"]) for r in rows] == [
        (m["need_id"], m["offer_id"], m["question"]) for m in lines
    ]
    assert [round(r["score"], 4) for r in rows] == [m["score"] for m in lines]
    shown = [(m.need.id, m.offer.id) for m in done.report.help_me]
    assert [(r["need_id"], r["offer_id"]) for r in rows if r["question"] == "help_me"][
        : len(shown)
    ] == shown
    assert shard_rows(org) == 0  # the shards' lists go once the plan is written
    assert list(org.matching.runs.matches(done.run_id, limit=3, offset=2)) == rows[2:5]


def test_a_run_cut_short_in_its_search_resumes_from_the_database(
    org: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    with pytest.raises(RuntimeError, match="worker lost"):
        match_on_cluster(org.matching, InProcess(failing_after(3)), shard_offers=7, save=True)
    [run] = org.matching.runs.list()
    assert (run.state, run.shards_done, run.written) == ("searching", 3, 0)
    assert shard_rows(org) == 3
    searched: list[int] = []
    counting = InProcess(lambda *a: searched.append(1) or exact_search(*a))
    again = match_on_cluster(org.matching, counting, shard_offers=7, save=True)
    assert (again.run_id, again.resumed, len(searched)) == (run.id, 3, 6)
    same(again.report, org.matching.match("semantic", approximate=False))
    # the same plan as a run that was never interrupted
    whole = match_on_cluster(org.matching, InProcess(), shard_offers=7, save=True)
    assert whole.run_id != run.id and whole.resumed == 0
    assert saved(org, run.id) == saved(org, whole.run_id)


KILLED_AFTER_THREE_SHARDS = """
import os, signal, sys
from mutuality.core.matching.shards import exact_search
from mutuality.services.app import Mutuality
from mutuality.services.matching.cluster import InProcess, match_on_cluster

searched = []

def search(*arguments):
    if len(searched) == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # the command killed, no clean-up of any kind
    searched.append(1)
    return exact_search(*arguments)

with Mutuality.open(sys.argv[1]) as app:
    match_on_cluster(app.matching, InProcess(search), shard_offers=7, save=True)
"""


def test_a_killed_command_is_finished_by_the_next_run(
    org: Mutuality,  # noqa: F811
) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_THREE_SHARDS, str(org.database.path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    [run] = org.matching.runs.list()
    assert (run.state, run.shards_done) == ("searching", 3)
    searched: list[int] = []
    counting = InProcess(lambda *a: searched.append(1) or exact_search(*a))
    again = match_on_cluster(org.matching, counting, shard_offers=7, save=True)
    assert (again.run_id, again.resumed, len(searched)) == (run.id, 3, 6)
    whole = match_on_cluster(org.matching, InProcess(), shard_offers=7, save=True)
    assert saved(org, run.id) == saved(org, whole.run_id)  # type: ignore[arg-type]


def test_a_plan_cut_short_while_written_is_finished_by_the_next_run(
    org: Mutuality,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = match_on_cluster(org.matching, InProcess(), shard_offers=7, save=True)
    expected = saved(org, reference.run_id)  # type: ignore[arg-type]
    monkeypatch.setattr(runs_module, "BATCH", 4)
    real, calls = runs_module.insert, []

    def lost_on_the_third(table: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("driver killed")
        return real(table)

    monkeypatch.setattr(runs_module, "insert", lost_on_the_third)
    with pytest.raises(RuntimeError, match="driver killed"):
        match_on_cluster(org.matching, InProcess(), shard_offers=7, save=True)
    cut = org.matching.runs.list()[0]
    assert (cut.state, cut.written, cut.shards_done) == ("writing", 8, 9)
    searched: list[int] = []
    counting = InProcess(lambda *a: searched.append(1) or exact_search(*a))
    again = match_on_cluster(org.matching, counting, shard_offers=7, save=True)
    assert (again.run_id, again.resumed, searched) == (cut.id, 9, [])
    assert saved(org, cut.id) == expected
    assert org.matching.runs.get(cut.id).state == "done"


def test_a_changed_plan_is_written_again_from_the_start(org: Mutuality) -> None:  # noqa: F811
    runs = org.matching.runs
    run_id = runs.begin("k" * 32, 3, 3, 1, "exact")
    row = dict.fromkeys(runs_module.MATCH_FIELDS, 1) | {"question": "help_me", "two_way": False}
    first = [row | {"need_id": n} for n in range(5)]
    runs.write_plan(run_id, first, 5)
    assert runs.begin("k" * 32, 3, 3, 1, "exact") != run_id  # a done run is not taken up
    other = runs.begin("m" * 32, 3, 3, 1, "exact")
    with org.database.write() as session:  # a write cut short after two matches
        session.execute(
            insert(MatchRunMatchRow),
            [{"run_id": other, "position": i, **first[i]} for i in range(2)],
        )
    changed = [row | {"need_id": n} for n in range(10, 13)]
    assert runs.write_plan(other, changed, 3) == 3
    assert saved(org, other) == changed
    runs.delete(other)
    with pytest.raises(NotFound):
        runs.get(other)


def test_the_commands_show_a_saved_run(
    org: Mutuality,  # noqa: F811
    tmp_path: Path,
) -> None:
    done = match_on_cluster(org.matching, InProcess(), shard_offers=30, save=True)
    db = ["--db", str(org.database.path)]
    listed = json.loads(CliRunner().invoke(cli, [*db, "match", "runs", "-f", "json"]).stdout)
    assert [r["id"] for r in listed] == [done.run_id]
    assert listed[0]["state"] == "done" and listed[0]["chosen"] == listed[0]["written"] > 3
    result = CliRunner().invoke(
        cli, [*db, "match", "run", str(done.run_id), "--limit", "3", "-f", "json"]
    )
    shown = json.loads(result.stdout)
    assert shown["run"]["id"] == done.run_id and len(shown["matches"]) == 3
    assert set(shown["matches"][0]) == set(runs_module.MATCH_FIELDS)
    out = tmp_path / "all.jsonl"
    CliRunner().invoke(cli, [*db, "match", "run", str(done.run_id), "-o", str(out)])
    assert len(out.read_text().splitlines()) == listed[0]["written"]
    text = CliRunner().invoke(cli, [*db, "match", "runs"]).stdout
    assert f"run {done.run_id}: 40 needs x 60 offers" in text
    gone = CliRunner().invoke(cli, [*db, "match", "run", "999"])
    assert gone.exit_code == 2 and "no match run 999" in gone.output
    result = CliRunner().invoke(cli, [*db, "match", "--save"])
    assert result.exit_code == 2 and "only with --cluster" in result.output


@pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
def test_on_postgresql_a_run_cut_short_resumes_and_keeps_its_plan(
    pg: Mutuality,  # noqa: F811
) -> None:
    fill_server_ledger(pg)
    with pytest.raises(RuntimeError, match="worker lost"):
        match_on_cluster(pg.matching, InProcess(failing_after(1)), shard_offers=15, save=True)
    again = match_on_cluster(pg.matching, InProcess(), shard_offers=15, save=True)
    assert (again.shards, again.resumed) == (3, 1)
    same(again.report, pg.matching.match("semantic", approximate=False))
    whole = match_on_cluster(pg.matching, InProcess(), shard_offers=15, save=True)
    rows = saved(pg, again.run_id)  # type: ignore[arg-type]
    assert rows == saved(pg, whole.run_id) and len(rows) > 3  # type: ignore[arg-type]
    assert shard_rows(pg) == 0


@pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
def test_on_a_team_server_a_members_saved_runs_are_their_own(
    pg_url: str,  # noqa: F811
) -> None:
    from conftest import TODAY

    from mutuality.services.settings import Settings

    def member(ledger: int, name: str) -> Mutuality:
        return Mutuality.open(pg_url, Settings(owner_name=name), today=lambda: TODAY, ledger=ledger)

    with member(1, "Ana Lima") as ana, member(2, "Bo Chen") as bo:
        runs = ana.matching.runs
        run_id = runs.begin("k" * 32, 2, 2, 1, "exact")
        needs, offers = np.eye(2, 4, dtype=np.float32), np.eye(3, 4, dtype=np.float32)
        runs.shards(run_id).save(0, exact_search(needs, offers, 2, 0.5))
        assert bo.matching.runs.shards(run_id).done() == set()
        row = dict.fromkeys(runs_module.MATCH_FIELDS, 1) | {"question": "help_me", "two_way": False}
        runs.write_plan(run_id, [row], 1)
        assert [r.id for r in runs.list()] == [run_id] and saved(ana, run_id) == [row]
        assert bo.matching.runs.list() == []
        with pytest.raises(NotFound):
            bo.matching.runs.get(run_id)
        assert bo.matching.runs.begin("k" * 32, 2, 2, 1, "exact") != run_id
