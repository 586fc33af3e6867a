"""Command line start-up: ``mutuality --help`` and one logged exchange, end to end.

    .venv/bin/python benchmarks/bench_startup.py              # 15 runs of each
    .venv/bin/python benchmarks/bench_startup.py --runs 30 --top 20

Every run is a fresh process of the ``mutuality`` script next to this interpreter, so the
figures include interpreter start-up, imports, opening the database and the write.
Targets (median): ``--help`` under 0.25 s, ``gave`` under 0.6 s. Then ``-X importtime``
shows where the import time of the CLI and of the ``gave`` path goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from _common import describe_machine, progress_bar
from rich.console import Console
from rich.table import Table

BIN = Path(sys.executable).parent
MUTUALITY = BIN / ("mutuality.exe" if os.name == "nt" else "mutuality")


@dataclass(frozen=True)
class Import:
    self_us: int
    cumulative_us: int
    name: str
    depth: int


def timed_runs(command: list[str], runs: int, label: str, env: dict[str, str]) -> list[float]:
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm the caches
    times = []
    with progress_bar() as bar:
        task = bar.add_task(label, total=runs)
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, check=False)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
            bar.advance(task)
    return times


def import_profile(arguments: list[str], env: dict[str, str]) -> list[Import]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    imports = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        own, cumulative, raw = line[len("import time:") :].split("|")
        depth = (len(raw) - len(raw.lstrip()) - 1) // 2
        imports.append(Import(int(own), int(cumulative), raw.strip(), depth))
    return imports


def by_package(title: str, imports: list[Import], top: int) -> Table:
    """Import time per top-level package: the sum of its modules' own (self) times."""
    own: dict[str, int] = defaultdict(int)
    for item in imports:
        own[item.name.split(".")[0]] += item.self_us
    total = sum(own.values())
    table = Table("package", "self time", "share", title=f"{title}: {total / 1000:.0f} ms")
    for name, micros in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        table.add_row(name, f"{micros / 1000:.1f} ms", f"{micros / max(total, 1):.0%}")
    return table


def heaviest_imports(title: str, imports: list[Import], top: int) -> Table:
    """The single imports that cost most, counting what each pulled in (cumulative)."""
    table = Table("module", "cumulative", "self", title=title)
    for item in sorted(imports, key=lambda i: -i.cumulative_us)[:top]:
        table.add_row(
            "  " * item.depth + item.name,
            f"{item.cumulative_us / 1000:.1f} ms",
            f"{item.self_us / 1000:.1f} ms",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    console = Console(width=max(Console().width, 100))
    console.print(f"[bold]CLI start-up[/] on {describe_machine()}")
    if not MUTUALITY.exists():
        raise SystemExit(f"no {MUTUALITY}: install the package (pip install -e .) first")

    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "startup.db")
        env = {
            **os.environ,
            "MUTUALITY_CONFIG": str(Path(scratch) / "absent.toml"),
            "COLUMNS": "100",
            "NO_COLOR": "1",
        }
        env.pop("MUTUALITY_DB", None)
        subprocess.run(
            [str(MUTUALITY), "--db", db, "person", "add", "Ana Lima"],
            env=env,
            capture_output=True,
            check=True,
        )
        gave = [
            str(MUTUALITY),
            "--db",
            db,
            "gave",
            "Ana Lima",
            "--kind",
            "time",
            "--what",
            "coffee",
        ]
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            (
                "python -c 'import mutuality.cli.main'",
                [sys.executable, "-c", "import mutuality.cli.main"],
                None,
            ),
            ("mutuality --help", [str(MUTUALITY), "--help"], 0.25),
            ('mutuality gave "Ana Lima" --kind time --what coffee', gave, 0.6),
        ]
        table = Table("command", "median", "min", "max", "target")
        for label, command, target in cases:
            times = timed_runs(command, args.runs, label, env)
            median = statistics.median(times)
            verdict = (
                "" if target is None else (f"< {target} s {'met' if median < target else 'MISSED'}")
            )
            table.add_row(
                label,
                f"{median * 1000:.0f} ms",
                f"{min(times) * 1000:.0f} ms",
                f"{max(times) * 1000:.0f} ms",
                verdict,
            )
        console.print(table)

        cli_imports = import_profile(["-c", "import mutuality.cli.main"], env)
        gave_imports = import_profile(["-m", "mutuality", *gave[1:]], env)
    console.print(by_package("import mutuality.cli.main", cli_imports, args.top))
    console.print(
        heaviest_imports("import mutuality.cli.main: heaviest imports", cli_imports, args.top)
    )
    gave_title = "the gave path (python -m mutuality ... gave ...)"
    console.print(by_package(gave_title, gave_imports, args.top))
    console.print(heaviest_imports(f"{gave_title}: heaviest imports", gave_imports, args.top))
    loaded_late = sorted({i.name for i in gave_imports} - {i.name for i in cli_imports})
    roots = sorted({name.split(".")[0] for name in loaded_late})
    console.print(
        f"gave imports {len(loaded_late)} modules beyond the CLI's own, from: "
        f"{', '.join(roots) or 'none'}"
    )


if __name__ == "__main__":
    main()
