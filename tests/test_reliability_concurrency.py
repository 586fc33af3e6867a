"""Concurrency, run for real (docs/reliability.md L2, L3, L5; L1 is in its own test file).

* L2: read-then-write operations raced by threads (each with its own connections, as the
  web server's threads and a CLI command have) and by two processes: keeping one
  commitment, deciding one request, both sides consenting to one introduction. Nothing
  is lost and nothing happens twice. (The counter race is
  ``test_store.py::test_concurrent_read_then_write_transactions_never_fail_or_lose_updates``.)
* L3: a reader looping while two processes write: writes keep going, the reader never
  fails, and the journal stays small.
* L5: ten parallel answers to one check-in link through a real server on loopback:
  exactly one accepted, nine told 410 (``test_web_checkin_link.py`` has the same race
  through the test client).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import open_app
from reliability_helpers import ACK, acknowledged, count, integrity, rows, start_child, wait_ready

from mutuality.core.errors import Conflict
from mutuality.core.introductions import Consent, IntroStatus, Step
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.web.app import create_app
from mutuality.web.settings import WebSettings

RACERS = 4
ROUNDS = 4


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls on threads released together; each result or the exception raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:  # returned to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results


@pytest.fixture
def racers(tmp_path: Path, populated_template: Path) -> Iterator[list[Mutuality]]:
    """The populated app opened separately by each racer: its own engine and connections."""
    path = tmp_path / "race.db"
    shutil.copyfile(populated_template, path)
    apps = [open_app(path) for _ in range(RACERS)]
    try:
        yield apps
    finally:
        for app in apps:
            app.close()


def _one_wins(results: list[Any], refusal: str) -> Any:
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1, results
    for loser in losers:
        assert isinstance(loser, Conflict) and refusal in loser.message, repr(loser)
    return winners[0]


# --- L2 -----------------------------------------------------------------------------------------


def test_l2_keeping_one_commitment_at_once_logs_one_exchange(racers) -> None:
    first = racers[0]
    for number in range(ROUNDS):
        request = first.requests.ask("ana", f"Review grant {number}", benefit=8, cost=2)
        _, commitment = first.requests.decide(request.id, "yes")
        assert commitment is not None
        before = first.people.count(), count(first.database.path, "exchanges")
        results = race([lambda app=app, c=commitment.id: app.commitments.keep(c) for app in racers])
        kept = _one_wins(results, f"commitment #{commitment.id} is already kept")
        assert count(first.database.path, "exchanges") == before[1] + 1
        stored = rows(
            first.database.path,
            "SELECT status, exchange_id FROM commitments WHERE id = ?",
            (commitment.id,),
        )
        assert stored == [("kept", kept.exchange_id)]
    integrity(first.database.path)


def test_l2_deciding_one_request_at_once_makes_one_commitment(racers) -> None:
    first = racers[0]
    for number in range(ROUNDS):
        request = first.requests.ask("bo", f"Lend a hand {number}", benefit=6, cost=2)
        results = race(
            [lambda app=app, r=request.id: app.requests.decide(r, "yes") for app in racers]
        )
        _one_wins(results, f"request #{request.id} is already decided")
        made = count(first.database.path, "commitments", f"request_id = {request.id}")
        assert made == 1
    integrity(first.database.path)


def test_l2_both_sides_consenting_at_once_are_both_kept(racers) -> None:
    """Each answer reads the introduction, works out its next state and writes it back:
    a lost update would leave it asking with one consent forgotten."""
    first = racers[0]
    pairs = [("ana", "bo"), ("ana", "josé"), ("bo", "dana")]
    for a, b in pairs:
        intro = first.introductions.propose(a, b, reason="Both build small studios").introduction
        first.introductions.ask(intro.id)
        results = race(
            [
                lambda i=intro.id, a=a: racers[1].introductions.answer(i, a),
                lambda i=intro.id, b=b: racers[2].introductions.answer(i, b),
            ]
        )
        assert not [r for r in results if isinstance(r, BaseException)], results
        detail = first.introductions.get(intro.id)
        assert detail.introduction.status is IntroStatus.AGREED
        assert (detail.introduction.a_consent, detail.introduction.b_consent) == (Consent.YES,) * 2
        assert [s.step for s in detail.steps].count(Step.CONSENTED) == 2
    integrity(first.database.path)


RACER = """
import sys
from mutuality.cli.main import run
import mutuality.cli.requests, mutuality.services.app, mutuality.services.requests

