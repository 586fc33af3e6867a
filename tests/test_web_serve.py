"""``mutuality serve``: loopback by default, the demo on first run (said to be demo data),
the port bound before anything is printed, then the address and a one-time login link.
Most tests start nothing; the last ones start the real server in a child process."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
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
    """``run_server`` recorded instead of run, with whether its socket took a connection;
    the port asked for is bound as a free one, so these tests never collide with a server
    already running here."""
    calls: list[Any] = []
    listen = serve_module.listen

    def record(settings: WebSettings, ledger: Any, sock: socket.socket) -> None:
        with socket.create_connection(sock.getsockname()[:2], timeout=5):
            calls.append((settings, ledger, sock))

    monkeypatch.setattr(serve_module, "listen", lambda host, _port: listen(host, 0))
    monkeypatch.setattr(serve_module, "run_server", record)
    return calls


@pytest.fixture
def taken() -> Iterator[int]:
    """A loopback port another program is listening on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


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
    settings, _app, sock = started[0]  # it took a connection: listening before any print
    assert settings.host == "127.0.0.1" and settings.port == 8790 and settings.workers == 1
    assert sock.fileno() == -1  # closed when the server stops
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
    settings, _app, _sock = started[0]
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


# --- the port is bound before anything is printed ------------------------------------------------


def test_a_taken_port_says_so_and_prints_no_address_or_link(
    tmp_path: Path, taken: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutuality.services.app import Mutuality
    from mutuality.store.tables import LoginLinkRow

    calls: list[Any] = []
    monkeypatch.setattr(serve_module, "run_server", lambda *args: calls.append(args))
    db = tmp_path / "taken.db"
    result = runner.invoke(app, ["--db", str(db), "serve", "--port", str(taken)])
    assert result.exit_code == 2, result.output
    assert not calls
    message = " ".join(result.stderr.split())
    assert f"port {taken} on 127.0.0.1 is taken" in message and "--port" in message
    assert "running at" not in result.stdout and "login/link" not in result.stdout
    with Mutuality.open(str(db)) as ledger, ledger.database.read() as session:
        assert session.query(LoginLinkRow).count() == 0  # no link was made either


def test_listen_names_the_problem_and_the_option_that_changes_it(taken: int) -> None:
    with pytest.raises(InvalidInput, match=r"is taken .*--port") as caught:
        serve_module.listen("127.0.0.1", taken)
    assert caught.value.field == "port" and caught.value.value == taken
    with pytest.raises(InvalidInput, match="--host") as not_here:
        serve_module.listen("192.0.2.1", 8765)  # TEST-NET-1: an address of no machine here
    assert not_here.value.field == "host"
    bound = serve_module.listen("localhost", 0)
    try:
        assert bound.getsockname()[0] == "127.0.0.1" and bound.get_inheritable()
    finally:
        bound.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mutuality", "--db", str(db), "serve", "--no-demo", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def printed_link(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    for line in server.stdout:
        if found := re.search(r"http://\S+/login/link/\S+", line):
            return found.group(0)
    problem = server.stderr.read() if server.stderr else ""
    raise AssertionError(f"no link printed; stderr: {problem}")


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def opens(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_printed_link_works_at_once_and_a_second_server_on_the_port_prints_none(
    tmp_path: Path,
) -> None:
    """The issue as it was met: a second ``serve`` on a taken port printed 'running at' and
    a link (valid on the first server, through the shared ledger), then exited 3."""
    db, port = tmp_path / "live.db", free_port()
    first = start(db, "--port", str(port))
    try:
        link = printed_link(first)  # printed only once the port listens: no retry needed
        second = subprocess.run(
            [sys.executable, "-m", "mutuality", "--db", str(db), "serve", "--port", str(port)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2, second.stderr
        assert "login/link" not in second.stdout and "running at" not in second.stdout
        assert f"port {port} on 127.0.0.1 is taken" in " ".join(second.stderr.split())
        assert opens(link) == 200  # the first server's link still works
        stop(first)
        again = start(db, "--port", str(port), "--login-link")
        try:
            newer = printed_link(again)
            assert opens(newer) == 200
            assert opens(link) == 403  # a new link revoked the one printed before
        finally:
            stop(again)
    finally:
        stop(first)


@pytest.mark.slow
def test_two_workers_serve_from_the_socket_bound_first(tmp_path: Path) -> None:
    db, port = tmp_path / "workers.db", free_port()
    server = start(db, "--port", str(port), "--workers", "2")
    try:
        link = printed_link(server)
        assert [opens(link) for _ in range(4)] == [200] * 4
        assert opens(f"http://127.0.0.1:{port}/api/ping") == 200
    finally:
        stop(server)
