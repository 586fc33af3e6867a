"""The web app under load: every signed-in page (the dashboard, the people list, person pages,
the board, introductions, matches, requests, check-ins, network, capacity, report,
portfolio, settings, the log form) at 10k people and 1M exchanges, 20 concurrent clients on
loopback, measured with wrk; and each page's first contentful paint in Chromium.

    .venv/bin/python benchmarks/bench_web.py                        # 10k people, 1M exchanges
    .venv/bin/python benchmarks/bench_web.py --people 2000 --per-person 50 --seconds 5
    .venv/bin/python benchmarks/bench_web.py --db /tmp/web.db        # reuse a loaded database
    .venv/bin/python benchmarks/bench_web.py --workers 2             # uvicorn worker processes
    .venv/bin/python benchmarks/bench_web.py --threads 4             # page threads per process
    .venv/bin/python benchmarks/bench_web.py --pages dashboard,person # only these pages

Steps:

* **load** (not timed here): a fresh SQLite file with the synthetic network's people
  (``app.people.bulk_add``) and exchanges (``app.ledger.bulk_add``, the services' bulk path);
  a password is set through a one-time login link, which also gives the session cookie.
* **serve**: uvicorn in a child process, the app built by ``create_app`` as ``mutuality serve``
  does (access log off), on 127.0.0.1.
* **warm**: one request to each page before timing, so the network-wide figures are computed
  once (they are kept until the next write); the figure is reported.
* **wrk**: for each page, ``-t2 -c20`` for ``--seconds``, with the session cookie; person pages
  go to a random person of the network on every request (a Lua script), so most of them
  are read cold. The Lua ``done`` hook prints the 50th, 95th and 99th percentiles.
* **paint**: each page opened five times in Debian's Chromium (Playwright, signed in with
  the same cookie, nothing else running), the median ``first-contentful-paint`` reported;
  skipped when Chromium or Playwright is missing.

Targets: p95 under 100 ms and first paint under 500 ms for each page; wrk must be installed
(``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from _common import describe_machine

from mutuality.web.settings import WebSettings

TODAY = date(2026, 11, 23)
PAGES: dict[str, str] = {
    "dashboard": "/",
    "people": "/people",
    "person": "",
    "log": "/log",
    "board": "/board",
    "introductions": "/introductions",
    "matches": "/matches",
    "requests": "/requests",
    "checkins": "/checkins",
    "network": "/network",
    "capacity": "/capacity",
    "report": "/report",
    "portfolio": "/portfolio",
    "settings": "/settings",
}
"""Each page by name and path; the person page goes to a random person each request."""
COOKIE = "__Host-mutuality_session"
PASSWORD = "benchmark password 1"

LUA = r"""
local ids = {}
local cookie = os.getenv("BENCH_COOKIE")
local mode = os.getenv("BENCH_MODE")
local low, high = tonumber(os.getenv("BENCH_LOW")), tonumber(os.getenv("BENCH_HIGH"))
math.randomseed(os.time())
request = function()
  local path = os.getenv("BENCH_PATH")
  if mode == "person" then path = "/people/" .. math.random(low, high) end
  return wrk.format("GET", path, {["Cookie"] = cookie, ["Host"] = "127.0.0.1"})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %.1f %d %d\n",
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def load(path: Path, people: int, per_person: int) -> None:
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings
    from mutuality.synthetic import generate_network

    net = generate_network(people, per_person, seed=0, today=TODAY)
    started = time.perf_counter()
    with Mutuality.open(str(path), Settings(), today=lambda: TODAY) as app:
        ids = [app.people.owner().id, *app.people.bulk_add(net.names())]
        count = app.ledger.bulk_add(net.exchanges(ids))
    print(
        f"loaded {people - 1} people and {count} exchanges in {time.perf_counter() - started:.1f} s"
    )


def session_token(path: Path) -> tuple[str, int, int]:
    """A signed-in session (the password set through a login link) and the person id range."""
    from sqlalchemy import func, select

    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings
    from mutuality.store.tables import PersonRow

    with Mutuality.open(str(path), Settings(), today=lambda: TODAY) as app:
        signed = app.accounts.use_link(app.accounts.login_link().token, PASSWORD)
        with app.database.read() as session:
            low, high = session.execute(
                select(func.min(PersonRow.id), func.max(PersonRow.id)).where(
                    PersonRow.is_owner.is_(False)
                )
            ).one()
    return signed.token, low, high


