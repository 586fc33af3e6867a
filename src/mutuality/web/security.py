"""The web app's defences, in one place: host and origin checks, headers, the session
cookie, form tokens and the login rate limit.

* **Host** (DNS rebinding): a request whose ``Host`` names anything but a loopback name or
  a configured host gets 400, before any route runs. The header is parsed strictly (a name
  or an address and an optional numeric port, exactly one header), so nothing after the
  name (``localhost:1@evil.example``) can change which host a link built from it names.
* **Cross-site requests**: every unsafe method (POST, PUT, PATCH, DELETE) is refused with
  403 when the browser says it comes from another site (``Sec-Fetch-Site: cross-site`` or
  ``same-site``, or an ``Origin`` that is not this server). Forms also carry a token
  derived from the session, and the session cookie is ``SameSite=Strict``. GET never
  changes anything.
* **Headers** on every response: a content security policy with no inline script and no
  other origin (``frame-ancestors 'none'``), ``nosniff``, ``no-referrer``, ``no-store``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutuality.core.errors import Forbidden, MutualityError, TooManyAttempts
from mutuality.web.settings import WebSettings

SESSION_COOKIE = "__Host-mutuality_session"
"""``__Host-``: the browser keeps it only with Secure, Path=/ and no Domain."""
FORM_TOKEN_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
NO_STORE = (b"cache-control", b"no-store")
STATIC_CACHE = (b"cache-control", b"private, max-age=3600")


class UnknownHost(MutualityError):
    """A ``Host`` header naming a host this server does not answer to (DNS rebinding)."""

    status = 400


ErrorRenderer = Callable[[Request, MutualityError], Awaitable[Response]]
CrashRenderer = Callable[[Request, Exception], Awaitable[Response]]


def form_token(session_token: str) -> str:
    """The per-session token every form carries: a keyed hash of the session token, so it
    needs no storage and is worthless without the cookie."""
    return hmac.new(session_token.encode(), b"mutuality form", hashlib.sha256).hexdigest()


def form_token_ok(session_token: str | None, sent: str | None) -> bool:
    if not session_token or not sent:
        return False
    return hmac.compare_digest(form_token(session_token), sent)


_PORT = re.compile(r"[0-9]{1,5}")
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
"""A host name of DNS labels (an IPv4 address is one too), lower case, no trailing dot."""


def host_name(header: str) -> str | None:
    """The host name of a ``Host`` header, or ``None`` when the header is anything but a
    name or an address with an optional numeric port (RFC 9110: ``uri-host [":" port]``).

    ``127.0.0.1:8765`` → ``127.0.0.1``, ``[::1]:80`` → ``::1``, ``LocalHost.`` →
    ``localhost``; no user information (``localhost:1@evil.example``), path, fragment,
    space, zone or character outside ASCII passes, so the name compared with the allowed
    ones is the name a browser connected to."""
    if not 0 < len(header) <= 300 or not header.isascii():
        return None
    value = header.lower()
    if value.startswith("["):  # an IPv6 address, in brackets
        end = value.find("]")
        address, port = value[1:end], value[end + 1 :]
        if end < 0 or "%" in address:  # a zone names an interface of the client's machine
            return None
        try:
            name = ipaddress.IPv6Address(address).compressed
        except ValueError:
            return None
    else:
        name, colon, number = value.partition(":")
        port = colon + number
        if name.endswith("."):  # the same name, fully qualified
            name = name[:-1]
        if not _HOST.fullmatch(name):
            return None
    if port and not (port[0] == ":" and _PORT.fullmatch(port[1:]) and int(port[1:]) <= 65535):
        return None
    return name


def allowed_name(name: str) -> str:
    """A configured host name as :func:`host_name` gives it (``[::1]``, ``::1`` →
    ``::1``; ``Box.LAN.`` → ``box.lan``)."""
    name = name.strip("[]").lower()
    try:
        return ipaddress.IPv6Address(name).compressed
    except ValueError:
        return name[:-1] if name.endswith(".") else name


def cross_site(headers: dict[str, str], host: str) -> str | None:
    """Why an unsafe request looks cross-site, or ``None`` when it does not."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:  # the browser says where the request comes from: trust it
        return None if fetch_site in ("same-origin", "none") else f"a {fetch_site} request"
    # Older browsers: the Origin. Under this app's no-referrer policy a browser sends
    # ``Origin: null`` even for its own forms, so only a named, different origin is refused.
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin != "null" and parts.netloc.lower() != host.lower():
            return "a request from another origin"
    return None


class SecurityMiddleware:
    """Host check, cross-site check and security headers for every request (pure ASGI, so
    static files and unknown paths get them too)."""

    def __init__(
        self, app: ASGIApp, settings: WebSettings, render: ErrorRenderer, crash: CrashRenderer
    ) -> None:
        self.app = app
        self.hosts = frozenset(allowed_name(name) for name in settings.host_names())
        self.render = render
        self.crash = crash

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        static = scope["path"].startswith("/static/")
        problem: MutualityError | None = None
        hosts = sum(1 for name, _ in scope["headers"] if name.lower() == b"host")
        if hosts != 1 or host_name(host) not in self.hosts:
            problem = UnknownHost("this server does not answer to that host name", field="host")
        elif scope["method"] in UNSAFE_METHODS and (why := cross_site(headers, host)):
            problem = Forbidden(
                f"refused {why}: changes must come from this app's own pages", field="origin"
            )

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [*SECURITY_HEADERS, STATIC_CACHE if static else NO_STORE]
                names = {name for name, _ in extra}
                message["headers"] = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in names
                ] + extra
            await send(message)

        if problem is not None:
            response = await self.render(Request(scope, receive), problem)
            await response(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # rendered here so that no traceback reaches the log
            if started:
                raise
            response = await self.crash(Request(scope, receive), error)
            await response(scope, receive, send_with_headers)


class RateLimiter:
    """At most ``attempts`` failures per ``window`` seconds per key (a client address);
    past that every try gets 429 until the oldest failure leaves the window."""

    def __init__(
        self, attempts: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def check(self, key: str) -> None:
        """Raise :class:`TooManyAttempts` while ``key`` is over its limit."""
        now = self.clock()
        with self._lock:
            found = self._recent(key, now)
            if len(found) >= self.attempts:
                wait = max(1, int(found[0] + self.window - now + 0.999))
                raise TooManyAttempts(
                    f"too many attempts; wait {wait} seconds and try again",
                    retry_after=wait,
                    field="password",
                )

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, self.clock()).append(self.clock())
            if len(self._failures) > 10_000:  # forget idle clients rather than grow forever
                now = self.clock()
                idle = [k for k, v in self._failures.items() if not v or v[-1] < now - self.window]
                for other in idle:
                    del self._failures[other]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def session_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
