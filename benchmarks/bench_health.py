"""Health analytics: every relationship's health and the network figures, recomputed in full.

    .venv/bin/python benchmarks/bench_health.py                   # 100k and 1M people x 10
    .venv/bin/python benchmarks/bench_health.py --people 100000
    .venv/bin/python benchmarks/bench_health.py --no-compare      # our pipeline only

Steps, each in a fresh process so that every peak RSS is its own:

* ``columns`` (setup, not part of any figure): the generator's chunks gathered into
  :class:`ExchangeColumns` (person indices as ids, day numbers since 1970, kind codes,
  initiator unknown) and saved as ``.npy`` files, which the other steps load.
* ``pipeline``: ``pair_figures`` (no touches), then the columns are dropped, ``orient``
  (every pair from side ``a``), ``verdicts`` (``judge``'s rules keeping status, action and
  urgency; cadence 60 days for every pair), ``person_totals`` and ``network_figures`` (every
  non-owner person known), each timed; the median of ``--repeat`` runs, each loading the
  columns afresh (not timed).
* ``pandas``: the baseline, a plain ``groupby`` for the same per-pair figures (decayed
  benefit and cost each way, counts each way, first and last day), checked against
  ``pair_figures`` and timed next to it in the same process.
* ``engine``: the core per-pair decayed balance (decayed benefit each way per unordered
  pair, and the balance) with NumPy (sort and ``reduceat``, as ``pair_figures`` first did
  it; ``np.unique`` with ``bincount``; and ``pair_order`` with chunked ``bincount``s, as
  ``pair_figures`` does it now), Polars, DuckDB and pandas, one process each.

Targets: 1M people and 10M exchanges under 5 s and under 1.5 GiB peak RSS, 1M exchanges
under 0.5 s; ours at least 2x faster than pandas.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np
from _common import current_rss_mib, describe_machine, peak_rss_mib, progress_bar, report, run_child
from rich.console import Console
from rich.table import Table

from mutuality.core.analytics import (
    KIND_CODES,
    UNKNOWN,
    ExchangeColumns,
    TouchColumns,
    day_number,
    decay,
    pair_figures,
    person_totals,
)
from mutuality.core.health import STATUS_ORDER, orient, verdicts
from mutuality.core.network import network_figures, pair_reciprocity
from mutuality.core.pair_rows import pair_order
from mutuality.services.settings import Settings
from mutuality.synthetic import generate_network
from mutuality.synthetic.network import KINDS

TODAY = date(2026, 11, 23)
CADENCE = 60
STAGES = ("pair_figures", "orient", "verdicts", "person_totals", "network_figures")
ENGINES = ("numpy-sort", "numpy-unique", "numpy-chunked", "polars", "duckdb", "pandas")
FIELDS = [f.name for f in dataclasses.fields(ExchangeColumns)]
SETTINGS = Settings()
HALF_LIFE = SETTINGS.value.half_life_days


def hwm_mib() -> float:
    """Peak RSS since the last :func:`reset_hwm` (Linux ``VmHWM``; else the process peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def reset_hwm() -> None:
    """Start a new peak-RSS window (Linux: writing 5 to ``clear_refs`` resets ``VmHWM``)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# --- setup: the generator's columns ---------------------------------------------------------


def build_columns(people: int, per_person: int, seed: int, folder: Path) -> None:
    started = time.perf_counter()
    net = generate_network(people, per_person, seed=seed, today=TODAY)
    total, today = net.total, day_number(TODAY)
    columns = {
        "giver": np.empty(total, np.int64),
        "receiver": np.empty(total, np.int64),
        "day": np.empty(total, np.int32),
        "benefit": np.empty(total, np.float64),
        "cost": np.empty(total, np.float64),
        "kind": np.empty(total, np.int8),
        "initiator": np.full(total, UNKNOWN, np.int8),  # the generator has no initiative
    }
    kind_codes = np.array([KIND_CODES[kind] for kind in KINDS], dtype=np.int8)
    start = 0
    with progress_bar() as bar:
        task = bar.add_task("columns from the generator", total=total)
        for chunk in net.chunks():
            stop = start + len(chunk)
            columns["giver"][start:stop] = chunk.giver
            columns["receiver"][start:stop] = chunk.receiver
            columns["day"][start:stop] = today - chunk.age_days
            columns["benefit"][start:stop] = chunk.benefit
            columns["cost"][start:stop] = chunk.cost
            columns["kind"][start:stop] = kind_codes[chunk.kind]
            start = stop
            bar.advance(task, len(chunk))
    build_s = time.perf_counter() - started
    folder.mkdir(parents=True, exist_ok=True)
    for name, values in columns.items():
        np.save(folder / f"{name}.npy", values)
    report(
        {
            "people": people,
            "exchanges": total,
            "build_s": build_s,
            "mib": sum(v.nbytes for v in columns.values()) / 2**20,
            "peak_rss_mib": peak_rss_mib(),
        }
    )


def load_columns(folder: Path, names: list[str] = FIELDS) -> dict[str, np.ndarray]:
    return {name: np.load(folder / f"{name}.npy") for name in names}


# --- ours: the full recomputation -----------------------------------------------------------


def recompute(folder: Path, known: np.ndarray) -> dict[str, Any]:
    """One full pass: each stage's time and peak RSS (everything alive included: the columns
    while they live and the earlier stages' results), and a few figures to show it did the
    work. The columns are loaded first (not timed) and dropped once summed, as
    ``HealthService.network`` does."""
    today = day_number(TODAY)
    times, cpu, peaks = {}, {}, {}

    def stage(name: str, work: Callable[[], Any]) -> Any:
        reset_hwm()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = work()
        times[name] = time.perf_counter() - started
        cpu[name] = time.process_time() - cpu_started
        peaks[name] = hwm_mib()
        return result

    started = time.perf_counter()
    loaded = [ExchangeColumns(**load_columns(folder))]  # popped: freed once summed
    load_s, data_rss = time.perf_counter() - started, current_rss_mib()
    pairs = stage(
        "pair_figures",
        lambda: pair_figures(
            loaded.pop(), TouchColumns.empty(), TODAY, HALF_LIFE, SETTINGS.health.window_days
        ),
    )
    rows = stage("orient", lambda: orient(pairs, np.ones(len(pairs), dtype=bool)))
    verdict = stage(
        "verdicts",
        lambda: verdicts(
            rows,
            today,
            SETTINGS.value.tolerance,
            SETTINGS.health,
            np.full(len(pairs), CADENCE, dtype=np.int64),
        ),
    )
    totals = stage("person_totals", lambda: person_totals(pairs))
    figures = stage(
        "network_figures", lambda: network_figures(pairs, totals, today, SETTINGS.network, known)
    )
    started = time.perf_counter()  # network_figures' share that is reciprocity
    pair_reciprocity(pairs)
    reciprocity_s = time.perf_counter() - started
    counts = np.bincount(verdict.status, minlength=len(STATUS_ORDER))
    summary = {
        "pairs": len(pairs),
        "statuses": {s.value: int(c) for s, c in zip(STATUS_ORDER, counts, strict=True)},
        "reciprocity": figures.reciprocity,
        "mutual_share": figures.mutual_share,
        "styles": {s.value: n for s, n in figures.style_counts.items()},
        "isolated": len(figures.isolated),
        "burnout_risk": len(figures.burnout_risk),
        "one_way_takers": len(figures.one_way_takers),
    }
    return {
        "times": times,
        "cpu": cpu,
        "peaks": peaks,
        "summary": summary,
        "load_s": load_s,
        "data_rss": data_rss,
        "reciprocity_s": reciprocity_s,
    }


def pipeline(folder: Path, people: int, repeat: int) -> None:
    known = np.arange(1, people, dtype=np.int64)
    runs = [recompute(folder, known) for _ in range(repeat)]
    stage = {name: median(run["times"][name] for run in runs) for name in STAGES}
    peaks = {name: max(run["peaks"][name] for run in runs) for name in STAGES}
    totals = [sum(run["times"].values()) for run in runs]
    report(
        {
            "load_s": runs[0]["load_s"],
            "stages": stage,
            "peaks": peaks,
            "total_s": median(totals),
            "best_s": min(totals),
            "cpu_s": median(sum(run["cpu"].values()) for run in runs),
            "runs": len(runs),
            "data_rss_mib": runs[0]["data_rss"],
            "reciprocity_s": median(run["reciprocity_s"] for run in runs),
            "peak_rss_mib": max(peaks.values()),
            "summary": runs[-1]["summary"],
        }
    )


# --- the pandas baseline for the per-pair figures -------------------------------------------


def pandas_pairs(giver, receiver, day, benefit, cost):
    """The per-pair figures a straightforward pandas user would write: one groupby."""
    import pandas as pd

    frame = pd.DataFrame(
        {"giver": giver, "receiver": receiver, "day": day, "benefit": benefit, "cost": cost}
    )
    forward = frame["giver"] < frame["receiver"]
    weight = np.exp2(-(day_number(TODAY) - frame["day"]).clip(lower=0) / HALF_LIFE)
    value, spent = weight * frame["benefit"], weight * frame["cost"]
    pairs = pd.DataFrame(
        {
            "a": frame[["giver", "receiver"]].min(axis=1),
            "b": frame[["giver", "receiver"]].max(axis=1),
            "given_ab": value.where(forward, 0.0),
            "given_ba": value.where(~forward, 0.0),
            "cost_a": spent.where(forward, 0.0),
            "cost_b": spent.where(~forward, 0.0),
            "count_ab": forward.astype(np.int32),
            "count_ba": (~forward).astype(np.int32),
            "day": frame["day"],
        }
    )
    return (
        pairs.groupby(["a", "b"], sort=True)
        .agg(
            given_ab=("given_ab", "sum"),
            given_ba=("given_ba", "sum"),
            cost_a=("cost_a", "sum"),
            cost_b=("cost_b", "sum"),
            count_ab=("count_ab", "sum"),
            count_ba=("count_ba", "sum"),
            first_day=("day", "min"),
            last_day=("day", "max"),
        )
        .reset_index()
    )


def pandas_baseline(folder: Path, repeat: int) -> None:
    import pandas as pd

    columns = load_columns(folder)
    exchanges = ExchangeColumns(**columns)
    args = [columns[name] for name in ("giver", "receiver", "day", "benefit", "cost")]
    reset_hwm()
    pandas_times, ours_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        theirs = pandas_pairs(*args)
        pandas_times.append(time.perf_counter() - started)
        del theirs
    pandas_hwm = hwm_mib()
    for _ in range(repeat):
        started = time.perf_counter()
        ours = pair_figures(
            exchanges, TouchColumns.empty(), TODAY, HALF_LIFE, SETTINGS.health.window_days
        )
        ours_times.append(time.perf_counter() - started)
        del ours
    ours = pair_figures(
        exchanges, TouchColumns.empty(), TODAY, HALF_LIFE, SETTINGS.health.window_days
    )
    theirs = pandas_pairs(*args)
    same_pairs = (
        len(theirs) == len(ours)
        and np.array_equal(theirs["a"].to_numpy(), ours.a)
        and np.array_equal(theirs["b"].to_numpy(), ours.b)
    )
    agree = same_pairs and all(
        np.allclose(theirs[name].to_numpy(), getattr(ours, name), rtol=1e-9, atol=1e-9)
        for name in (
            "given_ab",
            "given_ba",
            "cost_a",
            "cost_b",
            "count_ab",
            "count_ba",
            "first_day",
            "last_day",
        )
    )
    report(
        {
            "pandas_s": median(pandas_times),
            "ours_s": median(ours_times),
            "agree": agree,
            "pairs": len(ours),
            "pandas_hwm_mib": pandas_hwm,
            "pandas": pd.__version__,
        }
    )


# --- NumPy vs Polars vs DuckDB (vs pandas): the core per-pair decayed balance ---------------


def balance_numpy_sort(giver, receiver, day, benefit):
    """Sort once by pair, then segment sums: how ``pair_figures`` does it."""
    a, b = np.minimum(giver, receiver), np.maximum(giver, receiver)
    value = np.exp2(-np.maximum(day_number(TODAY) - day, 0) / HALF_LIFE) * benefit
    key = a * (int(b.max()) + 1) + b
    order = np.argsort(key, kind="stable")
    key, forward, value = key[order], (giver < receiver)[order], value[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ab = np.add.reduceat(np.where(forward, value, 0.0), starts)
    ba = np.add.reduceat(np.where(forward, 0.0, value), starts)
    return a[order][starts], b[order][starts], ab, ba


def balance_numpy_unique(giver, receiver, day, benefit):
    """``np.unique`` on the pair key, then weighted ``bincount`` per direction."""
    a, b = np.minimum(giver, receiver), np.maximum(giver, receiver)
    value = np.exp2(-np.maximum(day_number(TODAY) - day, 0) / HALF_LIFE) * benefit
    base = int(b.max()) + 1
    keys, inverse = np.unique(a * base + b, return_inverse=True)
    forward = giver < receiver
    ab = np.bincount(inverse, weights=np.where(forward, value, 0.0), minlength=len(keys))
    ba = np.bincount(inverse, weights=np.where(forward, 0.0, value), minlength=len(keys))
    return keys // base, keys % base, ab, ba


def balance_numpy_chunked(giver, receiver, day, benefit):
    """``pair_order`` (one in-place sort of packed keys), then ``bincount`` a cache-sized
    chunk of rows at a time: how ``pair_figures`` does it now."""
    order = pair_order(giver, receiver)
    a, b = np.empty(order.count, np.int64), np.empty(order.count, np.int64)
    ab, ba = np.zeros(order.count), np.zeros(order.count)
    side = (giver > receiver).view(np.int8)
    for chunk in order.chunks():
        value = benefit[chunk.rows] * decay(day[chunk.rows], day_number(TODAY), HALF_LIFE)
        slot = chunk.pair * 2 + side[chunk.rows]
        sums = np.bincount(slot, weights=value, minlength=2 * chunk.pairs).reshape(-1, 2)
        into = slice(chunk.first, chunk.first + chunk.pairs)
        ab[into] += sums[:, 0]
        ba[into] += sums[:, 1]
        begun = slice(into.stop - len(chunk.new_keys), into.stop)
        a[begun], b[begun] = np.divmod(chunk.new_keys, order.base)
    return a, b, ab, ba


def balance_polars(giver, receiver, day, benefit):
    import polars as pl

    frame = pl.DataFrame({"giver": giver, "receiver": receiver, "day": day, "benefit": benefit})
    age = (day_number(TODAY) - pl.col("day")).clip(lower_bound=0)
    value = (2.0 ** (-age / HALF_LIFE)) * pl.col("benefit")
    forward = pl.col("giver") < pl.col("receiver")
    out = (
        frame.lazy()
        .select(
            a=pl.min_horizontal("giver", "receiver"),
            b=pl.max_horizontal("giver", "receiver"),
            ab=pl.when(forward).then(value).otherwise(0.0),
            ba=pl.when(forward).then(0.0).otherwise(value),
        )
        .group_by("a", "b")
        .agg(pl.col("ab").sum(), pl.col("ba").sum())
        .sort("a", "b")
        .collect()
    )
    return tuple(out[name].to_numpy() for name in ("a", "b", "ab", "ba"))


def balance_duckdb(giver, receiver, day, benefit):
    import duckdb

    exchanges = {"giver": giver, "receiver": receiver, "day": day, "benefit": benefit}
    with duckdb.connect() as connection:
        connection.register("exchanges", exchanges)
        out = connection.sql(f"""
            SELECT least(giver, receiver) AS a, greatest(giver, receiver) AS b,
                   sum(CASE WHEN giver < receiver THEN w ELSE 0 END) AS ab,
                   sum(CASE WHEN giver < receiver THEN 0 ELSE w END) AS ba
            FROM (SELECT giver, receiver,
                         pow(2.0, -greatest({day_number(TODAY)} - day, 0) / {HALF_LIFE})
                         * benefit AS w
                  FROM exchanges)
            GROUP BY ALL ORDER BY a, b""").fetchnumpy()
    return tuple(np.asarray(out[name]) for name in ("a", "b", "ab", "ba"))


def balance_pandas(giver, receiver, day, benefit):
    import pandas as pd

    forward = giver < receiver
    value = np.exp2(-np.maximum(day_number(TODAY) - day, 0) / HALF_LIFE) * benefit
    frame = pd.DataFrame(
        {
            "a": np.minimum(giver, receiver),
            "b": np.maximum(giver, receiver),
            "ab": np.where(forward, value, 0.0),
            "ba": np.where(forward, 0.0, value),
        }
    )
    out = frame.groupby(["a", "b"], sort=True)[["ab", "ba"]].sum().reset_index()
    return tuple(out[name].to_numpy() for name in ("a", "b", "ab", "ba"))


BALANCE: dict[str, Callable[..., tuple[np.ndarray, ...]]] = {
    "numpy-sort": balance_numpy_sort,
    "numpy-unique": balance_numpy_unique,
    "numpy-chunked": balance_numpy_chunked,
    "polars": balance_polars,
    "duckdb": balance_duckdb,
    "pandas": balance_pandas,
}


def engine(folder: Path, name: str, repeat: int) -> None:
    args = list(load_columns(folder, ["giver", "receiver", "day", "benefit"]).values())
    run = BALANCE[name]
    version = "numpy" if name.startswith("numpy") else name
    module = __import__(version)  # imported before the clock starts
    reset_hwm()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run(*args)
        times.append(time.perf_counter() - started)
        del result
    hwm = hwm_mib()
    a, b, ab, ba = run(*args)
    ra, rb, rab, rba = balance_numpy_sort(*args)
    with np.errstate(invalid="ignore"):
        balance = (ab - ba) / (ab + ba)
        reference = (rab - rba) / (rab + rba)
    agree = (
        np.array_equal(a, ra)
        and np.array_equal(b, rb)
        and np.allclose(ab, rab)
        and np.allclose(ba, rba)
        and np.allclose(balance, reference, equal_nan=True)
    )
    report(
        {
            "engine": name,
            "median_s": median(times),
            "best_s": min(times),
            "agree": agree,
            "pairs": len(a),
            "hwm_mib": hwm,
            "version": module.__version__,
        }
    )


# --- the parent -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="skip the pandas baseline and the engine comparison",
    )
    parser.add_argument(
        "--child", choices=["columns", "pipeline", "pandas", "engine"], help=argparse.SUPPRESS
    )
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "columns":
        build_columns(args.people[0], args.per_person, args.seed, args.folder)
        return
    if args.child == "pipeline":
        pipeline(args.folder, args.people[0], args.repeat)
        return
    if args.child == "pandas":
        pandas_baseline(args.folder, args.repeat)
        return
    if args.child == "engine":
        engine(args.folder, args.engine, args.repeat)
        return

    console = Console(width=max(Console().width, 120))
    console.print(f"[bold]Health analytics[/] on {describe_machine()}")
    stages = Table(
        "people",
        "exchanges",
        "stage",
        "time",
        "share",
        "peak RSS",
        title="Full recomputation (median of runs; peak RSS of the process during each stage)",
    )
    baseline = Table(
        "people",
        "exchanges",
        "pairs",
        "pandas groupby",
        "pair_figures",
        "ratio",
        "agree",
        "pandas peak",
        title="Per-pair figures: pandas baseline",
    )
    engines = Table(
        "people",
        "exchanges",
        "engine",
        "median",
        "best",
        "vs numpy-sort",
        "agree",
        "peak RSS",
        title="Per-pair decayed balance: engines",
    )
    notes = []
    repeat = str(args.repeat)
    for people in args.people:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            common = [
                "--people",
                str(people),
                "--per-person",
                str(args.per_person),
                "--seed",
                str(args.seed),
                "--repeat",
                repeat,
                "--folder",
                str(folder),
            ]
            console.print(f"{people:,} people: columns from the generator ...")
            setup = run_child("bench_health.py", "--child", "columns", *common)
            total = setup["exchanges"]
            console.print(f"{people:,} people: full recomputation ...")
            ours = run_child("bench_health.py", "--child", "pipeline", *common)
            summary = ours["summary"]
            for name in STAGES:
                stages.add_row(
                    f"{people:,}",
                    f"{total:,}",
                    name,
                    f"{ours['stages'][name]:.3f} s",
                    f"{ours['stages'][name] / ours['total_s']:.0%}",
                    f"{ours['peaks'][name]:.0f} MiB",
                )
            target_s = {1_000_000: 0.5, 10_000_000: 5.0}.get(total)
            small = total < 10_000_000 or ours["peak_rss_mib"] < 1536
            stages.add_row(
                f"{people:,}",
                f"{total:,}",
                "[bold]total[/]",
                f"[bold]{ours['total_s']:.2f} s[/]",
                f"< {target_s:g} s: {verdict(ours['total_s'] < target_s)}" if target_s else "",
                f"[bold]{ours['peak_rss_mib']:.0f} MiB[/]"
                + ("" if total < 10_000_000 else f" (< 1536: {verdict(small)})"),
                end_section=True,
            )
            notes.append(
                f"{people:,} people: columns built from the generator in {setup['build_s']:.1f} s "
                f"({setup['mib']:.0f} MiB; setup, not timed above), loaded in "
                f"{ours['load_s']:.2f} s, RSS {ours['data_rss_mib']:.0f} MiB with them; "
                f"{summary['pairs']:,} pairs; best total {ours['best_s']:.2f} s of "
                f"{ours['runs']}; CPU time {ours['cpu_s']:.2f} s (median; what other work on the "
                f"machine does not add); reciprocity alone {ours['reciprocity_s']:.2f} s.\n"
                f"  {summary}"
            )
            if args.no_compare:
                continue
            console.print(f"{people:,} people: pandas baseline ...")
            base = run_child("bench_health.py", "--child", "pandas", *common)
            baseline.add_row(
                f"{people:,}",
                f"{total:,}",
                f"{base['pairs']:,}",
                f"{base['pandas_s']:.2f} s",
                f"{base['ours_s']:.2f} s",
                f"{base['pandas_s'] / base['ours_s']:.1f}x "
                f"(>= 2x: {verdict(base['pandas_s'] >= 2 * base['ours_s'])})",
                str(base["agree"]),
                f"{base['pandas_hwm_mib']:.0f} MiB",
            )
            reference = None
            for name in ENGINES:
                console.print(f"{people:,} people: per-pair balance with {name} ...")
                found = run_child("bench_health.py", "--child", "engine", "--engine", name, *common)
                reference = reference or found["median_s"]
                engines.add_row(
                    f"{people:,}",
                    f"{total:,}",
                    f"{name} {found['version']}",
                    f"{found['median_s']:.2f} s",
                    f"{found['best_s']:.2f} s",
                    f"{found['median_s'] / reference:.2f}x",
                    str(found["agree"]),
                    f"{found['hwm_mib']:.0f} MiB",
                )
    console.print(stages)
    for note in notes:
        console.print(note, highlight=False)
    if not args.no_compare:
        console.print(baseline)
        console.print(engines)
        console.print(
            f"NumPy uses one core; Polars and DuckDB use all {os.cpu_count()}. The "
            "engines' peak RSS covers their timed runs, with the four input columns."
        )


if __name__ == "__main__":
    main()
