"""The security and privacy cases of docs/reliability.md (A1-A8, P1-P6) that no other test file
holds. Where a case is tested elsewhere, this file leaves it there:

* A1 script payloads on every page: tests/test_web_browser.py (the sweep); here the pages
  it leaves out (check-ins, settings, report, portfolio, repair, the check-in link's page)
* A2 cross-site changes: tests/test_web_security.py, tests/test_web_api_guards.py
* A3 Host names: tests/test_web_security.py
* A4 one-time login link, no default password: tests/test_web_security.py; here every
  route, read from the app, needs a session
* A5 the session cookie, A6 wrong passwords: tests/test_web_security.py
* A7 the check-in link: tests/test_web_checkin_link.py, tests/test_checkins.py
* A8 guessing tokens: here, 1,000 of them
* P1 forgetting: tests/test_people.py (the file's bytes); here every table a person
  reaches, and the file
* P2 exporting one person: there is no per-person export yet
* P3 logs: here a whole flow through a real server (tests/test_web_security.py checks the
  test client's)
* P4 no outbound connection: here (tests/test_import_vcard.py holds the importer's I5)
* P5 forced errors: tests/test_web_security.py (pages and reads); here changes, the public
  page and debug mode
* P6 file modes: tests/test_store.py, tests/test_backup.py; here every file a session of
  commands writes
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import test_web_browser as browser_sweep
from sqlalchemy import inspect, text
from typer.testing import CliRunner
from web_helpers import PASSWORD, post_form, sign_in, web_client

from mutuality.cli.main import app as cli
from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import FollowUp
from mutuality.services.ledger import Direction
from mutuality.web.app import API_ROUTERS, PAGE_ROUTERS
from mutuality.web.security import SESSION_COOKIE

CANARY = "CANARY-5b2e"
PAYLOADS = browser_sweep.PAYLOADS
server = browser_sweep.server  # the fixtures of the browser sweep: a live server, Chromium
browser = browser_sweep.browser
signed_in_page = browser_sweep.signed_in_page
SAME_ORIGIN = {"sec-fetch-site": "same-origin"}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- A1: script payloads in the pages the browser sweep leaves out ---------------------------


def test_a1_payloads_in_checkins_settings_report_portfolio_and_the_checkin_page_never_run(
    server: str, browser: Any, populated: Mutuality
) -> None:
    """tests/test_web_browser.py sweeps the people, ledger, requests, needs and
    introductions pages; here the rest, with a payload in every field they show: my own
    name, check-ins (notes, what would make it better, follow-ups), answers through a
    check-in link (typed into its form), the first name a link shows, wordings shared in
    the portfolio; and the downloadable HTML (report, portfolio) opened in the browser.
    Every request the pages make stays on this server (P4: no font, avatar or script from
    elsewhere)."""
    populated.owner.set_name(f"{PAYLOADS[0]} Smith")
    people, links = [], []
    for number, payload in enumerate(PAYLOADS):
        person = populated.people.add(f"Pay {number}", tags=("payload",))
        populated.checkins.record(
            person.id,
            my_satisfaction=2,
            their_satisfaction=3,
            my_better=payload,
            their_better=payload,
            note=payload,
            follow_ups=(FollowUp(payload),),
        )
        given = populated.ledger.log(
            person.id, Direction.GAVE, kind="time", what=payload, benefit=5, cost=1
        )
        populated.sharing.share("exchange", given.id, wording=payload)
        populated.sharing.share("person", person.id, wording=payload)
        links.append(populated.checkins.make_link(person.id, first_name=payload))
        people.append(person.id)
    page, dialogs = signed_in_page(browser, server, populated)
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    for number, link in enumerate(links):  # their answer, typed into the page they get
        page.goto(f"{server}/c/{link.token}")
        assert page.evaluate("window.__xss === undefined")
        assert PAYLOADS[number] in page.locator("main").inner_text()  # shown as text
        page.check("input[name=satisfaction][value='3']")
        page.fill("textarea[name=better]", PAYLOADS[number])
        page.fill("textarea[name=message]", PAYLOADS[number])
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.evaluate("window.__xss === undefined")
    assert all(any(c.source == "link" for c in populated.checkins.list(p)) for p in people)
    paths = ["/checkins", "/settings", "/report", "/portfolio", "/repair", "/"]
    paths += [f"/checkins?person={p}" for p in people] + [f"/people/{p}" for p in people]
    for path in paths:
        page.goto(f"{server}{path}")
        assert page.evaluate("window.__xss === undefined"), path
    client = sign_in(web_client(populated), populated)
    for download in ("/report/download?format=html", "/portfolio/download?file=index.html"):
        answer = client.get(download)
        assert answer.status_code == 200, download
        page.set_content(answer.text)
        assert page.evaluate("window.__xss === undefined"), download
    assert dialogs == [] and errors == [] and outside == []


# --- A4: every route needs a session but the few that sign in ----------------------------------

PUBLIC = {
    ("GET", "/login"),  # the sign-in form
    ("POST", "/login"),
    ("GET", "/login/link/{token}"),  # the one-time link's form
    ("POST", "/login/link/{token}"),
    ("GET", "/c/{token}"),  # the private check-in page
    ("POST", "/c/{token}"),
    ("POST", "/api/session"),  # signing in
    ("DELETE", "/api/session"),  # signing out ends nothing without a session
    ("GET", "/api/ping"),  # health
}
"""Every other route answers 401 (API) or sends to the sign-in page without a session."""


def routes() -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for router in (*PAGE_ROUTERS, *API_ROUTERS)
        for route in router.routes
        for method in sorted(getattr(route, "methods", None) or ()) or ()
        if method != "HEAD"
    ]


def test_a4_every_route_needs_a_session_but_the_public_few(populated: Mutuality) -> None:
    found = routes()
    assert len(found) > 100 and set(found) >= PUBLIC
    anonymous = web_client(populated)
    before = populated.backups.snapshot()
    for method, path in found:
        if (method, path) in PUBLIC:
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        body = {"json": {}} if path.startswith("/api/") and method != "GET" else {}
        answer = anonymous.request(
            method, concrete, follow_redirects=False, headers=SAME_ORIGIN, **body
        )
        if path.startswith("/api/"):
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.json()["field"] == "session"
        else:
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/login?next="), (method, path)
        assert "Ana" not in answer.text
    assert populated.backups.snapshot() == before  # nothing was written
    # Only the shape of the API is public, none of its data.
    document = anonymous.get("/api/openapi.json")
    assert document.status_code == 200 and "Ana" not in document.text


# --- A8: guessing tokens -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/c/", "/login/link/"])
def test_a8_a_thousand_random_tokens_get_429_after_the_limit_and_no_hit(
    populated: Mutuality, prefix: str
) -> None:
    client = web_client(populated)
    limiter = client.app.state.limiter
    now = [1000.0]
    limiter.clock = lambda: now[0]
    real = (
        populated.checkins.make_link("Ana Lima").token
        if prefix == "/c/"
        else populated.accounts.login_link().token
    )
    tokens = [secrets.token_urlsafe(32) for _ in range(1000)]
    tokens[500] = real  # a real one among them, after the limit: refused all the same
    statuses = [client.get(f"{prefix}{token}").status_code for token in tokens]
    miss = 404 if prefix == "/c/" else 403
    assert statuses[: limiter.attempts] == [miss] * limiter.attempts
    assert set(statuses[limiter.attempts :]) == {429}
    now[0] += limiter.window + 1  # once the window has passed, the real link still works
    assert client.get(f"{prefix}{real}").status_code == 200
    assert populated.accounts.needs_password()  # nobody signed in by guessing


# --- P5: forced errors -------------------------------------------------------------------------


def explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"the private note says {CANARY}")


@pytest.mark.parametrize("debug", [False, True])
def test_p5_a_forced_error_in_a_change_or_the_public_page_is_a_plain_500(
    populated: Mutuality,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    debug: bool,
) -> None:
    client = sign_in(web_client(populated, debug=debug), populated)
    link = populated.checkins.make_link("Ana Lima")
    monkeypatch.setattr(populated.people, "add", explode)
    monkeypatch.setattr(populated.checkins, "answer_link", explode)
    monkeypatch.setattr(populated.checkins, "link_first_name", explode)
    with caplog.at_level(logging.DEBUG):
        api = client.post("/api/people", json={"name": "Pia"})
        form = post_form(client, "/people/new", {"name": "Pia"})
        public = web_client(populated).get(f"/c/{link.token}")
        answered = web_client(populated).post(
            f"/c/{link.token}", data={"satisfaction": "4"}, headers=SAME_ORIGIN
        )
    assert api.status_code == 500
    assert api.json() == {
        "error": "InternalError",
        "message": "internal error",
        "field": None,
        "value": None,
        "location": None,
    }
    for page in (form, public, answered):
        assert page.status_code == 500 and "Something went wrong" in page.text
    for answer in (api, form, public, answered):
        for leak in (CANARY, "Traceback", "RuntimeError", 'File "', link.token):
            assert leak not in answer.text, (answer.url, leak)
    logged = app_log(caplog)
    assert "RuntimeError on POST /c/{token}" in logged  # the type and the route are logged
    assert link.token not in logged
    assert (CANARY in logged) is debug  # the traceback only with --debug


def app_log(caplog: pytest.LogCaptureFixture) -> str:
    """Every record logged, formatted with its traceback, but the test client's own."""
    return "\n".join(
        caplog.handler.format(record)
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )


