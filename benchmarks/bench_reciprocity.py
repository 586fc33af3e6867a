"""Network reciprocity: ``core.network.reciprocity`` on millions of directed edges, against
networkx.

    .venv/bin/python benchmarks/bench_reciprocity.py                  # 5M edges, 1M people
    .venv/bin/python benchmarks/bench_reciprocity.py --edges 1000000 --people 200000
    .venv/bin/python benchmarks/bench_reciprocity.py --networkx-full  # + networkx on every edge

The edges are random (seeded): ``edges / (1 + mutual)`` uniform (giver, receiver) pairs
among ``people``, plus the reverse of a share ``mutual`` of them, plus ``duplicates`` of
the rows repeated (the same giver giving the same receiver again), shuffled. Self-loops
occur as they fall (a handful), and some are added so that both sides must ignore them.

Steps, each in a fresh process so that every peak RSS is its own:

* ``ours``: ``reciprocity(giver, receiver)`` on every edge, the median of ``--repeat`` runs.
* ``networkx``: ``nx.DiGraph`` built from a sample of the edges, then ``nx.reciprocity``,
  both timed, at each of ``--samples`` edges; the sample keeps whole pairs (both
  directions of an unordered pair, or neither), so its reciprocity is like the full
  graph's. ``reciprocity`` (and ``one_sort``) on the same sample must give exactly the same number.
* ``one-sort``: a what-if, the same figure from a single ``np.sort`` (see :func:`one_sort`),
  timed like ``ours``; every sample checks it too.
* the first sample (``--check`` rows) is the exact check on a small graph.

Target: 5M edges among 1M people under 1.5 s.
"""

from __future__ import annotations

import argparse
import time
from statistics import median

import numpy as np
from _common import describe_machine, peak_rss_mib, report, run_child
from rich.console import Console
from rich.table import Table

from mutuality.core.network import reciprocity


