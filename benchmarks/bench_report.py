"""The quarterly report for the owner of the generated network of 10k people and 1M
exchanges, built and rendered as HTML, PDF and Markdown.

    .venv/bin/python benchmarks/bench_report.py                      # 10k people, 1M exchanges
    .venv/bin/python benchmarks/bench_report.py --people 2000 --per-person 50 --runs 2
    .venv/bin/python benchmarks/bench_report.py --db /tmp/web.db      # reuse a loaded database

Steps:

* **load** (not timed here): the network as ``bench_web.py`` loads it (``people.bulk_add``
  and ``ledger.bulk_add``), today 2026-11-23, so the report is 2026Q4 against 2026Q3.
* **each run** opens the database afresh (no figure kept from an earlier run), then times
  the report's figures (``app.reports.quarter()``: health of every relationship at both
  quarters' ends, the network figures, the playbook, the ledger's sums) and each format's
  rendering; the totals are what ``mutuality report -o report.html`` (or ``.pdf``) costs
  after the database is open. The figures are then asked for again in the same process,
  as the web page does on its next load (health is kept until the next write).

Targets: HTML under 5 s and PDF under 15 s, from opening to the file's bytes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import describe_machine, peak_rss_mib
from bench_web import TODAY, load
from rich.console import Console
from rich.table import Table


def one_run(path: Path) -> dict[str, float]:
    from mutuality.reports import ReportFormat, render
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings

    times: dict[str, float] = {}
    with Mutuality.open(str(path), Settings(), today=lambda: TODAY) as app:
        started = time.perf_counter()
        report = app.reports.quarter()
        times["figures"] = time.perf_counter() - started
        for fmt in (ReportFormat.HTML, ReportFormat.PDF, ReportFormat.MD):
            started = time.perf_counter()
            data = render(report, fmt, TODAY)
            times[fmt.value] = time.perf_counter() - started
            times[f"{fmt.value} bytes"] = len(data)
        times["owner exchanges"] = report.totals.now.times_given + report.totals.now.times_received
        started = time.perf_counter()
        app.reports.quarter()
        times["again"] = time.perf_counter() - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--per-person", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="reuse (or create) this database file")
    args = parser.parse_args()
    print(f"Machine: {describe_machine()}")
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "report.db"
        if not path.exists():
            load(path, args.people, args.per_person)
        runs = [one_run(path) for _ in range(args.runs)]
    first = runs[0]
    print(
        f"The owner's exchanges this quarter: {first['owner exchanges']:.0f}; "
        f"HTML {first['html bytes'] / 1024:.0f} KiB, PDF {first['pdf bytes'] / 1024:.0f} KiB"
    )
    table = Table(title=f"Report 2026Q4, {args.runs} run(s), each from a fresh open")
    for column in ("step", "min (s)", "median (s)", "max (s)", "target"):
        table.add_column(column, justify="left" if column == "step" else "right")
    rows = {
        "figures (reports.quarter)": [r["figures"] for r in runs],
        "render HTML": [r["html"] for r in runs],
        "render PDF": [r["pdf"] for r in runs],
        "render Markdown": [r["md"] for r in runs],
        "figures again (kept until a write)": [r["again"] for r in runs],
        "HTML total": [r["figures"] + r["html"] for r in runs],
        "PDF total": [r["figures"] + r["pdf"] for r in runs],
    }
    targets = {"HTML total": "< 5", "PDF total": "< 15"}
    for name, values in rows.items():
        table.add_row(
            name,
            f"{min(values):.2f}",
            f"{statistics.median(values):.2f}",
            f"{max(values):.2f}",
            targets.get(name, ""),
        )
    Console().print(table)
    print(f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