# --- P6: every file written is private -------------------------------------------------------


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def test_p6_every_file_a_session_of_commands_writes_is_private(tmp_path: Path) -> None:
    """Tests run as root, where permissions deny nothing: the mode bits are read instead.
    The shareable portfolio is the one folder meant to be published (0755, files 0644)."""
    runner = CliRunner()
    home = tmp_path / "new" / "ledger"
    db = str(home / "ledger.db")

    def run(*args: str) -> None:
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.output)

    out = tmp_path / "out"
    out.mkdir()
    with umask(0o022):
        run("person", "add", "Ana Lima", "--note", CANARY)
        run("gave", "Ana Lima", "-k", "time", "-w", "Moved", "-b", "3", "-c", "1", "--note", CANARY)
        run("export", str(out / "backup.json"))
        run("export", str(out / "contacts.vcf"), "--with-notes")
        run("export", str(out / "contacts.csv"), "--with-notes")
        run("export", str(out / "agenda.ics"))
        run("report", "--out", str(out / "report.md"))
        run("report", "--out", str(out / "report.pdf"))
        run("agenda", "--ics", str(out / "agenda-week.ics"))
    assert mode(home) == 0o700
    written = sorted(p for p in home.iterdir()) + sorted(out.iterdir())
    assert {p.name for p in written} >= {
        "ledger.db",
        "backup.json",
        "contacts.vcf",
        "contacts.csv",
        "agenda.ics",
        "report.md",
        "report.pdf",
    }
    for path in written:
        assert mode(path) == 0o600, (path.name, oct(mode(path)))


