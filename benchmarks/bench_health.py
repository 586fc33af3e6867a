"""Health analytics: every relationship's health and the network figures, recomputed in full.

    .venv/bin/python benchmarks/bench_health.py                   # 100k and 1M people x 10
    .venv/bin/python benchmarks/bench_health.py --people 100000
    .venv/bin/python benchmarks/bench_health.py --no-compare      # our pipeline only
    .venv/bin/python benchmarks/bench_health.py --what-if         # + sort-based reciprocity

Steps, each in a fresh process so that every peak RSS is its own:

* ``columns`` (setup, not part of any figure): the generator's chunks gathered into
  :class:`ExchangeColumns` (person indices as ids, day numbers since 1970, kind codes,
  initiator unknown) and saved as ``.npy`` files, which the other steps load.
* ``pipeline``: ``pair_figures`` (no touches), ``orient`` (every pair from side ``a``),
  ``judge`` (cadence 60 days for every pair), ``person_totals`` and ``network_figures``
  (every non-owner person known), each timed; the median of ``--repeat`` runs.
* ``pandas``: the baseline, a plain ``groupby`` for the same per-pair figures (decayed
  benefit and cost each way, counts each way, first and last day), checked against
  ``pair_figures`` and timed next to it in the same process.
* ``pipeline --what-if``: the same with ``core.network.reciprocity`` replaced, in that
  process only, by the sort-based version in ``bench_reciprocity.py`` (what fixing it saves).
* ``engine``: the core per-pair decayed balance (decayed benefit each way per unordered
  pair, and the balance) with NumPy (sort and ``reduceat``, as ``pair_figures`` does it;
  and ``np.unique`` with ``bincount``), Polars, DuckDB and pandas, one process each.

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
    pair_figures,
    person_totals,
)
from mutuality.core.health import STATUS_ORDER, judge, orient
from mutuality.core.network import network_figures, reciprocity
from mutuality.services.settings import Settings
from mutuality.synthetic import generate_network
from mutuality.synthetic.network import KINDS

TODAY = date(2026, 11, 23)
CADENCE = 60
STAGES = ("pair_figures", "orient", "judge", "person_totals", "network_figures")
ENGINES = ("numpy-sort", "numpy-unique", "polars", "duckdb", "pandas")
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
        "giver": np.empty(total, np.int64), "receiver": np.empty(total, np.int64),
        "day": np.empty(total, np.int32), "benefit": np.empty(total, np.float64),
        "cost": np.empty(total, np.float64), "kind": np.empty(total, np.int8),
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
    report({"people": people, "exchanges": total, "build_s": build_s,
            "mib": sum(v.nbytes for v in columns.values()) / 2**20,
            "peak_rss_mib": peak_rss_mib()})


def load_columns(folder: Path, names: list[str] = FIELDS) -> dict[str, np.ndarray]:
    return {name: np.load(folder / f"{name}.npy") for name in names}


# --- ours: the full recomputation -----------------------------------------------------------


def recompute(exchanges: ExchangeColumns, known: np.ndarray) -> tuple[dict, dict, dict]:
    """One full pass: each stage's time and peak RSS (everything alive included: the columns
    and the earlier stages' results), and a few figures to show it did the work."""
    today = day_number(TODAY)
    times, peaks = {}, {}

    def stage(name: str, work: Callable[[], Any]) -> Any:
        reset_hwm()
        started = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - started
        peaks[name] = hwm_mib()
        return result

    pairs = stage("pair_figures", lambda: pair_figures(
        exchanges, TouchColumns.empty(), TODAY, HALF_LIFE, SETTINGS.health.window_days))
    rows = stage("orient", lambda: orient(pairs, np.ones(len(pairs), dtype=bool)))
    verdict = stage("judge", lambda: judge(
        rows, today, SETTINGS.value.tolerance, SETTINGS.health,
        np.full(len(pairs), CADENCE, dtype=np.int64)))
    totals = stage("person_totals", lambda: person_totals(exchanges, pairs, TODAY, HALF_LIFE))
    figures = stage("network_figures", lambda: network_figures(
        pairs, totals, exchanges.giver, exchanges.receiver, today, SETTINGS.network, known))
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
    return times, peaks, summary


