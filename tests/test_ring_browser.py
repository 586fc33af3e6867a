"""A Reciprocity Ring session in a real headless Chromium (Debian's, driven by Playwright):
the organiser and two members, each in their own browser, on the live page. Bea states her
ask and Cai's page shows it without a reload; Cai's offer appears on Bea's page the same
way; the organiser presents Bea's ask and the timer counts down on Cai's page; closing
takes everyone to their summary.

PostgreSQL and Chromium: skipped, saying why, where either is missing.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
from collections.abc import Iterator
from typing import Any

import pytest
from team_web_helpers import (
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
)
from test_board_browser import signed_in

from mutuality.services.app import Mutuality
from mutuality.web import tour

pytestmark = [
    needs_server,
    pytest.mark.slow,
    pytest.mark.skipif(
        tour.chromium() is None,
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
]
ASK = "I need a designer to review our landing page by Friday, so that we launch on time"


@pytest.fixture
def browser() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api")
    with tour.launched_browser() as launched:
        yield launched


def test_asks_and_offers_appear_live_and_the_timer_runs(server: Mutuality, browser: Any) -> None:
    community = found_community(server, "Bea Costa", "Cai Brown")
    olu, (bea, cai) = community.organiser, community.members
    ring = server.team.rings.open(olu.id, "Spring ring")
    for member in (bea, cai):
        server.team.rings.join(member.id, ring.id)
    with tour.serving(server) as base:
        bea_page, cai_page, olu_page = (signed_in(browser, base, m) for m in (bea, cai, olu))
        for page in (bea_page, cai_page, olu_page):
            page.goto(f"{base}/team/rings/{ring.id}")
        assert not cai_page.is_visible("a.reload")  # the script keeps the page current

        bea_page.fill("textarea[name=text]", ASK)
        bea_page.click("form[action$='/ask'] button[type=submit]")
        cai_page.wait_for_selector(f"text={ASK}", timeout=15_000)  # no reload

        cai_page.fill("form.offer input[name=text]", "I can review it on Thursday")
        cai_page.click("form.offer button[type=submit]")
        bea_page.wait_for_selector("text=I can review it on Thursday", timeout=15_000)

        olu_page.wait_for_selector("text=Present this ask now", timeout=15_000)
        olu_page.click("text=Present this ask now")
        cai_page.wait_for_selector("text=Presenting now: Bea Costa", timeout=15_000)
        first = cai_page.inner_text(".timer")
        cai_page.wait_for_timeout(2_500)
        later = cai_page.inner_text(".timer")
        assert first.startswith(("3:00", "2:5")) and later < first

        # The organiser's page may still be settling after "Present this ask now" (its own
        # navigation): close once it has, and wait for the navigation the close starts.
        olu_page.wait_for_load_state()
        with olu_page.expect_navigation(url=f"{base}/team/rings/{ring.id}/summary"):
            olu_page.click("form[action$='/close'] button[type=submit]")
        bea_page.wait_for_selector("text=This session is closed", timeout=15_000)
        bea_page.goto(f"{base}/team/rings/{ring.id}/summary")
        assert "a commitment in both ledgers" in bea_page.content()