def edges(
    count: int, people: int, mutual: float, duplicates: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = round(count / (1 + mutual + duplicates))
    giver = rng.integers(0, people, base, dtype=np.int64)
    receiver = rng.integers(0, people, base, dtype=np.int64)
    giver[:100], receiver[:100] = np.arange(100), np.arange(100)  # self-loops: never mutual
    back = rng.choice(base, round(base * mutual), replace=False)
    again = rng.choice(base, count - base - len(back), replace=True)
    sources = np.concatenate([giver, receiver[back], giver[again]])
    targets = np.concatenate([receiver, giver[back], receiver[again]])
    order = rng.permutation(len(sources))
    return sources[order], targets[order]


def sample(giver: np.ndarray, receiver: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``size`` rows, chosen by a hash of the unordered pair (both directions or none)."""
    low, high = np.minimum(giver, receiver), np.maximum(giver, receiver)
    key = (low * (int(high.max()) + 1) + high).astype(np.uint64)
    mixed = (key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(11)  # Fibonacci hashing
    keep = mixed < np.uint64(round(size / len(giver) * 2**53))
    return giver[keep], receiver[keep]


def one_sort(giver: np.ndarray, receiver: np.ndarray) -> float | None:
    """The same figure with one ``np.sort`` and no ``np.unique`` or ``searchsorted``: the key
    is the unordered pair with the direction as its lowest bit, so after the sort the
    distinct directed edges are the changes, and a pair both ways is two neighbours."""
    if len(giver) == 0:
        return None
    base = np.int64(int(max(giver.max(), receiver.max())) + 1)
    low, high = np.minimum(giver, receiver), np.maximum(giver, receiver)
    keys = np.sort((low * base + high) * 2 + (giver > receiver))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    pair = keys >> 1
    both = (pair[1:] == pair[:-1]) & (pair[1:] // base != pair[1:] % base)
    return 2 * int(both.sum()) / len(keys)


def timed(work, repeat: int) -> tuple[list[float], object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - started)
    return times, value


def ours(giver: np.ndarray, receiver: np.ndarray, repeat: int, variant: str) -> None:
    work = reciprocity if variant == "ours" else one_sort
    times, value = timed(lambda: work(giver, receiver), repeat)
    keys = np.sort(giver * (int(max(giver.max(), receiver.max())) + 1) + receiver)
    distinct = int(np.count_nonzero(keys[1:] != keys[:-1])) + 1
    report(
        {
            "median_s": median(times),
            "best_s": min(times),
            "reciprocity": value,
            "rows": len(giver),
            "distinct": distinct,
            "peak_rss_mib": peak_rss_mib(),
        }
    )


def with_networkx(giver: np.ndarray, receiver: np.ndarray) -> None:
    import networkx as nx

    started = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_edges_from(zip(giver.tolist(), receiver.tolist(), strict=True))
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = nx.reciprocity(graph)
    reciprocity_s = time.perf_counter() - started
    started = time.perf_counter()
    mine = reciprocity(giver, receiver)
    ours_s = time.perf_counter() - started
    report(
        {
            "rows": len(giver),
            "edges": graph.number_of_edges(),
            "build_s": build_s,
            "reciprocity_s": reciprocity_s,
            "networkx": theirs,
            "ours": mine,
            "ours_s": ours_s,
            "equal": theirs == mine == one_sort(giver, receiver),
            "version": nx.__version__,
            "peak_rss_mib": peak_rss_mib(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument(
        "--mutual", type=float, default=0.3, help="share of the random edges whose reverse is added"
    )
    parser.add_argument(
        "--duplicates", type=float, default=0.05, help="share of rows that repeat an edge"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--samples", type=int, nargs="*", default=[200_000, 500_000])
    parser.add_argument("--check", type=int, default=20_000)
    parser.add_argument(
        "--networkx-full",
        action="store_true",
        help="also run networkx on every edge (minutes, several GiB)",
    )
    parser.add_argument("--child", choices=["ours", "one-sort", "networkx"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        giver, receiver = edges(args.edges, args.people, args.mutual, args.duplicates, args.seed)
        if args.child in ("ours", "one-sort"):
            ours(giver, receiver, args.repeat, args.child)
        else:
            if args.size < len(giver):
                giver, receiver = sample(giver, receiver, args.size)
            with_networkx(giver, receiver)
        return

    console = Console(width=max(Console().width, 120))
    console.print(f"[bold]Reciprocity[/] on {describe_machine()}")
    common = [
        "--edges",
        str(args.edges),
        "--people",
        str(args.people),
        "--mutual",
        str(args.mutual),
        "--duplicates",
        str(args.duplicates),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    console.print(f"ours: {args.edges:,} rows ...")
    mine = run_child("bench_reciprocity.py", "--child", "ours", *common)
    console.print(f"one sort (a what-if for core.network.reciprocity): {args.edges:,} rows ...")
    alternative = run_child("bench_reciprocity.py", "--child", "one-sort", *common)
    sizes = [args.check, *args.samples] + ([args.edges] if args.networkx_full else [])
    theirs = []
    for size in sizes:
        console.print(f"networkx: a sample of about {size:,} rows ...")
        theirs.append(
            run_child("bench_reciprocity.py", "--child", "networkx", "--size", str(size), *common)
        )

    met = mine["median_s"] < 1.5
    console.print(
        f"core.network.reciprocity: {mine['rows']:,} rows ({mine['distinct']:,} distinct edges) "
        f"among {args.people:,} people: median {mine['median_s']:.3f} s, best "
        f"{mine['best_s']:.3f} s, peak RSS {mine['peak_rss_mib']:.0f} MiB, reciprocity "
        f"{mine['reciprocity']:.6f}; target < 1.5 s: {'met' if met else 'missed'}"
    )
    console.print(
        f"the same with one sort (what-if): median {alternative['median_s']:.3f} s, best "
        f"{alternative['best_s']:.3f} s, peak RSS {alternative['peak_rss_mib']:.0f} MiB, "
        f"reciprocity {alternative['reciprocity']:.6f}, equal: "
        f"{alternative['reciprocity'] == mine['reciprocity']}; "
        f"{mine['median_s'] / alternative['median_s']:.0f}x faster"
    )
    table = Table(
        "rows",
        "distinct edges",
        "networkx build",
        "nx.reciprocity",
        "networkx total",
        "ours",
        "ratio",
        "reciprocity",
        "equal",
        "peak RSS",
        title=f"networkx {theirs[0]['version']} on samples",
    )
    for found in theirs:
        total = found["build_s"] + found["reciprocity_s"]
        table.add_row(
            f"{found['rows']:,}",
            f"{found['edges']:,}",
            f"{found['build_s']:.2f} s",
            f"{found['reciprocity_s']:.2f} s",
            f"{total:.2f} s",
            f"{found['ours_s'] * 1000:.1f} ms",
            f"{total / found['ours_s']:,.0f}x",
            f"{found['networkx']:.6f}",
            str(found["equal"]),
            f"{found['peak_rss_mib']:.0f} MiB",
        )
    console.print(table)
    largest = max(theirs, key=lambda found: found["rows"])
    if largest["rows"] < mine["rows"]:
        per_row = (largest["build_s"] + largest["reciprocity_s"]) / largest["rows"]
        console.print(
            f"networkx extrapolated linearly from {largest['rows']:,} rows to {mine['rows']:,}: "
            f"about {per_row * mine['rows']:.0f} s ({per_row * 1e6:.1f} µs a row; networkx "
            "slows down further as the graph outgrows the caches)"
        )


if __name__ == "__main__":
    main()
