"""A tour of every page of the web app in a real browser, at a desktop's and a phone's width.

One list of pages serves the browser tests (no overflow, no console error, nothing leaving
the machine, no serious accessibility fault) and the screenshots under ``docs/screenshots/``::

    .venv/bin/python -m mutuality.web.tour docs/screenshots

The tour loads the demo into a fresh ledger in a temporary folder, serves it on a free
loopback port and drives Debian's Chromium through Playwright (the ``test`` extra); it
never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutuality.services.app import Mutuality
from mutuality.services.demo.service import load_demo

WIDTHS: dict[str, tuple[int, int]] = {"desktop": (1366, 900), "phone": (390, 844)}
"""The two sizes every page must work at: a laptop and a common phone."""

TOUR_PASSWORD = "a tour of every page"
FIRST_SCREEN = {"dashboard", "person", "network"}
"""Pages also kept as their first screen only (``-top``), for the README."""


@dataclass(frozen=True)
class Stop:
    """One page of the tour: its file name and how to reach it from a signed-in browser."""

    name: str
    path: str


def chromium() -> str | None:
    """Debian's Chromium, or None where it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def serving(app: Mutuality) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    from mutuality.web.app import create_app
    from mutuality.web.settings import WebSettings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = WebSettings(port=port)
    config = uvicorn.Config(
        create_app(settings, app), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield settings.base_url
    finally:
        server.should_exit = True
        thread.join(5)


@contextmanager
def launched_browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with nothing reaching out on its own."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


def sign_in(context: Any, base: str, app: Mutuality, password: str = TOUR_PASSWORD) -> Any:
    """A page of ``context`` signed in through a fresh one-time link (setting the password)."""
    page = context.new_page()
    link = app.accounts.login_link()
    page.goto(f"{base}/login/link/{link.token}")
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def stops(app: Mutuality) -> list[Stop]:
    """Every page a signed-in owner can open, with a real person and a live check-in link."""
    ids = app.people.matching_ids()
    first = ids[0] if ids else None
    signed_in = [
        Stop("dashboard", "/"),
        Stop("people", "/people"),
        Stop("person-new", "/people/new"),
        Stop("log", "/log"),
        Stop("board", "/board"),
        Stop("introductions", "/introductions"),
        Stop("matches", "/matches"),
        Stop("requests", "/requests"),
        Stop("checkins", "/checkins"),
        Stop("network", "/network"),
        Stop("capacity", "/capacity"),
        Stop("report", "/report"),
        Stop("portfolio", "/portfolio"),
        Stop("repair", "/repair"),
        Stop("settings", "/settings"),
        Stop("not-found", "/people/999999999"),
    ]
    if first is not None:
        signed_in[3:3] = [
            Stop("person", f"/people/{first}"),
            Stop("person-edit", f"/people/{first}/edit"),
        ]
    return signed_in


def checkin_stop(app: Mutuality) -> Stop | None:
    """The private check-in page a stranger sees, through a fresh link."""
    ids = app.people.matching_ids()
    if not ids:
        return None
    link = app.checkins.make_link(ids[0])
    return Stop("checkin-link", f"/c/{link.token}")


def _smaller(path: Path) -> None:
    """Keep a screenshot in 256 colours (a third of the bytes; flat UI colours survive)."""
    from PIL import Image

    with Image.open(path) as shot:
        shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


def shoot(app: Mutuality, folder: Path, small: bool = False) -> list[Path]:
    """Screenshots of every page at both widths into ``folder``; returns the files.

    ``small`` keeps them in 256 colours, as the copies kept in the repository are."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with serving(app) as base, launched_browser() as browser:
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            try:
                page = sign_in(context, base, app)
                for stop in stops(app):
                    page.goto(f"{base}{stop.path}")
                    saved.append(folder / f"{stop.name}-{width_name}.png")
                    page.screenshot(path=str(saved[-1]), full_page=True)
                    if stop.name in FIRST_SCREEN:
                        saved.append(folder / f"{stop.name}-{width_name}-top.png")
                        page.screenshot(path=str(saved[-1]))
            finally:
                context.close()
            stranger = browser.new_context(viewport={"width": width, "height": height})
            try:
                private = checkin_stop(app)
                if private is not None:
                    page = stranger.new_page()
                    page.goto(f"{base}{private.path}")
                    saved.append(folder / f"{private.name}-{width_name}.png")
                    page.screenshot(path=str(saved[-1]), full_page=True)
                page = stranger.new_page()
                page.goto(f"{base}/login")
                saved.append(folder / f"login-{width_name}.png")
                page.screenshot(path=str(saved[-1]), full_page=True)
            finally:
                stranger.close()
    if small:
        for path in saved:
            _smaller(path)
    return saved


SHOWN_CONFIG = "/home/you/.config/mutuality/config.toml"
"""The settings file the tour's settings page names: an example, not this machine's."""


@contextmanager
def demo_app() -> Iterator[Mutuality]:
    """A fresh ledger holding the demo, in a temporary folder removed afterwards; the
    settings file it names is :data:`SHOWN_CONFIG` (never read: no such file)."""
    from mutuality.services.settings import CONFIG_ENV_VAR

    before = os.environ.get(CONFIG_ENV_VAR)
    os.environ[CONFIG_ENV_VAR] = SHOWN_CONFIG
    try:
        with tempfile.TemporaryDirectory(prefix="mutuality-tour-") as folder:
            app = Mutuality.open(str(Path(folder) / "tour.db"))
            try:
                app.owner.set_name("Alex Morgan")
                load_demo(app)
                yield app
            finally:
                app.close()
    finally:
        if before is None:
            os.environ.pop(CONFIG_ENV_VAR, None)
        else:
            os.environ[CONFIG_ENV_VAR] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mutuality.web.tour",
        description="Screenshots of every page of the web app at 1366 and 390 px wide.",
    )
    parser.add_argument("folder", type=Path, help="where the PNG files go")
    parser.add_argument(
        "--full-colour", action="store_true", help="keep every colour (three times the bytes)"
    )
    args = parser.parse_args(argv)
    with demo_app() as app:
        saved = shoot(app, args.folder, small=not args.full_colour)
    print(f"{len(saved)} screenshots in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