def pipeline(folder: Path, people: int, repeat: int, what_if: bool) -> None:
    share = reciprocity
    if what_if:  # benchmark-only: network_figures calls the module's reciprocity by name
        from bench_reciprocity import one_sort

        import mutuality.core.network

        mutuality.core.network.reciprocity = share = one_sort
    started = time.perf_counter()
    exchanges = ExchangeColumns(**load_columns(folder))
    load_s = time.perf_counter() - started
    known = np.arange(1, people, dtype=np.int64)
    data_rss, load_peak = current_rss_mib(), peak_rss_mib()  # (the resets clear ru_maxrss too)
    runs, peaks, summary = [], {}, {}
    for _ in range(repeat):
        times, run_peaks, summary = recompute(exchanges, known)
        runs.append(times)
        peaks = {name: max(peaks.get(name, 0.0), peak) for name, peak in run_peaks.items()}
    stage = {name: median(run[name] for run in runs) for name in STAGES}
    totals = [sum(run.values()) for run in runs]
    started = time.perf_counter()  # network_figures' share that is reciprocity
    share(exchanges.giver, exchanges.receiver)
    reciprocity_s = time.perf_counter() - started
    report({"load_s": load_s, "stages": stage, "peaks": peaks, "total_s": median(totals),
            "best_s": min(totals), "runs": len(runs), "data_rss_mib": data_rss,
            "reciprocity_s": reciprocity_s, "peak_rss_mib": max(load_peak, *peaks.values()),
            "summary": summary})


# --- the pandas baseline for the per-pair figures -------------------------------------------


def pandas_pairs(giver, receiver, day, benefit, cost):
    """The per-pair figures a straightforward pandas user would write: one groupby."""
    import pandas as pd

    frame = pd.DataFrame({"giver": giver, "receiver": receiver, "day": day,
                          "benefit": benefit, "cost": cost})
    forward = frame["giver"] < frame["receiver"]
    weight = np.exp2(-(day_number(TODAY) - frame["day"]).clip(lower=0) / HALF_LIFE)
    value, spent = weight * frame["benefit"], weight * frame["cost"]
    pairs = pd.DataFrame({
        "a": frame[["giver", "receiver"]].min(axis=1),
        "b": frame[["giver", "receiver"]].max(axis=1),
        "given_ab": value.where(forward, 0.0), "given_ba": value.where(~forward, 0.0),
        "cost_a": spent.where(forward, 0.0), "cost_b": spent.where(~forward, 0.0),
        "count_ab": forward.astype(np.int32), "count_ba": (~forward).astype(np.int32),
        "day": frame["day"],
    })
    return pairs.groupby(["a", "b"], sort=True).agg(
        given_ab=("given_ab", "sum"), given_ba=("given_ba", "sum"),
        cost_a=("cost_a", "sum"), cost_b=("cost_b", "sum"),
        count_ab=("count_ab", "sum"), count_ba=("count_ba", "sum"),
        first_day=("day", "min"), last_day=("day", "max"),
    ).reset_index()


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
        ours = pair_figures(exchanges, TouchColumns.empty(), TODAY, HALF_LIFE,
                            SETTINGS.health.window_days)
        ours_times.append(time.perf_counter() - started)
        del ours
    ours = pair_figures(exchanges, TouchColumns.empty(), TODAY, HALF_LIFE,
                        SETTINGS.health.window_days)
    theirs = pandas_pairs(*args)
    same_pairs = (len(theirs) == len(ours) and np.array_equal(theirs["a"].to_numpy(), ours.a)
                  and np.array_equal(theirs["b"].to_numpy(), ours.b))
    agree = same_pairs and all(
        np.allclose(theirs[name].to_numpy(), getattr(ours, name), rtol=1e-9, atol=1e-9)
        for name in ("given_ab", "given_ba", "cost_a", "cost_b", "count_ab", "count_ba",
                     "first_day", "last_day"))
    report({"pandas_s": median(pandas_times), "ours_s": median(ours_times), "agree": agree,
            "pairs": len(ours), "pandas_hwm_mib": pandas_hwm, "pandas": pd.__version__})


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


