"""L3/L4: `mutuality serve` on loopback under a mixed load, with locust.

    .venv/bin/pip install -e '.[bench]'                               # locust
    .venv/bin/python benchmarks/bench_load.py            # 20 users, 60 s, 1 then 2 workers
    .venv/bin/python benchmarks/bench_load.py --users 20 --seconds 60 --workers 2

Steps: a fresh SQLite ledger with the demo network (what `serve` loads on first run); a
password set through a one-time login link, which also gives the session cookie; `mutuality
serve --workers N` in a child process (the real command: bound port, access log); locust
headless against it, three reads (the dashboard, the people API, a person's page) for every
write (an exchange logged through the REST API). Reported: requests, failures, requests per
second, the median and 95th percentile of each kind, and the exchanges the database holds
afterwards against the writes locust saw succeed (they must be equal).

Target (docs/reliability.md L4): 0 errors, p95 under 250 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _common import describe_machine
from _locust import free_port, locust_table, run_locust
from rich.console import Console

PASSWORD = "benchmark password 1"
HERE = Path(__file__).parent
console = Console()


def _prepare(db: Path) -> list[int]:
    from mutuality.services.app import Mutuality
    from mutuality.services.demo.service import load_demo

    with Mutuality.open(str(db)) as app:
        load_demo(app)
        return [person.id for person in app.people.list()][:40]


def run(workers: int, users: int, seconds: int, folder: Path) -> dict[str, object]:
    db = folder / f"load-{workers}.db"
    people = _prepare(db)
    env = {**os.environ, "MUTUALITY_DB": str(db)}
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("mutuality")),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=(folder / f"server-{workers}.log").open("w"),
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        token = None
        assert server.stdout is not None
        for line in server.stdout:
            if found := re.search(r"/login/link/(\S+)", line):
                token = found.group(1)
                break
        if token is None:
            raise SystemExit("serve printed no login link")
        threading.Thread(target=server.stdout.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        signed = httpx.post(
            f"{base}/login/link/{token}",
            data={"password": PASSWORD, "confirm": PASSWORD},
            timeout=120,
        )
        cookie = signed.headers["set-cookie"].split(";")[0]
        before = _exchanges(db)
        rows, answers = run_locust(
            HERE / "locustfile.py",
            base,
            users,
            seconds,
            folder,
            {**env, "BENCH_COOKIE": cookie, "BENCH_PEOPLE": ",".join(map(str, people))},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = int(answers.get("201", 0))
    log = (folder / f"server-{workers}.log").read_text()
    trouble = [
        line
        for line in log.splitlines()
        if "rror" in line or "unavailable" in line or "busy" in line or "locked" in line
    ]
    return {
        "trouble": trouble[:20],
        "workers": workers,
        "rows": rows,
        "saved": saved,
        "answers": answers,
        "stored": _exchanges(db) - before,
    }


def _exchanges(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        found = connection.execute("SELECT count(*) FROM exchanges WHERE description = 'load test'")
        return int(found.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    console.print(describe_machine())
    with tempfile.TemporaryDirectory() as folder:
        for workers in args.workers:
            started = time.monotonic()
            result = run(workers, args.users, args.seconds, Path(folder))
            table = locust_table(
                f"serve --workers {workers}: {args.users} users, {args.seconds} s, "
                "3 reads : 1 write",
                result["rows"],  # type: ignore[arg-type]
            )
            console.print(table)
            for line in result["trouble"]:  # type: ignore[union-attr]
                console.print(f"[yellow]server[/]: {line}", markup=True, highlight=False)
            console.print(
                f"writes answered 201: {result['saved']} (all answers: {result['answers']}); "
                f"exchanges stored: {result['stored']} "
                f"({time.monotonic() - started:.0f} s in all)"
            )


if __name__ == "__main__":
    main()