def test_p6_every_folder_made_for_a_new_database_is_private(tmp_path: Path) -> None:
    home = tmp_path / "new" / "data" / "ledger"
    with umask(0o022):
        Mutuality.open(str(home / "ledger.db")).close()
    assert [oct(mode(p)) for p in (home, home.parent, home.parent.parent)] == [oct(0o700)] * 3


def test_p6_the_write_ahead_log_and_its_index_are_private(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with umask(0o022), Mutuality.open(str(path)) as ledger:
        ledger.people.add("Ana Lima")
        with ledger.database.engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        sides = [p for p in tmp_path.iterdir() if p.name != "wal.db"]
        if journal == "wal":
            assert {p.name for p in sides} >= {"wal.db-wal", "wal.db-shm"}
        for side in sides:
            assert mode(side) == 0o600, side.name


# --- P1: forgetting a person -------------------------------------------------------------------


def every_row(ledger: Mutuality) -> str:
    """Every row of every table and index-backed shadow table, as text."""
    with ledger.database.engine.connect() as connection:
        names = [
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        ]
        assert set(inspect(connection).get_table_names()) <= set(names)
        return "\n".join(
            repr(list(connection.execute(text(f'SELECT * FROM "{name}"')))) for name in names
        )


def test_p1_forgetting_leaves_no_trace_in_any_table_or_in_the_file(
    populated: Mutuality, tmp_path: Path
) -> None:
    """Everything a person reaches, each holding the canary: their details, exchanges,
    touches, check-ins (and their answer through a link), follow-ups, needs, offers,
    states, requests, commitments, an introduction, important dates, things shared, and
    the imports that brought them in (contacts and a meeting)."""
    vcard = tmp_path / "eve.vcf"
    vcard.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Quist\r\n"
        f"EMAIL:eve.{CANARY.lower()}@example.org\r\nORG:{CANARY}-org\r\n"
        f"NOTE:{CANARY}-vcard-note\r\nTEL:+44 7700 900123\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    populated.imports.run(vcard)
    eve = populated.people.get("Eve Quist").person
    meeting = tmp_path / "meet.ics"
    meeting.write_bytes(
        (
            "\r\n".join(
                [
                    "BEGIN:VCALENDAR",
                    "VERSION:2.0",
                    "BEGIN:VEVENT",
                    f"UID:{CANARY}@example.org",
                    "DTSTART:20261110T100000Z",
                    "DTEND:20261110T110000Z",
                    f"SUMMARY:Coffee {CANARY}-meeting",
                    f"ATTENDEE:mailto:eve.{CANARY.lower()}@example.org",
                    "END:VEVENT",
                    "END:VCALENDAR",
                ]
            )
            + "\r\n"
        ).encode()
    )
    populated.imports.run(meeting)
    populated.ledger.log(
        eve.id,
        Direction.GOT,
        kind="time",
        what=f"talk {CANARY}-what",
        outcome=f"{CANARY}-outcome",
        private_note=f"{CANARY}-exchange-note",
        benefit=5,
        cost=1,
    )
    populated.ledger.touch(eve.id, private_note=f"{CANARY}-touch")
    populated.checkins.record(
        eve.id,
        my_satisfaction=3,
        my_better=f"{CANARY}-my-better",
        their_better=f"{CANARY}-their-better",
        note=f"{CANARY}-checkin-note",
        follow_ups=(FollowUp(f"{CANARY}-promise"),),
    )
    link = populated.checkins.make_link(eve.id, first_name="Sam")
    populated.checkins.answer_link(
        link.token, satisfaction=4, better=f"{CANARY}-wish", equity=0, message=f"{CANARY}-msg"
    )
    populated.checkins.make_link(eve.id)  # one not answered
    populated.needs.add("need", eve.id, f"a designer {CANARY}-need")
    populated.needs.add("offer", eve.id, f"design reviews {CANARY}-offer")
    populated.needs.note_state("Eve Quist", "challenge", f"{CANARY}-state")
    asked = populated.requests.ask(eve.id, f"{CANARY}-request", benefit=6, cost=2)
    populated.requests.decide(asked.id, "yes")
    populated.introductions.propose(
        eve.id, "Bo Chen", reason=f"{CANARY}-reason", a_gains=f"{CANARY}-gains"
    )
    populated.occasions.add(eve.id, f"{CANARY}-date", "2020-05-04")
    populated.sharing.share("person", eve.id)
    path = populated.database.path
    assert path is not None
    assert CANARY in every_row(populated)
    before = {name: count for name, count in table_counts_of(populated).items()}

    populated.people.forget(eve.id)
    rows = every_row(populated)
    left = sorted({m.group(0) for m in re.finditer(rf"{CANARY}[\w.-]*", rows, re.IGNORECASE)})
    assert left == [], left
    assert "7700 900123" not in rows and "Eve Quist" not in rows
    after = table_counts_of(populated)
    assert after["people"] == before["people"] - 1
    with populated.database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            data = file.read_bytes()
            assert CANARY.encode() not in data and CANARY.lower().encode() not in data, file
            assert b"Eve Quist" not in data, file


def table_counts_of(ledger: Mutuality) -> dict[str, int]:
    with ledger.database.engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in inspect(connection).get_table_names()
        }


