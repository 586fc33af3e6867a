"""Every page passes axe-core at a desktop's and a phone's width with no serious or critical
violation (the demo ledger, signed in, and the two pages a stranger sees).

axe-core ships inside axe-playwright-python (the ``test`` extra), so nothing is fetched;
the browser is Debian's Chromium. Slow: about a minute for some forty page visits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mutuality.services.app import Mutuality
from mutuality.web import tour

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(tour.chromium() is None, reason="Debian's chromium is not installed"),
]
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def demo() -> Iterator[Mutuality]:
    with tour.demo_app() as app:
        yield app


@pytest.fixture(scope="module")
def axe() -> Any:
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def serious_violations(axe: Any, page: Any) -> list[str]:
    """Each serious or critical violation as 'rule: first offending element (+n more)'."""
    found = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        + (f" (+{len(v['nodes']) - 1} more)" if len(v["nodes"]) > 1 else "")
        for v in found
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("width_name", list(tour.WIDTHS))
def test_no_serious_accessibility_violation_on_any_page(
    demo: Mutuality, axe: Any, width_name: str
) -> None:
    width, height = tour.WIDTHS[width_name]
    failures: dict[str, list[str]] = {}
    with tour.serving(demo) as base, tour.launched_browser() as browser:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = tour.sign_in(context, base, demo)
        for stop in tour.stops(demo):
            page.goto(f"{base}{stop.path}")
            if found := serious_violations(axe, page):
                failures[stop.name] = found
        stranger = browser.new_context(viewport={"width": width, "height": height})
        visitor = stranger.new_page()
        private = tour.checkin_stop(demo)
        for stop in [tour.Stop("login", "/login"), *([private] if private else [])]:
            visitor.goto(f"{base}{stop.path}")
            if found := serious_violations(axe, visitor):
                failures[stop.name] = found
    assert not failures, failures
