"""The web application, built by a factory: no globals, so tests build one per database.

from mutuality.services.app import Mutuality
from mutuality.web.app import create_app
from mutuality.web.settings import WebSettings

app = create_app(WebSettings(), Mutuality.open("ledger.db"))   # then: uvicorn.run(app)
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from mutuality import __version__
from mutuality.services.app import Mutuality
from mutuality.web import errors
from mutuality.web.api import checkins as api_checkins
from mutuality.web.api import commitments as api_commitments
from mutuality.web.api import exchanges as api_exchanges
from mutuality.web.api import graph as api_graph
from mutuality.web.api import health as api_health
from mutuality.web.api import introductions as api_introductions
from mutuality.web.api import needs as api_needs
from mutuality.web.api import people as api_people
from mutuality.web.api import requests as api_requests
from mutuality.web.api import session as api_session
from mutuality.web.pages import (
    auth,
    board,
    checkin_link,
    checkins,
    dashboard,
    exchanges,
    introductions,
    matches,
    me,
    network,
    people,
    portfolio,
    repair,
    report,
    requests,
)
from mutuality.web.render import build_environment, package_dir
from mutuality.web.security import RateLimiter, SecurityMiddleware
from mutuality.web.settings import WebSettings
from mutuality.web.team import team_of, team_routers

API_ROUTERS = (
    api_session.router,
    api_people.router,
    api_exchanges.router,
    api_health.router,
    api_graph.router,
    api_commitments.router,
    api_needs.router,
    api_requests.router,
    api_checkins.router,
    api_introductions.router,
)
"""One router per resource."""
PAGE_ROUTERS = (
    auth.router,
    dashboard.router,
    people.router,
    exchanges.router,
    network.router,
    checkin_link.router,
    repair.router,
    board.router,
    introductions.router,
    matches.router,
    requests.router,
    checkins.router,
    report.router,
    portfolio.router,
    me.router,
)

_SECRET_PATH = re.compile(r"(/login/link/|/c/|/join/|/confirm/)[^\s?\"]+")


class RedactSecrets(logging.Filter):
    """Access logs show ``/login/link/[redacted]``: a login link must not outlive its use in
    a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in record.args
            )
        record.msg = _SECRET_PATH.sub(r"\1[redacted]", str(record.msg))
        return True


def _lifespan(settings: WebSettings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The pages are plain functions run in the event loop's worker threads.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    return lifespan


def create_app(settings: WebSettings, mutuality: Mutuality) -> FastAPI:
    """The app over ``mutuality`` (its database and services), served as ``settings`` say."""
    app = FastAPI(
        title="mutuality",
        version=__version__,
        description=(
            "The REST API of mutuality, a local-first relationship ledger. Sign in with "
            "`POST /api/session`; the session cookie then authorises every call. Lists are "
            "paged with `limit` and `offset` and answer `{items, total, limit, offset}`; "
            "errors answer `{error, message, field, value, location}`."
        ),
        openapi_url="/api/openapi.json",
        lifespan=_lifespan(settings),
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
    )
    app.state.mutuality = mutuality
    app.state.settings = settings
    app.state.templates = build_environment()
    app.state.limiter = RateLimiter(settings.attempts_per_worker, settings.login_window_seconds)
    app.state.debug = settings.debug
    app.state.team = team = team_of(mutuality)  # None: the single-user app
    pages, api = (
        (PAGE_ROUTERS, API_ROUTERS) if team is None else team_routers(PAGE_ROUTERS, API_ROUTERS)
    )
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in access_log.filters):
        access_log.addFilter(RedactSecrets())
    errors.install(app)
    # Routes are matched one by one in this order: the static files (a prefix) first, then
    # the pages, then the API, whose paths all start with /api/ (a person's page matched
    # after every API route took 150 µs, a stylesheet after every route 250 µs).
    app.mount("/static", StaticFiles(directory=package_dir("static")), name="static")
    for router in (*pages, *api):
        app.include_router(router)
    app.add_middleware(
        SecurityMiddleware,
        settings=settings,
        render=errors.domain_error,
        crash=errors.internal_error,
    )
    return app


def settle_collector() -> None:
    """Tune Python's garbage collector for a long-running server process, once its app is
    built.

    A full collection walks every tracked object: the modules' (about 66,000 here) and the
    kept network-wide figures (75,000 more at 10,000 people), about 70 ms, and it landed
    in the middle of requests: the person page's p99 was 189 ms under 20 clients. Freezing
    what exists at start-up takes the modules out of every later walk, and collecting the
    youngest objects every 10,000 allocations instead of 700 keeps a request's short-lived
    objects from being promoted while it runs. Measured together: p99 61 ms, and 10% more
    requests a second. Tests and scripts keep the defaults."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


WORKER_ENV = "MUTUALITY_WEB_WORKER"
"""How ``serve --workers N`` hands each worker process its database and settings."""


def worker_environment(settings: WebSettings, db: str) -> dict[str, str]:
    """What :func:`from_environment` reads in each worker process."""
    return {
        WORKER_ENV: json.dumps(
            {
                "db": db,
                "host": settings.host,
                "port": settings.port,
                "allowed_hosts": list(settings.allowed_hosts),
                "debug": settings.debug,
                "workers": settings.workers,
                "public_url": settings.public_url,
            }
        )
    }


def from_environment() -> FastAPI:
    """The app of one worker process of ``serve --workers N`` (uvicorn's factory)."""
    found = json.loads(os.environ[WORKER_ENV])
    settings = WebSettings(
        host=found["host"],
        port=found["port"],
        allowed_hosts=tuple(found["allowed_hosts"]),
        debug=found["debug"],
        workers=found["workers"],
        public_url=found.get("public_url", ""),
    )
    app = create_app(settings, Mutuality.open(found["db"]))
    settle_collector()
    return app