def serve(path: str, port: int, workers: int, threads: int) -> None:
    """The child: uvicorn over create_app, as ``mutuality serve`` runs it."""
    import uvicorn

    if workers > 1:
        os.environ["BENCH_DB"], os.environ["BENCH_PORT"] = path, str(port)
        os.environ["BENCH_WORKERS"], os.environ["BENCH_THREADS"] = str(workers), str(threads)
        uvicorn.run(
            "bench_web:factory",
            factory=True,
            host="127.0.0.1",
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
        return
    uvicorn.run(
        factory_for(path, port, 1, threads),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


def factory_for(path: str, port: int, workers: int, threads: int) -> object:
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings
    from mutuality.web.app import create_app, settle_collector
    from mutuality.web.settings import WebSettings

    app = Mutuality.open(path, Settings(), today=lambda: TODAY)
    web = create_app(WebSettings(port=port, workers=workers, threads=threads), app)
    settle_collector()  # as `mutuality serve` does
    return web


def factory() -> object:
    return factory_for(
        os.environ["BENCH_DB"],
        int(os.environ["BENCH_PORT"]),
        int(os.environ["BENCH_WORKERS"]),
        int(os.environ["BENCH_THREADS"]),
    )


def get(url: str, token: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={token}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as answer:
        answer.read()
        assert answer.status == 200, answer.status
    return time.perf_counter() - started


def warm(url: str, token: str) -> list[float]:
    """Requests in parallel on new connections until every worker answers fast (each worker
    process computes the network-wide figures on its first request)."""
    from concurrent.futures import ThreadPoolExecutor

    times: list[float] = []
    with ThreadPoolExecutor(8) as pool:
        for _ in range(20):
            batch = list(pool.map(lambda _: get(url, token), range(16)))
            times += batch
            if max(batch) < 0.5:
                break
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--per-person", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=WebSettings().threads)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--db", type=Path, help="reuse (or create) this database file")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="comma-separated, from: " + ", ".join(PAGES)
    )
    parser.add_argument("--no-paint", action="store_true", help="skip the first-paint round")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.workers, args.threads)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    print(f"Machine: {describe_machine()}")
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "web.db"
        if not path.exists():
            load(path, args.people, args.per_person)
        token, low, high = session_token(path)
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                str(path),
                str(args.port),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            cwd=Path(__file__).parent,
        )
        base = f"http://127.0.0.1:{args.port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{base}/api/ping", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            pages = [name.strip() for name in args.pages.split(",") if name.strip()]
            unknown = sorted(set(pages) - set(PAGES))
            if unknown:
                raise SystemExit(f"unknown pages: {', '.join(unknown)}")
            for name in pages:
                times = warm(base + (PAGES[name] or f"/people/{low}"), token)
                print(
                    f"{name}: first request {times[0] * 1000:.0f} ms (computes the network-"
                    f"wide figures in that worker), then {min(times) * 1000:.0f} ms at best"
                )
            run_wrk(base, token, low, high, args, pages)
            if not args.no_paint:
                first_paint(base, token, low, high, pages)
        finally:
            child.terminate()
            child.wait(10)


def run_wrk(
    base: str, token: str, low: int, high: int, args: argparse.Namespace, pages: list[str]
) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    print(
        f"\nwrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"workers={args.workers}, threads={args.threads}"
    )
    print("| page | requests/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in pages:
        path = PAGES[page]
        mode = "fixed" if path else "person"
        name = f"{page} `{path or '/people/{random id}'}`"
        env = {
            **os.environ,
            "BENCH_COOKIE": f"{COOKIE}={token}",
            "BENCH_MODE": mode,
            "BENCH_PATH": path,
            "BENCH_LOW": str(low),
            "BENCH_HIGH": str(high),
        }
        done = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
        requests, micros, p50, p95, p99, worst, status, errors = line.split()[1:]
        rate = int(requests) / (int(micros) / 1e6)
        print(f"| {name} | {rate:.0f} | {p50} | {p95} | {p99} | {worst} | {status} | {errors} |")
    Path(script.name).unlink()


FIRST_PAINT = """new Promise(done => new PerformanceObserver(list => {
  const paint = list.getEntriesByName('first-contentful-paint')[0];
  if (paint) done(paint.startTime);
}).observe({type: 'paint', buffered: true}))"""
"""The page's first contentful paint, waited for when it has not happened at ``load``."""


def first_paint(base: str, token: str, low: int, high: int, pages: list[str]) -> None:
    """The median first contentful paint of five loads of each page in Chromium."""
    import random
    import statistics

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        print("\nfirst paint: skipped (Debian's chromium and playwright are needed)")
        return
    print("\n| page | first contentful paint, median of 5 (ms) | slowest (ms) |")
    print("| --- | ---: | ---: |")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1366, "height": 900},
            extra_http_headers={"Cookie": f"{COOKIE}={token}"},
        )
        page = context.new_page()
        for name in pages:
            paints = []
            for _ in range(5):
                path = PAGES[name] or f"/people/{random.randint(low, high)}"
                page.goto(base + path, wait_until="load")
                paints.append(page.evaluate(FIRST_PAINT))
            print(f"| {name} | {statistics.median(paints):.0f} | {max(paints):.0f} |")
        browser.close()


if __name__ == "__main__":
    main()
