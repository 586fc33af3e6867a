"""The layout of every page, on a laptop and on a phone, for a mouse, a thumb, a keyboard and
a screen reader: the page frame (skip link, menu button, landmarks), error pages that keep
the navigation, form errors tied to their field, the status colours, the private check-in
page, and the address that check-in links use.

The browser tests drive Debian's Chromium over the tour of every page
(:mod:`mutuality.web.tour`) at 1366 and 390 px: nothing wider than the screen, no console
error, nothing fetched from elsewhere, a compact header and thumb-sized targets on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import open_app
from typer.testing import CliRunner
from web_helpers import post_form, sign_in, web_client

from mutuality.cli import serve as serve_module
from mutuality.cli.main import app as cli
from mutuality.core.errors import InvalidInput
from mutuality.services.app import Mutuality
from mutuality.web import tour
from mutuality.web.links import link_address, record_served, served_base, served_file
from mutuality.web.render import STATUS_CLASS, build_environment, package_dir
from mutuality.web.security import SESSION_COOKIE
from mutuality.web.settings import WebSettings

CSS = Path(package_dir("static")) / "app.css"
STATUS_COLOURS = {
    "thriving": "#15803d",
    "balanced": "#0f766e",
    "over-giving": "#a16207",
    "over-receiving": "#1d4ed8",
    "fading": "#c2410c",
    "overdue": "#b91c1c",
    "new": "#7c3aed",
    "quiet": "#64748b",
    "uneven by choice": "#4d7c0f",
}
"""The status colours the pills and the charts share, one per status."""

runner = CliRunner()


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_variable(css: str, name: str) -> str:
    found = re.search(rf"--{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})", css)
    assert found, f"--{name} is not defined in app.css"
    return found.group(1).lower()


@pytest.fixture
def client(populated: Mutuality) -> Iterator[Any]:
    with web_client(populated) as web:
        yield sign_in(web, populated)


# --- the page frame ---------------------------------------------------------------------------


def test_every_page_starts_with_a_skip_link_to_the_main_content(client: Any) -> None:
    for path in ("/", "/people", "/log", "/checkins"):
        html = client.get(path).text
        body = html.split("<body>", 1)[1]
        assert body.lstrip().startswith('<a class="skip" href="#main">'), path
        assert '<main id="main"' in html, path
        assert '<nav aria-label="Main">' in html, path


def test_the_menu_button_controls_the_navigation_and_waits_for_the_script(client: Any) -> None:
    html = client.get("/people").text
    button = re.search(r"<button[^>]*class=\"menu\"[^>]*>", html)
    assert button, "no menu button"
    tag = button.group(0)
    assert 'aria-expanded="true"' in tag and 'aria-controls="site-menu"' in tag
    assert " hidden" in tag  # without the script the button is hidden, the navigation open
    assert 'id="site-menu"' in html
    assert html.index('id="site-menu"') < html.index('<nav aria-label="Main">')


def test_a_visitor_who_is_not_signed_in_sees_no_menu(web: Any) -> None:
    html = web.get("/login").text
    assert '<a class="skip" href="#main">' in html
    assert "site-menu" not in html and "<nav" not in html


def test_signed_in_error_pages_keep_the_navigation(client: Any) -> None:
    for path in ("/people/999999999", "/no-such-page"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert '<nav aria-label="Main">' in answer.text, path
        assert 'action="/logout"' in answer.text, path
        assert "Back to the dashboard" in answer.text, path


def test_error_pages_for_a_stranger_offer_to_sign_in_without_the_navigation(web: Any) -> None:
    answer = web.get("/no-such-page")
    assert answer.status_code == 404
    assert "<nav" not in answer.text and 'action="/logout"' not in answer.text
    assert 'href="/login"' in answer.text


def test_a_session_cookie_that_is_no_longer_valid_gets_no_navigation(
    client: Any, populated: Mutuality
) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, "not-a-session", domain="testserver")
    answer = client.get("/no-such-page")
    assert answer.status_code == 404 and "<nav" not in answer.text


# --- form errors ------------------------------------------------------------------------------


def test_a_wrong_password_is_tied_to_the_password_field(web: Any, populated: Mutuality) -> None:
    sign_in(web, populated)
    web.cookies.clear()
    answer = web.post("/login", data={"password": "not the password", "next": "/"})
    found = re.search(r'<p class="error" role="alert" data-field="([^"]+)">', answer.text)
    assert found and found.group(1) == "password", answer.text


def test_the_error_box_takes_the_field_from_the_page_or_from_the_error() -> None:
    environment = build_environment()
    shown = environment.from_string(
        '{% from "macros.html" import error_box %}{{ error_box(error, field) }}'
    )
    plain = shown.render(error="the name is needed", field="name")
    assert 'data-field="name"' in plain and "the name is needed" in plain
    from_error = shown.render(error=InvalidInput("a kind is needed", field="kind"), field=None)
    assert 'data-field="kind"' in from_error and "a kind is needed" in from_error
    untied = shown.render(error="something went wrong", field=None)
    assert "data-field" not in untied and 'role="alert"' in untied
    assert shown.render(error=None, field="name").strip() == ""
    with_context = environment.from_string(
        '{% from "macros.html" import error_box with context %}{{ error_box(error) }}'
    )
    assert 'data-field="benefit"' in with_context.render(error="bad", error_field="benefit")


# --- colours ----------------------------------------------------------------------------------


def test_every_status_pill_has_its_own_shared_colour_readable_on_white() -> None:
    css = CSS.read_text(encoding="utf-8")
    classes = {status: STATUS_CLASS[status] for status in STATUS_COLOURS}
    assert len(set(classes.values())) == len(classes), "two statuses share a class"
    for status, colour in STATUS_COLOURS.items():
        name = classes[status]
        assert css_variable(css, name) == colour, status
        assert re.search(rf"\.badge\.{name}\s*\{{\s*color:\s*var\(--{name}\)", css), status
        assert contrast(colour, "#ffffff") >= 4.5, status
    assert re.search(r"\.badge \{[^}]*background: #fff", css), "pills need a white ground"


def test_input_borders_stand_out_at_three_to_one() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"input, select, textarea \{[^}]*border: 1px solid var\(--control\)", css)
    border = css_variable(css, "control")
    assert contrast(border, "#ffffff") >= 3
    assert contrast(border, css_variable(css, "paper")) >= 3


# --- the private check-in page ------------------------------------------------------------------


def test_the_check_in_page_never_greets_with_a_placeholder_name(populated: Mutuality) -> None:
    with web_client(populated) as web:
        unnamed = populated.checkins.make_link("Ana Lima")
        page = web.get(f"/c/{unnamed.token}").text
        assert "Me would like" not in page and "I'd like to know how things are" in page
        myself = populated.checkins.make_link("Ana Lima", first_name="Myself")
        page = web.get(f"/c/{myself.token}").text
        assert "Myself would like" not in page and "Only I will see" in page
        populated.owner.set_name("Alex Morgan")
        named = populated.checkins.make_link("Ana Lima")
        page = web.get(f"/c/{named.token}").text
        assert "Alex would like to know how things are between you" in page
        assert '<link rel="icon" href="/static/favicon.svg"' in page
        assert web.get("/static/favicon.svg").status_code == 200


def test_a_check_in_answer_without_satisfaction_is_tied_to_that_question(
    populated: Mutuality,
) -> None:
    with web_client(populated) as web:
        link = populated.checkins.make_link("Ana Lima")
        answer = web.post(f"/c/{link.token}", data={"satisfaction": "", "better": "more"})
        assert answer.status_code == 422
        assert 'data-field="satisfaction"' in answer.text
        assert "Please choose how satisfied you are, from 1 to 5." in answer.text
        odd = web.post(f"/c/{link.token}", data={"satisfaction": "4", "would_hear": "perhaps"})
        assert odd.status_code == 422 and 'data-field="would_hear"' in odd.text
        assert "Please answer yes or not now, or leave it." in odd.text
        assert answer.text.count('name="satisfaction"') == 5


# --- the address check-in links use ---------------------------------------------------------------


def test_a_public_address_is_cleaned_allowed_as_a_host_and_refused_when_malformed() -> None:
    settings = WebSettings(public_url=" https://Ledger.example.org/ ")
    assert settings.public_url == "https://Ledger.example.org"
    assert "ledger.example.org" in settings.host_names()
    for bad in ("ledger.example.org", "ftp://ledger", "https://x.org/?a=1", "http://"):
        with pytest.raises(InvalidInput):
            WebSettings(public_url=bad)
    assert link_address("", "http://127.0.0.1:9000/").url("/c/abc") == (
        "http://127.0.0.1:9000/c/abc"
    )
    assert link_address("", "http://[::1]:9000").loopback
    assert link_address("", "http://localhost:9000").loopback
    assert not link_address("http://192.168.1.20:8765", "http://127.0.0.1:9000").loopback


def test_the_check_in_page_makes_links_with_the_public_address(populated: Mutuality) -> None:
    with web_client(populated, public_url="https://ledger.example.org") as web:
        sign_in(web, populated)
        answer = post_form(
            web,
            "/checkins/link",
            {"person": "Ana Lima"},
        )
        assert answer.status_code == 200, answer.text
        assert re.search(
            r"<code>https://ledger\.example\.org/c/[A-Za-z0-9_-]{43}</code>", answer.text
        )
        assert "cannot open this link" not in answer.text


def test_the_api_makes_links_with_the_public_address(populated: Mutuality) -> None:
    ana = populated.people.get("Ana Lima").person.id
    with web_client(populated, public_url="http://laptop.lan:8765") as web:
        sign_in(web, populated)
        answer = web.post(f"/api/people/{ana}/checkin-link")
        assert answer.status_code == 201, answer.text
        assert re.fullmatch(r"http://laptop\.lan:8765/c/[A-Za-z0-9_-]{43}", answer.json()["url"])


def test_a_link_to_this_computer_says_plainly_the_other_person_cannot_open_it(
    populated: Mutuality,
) -> None:
    from fastapi.testclient import TestClient

    from mutuality.web.app import create_app

    web = TestClient(create_app(WebSettings(), populated), base_url="https://localhost:9123")
    with web:
        sign_in(web, populated)
        answer = post_form(web, "/checkins/link", {"person": "Ana Lima"})
        assert answer.status_code == 200, answer.text
        assert re.search(r"<code>https://localhost:9123/c/[A-Za-z0-9_-]{43}</code>", answer.text)
        text = " ".join(answer.text.split())
        assert "Ana Lima cannot open this link from their phone or computer" in text
        assert 'The address links use" in <a href="/settings">Settings</a>' in text
        assert "Send this link to Ana Lima" not in text and "mutuality serve" not in text


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``serve`` with the server recorded instead of run, on a free port."""
    calls: list[Any] = []
    listen = serve_module.listen
    monkeypatch.setattr(serve_module, "listen", lambda host, _port: listen(host, 0))
    monkeypatch.setattr(serve_module, "run_server", lambda *args: calls.append(args))
    monkeypatch.delenv("MUTUALITY_BASE_URL", raising=False)
    monkeypatch.delenv("MUTUALITY_PUBLIC_URL", raising=False)
    return calls


