"""The web app in a real headless Chromium (Debian's, driven by Playwright; never a downloaded
browser): sign in, add a person, log an exchange, see the dashboard update, and a sweep in
which script payloads in names, notes and exchanges are shown on every page without running.

Screenshots of the dashboard and a person page are saved under ``tests/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import PASSWORD

from mutuality.services.app import Mutuality
from mutuality.web import tour

pytestmark = pytest.mark.skipif(
    tour.chromium() is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
ARTIFACTS = Path(__file__).parent / "artifacts"
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "{{constructor.constructor('alert(3)')()}}",
    "javascript:alert(4)",
    "<script>alert(5)</script>",
]


@pytest.fixture
def server(populated: Mutuality) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    with tour.serving(populated) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api")
    if tour.chromium() is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with tour.launched_browser() as launched:
        yield launched


def signed_in_page(browser: Any, base: str, populated: Mutuality) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    link = populated.accounts.login_link()
    page.goto(f"{base}/login/link/{link.token}")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert not outside, outside
    return page, dialogs


def test_sign_in_add_a_person_log_an_exchange_and_see_the_dashboard(
    server: str, browser: Any, populated: Mutuality
) -> None:
    page, dialogs = signed_in_page(browser, server, populated)
    assert page.locator("h1").inner_text() == "Dashboard"
    page.click("text=People")
    page.click("text=Add a person")
    page.fill("input[name=name]", "Maria Costa")
    page.select_option("select[name=context]", "friend")
    page.fill("input[name=tags]", "lisbon, design")
    page.click("form.person button[type=submit]")
    page.wait_for_url(f"{server}/people/*")
    assert page.locator("h1").inner_text().startswith("Maria Costa")
    page.click("#quick-log input[value=got]")
    page.select_option("#quick-log select[name=kind]", "knowledge")
    page.fill("#quick-log input[name=description]", "Showed me her bookkeeping setup")
    page.fill("#quick-log input[name=benefit]", "6")
    page.click("#quick-log button[type=submit]")
    page.wait_for_selector("text=Logged exchange #")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "person.png"), full_page=True)
    page.goto(f"{server}/")
    assert "Showed me her bookkeeping setup" in page.locator("#recent").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.goto(f"{server}/people")
    page.fill("#people-search", "costa")
    page.locator("#results p.muted", has_text="1 person").wait_for()  # swapped in by app.js
    assert "Maria Costa" in page.locator("#results").inner_text()
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{server}/login")
    page.goto(f"{server}/")
    assert page.url.startswith(f"{server}/login")
    assert dialogs == []


def test_script_payloads_never_run_on_any_page(
    server: str, browser: Any, populated: Mutuality
) -> None:
    ids = []
    for number, payload in enumerate(PAYLOADS):
        person = populated.people.add(
            f"{payload} {number}",
            private_note=payload,
            organisation=payload,
            title=payload,
            tags=(f"t{number}",),
        )
        populated.ledger.log(
            person.id,
            "gave",
            kind="time",
            what=payload,
            outcome=payload,
            private_note=payload,
            benefit=4,
            cost=1,
        )
        populated.ledger.log(person.id, "got", kind="knowledge", what=payload, benefit=8, cost=1)
        for benefit, decision in ((8, None), (8, "yes"), (2, "no")):
            asked = populated.requests.ask(person.id, payload, benefit=benefit, cost=3)
            if decision:
                populated.requests.decide(asked.id, decision, third_option=payload)
        populated.needs.add("need", person.id, payload, tags=(f"t{number}",))
        populated.needs.add("offer", person.id, payload)
        if ids:  # introduced to the one before: both names and the reason are payloads
            populated.introductions.propose(ids[-1], person.id, reason=payload, a_gains=payload)
        ids.append(person.id)
    page, dialogs = signed_in_page(browser, server, populated)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    paths = [
        "/",
        "/people",
        "/people?sort=urgency",
        "/network",
        "/log",
        "/capacity",
        "/requests",
        "/checkins",
        "/board",
        "/introductions",
        f"/people?search={PAYLOADS[0]}",
        "/people?tag=t1",
    ]
    for person_id in ids:
        paths += [
            f"/people/{person_id}",
            f"/people/{person_id}/edit",
            f"/people/{person_id}/forget",
            f"/log?person={person_id}",
        ]
    for path in paths:
        page.goto(f"{server}{path}")
        assert page.evaluate("window.__xss === undefined")
    page.goto(f"{server}/people/{ids[0]}")
    assert PAYLOADS[0] in page.locator("h1").inner_text()  # shown as text
    assert dialogs == [] and errors == []
