"""Bulk load: N synthetic exchanges into a fresh SQLite file through the services.

    .venv/bin/python benchmarks/bench_bulk_load.py                      # 1M exchanges, 100k people
    .venv/bin/python benchmarks/bench_bulk_load.py --exchanges 100000
    .venv/bin/python benchmarks/bench_bulk_load.py --profile            # cProfile of the load
    .venv/bin/python benchmarks/bench_bulk_load.py --variants           # SQLite-side what-ifs

Steps, each in a fresh process so that every peak RSS is its own:

* ``service``: ``Mutuality.open(path)``, ``app.people.bulk_add(names)``, then the timed part,
  ``app.ledger.bulk_add(net.exchanges(ids))`` (the generator is consumed inside the load).
* ``stream``: the same ``NewExchange`` stream consumed without a database (the generator's
  share of the service figure).
* ``raw``: the reference, the same rows written by ``sqlite3`` ``executemany`` straight from
  the generator's columns into a database with the same schema and connection settings.

Targets for 1M exchanges: the service load under 10 s and under 1 GiB peak RSS.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from _common import current_rss_mib, describe_machine, peak_rss_mib, progress_bar, report, run_child
from rich.console import Console
from rich.table import Table

from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.store.database import wal_is_safe
from mutuality.synthetic import generate_network
from mutuality.synthetic.network import ESTIMATORS, KINDS, PHRASES, SyntheticNetwork

TODAY = date(2026, 11, 23)


def network(exchanges: int, per_person: int, seed: int) -> SyntheticNetwork:
    return generate_network(max(exchanges // per_person, 3), per_person, seed=seed, today=TODAY)


def prepare(path: Path, net: SyntheticNetwork) -> tuple[Mutuality, np.ndarray, float]:
    """A fresh database with the network's people; returns the app, the id map, the time."""
    started = time.perf_counter()
    app = Mutuality.open(str(path), settings=Settings(), today=lambda: TODAY)
    person_ids = app.people.bulk_add(net.names())
    with app.database.read() as session:
        owner_id = app.people.owner_id(session)
    ids = np.array([owner_id, *person_ids], dtype=np.int64)
    return app, ids, time.perf_counter() - started


def service(path: Path, net: SyntheticNetwork, profile: bool) -> None:
    app, ids, people_s = prepare(path, net)
    before = current_rss_mib()
    peak_before = peak_rss_mib()
    profiler = cProfile.Profile() if profile else None
    with progress_bar() as bar:
        task = bar.add_task("ledger.bulk_add", total=net.total)
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        loaded = app.ledger.bulk_add(net.exchanges(ids), progress=lambda n: bar.advance(task, n))
        if profiler:
            profiler.disable()
        load_s = time.perf_counter() - started
    app.close()
    result = {
        "people_s": people_s,
        "load_s": load_s,
        "loaded": loaded,
        "rss_before_mib": before,
        "peak_before_mib": peak_before,
        "peak_rss_mib": peak_rss_mib(),
        "db_mib": path.stat().st_size / 2**20,
    }
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        result["profile"] = text.getvalue()
    report(result)


def stream(net: SyntheticNetwork) -> None:
    ids = np.arange(net.people, dtype=np.int64) + 1
    started = time.perf_counter()
    count = sum(1 for _ in net.exchanges(ids))
    report(
        {"stream_s": time.perf_counter() - started, "loaded": count, "peak_rss_mib": peak_rss_mib()}
    )


