"""The PDF report's fonts: how long the PDF takes and how big it is, for the demo ledger and
for a ledger whose names are in nine scripts, each built in a fresh process (the first
PDF pays for reading the fonts' character maps) and then again in the same process.

    .venv/bin/python benchmarks/bench_report_fonts.py [--runs 5]

Targets: the demo's PDF under 1 s of CPU once the process is warm, and under 150 KiB; the
fonts' packages add under 30 MB of wheels to an install. On a shared, busy machine the
wall-clock times run several times the CPU times, so both are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from importlib import metadata
from pathlib import Path

from _common import describe_machine
from rich.console import Console
from rich.table import Table

TODAY = date(2026, 11, 23)
NAMES = (
    "Zoë Clarke",
    "Дарья Соколова",
    "Ελένη Παππά",
    "فاطمة الزهراء",
    "דוד כהן",
    "张伟",
    "山田花子",
    "김민준",
    "Sam 🙂",
)
FONT_PACKAGES = ("pymupdf-fonts", "manimgx-fonts", "noto-cjk-sans-otc", "uharfbuzz")

ONE_RUN = """
import json, sys, time
from datetime import date
from mutuality.reports import ReportFormat, render
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

with Mutuality.open(sys.argv[1], Settings(), today=lambda: date(2026, 11, 23)) as app:
    report = app.reports.quarter()
    started, cpu = time.perf_counter(), time.process_time()
    data = render(report, ReportFormat.PDF, date(2026, 11, 23))
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    render(report, ReportFormat.PDF, date(2026, 11, 23))
    again, again_cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"first": first, "again": again, "first cpu": first_cpu,
                  "again cpu": again_cpu, "bytes": len(data)}))
"""


def make_ledgers(folder: Path) -> dict[str, Path]:
    from mutuality.services.app import Mutuality
    from mutuality.services.demo.service import load_demo
    from mutuality.services.settings import Settings

    paths = {"demo": folder / "demo.db", "nine scripts": folder / "scripts.db"}
    with Mutuality.open(str(paths["demo"]), Settings(), today=lambda: TODAY) as app:
        load_demo(app)
    with Mutuality.open(str(paths["nine scripts"]), Settings(), today=lambda: TODAY) as app:
        for index, name in enumerate(NAMES):
            app.people.add(name)
            day = f"2026-10-{1 + index:02d}"
            app.ledger.log(name, "gave", kind="knowledge", what="Help", on=day, benefit=3, cost=1)
            app.ledger.log(name, "got", kind="support", what="Thanks", on=day, benefit=2, cost=1)
    return paths


def wheel_sizes() -> list[tuple[str, str, float]]:
    """Installed size of each font package (the files pip recorded), in MB."""
    sizes = []
    for name in FONT_PACKAGES:
        dist = metadata.distribution(name)
        total = sum((file.size or 0) for file in dist.files or ())
        sizes.append((name, dist.version, total / 1e6))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    console = Console()
    console.print(describe_machine())
    with tempfile.TemporaryDirectory() as folder:
        ledgers = make_ledgers(Path(folder))
        table = Table(title="PDF report (medians, s; size in KiB)")
        columns = ("first PDF in a process", "next PDF", "first (CPU)", "next (CPU)")
        for column in ("ledger", *columns, "size"):
            table.add_column(column, justify="right")
        for label, path in ledgers.items():
            runs = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [sys.executable, "-c", ONE_RUN, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            medians = [
                f"{statistics.median(run[key] for run in runs):.2f}"
                for key in ("first", "again", "first cpu", "again cpu")
            ]
            table.add_row(label, *medians, f"{runs[0]['bytes'] / 1024:.0f}")
        console.print(table)
    sizes = Table(title="Font packages, installed")
    for column in ("package", "version", "MB"):
        sizes.add_column(column)
    for name, version, megabytes in wheel_sizes():
        sizes.add_row(name, version, f"{megabytes:.1f}")
    console.print(sizes)


if __name__ == "__main__":
    main()
