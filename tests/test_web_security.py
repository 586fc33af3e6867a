"""What docs/reliability.md promises for the web app (A2-A6, A8, P3, P5), via the test client."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import anyio
import pytest
from conftest import table_counts
from web_helpers import PASSWORD, form_token, post_form, session_of, sign_in, web_client

from mutuality.services.accounts import AccountService
from mutuality.services.app import Mutuality
from mutuality.services.context import utc_now
from mutuality.web.app import create_app
from mutuality.web.security import CONTENT_SECURITY_POLICY, SESSION_COOKIE, cross_site, host_name
from mutuality.web.settings import WebSettings

PAGES = [
    "/",
    "/people",
    "/people?search=a&status=quiet",
    "/log",
    "/network",
    "/capacity",
    "/settings",
    "/people/new",
]


def person_pages(client: Any) -> list[str]:
    ids = [i["person"]["id"] for i in client.get("/api/people").json()["items"]]
    return [f"/people/{i}" for i in ids] + [f"/people/{i}/edit" for i in ids]


# --- A2: cross-site requests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://testserver"},
        {"Origin": "http://testserver:9999"},
    ],
)
def test_unsafe_requests_from_elsewhere_are_refused(
    client: Any, populated: Mutuality, headers: dict[str, str]
) -> None:
    before = table_counts(populated)
    refused = [
        client.post("/api/people", json={"name": "Mallory"}, headers=headers),
        client.delete("/api/session", headers=headers),
        post_form(client, "/people/new", {"name": "Mallory"}, headers=headers),
        client.post("/logout", data={"csrf_token": form_token(client)}, headers=headers),
    ]
    for answer in refused:
        assert answer.status_code == 403, answer.text
    assert refused[0].json()["field"] == "origin"
    assert table_counts(populated) == before
    assert client.get("/api/people").status_code == 200  # still signed in


def test_same_origin_passes_and_forms_need_the_session_token(
    client: Any, populated: Mutuality
) -> None:
    same = {"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/people", json={"name": "Ola"}, headers=same).status_code == 201
    # Under the no-referrer policy browsers send "Origin: null" for their own forms.
    answer = post_form(client, "/people/new", {"name": "Pia"}, headers={"Origin": "null"})
    assert answer.status_code == 303
    no_token = client.post("/people/new", data={"name": "Quinn"}, follow_redirects=False)
    assert no_token.status_code == 403
    wrong = client.post(
        "/people/new", data={"name": "Quinn", "csrf_token": "0" * 64}, follow_redirects=False
    )
    assert wrong.status_code == 403
    assert "Quinn" not in {p.name for p in populated.people.list()}


def test_get_never_changes_anything(client: Any, populated: Mutuality) -> None:
    before = table_counts(populated)
    for path in PAGES + person_pages(client) + ["/api/people", "/api/health", "/api/network"]:
        assert client.get(path).status_code == 200, path
    assert table_counts(populated) == before


def test_cross_site_rules() -> None:
    assert cross_site({"sec-fetch-site": "same-origin", "origin": "null"}, "a:1") is None
    assert cross_site({"sec-fetch-site": "none"}, "a:1") is None
    assert cross_site({"origin": "http://a:1"}, "a:1") is None
    assert cross_site({}, "a:1") is None  # not a browser: no ambient credentials to abuse
    assert cross_site({"origin": "http://b:1"}, "a:1")
    assert host_name("[::1]:8765") == "::1" and host_name("Localhost:80") == "localhost"


# --- A3: DNS rebinding ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/people", "/static/app.css", "/login", "/nowhere"])
def test_unknown_host_names_get_400(client: Any, path: str) -> None:
    answer = client.get(path, headers={"Host": "evil.example"})
    assert answer.status_code == 400
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for host in ("127.0.0.1:8765", "localhost", "[::1]:8765"):
        assert client.get("/api/ping", headers={"Host": host}).status_code == 200


HOSTILE_HOSTS = [
    "localhost:1@evil.example",  # userinfo-looking: a URL parser takes evil.example as host
    "localhost@evil.example",
    "localhost.evil.example",
    "evil.example#localhost",
    "evil.example/localhost",
    "localhost/evil",
    "localhost?x",
    "127.0.0.1.nip.io",
    "127.0.0.1.evil.example:8765",
    "[::1]:80@x",
    "[::1]@evil.example",
    "[::1]x",
    "[::1",
    "[::1]:",
    "[fe80::1%25eth0]",
    "[127.0.0.1]",
    "::1",  # IPv6 without brackets is no Host header
    "localhost:",
    "localhost:80:80",
    "localhost:8o",
    "localhost:123456",
    "localhost:99999",
    "localhost:-1",
    "localhost: 80",
    "local host",
    "localhost ",
    " localhost",
    "localhost\t",
    "",
    ":8765",
    "localhost..",
    ".localhost",
    "localhost_",
    "evil.example",
    "127.0.0.2.evil.example",
    "0x7f.0.0.1",
    "2130706433",
    "lоcalhost",  # Cyrillic о
    "ｌocalhost",  # fullwidth l
    "localhost\u200b",  # zero-width space
    "xn--localhost",
    "LOCALHOST.evil.example",
]
GOOD_HOSTS = [
    "localhost",
    "localhost:8765",
    "LocalHost:8765",
    "localhost.",  # the same name, fully qualified
    "localhost.:8765",
    "127.0.0.1",
    "127.0.0.1:8765",
    "[::1]",
    "[::1]:8765",
    "[0:0:0:0:0:0:0:1]:8765",
    "testserver",  # an --allowed-host
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_hostile_host_headers_are_refused(populated: Mutuality, host: str) -> None:
    """A3: the Host header is parsed strictly (a name or an address, an optional numeric
    port, nothing else) before its name is compared with the names this server answers to."""
    assert host_name(host) not in WebSettings(allowed_hosts=("testserver",)).host_names()
    web = create_app(WebSettings(allowed_hosts=("testserver",)), populated)
    assert asgi_status(web, [(b"host", host.encode())]) == 400, host


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_good_host_headers_pass(populated: Mutuality, host: str) -> None:
    web = create_app(WebSettings(allowed_hosts=("testserver",)), populated)
    assert asgi_status(web, [(b"host", host.encode())]) == 200, host


def test_the_configured_host_passes_and_a_second_host_header_is_refused(
    populated: Mutuality,
) -> None:
    lan = create_app(WebSettings(host="192.168.1.5", allowed_hosts=("Box.LAN.",)), populated)
    for host in ("192.168.1.5", "192.168.1.5:8765", "box.lan", "box.lan.:80", "localhost"):
        assert asgi_status(lan, [(b"host", host.encode())]) == 200, host
    for host in ("192.168.1.50", "box.lan.evil.example", "192.168.1.5@evil.example"):
        assert asgi_status(lan, [(b"host", host.encode())]) == 400, host
    assert asgi_status(lan, []) == 400
    twice = [(b"host", b"localhost"), (b"host", b"evil.example")]
    assert asgi_status(lan, twice) == 400
    assert asgi_status(lan, twice[::-1]) == 400


def test_a_share_link_never_names_a_host_outside_the_allowed_ones(client: Any) -> None:
    """The check-in link is built from the request's host: ``localhost:1@evil.example`` once
    passed the check and gave ``http://localhost:1@evil.example/c/TOKEN``, which a browser
    opens at evil.example, token and all."""
    ana = client.get("/api/people", params={"search": "Ana"}).json()["items"][0]["person"]["id"]
    path = f"/api/people/{ana}/checkin-link"
    refused = client.post(path, json={}, headers={"Host": "localhost:1@evil.example"})
    assert refused.status_code == 400 and "/c/" not in refused.text
    made = client.post(path, json={}, headers={"Host": "localhost:8765"})
    assert made.status_code in (200, 201), made.text
    assert made.json()["url"].startswith("https://localhost:8765/c/")  # the client's scheme


def asgi_status(web: Any, headers: list[tuple[bytes, bytes]]) -> int:
    """The status of ``GET /api/ping`` with exactly these raw headers (no client library
    in between to tidy them)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/ping",
        "raw_path": b"/api/ping",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(web, scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


# --- A4: no default password, one-time links -----------------------------------------------------


def test_first_run_has_no_password_and_a_link_works_once(populated: Mutuality, web: Any) -> None:
    assert populated.accounts.needs_password()
    assert web.post("/api/session", json={"password": ""}).status_code == 401
    assert web.get("/").status_code == 200 and "one-time login link" in web.get("/login").text
    link = populated.accounts.login_link()
    assert web.get(f"/login/link/{link.token}").status_code == 200
    assert web.get(f"/login/link/{link.token}").status_code == 200  # looking does not use it
    data = {"password": PASSWORD, "confirm": PASSWORD}
    first = web.post(f"/login/link/{link.token}", data=data, follow_redirects=False)
    assert first.status_code == 303 and session_of(web)
    web.cookies.clear()
    again = web.post(f"/login/link/{link.token}", data=data, follow_redirects=False)
    assert again.status_code == 403 and not session_of(web)
    assert web.get(f"/login/link/{link.token}").status_code == 403
    assert not populated.accounts.needs_password()


def test_short_passwords_expired_and_malformed_links(populated: Mutuality, web: Any) -> None:
    link = populated.accounts.login_link()
    short = web.post(f"/login/link/{link.token}", data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least" in short.text
    differ = web.post(f"/login/link/{link.token}", data={"password": PASSWORD, "confirm": "x"})
    assert differ.status_code == 422
    later = AccountService(
        replace(populated.context, now=lambda: utc_now() + timedelta(hours=2)), populated.people
    )
    with pytest.raises(Exception, match="unknown, used or expired"):
        later.check_link(link.token)
    for token in ("abc", "x" * 43, "../../etc/passwd", "%00"):
        assert web.get(f"/login/link/{token}").status_code in (403, 404)


def test_every_page_needs_a_session(populated: Mutuality, web: Any) -> None:
    for path in PAGES:
        answer = web.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    assert web.get("/api/network").status_code == 401
    assert web.get("/api/ping").status_code == 200


def test_sign_in_goes_back_but_never_to_another_site(client: Any, anonymous: Any) -> None:
    for target, expected in (
        ("/people", "/people"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
    ):
        answer = anonymous.post(
            "/login", data={"password": PASSWORD, "next": target}, follow_redirects=False
        )
        assert answer.status_code == 303 and answer.headers["location"] == expected


# --- A5: the session cookie ----------------------------------------------------------------------


def test_session_cookie_flags_rotation_and_logout(client: Any, populated: Mutuality) -> None:
    answer = client.post("/api/session", json={"password": PASSWORD})
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("Secure", "HttpOnly", "SameSite=strict", "Path=/"):
        assert flag.lower() in cookie.lower(), cookie
    assert "domain=" not in cookie.lower()
    first = session_of(client)
    assert len(first) >= 43  # 256 random bits
    client.post("/api/session", json={"password": PASSWORD})
    second = session_of(client)
    assert second != first
    assert populated.accounts.session(first) is None  # rotated: the old one ended
    assert populated.accounts.session(second) is not None
    client.post("/logout", data={"csrf_token": form_token(client)}, follow_redirects=False)
    assert populated.accounts.session(second) is None
    replay = web_client(populated)
    replay.cookies.set(SESSION_COOKIE, second, domain="testserver")
    assert replay.get("/api/people").status_code == 401


# --- A6, A8: rate limits -------------------------------------------------------------------------


def test_wrong_passwords_are_rate_limited(client: Any, anonymous: Any) -> None:
    now = [1000.0]
    limiter = anonymous.app.state.limiter
    limiter.clock = lambda: now[0]
    answers = [anonymous.post("/api/session", json={"password": f"guess {i}"}) for i in range(20)]
    statuses = [a.status_code for a in answers]
    assert statuses[: limiter.attempts] == [401] * limiter.attempts
    assert set(statuses[limiter.attempts :]) == {429}
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert anonymous.post("/api/session", json={"password": PASSWORD}).status_code == 429
    now[0] += limiter.window + 1
    assert anonymous.post("/api/session", json={"password": PASSWORD}).status_code == 200


def test_guessing_login_links_is_rate_limited(populated: Mutuality, web: Any) -> None:
    statuses = [web.get(f"/login/link/{'a' * 42}{i % 10}").status_code for i in range(12)]
    assert statuses[:5] == [403] * 5 and set(statuses[5:]) == {429}


# --- headers, escaping, errors, logs -------------------------------------------------------------


def test_security_headers_everywhere(client: Any) -> None:
    for path in ["/", "/api/people", "/static/app.js", "/nowhere", "/api/nowhere"]:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert client.get("/").headers["cache-control"] == "no-store"


PAYLOADS = ["<script>alert(1)</script>", '"><svg onload=alert(2)>', "<img src=x onerror=alert(3)>"]


def test_markup_in_names_and_notes_shows_as_text(client: Any, populated: Mutuality) -> None:
    person = populated.people.add(
        PAYLOADS[0], private_note=PAYLOADS[2], organisation=PAYLOADS[1], tags=("x",)
    )
    populated.ledger.log(person.id, "gave", kind="time", what=PAYLOADS[1], outcome=PAYLOADS[2])
    mine = [
        f"/people/{person.id}",
        f"/people/{person.id}/edit",
        "/people?tag=x",
        f"/people?search={PAYLOADS[0]}",
    ]
    for path in [*PAGES, *mine]:
        html = client.get(path).text
        for payload in PAYLOADS:
            assert payload not in html, (path, payload)
    page = client.get(f"/people/{person.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page


def test_errors_are_plain_without_traces_or_data(
    client: Any,
    populated: Mutuality,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the private note says CANARY-7731")

    monkeypatch.setattr(populated.overview, "dashboard", explode)
    monkeypatch.setattr(populated.health, "network", explode)
    with caplog.at_level(logging.DEBUG):
        page = client.get("/")
        api = client.get("/api/network")
    assert page.status_code == 500 and "CANARY" not in page.text and "Traceback" not in page.text
    assert "Something went wrong" in page.text
    assert api.status_code == 500 and api.json()["error"] == "InternalError"
    assert "CANARY" not in api.text
    assert "CANARY" not in caplog.text and "RuntimeError" in caplog.text


def test_logs_hold_no_passwords_tokens_or_notes(
    populated: Mutuality, web: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        sign_in(web, populated)
        post_form(
            web,
            "/log",
            {"person": "Ana", "kind": "time", "description": "CANARY-DESC", "note": "CANARY-NOTE"},
        )
        web.post("/api/session", json={"password": PASSWORD})
    text = caplog.text
    for secret in (PASSWORD, session_of(web), "CANARY-NOTE", "CANARY-DESC"):
        assert secret not in text
