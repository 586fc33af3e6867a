"""L1: the CLI and the web app (two worker processes) write to one ledger at once.

A saved write is never answered as failed, no "database is locked" reaches anyone, and the
counts stay exact. The server runs as a real child process (`mutuality serve --workers 2`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

MUTUALITY = [str(Path(sys.executable).with_name("mutuality"))]
PASSWORD = "a long enough password"
API_WRITES = 500
CLI_WRITES = 500


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A ledger with one person, served by two workers; yields the base URL, the signed-in
    headers and the database path."""
    db = tmp_path / "ledger.db"
    env = {**os.environ, "MUTUALITY_DB": str(db)}
    subprocess.run([*MUTUALITY, "person", "add", "Lena Ortiz"], env=env, check=True)
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [*MUTUALITY, "serve", "--no-demo", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        token = None
        assert server.stdout is not None
        for line in server.stdout:
            found = re.search(r"/login/link/(\S+)", line)
            if found:
                token = found.group(1)
                break
        assert token, "no login link printed"
        threading.Thread(target=server.stdout.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        signed = _sign_in(base, token)
        yield base, signed, db
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        assert "Traceback" not in (tmp_path / "server.log").read_text()


def _sign_in(base: str, token: str) -> dict[str, str]:
    """The link works once: a long timeout, never a retry (the workers may still be starting:
    the port is bound first, so the request waits for them)."""
    answer = httpx.post(
        f"{base}/login/link/{token}",
        data={"password": PASSWORD, "confirm": PASSWORD},
        timeout=120,
    )
    assert "set-cookie" in answer.headers, (answer.status_code, answer.text[:500])
    return {"Cookie": answer.headers["set-cookie"].split(";")[0]}


def test_cli_and_two_web_workers_write_at_once_and_nothing_fails(served) -> None:
    base, signed, db = served
    person = httpx.get(f"{base}/api/people", headers=signed).json()["items"][0]["person"]["id"]
    api_failures: list[str] = []
    api_saved: list[int] = []

    def post(count: int) -> None:
        with httpx.Client(headers=signed, timeout=60) as client:
            for number in range(count):
                answer = client.post(
                    f"{base}/api/people/{person}/exchanges",
                    json={"direction": "gave", "kind": "time", "description": f"web {number}"},
                )
                if answer.status_code == 201:
                    api_saved.append(answer.json()["id"])
                else:
                    api_failures.append(f"{answer.status_code} {answer.text[:200]}")

    # The CLI side: one process logging through the real command, over and over (the
    # command's start-up is left out so that 500 writes fit in the time; the words it
    # prints, its exit code and its transactions are the real ones).
    cli = subprocess.Popen(
        [sys.executable, "-c", _CLI_LOOP, str(db), str(CLI_WRITES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    posters = [threading.Thread(target=post, args=(API_WRITES // 4,)) for _ in range(4)]
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join(timeout=600)
    cli_output, _ = cli.communicate(timeout=600)

    assert api_failures == []
    assert cli.returncode == 0, cli_output[-2000:]
    assert "locked" not in cli_output and "busy" not in cli_output
    assert cli_output.count("Logged #") == CLI_WRITES
    with sqlite3.connect(db) as connection:
        web = connection.execute("SELECT count(*) FROM exchanges WHERE description LIKE 'web %'")
        command_line = connection.execute(
            "SELECT count(*) FROM exchanges WHERE description LIKE 'cli %'"
        )
        assert web.fetchone()[0] == API_WRITES == len(set(api_saved))
        assert command_line.fetchone()[0] == CLI_WRITES
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


_CLI_LOOP = """
import sys
from typer.testing import CliRunner
from mutuality.cli.main import app

db, count = sys.argv[1], int(sys.argv[2])
runner = CliRunner()
failed = 0
for number in range(count):
    result = runner.invoke(app, ["--db", db, "gave", "lena", "-k", "time", "-w", f"cli {number}"])
    print(result.output, end="")
    failed += result.exit_code != 0
sys.exit(1 if failed else 0)
"""