# --- P3, P4: a real server on loopback ---------------------------------------------------------


@pytest.fixture
def live(populated: Mutuality) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port in a thread, logging at debug
    level with the access log on (as ``mutuality --debug serve`` does), through the root
    logger so that ``caplog`` sees every record."""
    import uvicorn

    from mutuality.web.app import create_app
    from mutuality.web.settings import WebSettings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = WebSettings(port=port, debug=True)
    names = ("uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    levels = {name: logging.getLogger(name).level for name in names}
    config = uvicorn.Config(
        create_app(settings, populated),
        host="127.0.0.1",
        port=port,
        log_level="debug",
        log_config=None,
        access_log=True,
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield settings.base_url
    finally:
        running.should_exit = True
        thread.join(10)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@contextmanager
def access_lines() -> Iterator[list[str]]:
    """The access log as uvicorn's own formatter writes it."""
    from uvicorn.logging import AccessFormatter

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(
        AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    )
    logger = logging.getLogger("uvicorn.access")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def cookie_of(answer: Any) -> str:
    found = re.search(rf"{SESSION_COOKIE}=([^;]+)", answer.headers.get("set-cookie", ""))
    assert found, answer.headers
    return found.group(1)


def representative_flow(base: str, populated: Mutuality) -> dict[str, str]:
    """Sign in through a one-time link, add a person with a private note, make and answer
    a check-in link, log through a form, read pages and exports, a wrong password and a
    right one, sign out. Answers the secrets it handled."""
    import httpx

    secrets_used: dict[str, str] = {"password": PASSWORD}
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as http:
        link = populated.accounts.login_link()
        secrets_used["login link"] = link.token
        assert http.get(f"/login/link/{link.token}").status_code == 200
        signed = http.post(
            f"/login/link/{link.token}", data={"password": PASSWORD, "confirm": PASSWORD}
        )
        assert signed.status_code == 303, signed.text
        cookie = secrets_used["cookie"] = cookie_of(signed)
        jar = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
        made = http.post(
            "/api/people",
            json={"name": "Eve Quist", "note": f"{CANARY}-note", "tags": ["p3"]},
            headers=jar,
        )
        assert made.status_code == 201, made.text
        eve = made.json()["person"]["id"] if "person" in made.json() else made.json()["id"]
        shared = http.post(f"/api/people/{eve}/checkin-link", json={}, headers=jar)
        assert shared.status_code == 201, shared.text
        token = secrets_used["check-in link"] = shared.json()["url"].rsplit("/", 1)[1]
        assert http.get(f"/c/{token}").status_code == 200
        answered = http.post(
            f"/c/{token}",
            data={"satisfaction": "4", "better": f"{CANARY}-better", "message": f"{CANARY}-msg"},
            headers=SAME_ORIGIN,
        )
        assert answered.status_code == 200, answered.text
        page = http.get("/log", headers=jar)
        csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert csrf, page.text
        logged = http.post(
            "/log",
            data={
                "csrf_token": csrf.group(1),
                "person": "Eve Quist",
                "direction": "gave",
                "kind": "time",
                "description": f"{CANARY}-what",
                "note": f"{CANARY}-exchange-note",
            },
            headers={**jar, **SAME_ORIGIN},
        )
        assert logged.status_code == 303, logged.text
        for path in (f"/people/{eve}", "/", "/checkins", "/report/download?format=json"):
            assert http.get(path, headers=jar).status_code == 200, path
        wrong = f"wrong {CANARY}-password"
        secrets_used["wrong password"] = wrong
        assert http.post("/api/session", json={"password": wrong}).status_code == 401
        again = http.post("/api/session", json={"password": PASSWORD})
        assert again.status_code == 200
        secrets_used["second cookie"] = cookie_of(again)
        out = http.delete(
            "/api/session", headers={"Cookie": f"{SESSION_COOKIE}={secrets_used['second cookie']}"}
        )
        assert out.status_code in (200, 204)
    return secrets_used


