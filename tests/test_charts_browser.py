"""The charts in a real browser (Debian's Chromium) at 1366 and 390 px: one drawing of each
chart shows, and no chart text is smaller than 11 px on the screen (it used to shrink to
about 3 px on a phone). Slow: run with ``-m slow``."""

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

CHARTS = ("dashboard", "person", "network", "report")
"""The tour's pages that carry a chart."""
WIDTHS = {**tour.WIDTHS, "tablet": (768, 1024), "small laptop": (820, 900)}
"""The tour's two widths, and two either side of where the phone drawing takes over."""

MEASURE = """() => {
  const shown = Array.from(document.querySelectorAll("main svg.chart, main svg.graph"))
    .filter((svg) => svg.getBoundingClientRect().width > 0);
  const boxes = Array.from(document.querySelectorAll("main .chart-fit")).map(
    (box) => Array.from(box.children).filter((svg) => svg.getBoundingClientRect().width > 0)
      .length);
  const sizes = [];
  for (const svg of shown) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      sizes.push([Math.round(size * 10) / 10, text.textContent]);
    }
  }
  return {charts: shown.length, boxes, sizes};
}"""


@pytest.fixture(scope="module")
def toured() -> Iterator[tuple[Mutuality, str, Any]]:
    with tour.demo_app() as ledger, tour.serving(ledger) as base, tour.launched_browser() as b:
        yield ledger, base, b


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_chart_text_is_legible_at_both_widths(
    toured: tuple[Mutuality, str, Any], width_name: str
) -> None:
    ledger, base, browser = toured
    width, height = WIDTHS[width_name]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = tour.sign_in(context, base, ledger, tour.TOUR_PASSWORD)
        stops = [stop for stop in tour.stops(ledger) if stop.name in CHARTS]
        assert {stop.name for stop in stops} == set(CHARTS)
        for stop in stops:
            page.goto(f"{base}{stop.path}")
            found = page.evaluate(MEASURE)
            where = f"{stop.name} at {width}px"
            assert found["charts"] >= 1, f"{where}: no chart shown"
            assert found["boxes"] and all(n == 1 for n in found["boxes"]), (
                f"{where}: each chart must show exactly one of its drawings: {found['boxes']}"
            )
            small = [(size, text) for size, text in found["sizes"] if size < 11]
            assert not small, f"{where}: chart text under 11 px: {small[:5]}"
    finally:
        context.close()
