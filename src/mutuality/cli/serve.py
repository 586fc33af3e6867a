"""``mutuality serve``: the web app on this machine, with a one-time login link.

The port is bound (and listening) before anything is printed: a server that cannot start
prints no address and makes no login link. FastAPI and uvicorn are imported inside the
command, so ``mutuality --help`` stays fast.
"""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING, Annotated, TypedDict

import typer

from mutuality.cli.render import err, escape, out
from mutuality.cli.state import open_app, state

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.web.settings import WebSettings

BACKLOG = 2048
"""Connections the kernel queues before the server takes them (uvicorn's default)."""


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening, handed to the server (and to each
    worker process) as it is. Refusals are :class:`InvalidInput` naming the option that
    changes them."""
    from mutuality.core.errors import InvalidInput

    name = host.strip("[]")
    sock = socket.socket(socket.AF_INET6 if ":" in name else socket.AF_INET, socket.SOCK_STREAM)
    try:
        # Lets a restarted server take its port at once (old connections in TIME_WAIT); on
        # Linux and macOS it never lets two servers listen on one port.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((name, port))
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        code = error.errno
        if code == errno.EADDRINUSE:
            raise InvalidInput(
                f"port {port} on {host} is taken (another mutuality or another program is "
                "using it); choose another with --port",
                field="port",
                value=port,
            ) from None
        if code == errno.EACCES:
            raise InvalidInput(
                f"port {port} on {host} needs privileges this user does not have (ports "
                "below 1024 usually do); choose another with --port",
                field="port",
                value=port,
            ) from None
        if isinstance(error, socket.gaierror) or code == errno.EADDRNOTAVAIL:
            raise InvalidInput(
                f"{host} is not an address of this machine; choose another with --host",
                field="host",
                value=host,
            ) from None
        raise InvalidInput(
            f"cannot listen on {host} port {port}: {error.strerror or error}",
            field="port",
            value=port,
        ) from None
    sock.set_inheritable(True)  # the worker processes of --workers serve from it too
    return sock


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    no_demo: Annotated[
        bool, typer.Option("--no-demo", help="Start with an empty ledger (no demo network).")
    ] = False,
    login_link: Annotated[
        bool,
        typer.Option("--login-link", help="Print a new one-time login link (password reset)."),
    ] = False,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote", help="Allow a non-loopback --host (other machines can connect)."
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option("--allowed-host", help="Another host name browsers use to reach it."),
    ] = None,
    public_url: Annotated[
        str,
        typer.Option(
            "--public-url",
            envvar="MUTUALITY_PUBLIC_URL",
            help="The address other people's devices reach this app at (a name on your "
            "network, or an HTTPS proxy in front); private check-in links use it.",
        ),
    ] = "",
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=32,
            help="Worker processes: one per core when many people use it at once (each "
            "keeps its own figures, computed on its first page after a write).",
        ),
    ] = 1,
) -> None:
    """Start the web app: dashboard, people, forms, the network, and the REST API."""
    from mutuality.core.errors import InvalidInput
    from mutuality.web.settings import WebSettings

    settings = WebSettings(
        host=host,
        port=port,
        allowed_hosts=tuple(allowed_host or ()),
        debug=state(ctx).debug,
        workers=workers,
        public_url=public_url,
    )
    if not settings.loopback and not allow_remote:
        raise InvalidInput(
            f"--host {host} would let other machines reach your ledger; add --allow-remote "
            "if you mean it (and put HTTPS in front: the session cookie is Secure-only)",
            field="host",
            value=host,
        )
    sock = listen(host, port)
    try:
        start(ctx, settings, sock, no_demo=no_demo, login_link=login_link)
    finally:
        sock.close()


def start(
    ctx: typer.Context,
    settings: WebSettings,
    sock: socket.socket,
    *,
    no_demo: bool,
    login_link: bool,
) -> None:
    """With the port listening: the demo on first run, the address, a login link, the server."""
    app = open_app(ctx)
    if not settings.public_url and app.settings.web.public_url:  # the settings page's address
        from dataclasses import replace

        settings = replace(settings, public_url=app.settings.web.public_url)
    if not settings.loopback:
        err.print(
            f"[yellow]Warning[/]: listening on {escape(settings.host)}: anyone who can reach "
            "this machine can try to sign in. Browsers keep the session cookie only over HTTPS "
            "(or on localhost)."
        )
    from mutuality.web.team import team_of

    team = team_of(app)
    if team is not None:  # a community's server: no demo, no owner, no one-time link
        members = len(team.members())
        out.print(f"Community: {escape(team.community().name)} ({members} members)")
        out.print(f"mutuality is running at [bold]{settings.base_url}/[/]  (Ctrl+C stops it)")
        out.print(
            "Members sign in at /login with their email and password; an organiser invites "
            "more on the Team page or with `mutuality team invite`."
        )
        run_server(settings, app, sock)
        return
    if app.people.count() == 0 and not no_demo:
        from mutuality.services.demo.service import load_demo

        report = load_demo(app)
        if report.loaded:
            out.print(
                f"[bold]Demo data[/]: loaded a made-up network of {report.people} people and "
                f"{report.exchanges} exchanges (tagged 'demo') so there is something to see.\n"
                "To start empty instead, use a fresh database: "
                "`mutuality --db my-ledger.db serve --no-demo` (or forget the demo people "
                "one by one with `mutuality person forget NAME`)."
            )
    first_run = app.accounts.needs_password()
    if first_run:
        from mutuality.cli.owner import ask_own_name

        ask_own_name(app)
    out.print(f"Ledger: {escape(app.database.describe())}")
    out.print(f"mutuality is running at [bold]{settings.base_url}/[/]  (Ctrl+C stops it)")
    from mutuality.web.links import link_address, record_served

    links = link_address(settings.public_url, settings.base_url)
    record_served(app.database.path, links.base)  # `checkin link` names the same address
    if settings.public_url:
        out.print(f"Private check-in links point at {escape(links.base)}/")
    if login_link or first_run:
        link = app.accounts.login_link()  # revokes any link printed before
        out.print(
            "Open this one-time link to choose your password and sign in "
            f"(valid until {link.expires_at:%H:%M} UTC, works once):\n"
            f"  {settings.base_url}/login/link/{link.token}",
            soft_wrap=True,
        )
    else:
        out.print("Sign in with your password; forgot it? `mutuality serve --login-link`.")
    run_server(settings, app, sock)


class _Listening(TypedDict):
    """The uvicorn settings shared by one process and several workers."""

    host: str
    port: int
    log_level: str
    server_header: bool
    proxy_headers: bool


def run_server(settings: WebSettings, app: Mutuality, sock: socket.socket) -> None:
    """Serve from ``sock`` until Ctrl+C; the access log never shows a login link's token.
    With several workers each process opens the database itself (and keeps its own
    figures), and serves from the same listening socket."""
    import os

    import uvicorn

    from mutuality.web.app import create_app, settle_collector, worker_environment

    options: _Listening = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "debug" if settings.debug else "info",
        "server_header": False,
        "proxy_headers": False,
    }
    if settings.workers > 1:
        from uvicorn.supervisors import Multiprocess

        os.environ.update(worker_environment(settings, app.database.url.render_as_string(False)))
        app.close()
        config = uvicorn.Config(
            "mutuality.web.app:from_environment",
            factory=True,
            workers=settings.workers,
            **options,
        )
        Multiprocess(config, sockets=[sock]).run()
        return
    web = create_app(settings, app)
    settle_collector()
    uvicorn.Server(uvicorn.Config(web, **options)).run(sockets=[sock])
