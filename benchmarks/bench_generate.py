"""Synthetic network generator: throughput and peak memory.

    .venv/bin/python benchmarks/bench_generate.py                 # 1k, 100k and 1M people
    .venv/bin/python benchmarks/bench_generate.py --people 100000 --per-person 10

Each scale runs in its own process, so the peak RSS reported is that scale's alone. Two
passes are timed: the numpy columns (``chunks()``) and the stream of ``NewExchange``
values with ids mapped (``exchanges(ids)``), which is what a bulk load consumes.
Target: 1M people x 10 exchanges (10M exchanges) streamed in well under 1 GiB.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
from _common import current_rss_mib, describe_machine, peak_rss_mib, progress_bar, report, run_child
from rich.console import Console
from rich.table import Table

from mutuality.synthetic import generate_network

TODAY = date(2026, 11, 23)


def child(people: int, per_person: int, seed: int) -> None:
    baseline = current_rss_mib()
    started = time.perf_counter()
    net = generate_network(people, per_person, seed=seed, today=TODAY)
    setup = time.perf_counter() - started
    names_started = time.perf_counter()
    name_count = sum(1 for _ in net.names())
    names = time.perf_counter() - names_started

    with progress_bar() as bar:
        task = bar.add_task("columns", total=net.total)
        started = time.perf_counter()
        owner = 0
        for chunk in net.chunks():
            owner += int(np.count_nonzero((chunk.giver == 0) | (chunk.receiver == 0)))
            bar.advance(task, len(chunk))
        columns = time.perf_counter() - started

        task = bar.add_task("NewExchange", total=net.total)
        ids = np.arange(people, dtype=np.int64) + 1
        started = time.perf_counter()
        count = 0
        for count, _exchange in enumerate(net.exchanges(ids), 1):
            if count % 100_000 == 0:
                bar.advance(task, 100_000)
        objects = time.perf_counter() - started
    report(
        {
            "people": people,
            "exchanges": net.total,
            "names": name_count,
            "owner_exchanges": owner,
            "setup_s": setup,
            "names_s": names,
            "columns_s": columns,
            "objects_s": objects,
            "objects_counted": count,
            "baseline_rss_mib": baseline,
            "peak_rss_mib": peak_rss_mib(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.people[0], args.per_person, args.seed)
        return

    console = Console(width=max(Console().width, 120))
    console.print(f"[bold]Synthetic generator[/] on {describe_machine()}")
    table = Table(
        "people",
        "exchanges",
        "setup",
        "names",
        "columns",
        "col/s",
        "NewExchange",
        "obj/s",
        "peak RSS",
    )
    for people in args.people:
        console.print(f"generating {people:,} people x {args.per_person} ...")
        result = run_child(
            "bench_generate.py",
            "--child",
            "--people",
            str(people),
            "--per-person",
            str(args.per_person),
            "--seed",
            str(args.seed),
        )
        total = result["exchanges"]
        table.add_row(
            f"{people:,}",
            f"{total:,}",
            f"{result['setup_s']:.2f} s",
            f"{result['names_s']:.2f} s",
            f"{result['columns_s']:.2f} s",
            f"{total / max(result['columns_s'], 1e-9) / 1e6:.1f} M",
            f"{result['objects_s']:.2f} s",
            f"{total / max(result['objects_s'], 1e-9) / 1e6:.2f} M",
            f"{result['peak_rss_mib']:.0f} MiB (base {result['baseline_rss_mib']:.0f})",
        )
    console.print(table)


if __name__ == "__main__":
    main()
