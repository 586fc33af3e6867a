"""``mutuality serve``: loopback by default, the demo on first run (said to be demo data),
the address and a one-time login link; nothing started in these tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mutuality.cli import serve as serve_module
from mutuality.cli.main import app
from mutuality.core.errors import InvalidInput
from mutuality.web.settings import WebSettings

runner = CliRunner()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    monkeypatch.setattr(serve_module, "run_server", lambda *args: calls.append(args))
    return calls


def test_first_run_loads_the_demo_and_prints_the_address_and_a_link(
    tmp_path: Path, started: list[Any]
) -> None:
    db = str(tmp_path / "web.db")
    result = runner.invoke(app, ["--db", db, "serve", "--port", "8790"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Demo data" in text and "--no-demo" in text
    assert "http://127.0.0.1:8790/" in text
    assert re.search(r"http://127\.0\.0\.1:8790/login/link/[A-Za-z0-9_-]{43}", text)
    settings, _app = started[0]
    assert settings.host == "127.0.0.1" and settings.port == 8790 and settings.workers == 1
    again = runner.invoke(app, ["--db", db, "serve", "--no-demo"])
    assert "Demo data" not in again.stdout and "login/link/" in again.stdout


def test_no_demo_starts_empty(tmp_path: Path, started: list[Any]) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "e.db"), "serve", "--no-demo"])
    assert result.exit_code == 0 and "Demo data" not in result.stdout
    assert started[0][1].people.count() == 0


def test_other_hosts_need_an_explicit_flag(tmp_path: Path, started: list[Any]) -> None:
    db = str(tmp_path / "r.db")
    refused = runner.invoke(app, ["--db", db, "serve", "--host", "0.0.0.0", "--no-demo"])
    assert refused.exit_code == 2 and "--allow-remote" in refused.stderr and not started
    allowed = runner.invoke(
        app, ["--db", db, "serve", "--host", "0.0.0.0", "--allow-remote", "--no-demo"]
    )
    assert allowed.exit_code == 0 and "Warning" in allowed.stderr
    assert runner.invoke(app, ["--db", db, "serve", "--port", "0"]).exit_code == 2


def test_workers_share_the_login_allowance_and_reach_every_process(
    tmp_path: Path, started: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from mutuality.web.app import WORKER_ENV, from_environment, worker_environment

    db = str(tmp_path / "w.db")
    result = runner.invoke(app, ["--db", db, "serve", "--no-demo", "--workers", "2"])
    assert result.exit_code == 0, result.output
    settings, _app = started[0]
    assert settings.workers == 2 and settings.attempts_per_worker == 2  # 2 + 2 <= 5
    assert WebSettings(workers=8).attempts_per_worker == 1
    environment = worker_environment(settings, db)
    assert json.loads(environment[WORKER_ENV])["workers"] == 2
    monkeypatch.setenv(WORKER_ENV, environment[WORKER_ENV])
    worker = from_environment()
    assert worker.state.settings.workers == 2 and worker.state.limiter.attempts == 2
    worker.state.mutuality.close()
    assert runner.invoke(app, ["--db", db, "serve", "--workers", "0"]).exit_code == 2


def test_each_process_serves_pages_from_a_bounded_thread_pool(tmp_path: Path) -> None:
    import anyio
    import anyio.to_thread

    from mutuality.services.app import Mutuality
    from mutuality.web.app import create_app

    with Mutuality.open(str(tmp_path / "t.db")) as ledger:
        web = create_app(WebSettings(threads=3), ledger)

        async def started() -> float:
            async with web.router.lifespan_context(web):
                return anyio.to_thread.current_default_thread_limiter().total_tokens

        assert anyio.run(started) == 3
    with pytest.raises(InvalidInput):
        WebSettings(threads=0)


def test_a_server_process_settles_the_garbage_collector() -> None:
    import gc

    from mutuality.web.app import settle_collector

    before = gc.get_threshold()
    try:
        settle_collector()
        assert gc.get_threshold()[0] == 10_000 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
