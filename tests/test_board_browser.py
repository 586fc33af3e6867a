"""The community board in a real headless Chromium (Debian's, driven by Playwright): two
members and an organiser, each in their own browser, through the whole flow (issue #20):
Bea posts an ask, Cai answers, Bea accepts, Cai records the help, Bea confirms it with her
own figure, marks the ask met and thanks Cai on the gratitude wall, which Olu, the
organiser, then reads; Olu's view of the community shows no figure for three members.

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
from web_helpers import PASSWORD

from mutuality.services.app import Mutuality
from mutuality.services.board_report import NOT_SHOWN
from mutuality.services.team import Member
from mutuality.web import tour

pytestmark = [
    needs_server,
    pytest.mark.slow,
    pytest.mark.skipif(
        tour.chromium() is None,
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api")
    with tour.launched_browser() as launched:
        yield launched


def signed_in(browser: Any, base: str, member: Member) -> Any:
    """A browser of its own (its own cookies) signed in as ``member``."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_post_answer_accept_record_confirm_met_thank_in_the_browser(
    server: Mutuality, browser: Any
) -> None:
    community = found_community(server, "Bea Costa", "Cai Brown")
    olu, (bea, cai) = community.organiser, community.members
    with tour.serving(server) as base:
        bea_page, cai_page, olu_page = (signed_in(browser, base, m) for m in (bea, cai, olu))

        bea_page.click("text=Community board")
        bea_page.fill("textarea[name=text]", "Someone to rehearse my conference talk with")
        bea_page.fill("input[name=tags]", "speaking")
        bea_page.click("form[action='/team/board'] button[type=submit]")
        bea_page.wait_for_url(f"{base}/team/board/*")
        ask = bea_page.url

        cai_page.goto(f"{base}/team/board")
        cai_page.click("text=Someone to rehearse my conference talk with")
        cai_page.fill("textarea[name=note]", "I coach speakers; Thursday evening?")
        cai_page.click("form[action$='/answer'] button[type=submit]")
        assert "I coach speakers" in cai_page.content()

        bea_page.goto(ask)
        bea_page.click("form[action$='/accept'] button[type=submit]")
        cai_page.goto(ask)
        cai_page.fill("input[name=what]", "Rehearsed Bea's talk twice, with notes")
        cai_page.fill("input[name=figure]", "3")
        cai_page.click("form[action$='/record'] button[type=submit]")
        assert "waiting for confirmation" in cai_page.content()

        bea_page.goto(f"{base}/team/confirmations")
        assert "Rehearsed Bea" in bea_page.content()
        bea_page.fill("form[action$='/confirm'] input[name=figure]", "9")
        bea_page.click("form[action$='/confirm'] button[type=submit]")
        bea_page.goto(ask)
        assert "confirmed" in bea_page.content()
        bea_page.click("form[action$='/met'] button[type=submit]")
        bea_page.fill("input[name=words]", "Cai made my opening three times clearer")
        bea_page.click("form[action$='/thank'] button[type=submit]")

        olu_page.goto(f"{base}/team/board")
        wall = olu_page.locator("section", has_text="Gratitude wall").inner_text()
        assert "Bea Costa thanks Cai Brown: Cai made my opening three times clearer" in wall
        olu_page.click("text=The organiser's view")
        assert NOT_SHOWN in olu_page.content()