print("ready", flush=True)
sys.stdin.readline()
sys.argv = ["mutuality", *sys.argv[1:]]
run()
"""


@pytest.mark.slow
def test_l2_two_processes_keeping_one_commitment_log_one_exchange(
    tmp_path: Path, populated_template: Path
) -> None:
    """``mutuality commitments keep`` in two processes released at the same moment."""
    db = tmp_path / "race.db"
    shutil.copyfile(populated_template, db)
    with open_app(db) as app:
        request = app.requests.ask("ana", "Review my grant", benefit=8, cost=2)
        _, commitment = app.requests.decide(request.id, "yes")
    assert commitment is not None
    exchanges = count(db, "exchanges")
    command = ["--db", str(db), "commitments", "keep", str(commitment.id)]
    children = [start_child(RACER, command, tmp_path, stdin=subprocess.PIPE) for _ in range(2)]
    for child in children:
        wait_ready(child)
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=60) for child in children]
    codes = sorted(child.returncode for child in children)
    errors = " ".join(err for _, err in outputs)
    assert codes == [0, 2], outputs
    assert f"commitment #{commitment.id} is already kept" in errors
    assert count(db, "exchanges") == exchanges + 1
    integrity(db)


# --- L3 -----------------------------------------------------------------------------------------

WRITER = (
    ACK
    + """
import os, time
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction

db, acks_file, stop, who, pause = sys.argv[1:6]
ack = Acks(acks_file)
app = Mutuality.open(db)
print("ready", flush=True)
while not os.path.exists(stop):
    logged = app.ledger.log(who, Direction.GAVE, kind="time", what="Helped", benefit=2, cost=1)
    ack("exchange", logged.id, f"{time.monotonic():.4f}")
    time.sleep(float(pause))
