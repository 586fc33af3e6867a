"""The organiser's chart of asks posted, answered and met: one bar per stage, labelled and
summarised for screen readers, escaped, with no inline style (the web app's content
security policy forbids it), and nothing at all when there is no figure to draw."""

from __future__ import annotations

import re

import pytest

from mutuality.formats.community import asks_chart


def test_one_bar_per_stage_in_proportion_with_a_summary() -> None:
    svg = asks_chart([("posted", 40), ("answered", 30), ("met", 10)])
    widths = [float(w) for w in re.findall(r'<rect class="ch-bar"[^>]* width="([\d.]+)"', svg)]
    assert len(widths) == 3
    assert widths[0] / widths[2] == pytest.approx(4, rel=0.01)
    assert 'aria-label="Asks in the period: posted 40; answered 30; met 10"' in svg
    assert "style=" not in svg


def test_labels_are_escaped_and_nothing_is_drawn_without_figures() -> None:
    assert "<script>" not in asks_chart([("<script>", 1)])
    assert asks_chart([]) == ""
    assert asks_chart([("posted", 1)], responsive=True).startswith('<div class="chart-fit">')
