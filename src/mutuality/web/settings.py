"""How the web app is served, validated when it is built: unsafe choices are refused."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from mutuality.core import fields
from mutuality.core.errors import InvalidInput

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def clean_base(url: str, field: str = "public_url") -> str:
    """``url`` as a link base: http or https, a host, no query or fragment, no final slash
    (the rule is :func:`mutuality.core.fields.web_address`, which the config file's
    ``[web] public_url`` follows too)."""
    return fields.web_address(url, field)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Where the app listens and which names it answers to.

    ``allowed_hosts`` lists extra host names a browser may use to reach it (its name on
    the LAN when bound elsewhere than loopback); requests naming any other host are refused,
    which defeats DNS rebinding. Loopback names are always allowed.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allowed_hosts: tuple[str, ...] = ()
    login_attempts: int = 5
    """Wrong passwords (or bad login links) allowed per client per window before 429."""
    login_window_seconds: int = 60
    threads: int = 4
    """Threads serving pages in each process. Python runs one thread at a time, and each
    database read hands the interpreter over and waits to take it back, so more threads
    queue behind each other: under 20 concurrent clients one process served 156 person
    pages a second with 40 threads (the server framework's default), 172-189 with 4 and
    253-266 with 1. Four keep a slow page (a report, the first dashboard after a write)
    from holding up the others. More cores are used by more processes (``workers``)."""
    workers: int = 1
    """Processes serving the app; each one keeps its own share of the login attempts."""
    debug: bool = False
    """Log internal errors with their traceback (never shown to the browser)."""
    public_url: str = ""
    """The address other people's devices reach the app at (a name on the home network, or
    an HTTPS proxy in front of it), which the private check-in links use; empty: the
    address the app is served at."""

    def __post_init__(self) -> None:
        if self.public_url:
            object.__setattr__(self, "public_url", clean_base(self.public_url))
        if not self.host.strip():
            raise InvalidInput("the host must not be empty", field="host", value=self.host)
        if isinstance(self.port, bool) or not 1 <= self.port <= 65535:
            raise InvalidInput("the port must be 1 to 65535", field="port", value=self.port)
        for name in self.allowed_hosts:
            if not name or "*" in name or "/" in name or " " in name:
                raise InvalidInput(
                    f"allowed host {name!r} must be one plain host name (no wildcards)",
                    field="allowed_hosts",
                    value=name,
                )
        if not 1 <= self.threads <= 256 or not 1 <= self.workers <= 32:
            raise InvalidInput(
                "threads must be 1 to 256 and workers 1 to 32",
                field="threads",
                value=self.threads,
            )
        if not 1 <= self.login_attempts <= 1000 or not 1 <= self.login_window_seconds <= 86400:
            raise InvalidInput(
                "login_attempts must be 1 to 1000 and the window 1 s to a day",
                field="login_attempts",
                value=self.login_attempts,
            )

    @property
    def attempts_per_worker(self) -> int:
        """Each worker process counts the failures it sees; sharing the allowance keeps the
        total across processes at most ``login_attempts`` (or one per worker, if more)."""
        return max(1, self.login_attempts // self.workers)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def base_url(self) -> str:
        """The address to print and to put in links (a loopback host for a wildcard bind)."""
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = DEFAULT_HOST
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def host_names(self) -> frozenset[str]:
        """Every host name (without port) a request may carry in its Host header."""
        names = {*LOOPBACK_NAMES, *(n.lower() for n in self.allowed_hosts)}
        if self.public_url:  # a proxy in front passes the public name on
            names.add((urlsplit(self.public_url).hostname or "").lower())
        if self.host not in ("0.0.0.0", "::"):
            names.add(self.host.strip("[]").lower())
        return frozenset(names)
