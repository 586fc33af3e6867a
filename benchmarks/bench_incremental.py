"""Incremental health: log one exchange, then read that relationship's health, on a ledger
of 1M exchanges.

    .venv/bin/python benchmarks/bench_incremental.py                    # 1M exchanges, 50 people
    .venv/bin/python benchmarks/bench_incremental.py --exchanges 100000 --people-sampled 20
    .venv/bin/python benchmarks/bench_incremental.py --profile          # + cProfile of the reads
    .venv/bin/python benchmarks/bench_incremental.py --keep DIR         # reuse the database

Steps, each in a fresh process:

* ``load`` (setup): a fresh SQLite file filled through the services' bulk path, as in
  ``bench_bulk_load.py``: ``app.people.bulk_add(net.names())`` (person index ``i`` gets
  ``ids[i]``, the owner is index 0), then ``app.ledger.bulk_add(net.exchanges(ids))``.
* ``measure``: for ``--people-sampled`` people the owner has exchanges with (spread over
  the range of how many: from the busiest relationship to the lightest), after one
  untimed warm-up call of each kind, time
  ``app.ledger.log(name, Direction.GAVE, kind="time", what="coffee")`` and then
  ``app.health.for_person(name)`` (wall time, and this thread's CPU time, which other work
  on a shared machine does not add to), and check that the new exchange is already counted
  (times given one more than just before, last exchange today).

Target: the health part's median under 5 ms in the service layer.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from _common import describe_machine, peak_rss_mib, progress_bar, report, run_child
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings
from mutuality.store.tables import ExchangeRow, RelationshipRow
from mutuality.synthetic import generate_network
from mutuality.synthetic.network import OWNER, SyntheticNetwork, person_name

TODAY = date(2026, 11, 23)


def network(exchanges: int, per_person: int, seed: int) -> SyntheticNetwork:
    return generate_network(max(exchanges // per_person, 3), per_person, seed=seed, today=TODAY)


def open_app(path: Path) -> Mutuality:
    return Mutuality.open(str(path), settings=Settings(), today=lambda: TODAY)


def load(path: Path, net: SyntheticNetwork) -> None:
    started = time.perf_counter()
    app = open_app(path)
    person_ids = app.people.bulk_add(net.names())
    with app.database.read() as session:
        owner_id = app.people.owner_id(session)
    ids = np.array([owner_id, *person_ids], dtype=np.int64)
    people_s = time.perf_counter() - started
    with progress_bar() as bar:
        task = bar.add_task("ledger.bulk_add", total=net.total)
        started = time.perf_counter()
        loaded = app.ledger.bulk_add(net.exchanges(ids), progress=lambda n: bar.advance(task, n))
        load_s = time.perf_counter() - started
    app.close()
    report(
        {
            "people_s": people_s,
            "load_s": load_s,
            "loaded": loaded,
            "db_mib": path.stat().st_size / 2**20,
        }
    )


def owner_partners(net: SyntheticNetwork) -> tuple[np.ndarray, np.ndarray]:
    """Per person index: how many exchanges the owner gave them and got from them."""
    gave = np.zeros(net.people, dtype=np.int64)
    got = np.zeros(net.people, dtype=np.int64)
    for chunk in net.chunks():
        gave += np.bincount(chunk.receiver[chunk.giver == OWNER], minlength=net.people)
        got += np.bincount(chunk.giver[chunk.receiver == OWNER], minlength=net.people)
    return gave, got


def chosen(gave: np.ndarray, got: np.ndarray, count: int) -> np.ndarray:
    """``count`` partners of the owner, evenly spread over the ranking by exchange count."""
    total = gave + got
    partners = np.flatnonzero(total)
    ranked = partners[np.argsort(-total[partners], kind="stable")]
    picks = np.unique(np.linspace(0, len(ranked) - 1, min(count, len(ranked))).round())
    return ranked[picks.astype(np.int64)]


def measure(path: Path, net: SyntheticNetwork, sampled: int, profile: bool) -> None:
    gave, got = owner_partners(net)
    picks = chosen(gave, got, sampled + 1)
    warm, picks = picks[len(picks) // 2], np.delete(picks, len(picks) // 2)
    app = open_app(path)
    with app.database.read() as session:
        owner_id = app.people.owner_id(session)
        owner_rows = session.scalar(
            select(func.count())
            .select_from(ExchangeRow)
            .where((ExchangeRow.giver_id == owner_id) | (ExchangeRow.receiver_id == owner_id))
        )
        relationships = session.scalar(select(func.count()).select_from(RelationshipRow))
        exchanges = session.scalar(select(func.count()).select_from(ExchangeRow))
    warm_name = person_name(int(warm), net.people)
    app.ledger.log(warm_name, Direction.GAVE, kind="time", what="coffee")  # untimed warm-up
    app.health.for_person(warm_name)

    def owner_gave(person_id: int) -> int:
        with app.database.read() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(ExchangeRow)
                    .where(
                        ExchangeRow.giver_id == owner_id,
                        ExchangeRow.receiver_id == person_id,
                        # introductions I made are left out of every balance (value model)
                        ExchangeRow.kind != "introduction",
                    )
                )
                or 0
            )

    log_ms, health_ms, health_cpu_ms, fresh = [], [], [], True
    for index in picks.tolist():
        name = person_name(index, net.people)
        before = owner_gave(app.people.get(name).person.id)  # untimed
        started = time.perf_counter()
        app.ledger.log(name, Direction.GAVE, kind="time", what="coffee")
        logged, cpu = time.perf_counter(), time.thread_time()
        detail = app.health.for_person(name)
        done = time.perf_counter()
        health_cpu_ms.append((time.thread_time() - cpu) * 1000)
        log_ms.append((logged - started) * 1000)
        health_ms.append((done - logged) * 1000)
        fresh &= (
            detail.balance.times_given == before + 1
            and detail.balance.times_received == got[index]
            and detail.health.days_since == 0
        )
    result = {
        "exchanges": exchanges,
        "owner_rows": owner_rows,
        "relationships": relationships,
        "sampled": len(picks),
        "fresh": bool(fresh),
        "rows_per_relationship": [int(gave[i] + got[i]) for i in picks.tolist()],
        "log_ms": log_ms,
        "health_ms": health_ms,
        "health_cpu_ms": health_cpu_ms,
        "peak_rss_mib": peak_rss_mib(),
    }
    if profile:
        profiler = cProfile.Profile()
        names = [person_name(i, net.people) for i in picks.tolist()]
        profiler.enable()
        for name in names:
            app.health.for_person(name)
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_callees(r"\(for_person\)")
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(12)
        result["profile"] = text.getvalue()
    app.close()
    report(result)


def figures(values: list[float]) -> tuple[str, str, str]:
    return (
        f"{np.median(values):.2f} ms",
        f"{np.percentile(values, 95):.2f} ms",
        f"{max(values):.2f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--people-sampled", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile for_person")
    parser.add_argument(
        "--keep", type=Path, help="a folder for the database, reused when it is already there"
    )
    parser.add_argument("--child", choices=["load", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    net = network(args.exchanges, args.per_person, args.seed)
    if args.child == "load":
        load(args.db, net)
        return
    if args.child == "measure":
        measure(args.db, net, args.people_sampled, args.profile)
        return

    console = Console(width=max(Console().width, 120))
    console.print(f"[bold]Incremental health[/] on {describe_machine()}")
    common = [
        "--exchanges",
        str(args.exchanges),
        "--per-person",
        str(args.per_person),
        "--seed",
        str(args.seed),
        "--people-sampled",
        str(args.people_sampled),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"incremental-{args.exchanges}-{args.seed}.db"
        if args.keep and path.exists():
            console.print(f"reusing {path} (delete it for a fresh load)")
        else:
            path.unlink(missing_ok=True)
            console.print(f"load: {net.total:,} exchanges among {net.people:,} people ...")
            loaded = run_child(
                "bench_incremental.py", "--child", "load", "--db", str(path), *common
            )
            console.print(
                f"loaded in {loaded['people_s']:.1f} s (people) + "
                f"{loaded['load_s']:.1f} s (exchanges); file {loaded['db_mib']:.0f} MiB"
            )
        console.print("measure: log + for_person ...")
        extra = ["--profile"] if args.profile else []
        found = run_child(
            "bench_incremental.py", "--child", "measure", "--db", str(path), *common, *extra
        )
    rows = found["rows_per_relationship"]
    console.print(
        f"{found['exchanges']:,} exchanges in the database, {found['owner_rows']:,} of them "
        f"the owner's; {found['relationships']:,} relationships. {found['sampled']} people "
        f"sampled: {max(rows)} to {min(rows)} exchanges with the owner (median "
        f"{np.median(rows):.0f}). Health counted the new exchange at once: {found['fresh']}."
    )
    table = Table("step", "median", "p95", "max", "target")
    met = float(np.median(found["health_ms"])) < 5
    table.add_row("ledger.log", *figures(found["log_ms"]), "")
    table.add_row(
        "health.for_person",
        *figures(found["health_ms"]),
        f"median < 5 ms: {'met' if met else 'missed'}",
    )
    table.add_row(
        "for_person, CPU time",
        *figures(found["health_cpu_ms"]),
        "(this thread's: what other work on the machine does not add)",
    )
    table.add_row(
        "both",
        *figures([a + b for a, b in zip(found["log_ms"], found["health_ms"], strict=True)]),
        "",
    )
    console.print(table)
    console.print(f"peak RSS {found['peak_rss_mib']:.0f} MiB")
    if "profile" in found:
        print(found["profile"])


if __name__ == "__main__":
    main()