def balance_polars(giver, receiver, day, benefit):
    import polars as pl

    frame = pl.DataFrame({"giver": giver, "receiver": receiver, "day": day, "benefit": benefit})
    age = (day_number(TODAY) - pl.col("day")).clip(lower_bound=0)
    value = (2.0 ** (-age / HALF_LIFE)) * pl.col("benefit")
    forward = pl.col("giver") < pl.col("receiver")
    out = (
        frame.lazy()
        .select(a=pl.min_horizontal("giver", "receiver"), b=pl.max_horizontal("giver", "receiver"),
                ab=pl.when(forward).then(value).otherwise(0.0),
                ba=pl.when(forward).then(0.0).otherwise(value))
        .group_by("a", "b").agg(pl.col("ab").sum(), pl.col("ba").sum())
        .sort("a", "b").collect()
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
    frame = pd.DataFrame({"a": np.minimum(giver, receiver), "b": np.maximum(giver, receiver),
                          "ab": np.where(forward, value, 0.0), "ba": np.where(forward, 0.0, value)})
    out = frame.groupby(["a", "b"], sort=True)[["ab", "ba"]].sum().reset_index()
    return tuple(out[name].to_numpy() for name in ("a", "b", "ab", "ba"))


BALANCE: dict[str, Callable[..., tuple[np.ndarray, ...]]] = {
    "numpy-sort": balance_numpy_sort, "numpy-unique": balance_numpy_unique,
    "polars": balance_polars, "duckdb": balance_duckdb, "pandas": balance_pandas,
}


def engine(folder: Path, name: str, repeat: int) -> None:
    args = list(load_columns(folder, ["giver", "receiver", "day", "benefit"]).values())
    run = BALANCE[name]
    version = {"numpy-sort": "numpy", "numpy-unique": "numpy"}.get(name, name)
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
    agree = (np.array_equal(a, ra) and np.array_equal(b, rb) and np.allclose(ab, rab)
             and np.allclose(ba, rba) and np.allclose(balance, reference, equal_nan=True))
    report({"engine": name, "median_s": median(times), "best_s": min(times), "agree": agree,
            "pairs": len(a), "hwm_mib": hwm, "version": module.__version__})


# --- the parent -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip the pandas baseline and the engine comparison")
    parser.add_argument("--what-if", action="store_true",
                        help="also run the pipeline with a sort-based reciprocity (a what-if)")
    parser.add_argument("--child", choices=["columns", "pipeline", "pandas", "engine"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "columns":
        build_columns(args.people[0], args.per_person, args.seed, args.folder)
        return
    if args.child == "pipeline":
        pipeline(args.folder, args.people[0], args.repeat, args.what_if)
        return
    if args.child == "pandas":
        pandas_baseline(args.folder, args.repeat)
        return
    if args.child == "engine":
        engine(args.folder, args.engine, args.repeat)
        return

    console = Console(width=max(Console().width, 120))
    console.print(f"[bold]Health analytics[/] on {describe_machine()}")
    stages = Table("people", "exchanges", "stage", "time", "share", "peak RSS",
                   title="Full recomputation (median of runs; peak RSS of the process during "
                   "each stage)")
    baseline = Table("people", "exchanges", "pairs", "pandas groupby", "pair_figures", "ratio",
                     "agree", "pandas peak", title="Per-pair figures: pandas baseline")
    engines = Table("people", "exchanges", "engine", "median", "best", "vs numpy-sort",
                    "agree", "peak RSS", title="Per-pair decayed balance: engines")
    notes = []
    repeat = str(args.repeat)
    for people in args.people:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            common = ["--people", str(people), "--per-person", str(args.per_person),
                      "--seed", str(args.seed), "--repeat", repeat, "--folder", str(folder)]
            console.print(f"{people:,} people: columns from the generator ...")
            setup = run_child("bench_health.py", "--child", "columns", *common)
            total = setup["exchanges"]
            console.print(f"{people:,} people: full recomputation ...")
            ours = run_child("bench_health.py", "--child", "pipeline", *common)
            summary = ours["summary"]
            for name in STAGES:
                stages.add_row(f"{people:,}", f"{total:,}", name, f"{ours['stages'][name]:.3f} s",
                               f"{ours['stages'][name] / ours['total_s']:.0%}",
                               f"{ours['peaks'][name]:.0f} MiB")
            target_s = {1_000_000: 0.5, 10_000_000: 5.0}.get(total)
            small = total < 10_000_000 or ours["peak_rss_mib"] < 1536
            stages.add_row(f"{people:,}", f"{total:,}", "[bold]total[/]",
                           f"[bold]{ours['total_s']:.2f} s[/]",
                           f"< {target_s:g} s: {verdict(ours['total_s'] < target_s)}"
                           if target_s else "",
                           f"[bold]{ours['peak_rss_mib']:.0f} MiB[/]"
                           + ("" if total < 10_000_000 else f" (< 1536: {verdict(small)})"),
                           end_section=not args.what_if)
            if args.what_if:
                console.print(f"{people:,} people: full recomputation, what-if ...")
                alt = run_child("bench_health.py", "--child", "pipeline", "--what-if", *common)
                stages.add_row(f"{people:,}", f"{total:,}", "network_figures, what-if",
                               f"{alt['stages']['network_figures']:.3f} s", "",
                               f"{alt['peaks']['network_figures']:.0f} MiB")
                stages.add_row(f"{people:,}", f"{total:,}", "total, what-if",
                               f"{alt['total_s']:.2f} s",
                               f"< {target_s:g} s: {verdict(alt['total_s'] < target_s)}"
                               if target_s else "", f"{alt['peak_rss_mib']:.0f} MiB",
                               end_section=True)
            notes.append(
                f"{people:,} people: columns built from the generator in {setup['build_s']:.1f} s "
                f"({setup['mib']:.0f} MiB; setup, not timed above), loaded in "
                f"{ours['load_s']:.2f} s, RSS {ours['data_rss_mib']:.0f} MiB with them; "
                f"{summary['pairs']:,} pairs; best total {ours['best_s']:.2f} s of "
                f"{ours['runs']}; reciprocity alone {ours['reciprocity_s']:.2f} s.\n"
                f"  {summary}")
            if args.no_compare:
                continue
            console.print(f"{people:,} people: pandas baseline ...")
            base = run_child("bench_health.py", "--child", "pandas", *common)
            baseline.add_row(
                f"{people:,}", f"{total:,}", f"{base['pairs']:,}", f"{base['pandas_s']:.2f} s",
                f"{base['ours_s']:.2f} s", f"{base['pandas_s'] / base['ours_s']:.1f}x "
                f"(>= 2x: {verdict(base['pandas_s'] >= 2 * base['ours_s'])})",
                str(base["agree"]), f"{base['pandas_hwm_mib']:.0f} MiB")
            reference = None
            for name in ENGINES:
                console.print(f"{people:,} people: per-pair balance with {name} ...")
                found = run_child("bench_health.py", "--child", "engine", "--engine", name,
                                  *common)
                reference = reference or found["median_s"]
                engines.add_row(f"{people:,}", f"{total:,}", f"{name} {found['version']}",
                                f"{found['median_s']:.2f} s", f"{found['best_s']:.2f} s",
                                f"{found['median_s'] / reference:.2f}x", str(found["agree"]),
                                f"{found['hwm_mib']:.0f} MiB")
    console.print(stages)
    for note in notes:
        console.print(note, highlight=False)
    if not args.no_compare:
        console.print(baseline)
        console.print(engines)
        console.print(f"NumPy uses one core; Polars and DuckDB use all {os.cpu_count()}. The "
                      "engines' peak RSS covers their timed runs, with the four input columns.")


if __name__ == "__main__":
    main()