def raw(path: Path, net: SyntheticNetwork, cache_mib: int, defer_indexes: bool) -> None:
    app, ids, _ = prepare(path, net)
    app.close()
    connection = sqlite3.connect(path, isolation_level=None)
    journal = "WAL" if wal_is_safe(sqlite3.sqlite_version_info) else "DELETE"
    for pragma in (
        "foreign_keys=ON",
        f"journal_mode={journal}",
        "synchronous=FULL",
        "secure_delete=ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    if cache_mib:
        connection.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")
    indexes = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exchanges' "
        "AND sql IS NOT NULL"
    ).fetchall()
    kinds = np.array([k.value for k in KINDS], dtype=object)
    phrases = np.array([PHRASES[k] for k in KINDS], dtype=object)
    estimators = np.array([e.value for e in ESTIMATORS], dtype=object)
    days = np.array(
        [(TODAY - timedelta(days=d)).isoformat() for d in range(net.span_days)], dtype=object
    )
    created = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat(" ") + ".000000"
    sql = (
        "INSERT INTO exchanges (giver_id, receiver_id, kind, description, occurred_on, "
        "benefit, cost, estimated_by, outcome, private_note, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)"
    )
    with progress_bar() as bar:
        task = bar.add_task("sqlite3 executemany", total=net.total)
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        if defer_indexes:
            for (sql_text,) in indexes:
                connection.execute(f"DROP INDEX {sql_text.split()[2]}")
        for chunk in net.chunks():
            rows = zip(
                ids[chunk.giver].tolist(),
                ids[chunk.receiver].tolist(),
                kinds[chunk.kind].tolist(),
                phrases[chunk.kind, chunk.phrase].tolist(),
                days[chunk.age_days].tolist(),
                chunk.benefit.tolist(),
                chunk.cost.tolist(),
                estimators[chunk.estimator].tolist(),
                [created] * len(chunk),
                strict=True,
            )
            connection.executemany(sql, rows)
            bar.advance(task, len(chunk))
        if defer_indexes:
            for (sql_text,) in indexes:
                connection.execute(sql_text)
        connection.execute("COMMIT")
        load_s = time.perf_counter() - started
    connection.close()
    report({"load_s": load_s, "loaded": net.total, "peak_rss_mib": peak_rss_mib()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="cProfile the service load")
    parser.add_argument("--keep", type=Path, help="a folder to keep the databases in")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also time raw loads with a 256 MiB page cache and with the "
        "exchange indexes rebuilt after the load",
    )
    parser.add_argument("--cache-mib", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--defer-indexes", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["service", "stream", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    net = network(args.exchanges, args.per_person, args.seed)
    if args.child == "service":
        service(args.db, net, args.profile)
        return
    if args.child == "stream":
        stream(net)
        return
    if args.child == "raw":
        raw(args.db, net, args.cache_mib, args.defer_indexes)
        return

    console = Console(width=max(Console().width, 130))
    console.print(
        f"[bold]Bulk load[/] of {net.total:,} exchanges among {net.people:,} people "
        f"on {describe_machine()}"
    )
    common = [
        "--exchanges",
        str(args.exchanges),
        "--per-person",
        str(args.per_person),
        "--seed",
        str(args.seed),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        console.print("service: people.bulk_add + ledger.bulk_add ...")
        extra = ["--profile"] if args.profile else []
        svc = run_child(
            "bench_bulk_load.py",
            "--child",
            "service",
            "--db",
            str(folder / "service.db"),
            *common,
            *extra,
        )
        console.print("stream: the NewExchange stream alone ...")
        gen = run_child("bench_bulk_load.py", "--child", "stream", *common)
        console.print("raw: sqlite3 executemany ...")
        ref = run_child(
            "bench_bulk_load.py", "--child", "raw", "--db", str(folder / "raw.db"), *common
        )
        variants = []
        if args.variants:
            for label, flags in (
                ("256 MiB page cache", ["--cache-mib", "256"]),
                ("indexes rebuilt after", ["--defer-indexes"]),
            ):
                console.print(f"raw, {label} ...")
                result = run_child(
                    "bench_bulk_load.py",
                    "--child",
                    "raw",
                    "--db",
                    str(folder / f"raw-{flags[0][2:]}.db"),
                    *common,
                    *flags,
                )
                variants.append((label, result))

    table = Table("path", "exchanges", "time", "rows/s", "peak RSS", "notes")
    total = svc["loaded"]
    table.add_row(
        "ledger.bulk_add",
        f"{total:,}",
        f"{svc['load_s']:.2f} s",
        f"{total / svc['load_s']:,.0f}",
        f"{svc['peak_rss_mib']:.0f} MiB",
        f"RSS {svc['rss_before_mib']:.0f} MiB before the load; people.bulk_add "
        f"{svc['people_s']:.2f} s; file {svc['db_mib']:.0f} MiB",
    )
    table.add_row(
        "NewExchange stream only",
        f"{gen['loaded']:,}",
        f"{gen['stream_s']:.2f} s",
        f"{gen['loaded'] / gen['stream_s']:,.0f}",
        f"{gen['peak_rss_mib']:.0f} MiB",
        "generator's share of the service time",
    )
    table.add_row(
        "sqlite3 executemany",
        f"{ref['loaded']:,}",
        f"{ref['load_s']:.2f} s",
        f"{ref['loaded'] / ref['load_s']:,.0f}",
        f"{ref['peak_rss_mib']:.0f} MiB",
        "reference: same rows from the columns, same schema and pragmas",
    )
    for label, result in variants:
        table.add_row(
            f"sqlite3, {label}",
            f"{result['loaded']:,}",
            f"{result['load_s']:.2f} s",
            f"{result['loaded'] / result['load_s']:,.0f}",
            f"{result['peak_rss_mib']:.0f} MiB",
            "what the SQLite side could gain",
        )
    console.print(table)
    if total >= 1_000_000:
        verdict = "meets" if svc["load_s"] < 10 and svc["peak_rss_mib"] < 1024 else "misses"
        console.print(f"service load {verdict} the target (< 10 s and < 1 GiB for 1M exchanges)")
    if "profile" in svc:
        console.print(svc["profile"], markup=False, highlight=False)


if __name__ == "__main__":
    main()
