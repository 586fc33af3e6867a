"""Matching at organisation scale on Ray: the sharded candidate search, measured where it can
be here and projected to N machines from the per-shard figures.

Vectors are synthetic, seeded and of length 1 (``mutuality.synthetic.matching``: clustered
like embeddings of needs and offers), stored up front, so that embedding time does not
dominate; embedding is measured on its own. Each scenario runs in a fresh child process:

* ``shard``: one shard's cost at full scale (``--needs`` needs x one shard of
  ``--shard-offers`` offers, one thread, as a Ray worker runs it), the merge of two lists,
  and scoring and the exact assignment of the shard's candidates (the driver's work at
  that many needs);
* ``search``: the whole sharded search on a local Ray cluster with 1, then 2 workers
  (``--search-needs`` x ``--search-offers``): time, speed-up, memory;
* ``equality``: the single-machine exact search against the sharded search on Ray (2
  workers) at ``--equal`` x ``--equal``: identical lists, largest score difference, and
  the same plan;
* ``embed``: texts per second of the default encoder, in this process and per Ray worker
  (1 and 2 workers), on ``--texts`` synthetic needs and offers phrased as matching
  phrases them;
* ``network``: the network figures of a generated ledger of ``--people`` members x
  ``--exchanges-per-member`` exchanges (``mutuality.synthetic``): the single-machine pass,
  the ledger cut into ``--parts`` parts by pair, one part's pair figures (one core, the
  per-part cost), the merge and the figures after it, equality with the single-machine
  figures; then the pair figures as Ray tasks on 1 and 2 workers (speed-up), and the
  projection to N machines from the per-part cost;
* ``database``: the whole path from and to a database (``--pg URL``: a fresh PostgreSQL
  database on that server, else SQLite): ``--db-members`` people, ``--db-size`` open needs
  and as many offers with stored vectors (synthetic, as the encoder would store them),
  then ``match --cluster --save`` as the Python API runs it, on a local cluster of 1 and 2
  workers (time, the driver's memory, rows saved) and the single-machine exact ``match``
  on the same ledger (the same report?);
* ``saved``: a saved run's database work (``match --cluster --save``): one shard's lists
  (``--needs`` x 12) stored and read back, and ``--plan-rows`` matches written in batches,
  on SQLite and, with ``--pg URL``, on PostgreSQL.

    .venv/bin/python benchmarks/bench_cluster.py                    # all (several minutes)
    .venv/bin/python benchmarks/bench_cluster.py --only shard --needs 100000
    .venv/bin/python benchmarks/bench_cluster.py --only network --people 1000000
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import describe_machine, peak_rss_mib, report, run_child

MACHINES = (1, 2, 4, 8, 16, 32)
"""Machine counts the projection is printed for (each with this machine's cores)."""


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _start_ray(workers: int) -> float:
    import ray

    started = time.perf_counter()
    ray.init(
        num_cpus=workers,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    return time.perf_counter() - started


def _semantic() -> Any:
    from mutuality.core.matching.weights import Weights

    return Weights(min_similarity=Weights().min_meaning)


def child_shard(needs: int, shard_offers: int, members: int) -> None:
    import faiss

    from mutuality.core.matching.pipeline import run
    from mutuality.core.matching.shards import flat_search, merge, width
    from mutuality.synthetic.matching import people, unit_vectors

    weights = _semantic()
    need_vectors = unit_vectors(needs, seed=1)
    offer_vectors = unit_vectors(shard_offers, seed=2)
    faiss.omp_set_num_threads(1)  # as a Ray worker with one CPU runs it
    wall, cpu = time.perf_counter(), time.process_time()
    found = flat_search(need_vectors, offer_vectors, width(weights), weights.min_similarity)
    search_wall, search_cpu = time.perf_counter() - wall, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    merge([found, found], width(weights))
    merge_seconds, merge_cpu = time.perf_counter() - started, time.process_time() - cpu
    who = people(needs, shard_offers, members, seed=3)
    started, cpu = time.perf_counter(), time.process_time()
    plan = run(*found, who.need_person, who.offer_person, who.owner, who.facts,
               who.excluded_pairs, weights)  # fmt: skip
    run_seconds, run_cpu = time.perf_counter() - started, time.process_time() - cpu
    report(
        {
            "timings": {
                "one shard: exact top-k, one thread (wall)": search_wall,
                "one shard: the same in CPU seconds": search_cpu,
                "merge of two shards' lists": merge_seconds,
                "merge: CPU seconds": merge_cpu,
                "scoring and exact assignment of its candidates": run_seconds,
                "scoring and assignment: CPU seconds": run_cpu,
            },
            "candidate edges": int(plan.candidates),
            "chosen": int(plan.chosen.sum()),
            "peak RSS MiB": round(peak_rss_mib()),
            "load average after": _load_average(),
        }
    )


def _timed(search: Any, folder: Path) -> Any:
    """``search``, each call's CPU and wall seconds appended to a file in ``folder`` (the
    workers of a local cluster share this machine's disk)."""

    def timed(needs: Any, offers: Any, k: int, floor: float) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        found = search(needs, offers, k, floor)
        with (folder / f"{os.getpid()}.times").open("a") as handle:
            handle.write(f"{time.process_time() - cpu} {time.perf_counter() - wall}\n")
        return found

    return timed


def child_search(needs: int, offers: int, workers: int) -> None:
    import ray

    from mutuality.core.matching.shards import search_for, width
    from mutuality.services.matching.cluster import SHARD_OFFERS, OnRay, sharded_search
    from mutuality.synthetic.matching import unit_vectors

    weights = _semantic()
    need_vectors, offer_vectors = unit_vectors(needs, seed=1), unit_vectors(offers, seed=2)
    start_seconds = _start_ray(workers)
    with tempfile.TemporaryDirectory() as records, tempfile.TemporaryDirectory() as times:
        timed = _timed(search_for(offer_vectors)[0], Path(times))
        started = time.perf_counter()
        (indices, _), shards, _ = sharded_search(
            OnRay(workers=workers, search_one=timed),
            need_vectors,
            offer_vectors,
            width(weights),
            weights.min_similarity,
            Path(records),
            SHARD_OFFERS,
        )
        seconds = time.perf_counter() - started
        tasks = [
            [float(x) for x in line.split()]
            for file in Path(times).glob("*.times")
            for line in file.read_text().splitlines()
        ]
    ray.shutdown()
    task_cpu = sum(t[0] for t in tasks)
    report(
        {
            "timings": {
                "starting the local cluster": start_seconds,
                "sharded search": seconds,
                "the shards' tasks: CPU seconds, all together": task_cpu,
                "the shards' tasks: wall seconds, all together": sum(t[1] for t in tasks),
            },
            "shards": shards,
            "cores the tasks held on average (CPU s / search s)": round(task_cpu / seconds, 2),
            "needs with candidates": int((indices[:, 0] >= 0).sum()),
            "driver peak RSS MiB": round(peak_rss_mib()),
            "vectors in the object store MiB": round(
                (need_vectors.nbytes + offer_vectors.nbytes) / 2**20
            ),
            "load average after": _load_average(),
        }
    )


def child_equality(size: int, members: int) -> None:
    import ray

    from mutuality.core.matching.pipeline import candidates, run
    from mutuality.core.matching.shards import width
    from mutuality.services.matching.cluster import SHARD_OFFERS, OnRay, sharded_search
    from mutuality.synthetic.matching import people, unit_vectors

    weights = _semantic()
    need_vectors, offer_vectors = unit_vectors(size, seed=1), unit_vectors(size, seed=2)
    started = time.perf_counter()
    single = candidates(need_vectors, offer_vectors, weights)
    single_seconds = time.perf_counter() - started
    _start_ray(2)
    with tempfile.TemporaryDirectory() as records:
        started = time.perf_counter()
        sharded, shards, _ = sharded_search(
            OnRay(workers=2),
            need_vectors,
            offer_vectors,
            width(weights),
            weights.min_similarity,
            Path(records),
            SHARD_OFFERS,
        )
        ray_seconds = time.perf_counter() - started
    ray.shutdown()
    who = people(size, size, members, seed=3)
    args = (who.need_person, who.offer_person, who.owner, who.facts, who.excluded_pairs, weights)
    mine, theirs = run(*sharded, *args), run(*single, *args)
    same_plan = bool(np.array_equal(mine.chosen, theirs.chosen)) and bool(
        np.array_equal(mine.scored.need, theirs.scored.need)
        and np.array_equal(mine.scored.offer, theirs.scored.offer)
    )
    report(
        {
            "timings": {
                "single machine, exact (FAISS flat, all threads)": single_seconds,
                f"sharded on Ray, 2 workers ({shards} shards)": ray_seconds,
            },
            "identical candidate entries": f"{(sharded[0] == single[0]).mean():.6f}",
            "largest score difference": float(np.abs(sharded[1] - single[1]).max()),
            "same plan (chosen edges)": same_plan,
            "plan total score, sharded / single": float(
                mine.scored.score[mine.chosen].sum() / theirs.scored.score[theirs.chosen].sum()
            ),
            "load average after": _load_average(),
        }
    )


def _texts(count: int) -> list[str]:
    from bench_matching import NEED_PHRASES, OFFER_PHRASES, synthetic_texts

    from mutuality.core.matching.semantic import phrased

    half = count // 2
    needs = synthetic_texts(half, NEED_PHRASES, seed=5)
    offers = synthetic_texts(count - half, OFFER_PHRASES, seed=6)
    return [phrased(t, True) for t in needs] + [phrased(t, False) for t in offers]


def child_embed(texts: int, workers: int) -> None:
    from mutuality.services.matching.embeddings import BATCH
    from mutuality.services.matching.embeddings import default_encoder as encoder

    items = _texts(texts)
    batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    if workers == 0:  # in this process, as `match embed` does
        model = encoder()
        started = time.perf_counter()
        model.encode(items[:BATCH])  # the model loaded and warm
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for batch in batches:
            model.encode(batch)
        seconds = time.perf_counter() - started
        report(
            {
                "timings": {"loading and a first batch": load_seconds, "embedding": seconds},
                "texts per second": round(texts / seconds, 1),
                "load average after": _load_average(),
            }
        )
        return
    import ray

    from mutuality.services.matching.cluster import OnRay

    _start_ray(workers)
    started = time.perf_counter()
    done = sum(len(v) for _, v in OnRay(workers=workers).embed("", batches))
    seconds = time.perf_counter() - started
    ray.shutdown()
    report(
        {
            "timings": {"embedding on Ray (workers start, load, embed)": seconds},
            "texts": done,
            "texts per second": round(done / seconds, 1),
            "texts per second per worker": round(done / seconds / workers, 1),
            "load average after": _load_average(),
        }
    )


# --- the network figures ----------------------------------------------------------------------


def _ledger(people: int, per_person: int) -> Any:
    """The generated ledger as exchange columns (no contacts), as the network reads it."""
    from datetime import date

    from mutuality.core.analytics import KIND_CODES, UNKNOWN, ExchangeColumns, day_number
    from mutuality.synthetic import generate_network
    from mutuality.synthetic.network import KINDS

    today = date(2026, 12, 1)
    net = generate_network(people, per_person, seed=7, today=today)
    total, day = net.total, day_number(today)
    giver, receiver = np.empty(total, np.int64), np.empty(total, np.int64)
    days, kind = np.empty(total, np.int32), np.empty(total, np.int8)
    benefit, cost = np.empty(total, np.float64), np.empty(total, np.float64)
    codes = np.array([KIND_CODES[k] for k in KINDS], dtype=np.int8)
    start = 0
    for chunk in net.chunks():
        stop = start + len(chunk)
        giver[start:stop], receiver[start:stop] = chunk.giver, chunk.receiver
        days[start:stop] = day - chunk.age_days
        benefit[start:stop], cost[start:stop] = chunk.benefit, chunk.cost
        kind[start:stop] = codes[chunk.kind]
        start = stop
    initiator = np.full(total, UNKNOWN, np.int8)
    return ExchangeColumns(giver, receiver, days, benefit, cost, kind, initiator), today


def _figures(pairs: Any, people: int, today: Any) -> Any:
    from mutuality.core.analytics import day_number, person_totals
    from mutuality.core.network import network_figures
    from mutuality.core.network_rules import NetworkSettings

    known = np.arange(1, people, dtype=np.int64)
    return network_figures(pairs, person_totals(pairs), day_number(today), NetworkSettings(), known)


HALF_LIFE, WINDOW = 180.0, 90


def child_network_part(people: int, per_person: int, parts: int) -> None:
    from mutuality.core.analytics import PairFigures, TouchColumns, pair_figures
    from mutuality.core.analytics_shards import merge_pairs, split_ledger

    started = time.perf_counter()
    exchanges, today = _ledger(people, per_person)
    generate_seconds = time.perf_counter() - started
    touches = TouchColumns.empty()

    def timed(work: Any) -> tuple[Any, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        return result, time.perf_counter() - wall, time.process_time() - cpu

    whole, whole_seconds, whole_cpu = timed(
        lambda: pair_figures(exchanges, touches, today, HALF_LIFE, WINDOW)
    )
    single, figures_seconds, _ = timed(lambda: _figures(whole, people, today))
    cut, split_seconds, _ = timed(lambda: split_ledger(exchanges, touches, parts))
    found, part_seconds, part_cpu = timed(lambda: pair_figures(*cut[0], today, HALF_LIFE, WINDOW))
    rest = [found] + [pair_figures(*part, today, HALF_LIFE, WINDOW) for part in cut[1:]]
    merged, merge_seconds, _ = timed(lambda: merge_pairs(rest))
    mine, _, _ = timed(lambda: _figures(merged, people, today))
    exact = all(
        np.array_equal(getattr(merged, f), getattr(whole, f))
        for f in PairFigures.__slots__
        if getattr(whole, f).dtype.kind != "f"
    )
    relative = max(
        float(np.max(np.abs(getattr(merged, f) - getattr(whole, f)) / np.maximum(
            np.abs(getattr(whole, f)), 1e-300), initial=0.0))
        for f in PairFigures.__slots__
        if getattr(whole, f).dtype.kind == "f"
    )  # fmt: skip
    report(
        {
            "timings": {
                "generating the ledger (not part of the pass)": generate_seconds,
                "single machine: pair figures of the whole ledger": whole_seconds,
                "single machine: the same in CPU seconds": whole_cpu,
                "person totals and network figures": figures_seconds,
                f"cutting the ledger into {parts} parts by pair": split_seconds,
                "one part: pair figures (wall)": part_seconds,
                "one part: the same in CPU seconds": part_cpu,
                f"merging the {parts} parts' pair figures": merge_seconds,
            },
            "exchanges": len(exchanges),
            "pairs": len(whole),
            "pairs, counts and days identical": exact,
            "largest relative difference of a sum": f"{relative:.1e}",
            "network figures identical": mine == single,
            "peak RSS MiB": round(peak_rss_mib()),
            "load average after": _load_average(),
        }
    )


def child_network_ray(people: int, per_person: int, parts: int, workers: int) -> None:
    import ray

    from mutuality.core.analytics import TouchColumns
    from mutuality.core.analytics_shards import merge_pairs, split_ledger
    from mutuality.services.matching.workers import OnRay

    exchanges, today = _ledger(people, per_person)
    start_seconds = _start_ray(workers)
    started = time.perf_counter()
    cut = split_ledger(exchanges, TouchColumns.empty(), parts)
    split_seconds = time.perf_counter() - started
    found = dict(OnRay(workers=workers).pairs(cut, today, HALF_LIFE, WINDOW))
    tasks_seconds = time.perf_counter() - started - split_seconds
    merged = merge_pairs([found[n] for n in range(parts)])
    seconds = time.perf_counter() - started
    ray.shutdown()
    report(
        {
            "timings": {
                "starting the local cluster": start_seconds,
                "cut, pair figures on Ray, merge": seconds,
                "of which the Ray tasks (columns sent, summed, sent back)": tasks_seconds,
            },
            "parts": parts,
            "pairs": len(merged),
            "driver peak RSS MiB": round(peak_rss_mib()),
            "load average after": _load_average(),
        }
    )


def child_network_db(people: int, per_person: int, parts: int) -> None:
    """The network figures from a database: the single-machine view (the whole ledger read
    into this process), then ``network --cluster``'s path (each part read from the database
    by its worker, only per-person sums sent back) in this process and on a local Ray
    cluster of 1 and 2 workers; the same report each time."""
    import ray

    from mutuality.services.app import Mutuality
    from mutuality.services.health.cluster import network_on_cluster
    from mutuality.services.matching.workers import InProcess, connect, disconnect
    from mutuality.services.settings import Settings
    from mutuality.synthetic import generate_network

    today = date(2026, 12, 1)
    net = generate_network(people, per_person, seed=7, today=today)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        with Mutuality.open(str(Path(folder) / "org.db"), Settings(), today=lambda: today) as app:
            started = time.perf_counter()
            person_ids = app.people.bulk_add(net.names())
            with app.database.read() as session:
                owner = app.people.owner_id(session)
            app.ledger.bulk_add(net.exchanges(np.array([owner, *person_ids], dtype=np.int64)))
            timings["loading the ledger"] = time.perf_counter() - started
        rss_after_load = peak_rss_mib()
        reports = {}
        with Mutuality.open(str(Path(folder) / "org.db"), Settings(), today=lambda: today) as app:
            started = time.perf_counter()
            reports["single"] = app.health.network()
            timings["single machine: the whole ledger read, then the figures"] = (
                time.perf_counter() - started
            )
            started = time.perf_counter()
            reports["parts"] = network_on_cluster(app.health, InProcess(), parts).report
            timings[f"{parts} parts read by range, in this process, one after another"] = (
                time.perf_counter() - started
            )
            for workers in (1, 2):
                executor = connect("local", workers)
                started = time.perf_counter()
                reports[workers] = network_on_cluster(app.health, executor, parts).report
                timings[f"on Ray, {workers} worker(s), {parts} parts"] = (
                    time.perf_counter() - started
                )
                disconnect()
                assert not ray.is_initialized()
    single = reports.pop("single")
    report(
        {
            "timings": timings,
            "exchanges": net.total,
            "people": single.figures.people,
            "the same network figures each time": all(
                r.figures == single.figures for r in reports.values()
            ),
            "peak RSS MiB after the load": round(rss_after_load),
            "peak RSS MiB at the end (driver)": round(peak_rss_mib()),
            "load average after": _load_average(),
        }
    )


def project_network(part: dict[str, Any], parts: int) -> None:
    """Wall time of the pair figures on N machines of this machine's cores, from the
    per-part CPU seconds (parts are independent; the driver cuts, merges and finishes
    alone)."""
    cores = os.cpu_count() or 1
    timings = part["timings"]
    per_part = timings["one part: the same in CPU seconds"]
    driver = (
        timings[f"cutting the ledger into {parts} parts by pair"]
        + timings[f"merging the {parts} parts' pair figures"]
        + timings["person totals and network figures"]
    )
    print(f"\n== projection: network figures, {part['exchanges']:,} exchanges, {parts} parts ==")
    print(f"  per part {per_part:.2f} CPU s; the driver's cut, merge and figures {driver:.1f} s")
    print(f"  {'machines':>8} {'cores':>6} {'parts s':>8} {'total s':>8}")
    for machines in MACHINES:
        workers = machines * cores
        tasks = math.ceil(parts / workers) * per_part
        print(f"  {machines:>8} {workers:>6} {tasks:>8.1f} {tasks + driver:>8.1f}")


# --- the whole path, from and to a database -------------------------------------------------


def _bench_database(url: str, folder: str) -> tuple[str, Any]:
    """A fresh database: a new one on the PostgreSQL server at ``url``, else an SQLite file."""
    if not url:
        return str(Path(folder) / "org.db"), None
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"mutuality_bench_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def _load_org(app: Any, size: int, members: int) -> float:
    """People, needs and offers written in bulk, and their vectors stored as the encoder's."""
    from datetime import date

    from sqlalchemy import insert

    from mutuality.core.matching.semantic import text_hash, to_bytes
    from mutuality.services.matching.embeddings import compared_text
    from mutuality.store.tables import NeedRow, OfferRow, TextEmbeddingRow
    from mutuality.synthetic.matching import unit_vectors

    started = time.perf_counter()
    app.needs.on_saved = None
    ids = np.array(app.people.bulk_add(f"Member {i}" for i in range(members)), dtype=np.int64)
    rng = np.random.default_rng(9)
    today = date.today()
    for table, seed in ((NeedRow, 1), (OfferRow, 2)):
        owners = rng.choice(ids, size)
        rows = [
            {"person_id": int(owners[i]), "text": f"topic {seed}-{i}", "tags": "",
             "source": "them", "status": "open", "created_on": today}
            for i in range(size)
        ]  # fmt: skip
        for start in range(0, size, 10_000):
            with app.database.write() as session:
                session.execute(insert(table), rows[start : start + 10_000])
    loaded = app.matching.inputs().loaded
    model = app.matching.embeddings.encoder.model_name
    now = app.context.now()
    for wishes, seed, column in ((loaded.needs, 1, "need_id"), (loaded.offers, 2, "offer_id")):
        vectors = unit_vectors(len(wishes), seed=seed)
        rows = [
            {column: w.id, "model": model, "text_hash": text_hash(compared_text(w)),
             "dim": vectors.shape[1], "vector": to_bytes(v), "created_at": now}
            for w, v in zip(wishes, vectors, strict=True)
        ]  # fmt: skip
        for start in range(0, len(rows), 10_000):
            with app.database.write() as session:
                session.execute(insert(TextEmbeddingRow), rows[start : start + 10_000])
    return time.perf_counter() - started


def child_database(
    size: int, members: int, url: str, shard_offers: int, compare: bool = True
) -> None:
    import ray

    from mutuality.services.app import Mutuality
    from mutuality.services.matching.cluster import connect, disconnect, match_on_cluster
    from mutuality.services.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        target, drop = _bench_database(url, folder)
        try:
            with Mutuality.open(target, Settings(owner_name="Organiser")) as app:
                load_seconds = _load_org(app, size, members)
                started = time.perf_counter()
                loaded = app.matching.inputs().loaded
                inputs_seconds = time.perf_counter() - started
                started = time.perf_counter()
                app.matching.embeddings.vectors(loaded.needs, loaded.offers)
                vectors_seconds = time.perf_counter() - started
                runs: dict[int, Any] = {}
                for workers in (1, 2):
                    executor = connect("local", workers)
                    started = time.perf_counter()
                    done = match_on_cluster(
                        app.matching, executor, shard_offers=shard_offers, save=True
                    )
                    runs[workers] = (time.perf_counter() - started, done)
                    disconnect()
                    assert not ray.is_initialized()
                done = runs[2][1]
                saved = app.matching.runs.get(done.run_id)
                single, single_seconds = None, float("nan")
                if compare:
                    started = time.perf_counter()
                    single = app.matching.match("semantic", approximate=False)
                    single_seconds = time.perf_counter() - started
                same = (
                    single is not None
                    and all(
                        [(m.need.id, m.offer.id) for m in getattr(done.report, group)]
                        == [(m.need.id, m.offer.id) for m in getattr(single, group)]
                        for group in ("help_me", "i_help", "introductions")
                    )
                    and (done.report.chosen, done.report.scored) == (single.chosen, single.scored)
                )
                first = list(app.matching.runs.matches(runs[1][1].run_id))
                second = list(app.matching.runs.matches(done.run_id))
        finally:
            if drop is not None:
                drop()
    report(
        {
            "timings": {
                "loading the ledger (people, needs, offers, vectors)": load_seconds,
                "match --cluster local --save, 1 worker (read, search, plan, write)": runs[1][0],
                "the same, 2 workers": runs[2][0],
                "reading the inputs (needs, offers, people's facts), alone": inputs_seconds,
                "reading the stored vectors, alone": vectors_seconds,
                "the single-machine exact match (read, search, plan)": single_seconds,
            },
            "database": "PostgreSQL" if url else "SQLite",
            "shards": done.shards,
            "chosen": done.report.chosen,
            "matches saved": saved.written,
            "the two saved plans identical": [
                (m["need_id"], m["offer_id"], m["question"]) for m in first
            ]
            == [(m["need_id"], m["offer_id"], m["question"]) for m in second],
            "the same report as the single-machine exact match": (
                same if compare else "not compared"
            ),
            "speed-up from 1 to 2 workers": round(runs[1][0] / runs[2][0], 2),
            "driver peak RSS MiB": round(peak_rss_mib()),
            "load average after": _load_average(),
        }
    )


# --- a saved run's database work --------------------------------------------------------------


def child_saved(needs: int, rows: int, url: str) -> None:
    from mutuality.services.app import Mutuality
    from mutuality.services.matching.runs import MATCH_FIELDS
    from mutuality.services.settings import Settings

    rng = np.random.default_rng(4)
    found = (
        rng.integers(0, 300_000, (needs, 12)).astype(np.int64),
        rng.random((needs, 12), dtype=np.float32),
    )
    plan = [
        {
            **dict.fromkeys(MATCH_FIELDS, 0),
            "question": ("help_me", "i_help", "introduce")[i % 3],
            "need_id": i + 1,
            "offer_id": i + 2,
            "seeker_id": i % 1_000_000,
            "helper_id": (i * 7) % 1_000_000,
            "similarity": float(rng.random()),
            "score": float(rng.random()),
            "two_way": bool(i % 5 == 0),
            "reverse_need_id": None,
            "reverse_offer_id": None,
        }
        for i in range(rows)
    ]
    with tempfile.TemporaryDirectory() as folder:
        target = url or str(Path(folder) / "saved.db")
        with Mutuality.open(target, Settings(owner_name="Bench")) as app:
            runs = app.matching.runs
            run_id = runs.begin(f"bench-{time.time_ns()}", needs, rows, 1, "exact")
            started = time.perf_counter()
            runs.shards(run_id).save(0, found)
            save_seconds = time.perf_counter() - started
            started = time.perf_counter()
            back = runs.shards(run_id).load(0)
            load_seconds = time.perf_counter() - started
            started = time.perf_counter()
            runs.write_plan(run_id, plan, rows)
            write_seconds = time.perf_counter() - started
            started = time.perf_counter()
            read = sum(1 for _ in runs.matches(run_id))
            read_seconds = time.perf_counter() - started
            runs.delete(run_id)
    report(
        {
            "timings": {
                f"one shard's lists stored ({needs:,} needs x 12)": save_seconds,
                "and read back": load_seconds,
                f"the plan written, {rows:,} matches in batches of 10,000": write_seconds,
                "the plan read back": read_seconds,
            },
            "database": "PostgreSQL" if url else "SQLite",
            "lists read back identical": bool(
                np.array_equal(back[0], found[0]) and np.array_equal(back[1], found[1])
            ),
            "matches written per second": round(rows / write_seconds),
            "matches read back": read,
            "load average after": _load_average(),
        }
    )


def project(shard: dict[str, Any], needs: int, offers: int, shard_offers: int, rate: float) -> None:
    """Wall time at ``needs`` x ``offers`` on N machines of this machine's cores, each core
    free for the work, from the per-shard CPU seconds (shards are independent; each core
    takes a shard at a time; the driver merges and assigns alone)."""
    cores = os.cpu_count() or 1
    count = math.ceil(offers / shard_offers)
    per_shard = shard["timings"]["one shard: the same in CPU seconds"]
    merge = shard["timings"]["merge: CPU seconds"] * count
    driver = shard["timings"]["scoring and assignment: CPU seconds"]
    print(f"\n== projection: {needs:,} x {offers:,}, {count} shards of {shard_offers:,} ==")
    print(f"  per shard {per_shard:.1f} CPU s; merge {merge:.1f} s; scoring and")
    print(f"  assignment {driver:.1f} s (at {needs:,} needs); embedding {rate:.0f} texts/s/core")
    print(f"  {'machines':>8} {'cores':>6} {'search s':>9} {'total s':>8} {'embed all, min':>15}")
    for machines in MACHINES:
        workers = machines * cores
        search = math.ceil(count / workers) * per_shard
        embed = (needs + offers) / (rate * workers) / 60 if rate else float("nan")
        print(
            f"  {machines:>8} {workers:>6} {search:>9.0f} {search + merge + driver:>8.0f} "
            f"{embed:>15.1f}"
        )


def _print(name: str, result: dict[str, Any]) -> None:
    print(f"\n== {name} ==")
    for key, value in result.get("timings", {}).items():
        print(f"  {key:<52} {value:8.2f} s")
    for key, value in result.items():
        if key != "timings":
            print(f"  {key:<52} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=300_000)
    parser.add_argument("--offers", type=int, default=300_000)
    parser.add_argument("--shard-offers", type=int, default=10_240)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--search-needs", type=int, default=50_000)
    parser.add_argument("--search-offers", type=int, default=50_000)
    parser.add_argument("--equal", type=int, default=30_000)
    parser.add_argument("--texts", type=int, default=2_048)
    parser.add_argument("--exchanges-per-member", type=int, default=10)
    parser.add_argument("--parts", type=int, default=16)
    parser.add_argument("--plan-rows", type=int, default=300_000)
    parser.add_argument("--db-size", type=int, default=20_000)
    parser.add_argument("--db-members", type=int, default=100_000)
    parser.add_argument("--db-shard-offers", type=int, default=2_500)
    parser.add_argument("--pg", default="", help="a PostgreSQL URL for the saved scenario")
    parser.add_argument(
        "--db-compare",
        type=int,
        default=1,
        help="1: also run the single-machine exact match on the same ledger (0: skip it)",
    )
    parser.add_argument(
        "--only",
        choices=(
            "shard",
            "search",
            "equality",
            "embed",
            "network",
            "network-db",
            "saved",
            "database",
        ),
    )
    parser.add_argument(
        "--embed-rate", type=float, default=0.0, help="texts/s per worker, when not measured"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "shard":
        return child_shard(args.needs, args.shard_offers, args.people)
    if args.child == "search":
        return child_search(args.search_needs, args.search_offers, args.workers)
    if args.child == "equality":
        return child_equality(args.equal, args.people)
    if args.child == "embed":
        return child_embed(args.texts, args.workers)
    if args.child == "database":
        return child_database(
            args.db_size, args.db_members, args.pg, args.db_shard_offers, bool(args.db_compare)
        )
    if args.child == "saved":
        return child_saved(args.needs, args.plan_rows, args.pg)
    if args.child == "network-part":
        return child_network_part(args.people, args.exchanges_per_member, args.parts)
    if args.child == "network-db":
        return child_network_db(args.people, args.exchanges_per_member, args.parts)
    if args.child == "network-ray":
        return child_network_ray(args.people, args.exchanges_per_member, args.parts, args.workers)
    print(describe_machine())
    print(f"load average before: {_load_average()}")
    passed = [f"--{k.replace('_', '-')}={v}" for k, v in vars(args).items() if k not in
              ("only", "child", "workers", "embed_rate")]  # fmt: skip
    everything = ("shard", "search", "equality", "embed", "network", "saved", "database")
    wanted = (args.only,) if args.only else everything
    shard: dict[str, Any] | None = None
    rate = args.embed_rate
    if "shard" in wanted:
        shard = run_child("bench_cluster.py", "--child", "shard", *passed)
        _print(f"one shard: {args.needs:,} needs x {args.shard_offers:,} offers", shard)
    if "search" in wanted:
        times = {}
        for workers in (1, 2):
            result = run_child(
                "bench_cluster.py", "--child", "search", f"--workers={workers}", *passed
            )
            times[workers] = result["timings"]["sharded search"]
            _print(
                f"search on Ray, {workers} worker(s): "
                f"{args.search_needs:,} x {args.search_offers:,}",
                result,
            )
        print(f"\n  speed-up from 1 to 2 workers: {times[1] / times[2]:.2f}")
    if "equality" in wanted:
        result = run_child("bench_cluster.py", "--child", "equality", *passed)
        _print(f"equality: {args.equal:,} x {args.equal:,}", result)
    if "embed" in wanted:
        for workers in (0, 1, 2):
            result = run_child(
                "bench_cluster.py", "--child", "embed", f"--workers={workers}", *passed
            )
            where = "in this process" if workers == 0 else f"on Ray, {workers} worker(s)"
            _print(f"embedding {args.texts:,} texts {where}", result)
            if workers == 1:
                rate = float(result["texts per second per worker"])
    if "network" in wanted:
        part = run_child("bench_cluster.py", "--child", "network-part", *passed)
        ledger = f"{args.people:,} members x {args.exchanges_per_member} exchanges"
        _print(f"network figures by parts: {ledger}", part)
        times = {}
        for workers in (1, 2):
            result = run_child(
                "bench_cluster.py", "--child", "network-ray", f"--workers={workers}", *passed
            )
            times[workers] = result["timings"]["cut, pair figures on Ray, merge"]
            _print(f"network pair figures on Ray, {workers} worker(s): {ledger}", result)
        print(f"\n  speed-up from 1 to 2 workers: {times[1] / times[2]:.2f}")
        project_network(part, args.parts)
    if "network-db" in wanted:
        result = run_child("bench_cluster.py", "--child", "network-db", *passed)
        ledger = f"{args.people:,} members x {args.exchanges_per_member} exchanges"
        _print(f"network figures from the database (SQLite): {ledger}", result)
    if "saved" in wanted:
        for url in ("", args.pg) if args.pg else ("",):
            result = run_child("bench_cluster.py", "--child", "saved", *passed, f"--pg={url}")
            _print(f"a saved run's database work, {result['database']}", result)
    if "database" in wanted:
        result = run_child("bench_cluster.py", "--child", "database", *passed)
        size = f"{args.db_size:,} x {args.db_size:,}, {args.db_members:,} members"
        _print(f"from and to the database ({result['database']}): {size}", result)
    if shard is not None:
        project(shard, args.needs, args.offers, args.shard_offers, rate)


if __name__ == "__main__":
    main()