def test_a_link_made_on_the_command_line_uses_the_port_the_app_is_served_on(
    tmp_path: Path, started: list[Any]
) -> None:
    db = tmp_path / "ledger.db"
    served = runner.invoke(cli, ["--db", str(db), "serve", "--port", "8791"])
    assert served.exit_code == 0, served.output
    assert served_file(db).read_text(encoding="utf-8").strip() == "http://127.0.0.1:8791"
    made = runner.invoke(cli, ["--db", str(db), "checkin", "link", "Aiko Tanaka"])
    assert made.exit_code == 0, made.output
    assert re.fullmatch(
        r"http://127\.0\.0\.1:8791/c/[A-Za-z0-9_-]{43}", made.stdout.strip().splitlines()[-1]
    )
    warning = " ".join(made.stderr.split())
    assert "Aiko Tanaka cannot open it from their phone or computer" in warning
    assert "--public-url" in warning


def test_a_public_address_given_to_serve_is_what_command_line_links_use(
    tmp_path: Path, started: list[Any]
) -> None:
    db = tmp_path / "ledger.db"
    served = runner.invoke(
        cli,
        ["--db", str(db), "serve", "--port", "8792", "--public-url", "http://laptop.lan:8792/"],
    )
    assert served.exit_code == 0, served.output
    assert started[0][0].public_url == "http://laptop.lan:8792"
    assert "Private check-in links point at http://laptop.lan:8792/" in served.stdout
    made = runner.invoke(cli, ["--db", str(db), "checkin", "link", "Aiko Tanaka"])
    assert made.stdout.strip().splitlines()[-1].startswith("http://laptop.lan:8792/c/")
    assert "cannot open" not in made.stderr
    bad = runner.invoke(cli, ["--db", str(db), "serve", "--public-url", "laptop.lan"])
    assert bad.exit_code != 0 and "no web address" in " ".join(bad.output.split())