app.close()
"""
)
READ_SECONDS = 20.0
JOURNAL_LIMIT = 10 * 1024 * 1024


class Run:
    """What happened while two writer processes (and perhaps a reader) ran."""

    def __init__(self) -> None:
        self.began = self.finished = 0.0
        self.reads, self.slowest, self.seen = 0, 0.0, 0
        self.largest = {"-journal": 0, "-wal": 0}
        self.commits: dict[str, list[float]] = {}
        self.exits: dict[str, tuple[int, str]] = {}

    def waits(self, who: str) -> list[float]:
        """The time between consecutive commits of ``who`` (and from the start to the first,
        and from the last to the end)."""
        times = [t for t in self.commits[who] if self.began <= t <= self.finished]
        marks = [self.began, *times, self.finished]
        return [b - a for a, b in itertools.pairwise(marks)]

    def pauses(self) -> list[float]:
        """The time between consecutive commits of anyone."""
        times = sorted(t for who in self.commits for t in self.commits[who])
        marks = [self.began, *[t for t in times if self.began <= t <= self.finished]]
        return [b - a for a, b in itertools.pairwise([*marks, self.finished])]


def run_writers(db: Path, folder: Path, seconds: float, pause: float, read: bool) -> Run:
    """Two processes log exchanges (``pause`` seconds between one commit and the next
    transaction) for ``seconds``; with ``read``, this process reads the whole ledger in a
    loop meanwhile. The journal's (or -wal's) size is sampled every 5 ms."""
    run = Run()
    stop = folder / "stop"
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            for suffix in run.largest:
                with contextlib.suppress(FileNotFoundError):
                    size = os.stat(f"{db}{suffix}").st_size
                    run.largest[suffix] = max(run.largest[suffix], size)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    writers = {}
    try:
        for who in ("ana", "bo"):
            arguments = [str(db), str(folder / f"{who}.acks"), str(stop), who, str(pause)]
            writers[who] = start_child(WRITER, arguments, folder)
        for child in writers.values():
            wait_ready(child)
        run.began = time.monotonic()
        end = run.began + seconds
        if read:
            with open_app(db) as reader:
                while time.monotonic() < end:
                    started = time.monotonic()
                    snapshot = reader.backups.snapshot()
                    reader.ledger.timeline("ana")
                    run.slowest = max(run.slowest, time.monotonic() - started)
                    assert len(snapshot["exchanges"]) >= run.seen, "the ledger shrank"
                    run.seen = len(snapshot["exchanges"])
                    run.reads += 1
        else:
            time.sleep(seconds)
        run.finished = time.monotonic()
    finally:
        stop.touch()
        for who, child in writers.items():
            _, err = child.communicate(timeout=60)
            run.exits[who] = (child.returncode, err)
        sampling.set()
        sampler.join()
    for who in writers:
        lines = acknowledged(folder / f"{who}.acks")
        run.commits[who] = [float(words[2]) for words in lines]
    return run


@pytest.mark.slow
def test_l3_a_reader_looping_while_two_processes_write(
    tmp_path: Path, populated_template: Path
) -> None:
    """A reader reads the whole ledger in a loop for 20 s while two processes log
    exchanges (10 ms apart, as people and pages do, not a bulk load): the reader never
    fails and never sees the ledger shrink; both writers keep committing; the journal (or
    -wal) stays under 10 MB."""
    db = tmp_path / "ledger.db"
    shutil.copyfile(populated_template, db)
    run = run_writers(db, tmp_path, READ_SECONDS, pause=0.01, read=True)
    for who, (code, err) in run.exits.items():
        assert code == 0, f"{who}: {err}"
    integrity(db)
    for who in run.commits:
        waits = run.waits(who)
        assert len(waits) > 50, f"{who} made {len(waits) - 1} commits in {READ_SECONDS} s"
        assert max(waits) < 5.0, f"{who} waited {max(waits):.1f} s to commit"
    assert max(run.pauses()) < 3.0, f"nobody committed for {max(run.pauses()):.1f} s"
    assert run.reads >= 20 and run.slowest < 5.0, (run.reads, run.slowest)
    assert 0 < run.seen <= count(db, "exchanges")
    assert max(run.largest.values()) < JOURNAL_LIMIT, run.largest
    print(
        f"L3: {run.reads} reads (slowest {run.slowest * 1000:.0f} ms); commits "
        f"{ {who: len(times) for who, times in run.commits.items()} }; longest wait "
        f"{max(max(run.waits(who)) for who in run.commits) * 1000:.0f} ms; "
        f"largest journal {run.largest}"
    )


@pytest.mark.slow
def test_l3_two_processes_writing_back_to_back_both_get_their_turn(
    tmp_path: Path, populated_template: Path
) -> None:
    """Two processes log exchanges with no pause between them for 6 s: each commit
    waits for the other's transaction, never for seconds. Without the write gate
    (store/write_gate.py) one process waited 2-4 s, and sometimes failed at 10 s."""
    db = tmp_path / "ledger.db"
    shutil.copyfile(populated_template, db)
    run = run_writers(db, tmp_path, 6.0, pause=0.0, read=False)
    integrity(db)
    for who, (code, err) in run.exits.items():
        assert code == 0, f"{who}: {err.strip().splitlines()[-1:]}"
    longest = {who: round(max(run.waits(who)), 2) for who in run.commits}
    assert max(longest.values()) < 1.0, f"longest wait to commit, in seconds: {longest}"


# --- L5 -----------------------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Mutuality, str]]:
    """The web app served by uvicorn on a loopback port of its own, in a thread."""
    app = open_app(tmp_path / "web.db", Settings(owner_name="Samira Haddad"))
    app.people.add("Ana Lima")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    web = create_app(WebSettings(port=port, allowed_hosts=("127.0.0.1",)), app)
    server = uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
        app.close()


@pytest.mark.slow
def test_l5_ten_parallel_answers_to_one_link_one_accepted_nine_gone(served) -> None:
    app, base = served
    link = app.checkins.make_link("ana")
    clients = [httpx.Client(base_url=base, timeout=30) for _ in range(10)]
    try:
        results = race(
            [
                lambda client=client: (
                    client.post(
                        f"/c/{link.token}",
                        data={"satisfaction": "5"},
                        headers={"sec-fetch-site": "same-origin"},
                    ).status_code
                )
                for client in clients
            ]
        )
    finally:
        for client in clients:
            client.close()
    assert sorted(results) == [200] + [410] * 9, results
    assert len(app.checkins.list("ana")) == 1
