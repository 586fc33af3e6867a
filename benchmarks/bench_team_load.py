"""Team mode under load: a community of members on PostgreSQL, each with a year of activity in
their private ledger, and many members at once on `mutuality serve`, with locust.

    .venv/bin/pip install -e '.[bench,postgres]'                     # locust, psycopg
    .venv/bin/python benchmarks/bench_team_load.py                   # 1,000 members, 50 clients
    .venv/bin/python benchmarks/bench_team_load.py --members 100 --users 20 --seconds 20
    .venv/bin/python benchmarks/bench_team_load.py --think 1 3    # each member at a person's pace
    .venv/bin/python benchmarks/bench_team_load.py --server postgresql+psycopg://postgres@127.0.0.1/postgres

Steps: a fresh database on the server (``--server`` names one the user may connect to and
create databases from; dropped afterwards); the community created and every member joined
through TeamService (one-time invitation, password); each member's private ledger filled with
a year of activity (``--people`` people, ``--exchanges`` exchanges over the last 365 days, in
one bulk load per member); `mutuality serve --no-demo --workers N` in a child process (the
real command); the first ``--users`` members signed in through the sign-in form; locust
headless, one locust user per member, three reads (the dashboard, the people API, a person's
page, all of the member's own) for every write (an exchange logged through the REST API).
Each locust user waits ``--think`` seconds between requests (0.05 to 0.2 by default: flat out,
far faster than a person clicks; ``--think 1 3`` paces each member as a person at the page).

Reported: requests, failures, requests per second, the median and 95th percentile of each
kind, and the exchanges stored afterwards against the writes locust saw answered 201 (they
must be equal). Target (issue: team mode, "Load"): no errors, p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from _common import describe_machine, progress_bar
from _locust import free_port, locust_table, run_locust
from rich.console import Console

PASSWORD = "benchmark password 1"
HERE = Path(__file__).parent
DEFAULT_SERVER = os.environ.get(
    "MUTUALITY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
console = Console()


def _fresh_database(server: str) -> tuple[str, str]:
    """A new, empty database on ``server``: its URL and its name (to drop afterwards)."""
    from sqlalchemy import create_engine, text

    name = f"mutuality_load_{os.getpid()}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}", name


def _drop_database(server: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _a_year(
    owner: int, people: list[int], count: int, today: date, rng: random.Random
) -> list[Any]:
    """``count`` exchanges between the member and their people over the last year."""
    from mutuality.core.model import Estimator, ExchangeKind, NewExchange

    kinds = list(ExchangeKind)
    made = []
    for _ in range(count):
        other = rng.choice(people)
        gave = rng.random() < 0.5
        made.append(
            NewExchange(
                giver_id=owner if gave else other,
                receiver_id=other if gave else owner,
                kind=rng.choice(kinds),
                description=rng.choice(
                    ("Coffee and advice", "Reviewed a draft", "An introduction", "Helped move")
                ),
                on=today - timedelta(days=rng.randrange(365)),
                benefit=float(rng.randint(1, 8)),
                cost=float(rng.randint(1, 6)),
                estimated_by=Estimator.ME,
            )
        )
    return made


def _seed(url: str, members: int, people: int, exchanges: int) -> dict[str, list[int]]:
    """The community, every member joined and their ledger filled; each member's email and
    the ids of their people."""
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings

    rng = random.Random(0)
    today = date.today()
    found: dict[str, list[int]] = {}
    with Mutuality.open(url, Settings()) as server, progress_bar() as bar:
        team = server.team
        task = bar.add_task("members joined, a year of activity each", total=members)
        invite = team.init("Load Test Circle", "member0@example.org", "Member 0")
        organiser = team.join(invite.token, PASSWORD)
        joined = [organiser]
        for number in range(1, members):
            email = f"member{number}@example.org"
            made = team.invite(organiser.id, email, name=f"Member {number}")
            joined.append(team.join(made.token, PASSWORD))
        for member in joined:
            ledger = team.ledger(member.id)
            ids = ledger.people.bulk_add(f"Person {member.id}-{i}" for i in range(people))
            ledger.ledger.bulk_add(_a_year(_owner_of(ledger), ids, exchanges, today, rng))
            found[member.email] = ids
            bar.advance(task)
        team.close()
    return found


def _owner_of(ledger: Any) -> int:
    """The member's own person in their ledger (created on first use)."""
    return int(ledger.people.owner().id)


def _sign_in(base: str, email: str) -> str:
    answer = httpx.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD},
        headers={"Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
        timeout=120,
    )
    if answer.status_code != 303:
        raise SystemExit(f"signing in as {email} answered {answer.status_code}: {answer.text}")
    return answer.headers["set-cookie"].split(";")[0]


def _stored(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM exchanges WHERE description = 'load test'")
        ).scalar_one()
    engine.dispose()
    return int(count)


def run(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    started = time.monotonic()
    people = _seed(url, args.members, args.people, args.exchanges)
    seeded = time.monotonic() - started
    port = free_port()
    env = {**os.environ, "MUTUALITY_DB": url}
    log = folder / "server.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("mutuality")),
            "serve",
            "--no-demo",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        stdin=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert server.stdout is not None
        threading.Thread(target=server.stdout.read, daemon=True).start()
        for _ in range(600):
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        chosen = sorted(people)[: args.users]
        sessions = [{"cookie": _sign_in(base, email), "people": people[email]} for email in chosen]
        (folder / "sessions.json").write_text(json.dumps(sessions))
        rows, answers = run_locust(
            HERE / "locustfile_team.py",
            base,
            args.users,
            args.seconds,
            folder,
            {
                **env,
                "BENCH_SESSIONS": str(folder / "sessions.json"),
                "BENCH_THINK": ",".join(map(str, args.think)),
            },
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    trouble = [
        line
        for line in log.read_text().splitlines()
        if "rror" in line or "Traceback" in line or "locked" in line
    ]
    return {
        "seeded_s": seeded,
        "rows": rows,
        "answers": answers,
        "saved": int(answers.get("201", 0)),
        "stored": _stored(url),
        "trouble": trouble[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=DEFAULT_SERVER, help="a PostgreSQL URL to start from")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--people", type=int, default=25, help="people in each member's ledger")
    parser.add_argument("--exchanges", type=int, default=150, help="each member's year")
    parser.add_argument("--users", type=int, default=50, help="members at once")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[0.05, 0.2],
        metavar=("MIN", "MAX"),
        help="seconds each member waits between requests",
    )
    args = parser.parse_args()
    console.print(describe_machine())
    url, name = _fresh_database(args.server)
    try:
        with tempfile.TemporaryDirectory() as folder:
            result = run(args, url, Path(folder))
    finally:
        _drop_database(args.server, name)
    table = locust_table(
        f"team mode: {args.members} members ({args.people} people, {args.exchanges} "
        f"exchanges each), {args.users} at once, {args.think[0]:g}-{args.think[1]:g} s apart, "
        f"{args.seconds} s, --workers {args.workers}",
        result["rows"],
    )
    console.print(table)
    for line in result["trouble"]:
        console.print(f"[yellow]server[/]: {line}", markup=True, highlight=False)
    console.print(
        f"seeded in {result['seeded_s']:.0f} s; writes answered 201: {result['saved']} "
        f"(all answers: {result['answers']}); exchanges stored: {result['stored']}"
    )


if __name__ == "__main__":
    main()