def test_the_address_saved_in_the_settings_is_what_command_line_links_use(
    tmp_path: Path, started: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[web]\npublic_url = "https://ledger.example.org/"\n', encoding="utf-8")
    monkeypatch.setenv("MUTUALITY_CONFIG", str(config))
    db = tmp_path / "ledger.db"
    record_served(db, "http://127.0.0.1:8793")  # an older serve, before the setting
    with open_app(db) as ledger:
        ledger.people.add("Ana Lima")
    made = runner.invoke(cli, ["--db", str(db), "checkin", "link", "Ana Lima"])
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().splitlines()[-1].startswith("https://ledger.example.org/c/")
    assert "cannot open" not in made.stderr
    chosen = runner.invoke(
        cli, ["--db", str(db), "checkin", "link", "Ana Lima", "--base-url", "http://[::1]:9"]
    )
    assert chosen.stdout.strip().splitlines()[-1].startswith("http://[::1]:9/c/")
    assert "Ana Lima cannot open it" in " ".join(chosen.stderr.split())


def test_without_a_served_address_links_fall_back_to_the_default(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    assert served_base(db) is None
    record_served(db, "http://10.0.0.5:8800")
    assert served_base(db) == "http://10.0.0.5:8800"
    served_file(db).write_text("not an address\n", encoding="utf-8")
    assert served_base(db) is None
    record_served(None, "http://10.0.0.5:8800")  # a server database keeps no note
    assert served_base(None) is None
    with open_app(db) as ledger:
        ledger.people.add("Ana Lima")
    made = runner.invoke(cli, ["--db", str(db), "checkin", "link", "Ana Lima"])
    assert made.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:8765/c/")


# --- in a real browser, every page at both widths ------------------------------------------------

NO_BROWSER = tour.chromium() is None


def needs_browser(test: Any) -> Any:
    """A test in Chromium: slow (the tour of every page takes most of a minute), and
    skipped where Debian's chromium is not installed."""
    missing = pytest.mark.skipif(NO_BROWSER, reason="Debian's chromium is not installed")
    return pytest.mark.slow(missing(test))


MEASURE = """() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const labelled = (el) => el.labels && el.labels.length > 0 || el.getAttribute("aria-label")
    || el.getAttribute("aria-labelledby") || el.getAttribute("title");
  const unlabelled = Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((el) => el.type !== "hidden" && visible(el) && !labelled(el))
    .map((el) => el.outerHTML.slice(0, 120));
  const small = Array.from(document.querySelectorAll(
      "main button, main .button, main td.acts a, header button"))
    .filter(visible)
    .filter((el) => el.getBoundingClientRect().height < 43.5)
    .map((el) => el.outerHTML.slice(0, 120));
  const heights = Array.from(document.querySelectorAll(
      "main select, main input:not([type=checkbox]):not([type=radio]):not([type=hidden])"
      + ":not([type=file]):not([type=range])"))
    .filter(visible).map((el) => Math.round(el.getBoundingClientRect().height));
  const touching = Array.from(document.querySelectorAll("main .card, main .grid"))
    .filter((el) => visible(el) && !el.parentElement.classList.contains("grid"))
    .filter((el) => {
      const next = el.nextElementSibling;
      if (!next || !visible(next) || !next.matches(".card, .grid")) return false;
      return next.getBoundingClientRect().top - el.getBoundingClientRect().bottom < 8;
    })
    .map((el) => el.outerHTML.slice(0, 80));
  const mains = document.querySelectorAll("main").length;
  const h1s = document.querySelectorAll("h1").length;
  const header = document.querySelector("header.top");
  return {
    scrollWidth: document.documentElement.scrollWidth,
    header: header ? header.getBoundingClientRect().height : 0,
    unlabelled, small, mains, h1s, touching,
    controls: heights.length ? Math.max(...heights) - Math.min(...heights) : 0,
  };
}"""


@pytest.fixture(scope="module")
def toured() -> Iterator[tuple[Mutuality, str, Any]]:
    """The demo ledger served on a free loopback port, and a headless Chromium."""
    with tour.demo_app() as ledger, tour.serving(ledger) as base, tour.launched_browser() as b:
        yield ledger, base, b


def watched(page: Any, base: str) -> dict[str, list[str]]:
    """Console errors, uncaught exceptions and requests leaving ``base``, as they happen
    (a page that answers 404 on purpose logs its own status: that is no error of the page)."""
    seen: dict[str, list[str]] = {"console": [], "outside": []}

    def console(message: Any) -> None:
        own_status = message.location.get("url") == page.url and " 404 " in message.text
        if message.type == "error" and not own_status:
            seen["console"].append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.on(
        "request", lambda r: seen["outside"].append(r.url) if not r.url.startswith(base) else None
    )
    return seen


@needs_browser
@pytest.mark.parametrize("width_name", list(tour.WIDTHS))
def test_every_page_fits_the_screen_with_no_error_and_nothing_from_elsewhere(
    toured: tuple[Mutuality, str, Any], width_name: str
) -> None:
    ledger, base, browser = toured
    width, height = tour.WIDTHS[width_name]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        seen = watched(page, base)
        problems: list[str] = []
        for stop in tour.stops(ledger):
            page.goto(f"{base}{stop.path}")
            found = page.evaluate(MEASURE)
            where = f"{stop.name} at {width}px"
            if found["scrollWidth"] > width:
                problems.append(f"{where}: {found['scrollWidth']}px wide")
            if found["unlabelled"]:
                problems.append(f"{where}: unlabelled {found['unlabelled']}")
            if found["controls"] > 1:
                problems.append(f"{where}: fields and selects differ by {found['controls']}px")
            if found["touching"]:
                problems.append(f"{where}: cards touching {found['touching']}")
            if found["mains"] != 1 or found["h1s"] != 1:
                problems.append(f"{where}: {found['mains']} main, {found['h1s']} h1")
            if width_name == "phone":
                if found["header"] > 64:
                    problems.append(f"{where}: header {found['header']}px tall")
                if found["small"]:
                    problems.append(f"{where}: targets under 44px {found['small']}")
        assert not problems, "\n".join(problems)
        assert not seen["console"], seen["console"]
        assert not seen["outside"], seen["outside"]
    finally:
        context.close()


@needs_browser
def test_a_small_phone_and_a_tablet_get_no_sideways_scroll_either(
    toured: tuple[Mutuality, str, Any],
) -> None:
    ledger, base, browser = toured
    problems: list[str] = []
    for width in (320, 640, 768):
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
            for stop in tour.stops(ledger):
                if stop.name not in {"people", "person", "checkins", "report", "dashboard"}:
                    continue
                page.goto(f"{base}{stop.path}")
                found = page.evaluate(MEASURE)
                if found["scrollWidth"] > width:
                    problems.append(f"{stop.name} at {width}px: {found['scrollWidth']}px wide")
                if found["header"] > 64:
                    problems.append(f"{stop.name} at {width}px: header {found['header']}px")
        finally:
            context.close()
    assert not problems, "\n".join(problems)


@needs_browser
def test_on_a_phone_the_menu_opens_to_thumb_sized_links_and_closes_again(
    toured: tuple[Mutuality, str, Any],
) -> None:
    ledger, base, browser = toured
    width, height = tour.WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        page.goto(f"{base}/people")
        menu = page.locator("header button.menu")
        assert menu.get_attribute("aria-expanded") == "false"
        assert not page.locator("header nav").is_visible()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        heights = page.eval_on_selector_all(
            "header nav a, header form.logout button",
            "els => els.map(e => e.getBoundingClientRect().height)",
        )
        assert len(heights) >= 13 and min(heights) >= 44, heights
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert not page.locator("header nav").is_visible()
    finally:
        context.close()


@needs_browser
def test_on_a_laptop_the_navigation_is_open_and_there_is_no_menu_button(
    toured: tuple[Mutuality, str, Any],
) -> None:
    ledger, base, browser = toured
    width, height = tour.WIDTHS["desktop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        assert page.locator("header nav").is_visible()
        assert not page.locator("header button.menu").is_visible()
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert skip.is_visible()
    finally:
        context.close()


@needs_browser
def test_without_the_script_the_phone_navigation_stays_open(
    toured: tuple[Mutuality, str, Any],
) -> None:
    ledger, base, browser = toured
    width, height = tour.WIDTHS["phone"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    try:
        link = ledger.accounts.login_link()
        page = context.new_page()
        page.goto(f"{base}/login/link/{link.token}")
        page.fill("input[name=password]", tour.TOUR_PASSWORD)
        page.fill("input[name=confirm]", tour.TOUR_PASSWORD)
        page.click("main button[type=submit]")
        page.goto(f"{base}/people")
        assert page.locator("header nav").is_visible()
        assert not page.locator("header button.menu").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@needs_browser
def test_on_a_phone_tables_become_labelled_cards_with_their_actions_first(
    toured: tuple[Mutuality, str, Any],
) -> None:
    ledger, base, browser = toured
    width, height = tour.WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        page.goto(f"{base}/people")
        first = page.locator("table.people tbody tr").first
        labels = first.locator("td").evaluate_all("tds => tds.map(td => td.dataset.label)")
        assert labels[:2] == ["Name", "Health"], labels
        before = (
            first.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
        )
        assert before == '"Health"'
        page.goto(f"{base}/checkins")
        row = page.locator("#agenda tbody tr").first
        action = row.locator("td.acts")
        assert action.inner_text().strip() == "check in"
        action_top = action.bounding_box()["y"]
        assert all(action_top <= cell.bounding_box()["y"] for cell in row.locator("td").all()), (
            "the action is not first in its card"
        )
        box = action.locator("a").bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= width
    finally:
        context.close()


@needs_browser
def test_search_results_are_announced(toured: tuple[Mutuality, str, Any]) -> None:
    ledger, base, browser = toured
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        page.goto(f"{base}/people")
        status = page.locator("#results-status")
        assert status.get_attribute("role") == "status"
        assert status.get_attribute("aria-live") == "polite"
        page.fill("#people-search", "aiko")
        page.wait_for_function(
            "() => /1 person/.test(document.getElementById('results-status').textContent)"
        )
        assert page.locator("#results tbody tr").count() == 1
    finally:
        context.close()


@needs_browser
def test_a_form_error_marks_its_field_and_takes_the_focus(
    toured: tuple[Mutuality, str, Any],
) -> None:
    _ledger, base, browser = toured
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=password]", "certainly not it")
        page.click("main button[type=submit]")
        password = page.locator("input[name=password]")
        password.wait_for()
        assert password.get_attribute("aria-invalid") == "true"
        described = password.get_attribute("aria-describedby") or ""
        assert described and "wrong password" in page.locator(f"#{described}").inner_text()
        assert page.evaluate("document.activeElement.name") == "password"
    finally:
        context.close()


@needs_browser
@pytest.mark.parametrize("width_name", list(tour.WIDTHS))
def test_the_check_in_page_sets_each_radio_beside_its_label(
    toured: tuple[Mutuality, str, Any], width_name: str
) -> None:
    ledger, base, browser = toured
    stop = tour.checkin_stop(ledger)
    assert stop is not None
    width, height = tour.WIDTHS[width_name]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        seen = watched(page, base)
        page.goto(f"{base}{stop.path}")
        assert "would like to know" in page.locator("h1").inner_text()
        for label in page.locator("label.choice").all():
            radio = label.locator("input[type=radio]").bounding_box()
            whole = label.bounding_box()
            assert radio["x"] - whole["x"] < 4, "the radio does not start its line"
            assert whole["width"] > radio["width"] * 3, "the text is not beside the radio"
            middle = radio["y"] + radio["height"] / 2
            assert whole["y"] <= middle <= whole["y"] + whole["height"]
            assert whole["height"] >= (44 if width_name == "phone" else 20)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.keyboard.press("l")  # the owner's key for the log form means nothing here
        page.wait_for_timeout(300)
        assert page.url == f"{base}{stop.path}"
        page.wait_for_load_state("networkidle")
        assert not seen["console"], seen["console"]
        assert not seen["outside"], seen["outside"]
    finally:
        context.close()