def test_p3_debug_logs_of_a_whole_flow_hold_no_secret_and_redact_links(
    live: str, populated: Mutuality, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), access_lines() as lines:
        used = representative_flow(live, populated)
    logged = app_log(caplog) + "\n" + "\n".join(lines)
    for what, secret in used.items():
        assert secret not in logged, what
    assert CANARY.lower() not in logged.lower()
    assert any('"GET /c/[redacted] HTTP/1.1" 200' in line for line in lines), lines
    assert any('"POST /c/[redacted] HTTP/1.1" 200' in line for line in lines), lines
    assert any('"POST /login/link/[redacted] HTTP/1.1" 303' in line for line in lines), lines
    assert any("/people/" in line for line in lines)  # the log is there, only redacted


@contextmanager
def loopback_only() -> Iterator[tuple[list[object], list[object]]]:
    """Record every connection and name lookup; refuse any that leaves this machine."""
    import ipaddress

    outbound: list[object] = []
    loopback: list[object] = []
    connect, connect_ex, lookup = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def local(address: object) -> bool:
        if isinstance(address, (str, bytes)):  # a Unix socket
            return True
        host = str(address[0]) if isinstance(address, tuple) else ""  # type: ignore[index]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def guard(address: object) -> None:
        if not local(address):
            outbound.append(address)
            raise OSError(f"connection to {address!r} refused in this test")
        loopback.append(address)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        guard(address)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return connect_ex(self, address)

    def guarded_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not local((host,)):
            outbound.append(("lookup", host))
            raise socket.gaierror(f"looking up {host!r} refused in this test")
        return lookup(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_lookup  # type: ignore[assignment]
    try:
        yield outbound, loopback
    finally:
        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = lookup


def test_p4_a_representative_flow_connects_to_nothing_but_loopback(
    live: str, populated: Mutuality, tmp_path: Path
) -> None:
    """No update check, avatar, web font or fetched photo: the web flow above, every page,
    the importers with photos and links at loopback, a mapped IPv6 address and a file
    (I5), and the commands that write reports, exports and the portfolio."""
    cards = tmp_path / "links.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Link Person\r\n"
        "PHOTO;VALUE=uri:http://127.0.0.1/photo.jpg\r\nURL:http://[::ffff:7f00:1]/\r\n"
        "URL:file:///etc/passwd\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Other Person\r\nPHOTO:file:///etc/passwd\r\n"
        "URL:https://example.org/me\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    db = str(populated.database.path)
    with loopback_only() as (outbound, loopback):
        representative_flow(live, populated)
        client = sign_in(web_client(populated), populated)
        pages = ["/", "/people", "/network", "/capacity", "/board", "/introductions"]
        pages += ["/requests", "/checkins", "/report", "/portfolio", "/settings", "/repair"]
        pages += ["/report/download?format=pdf", "/portfolio/download?file=index.html"]
        for path in pages:
            assert client.get(path).status_code == 200, path
        report = populated.imports.run(cards)
        assert [p.name for p in report.added] == ["Link Person", "Other Person"]
        for args in (
            ("export", str(tmp_path / "all.vcf")),
            ("export", str(tmp_path / "all.json")),
            ("report", "--out", str(tmp_path / "report.pdf")),
            ("portfolio", "--out", str(tmp_path / "portfolio")),
            ("next",),
            ("network",),
            ("match",),
            ("digest",),
        ):
            result = runner.invoke(cli, ["--db", db, *args])
            assert result.exit_code == 0, (args, result.output)
    assert outbound == []
    assert loopback  # the guard saw the flow's own connections to the server
    assert populated.exports.cards()[-1].photo is None


def test_the_loopback_guard_refuses_and_records_the_rest() -> None:
    with loopback_only() as (outbound, _loopback):
        with pytest.raises(OSError):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        with pytest.raises(OSError):
            socket.getaddrinfo("example.org", 443)
        with socket.socket(socket.AF_INET6) as mapped, pytest.raises(OSError):
            mapped.connect(("::ffff:c000:201", 80))
    assert outbound == [("lookup", "192.0.2.1"), ("lookup", "example.org"), ("::ffff:c000:201", 80)]
