"""What the load benchmarks share: a free loopback port, locust run headless against a
server with its figures read back, and the table they are printed in."""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.table import Table


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_locust(
    locustfile: Path, base: str, users: int, seconds: int, folder: Path, env: dict[str, str]
) -> tuple[list[dict[str, str]], dict[str, int]]:
    """locust headless against ``base``: each request kind's figures, and every write's
    answer as the locustfile counted it (in ``BENCH_ANSWERS``)."""
    prefix = folder / "locust"
    answers = folder / "answers.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(locustfile),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 2)),
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "30",
        ],
        env={**env, "BENCH_ANSWERS": str(answers)},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    return rows, json.loads(answers.read_text())


def locust_table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in ("request", "count", "failures", "req/s", "median ms", "p95 ms"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["Name"],
            row["Request Count"],
            row["Failure Count"],
            f"{float(row['Requests/s']):.1f}",
            row["Median Response Time"],
            row["95%"],
        )
    return table
