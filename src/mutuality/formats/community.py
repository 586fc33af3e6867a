"""The organiser's chart of a community's asks as SVG text: how many were posted, answered
and met in the period, one bar each, drawn with the app's chart rules
(:mod:`mutuality.formats.charts`: gridlines at round values, escaped labels, an accessible
summary, a phone's drawing beside the wide one)."""

from __future__ import annotations

from collections.abc import Sequence

from mutuality.formats.charts import (
    AXIS,
    GIVEN,
    GRID,
    INK,
    Frame,
    _fit,
    _svg,
    _text,
    escape,
    nice_ticks,
    number,
)


def asks_chart(rows: Sequence[tuple[str, float]], *, responsive: bool = False) -> str:
    """One bar per stage of an ask (posted, answered, met); nothing when there is no
    figure to draw (every figure hidden for a small group)."""
    if not rows:
        return ""
    return _fit(lambda frame: _asks(rows, frame), responsive)


def _asks(rows: Sequence[tuple[str, float]], frame: Frame) -> str:
    font, row = frame.font, frame.font * 2.0
    label_width = 110.0 if frame.phone else 150.0
    top = font * 1.2
    bottom = top + row * len(rows)
    height = bottom + font * 2
    ticks = nice_ticks(0.0, max([value for _, value in rows] + [1.0]), 3 if frame.phone else 4)
    high = ticks[-1]
    span = frame.width - label_width - font * 1.5
    body = []
    for tick in ticks:
        x = label_width + tick / high * span
        body.append(
            f'<line class="ch-grid" x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" '
            f'y2="{bottom:.1f}" stroke="{AXIS if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, bottom + font * 1.3, number(tick), frame, anchor="middle"))
    bar = row * 0.6
    for index, (label, value) in enumerate(rows):
        y = top + row * index
        body.append(
            _text(
                label_width - 8,
                y + bar / 2 + font * 0.35,
                label,
                frame,
                anchor="end",
                fill=INK,
                css="ch-label",
            )
            + f'<rect class="ch-bar" x="{label_width}" y="{y:.1f}" '
            f'width="{max(value / high * span, 0.5):.1f}" height="{bar:.1f}" fill="{GIVEN}">'
            f"<title>{escape(label)}: {number(value)}</title></rect>"
        )
    summary = "Asks in the period: " + "; ".join(f"{label} {number(v)}" for label, v in rows)
    return _svg(body, frame, height, "Asks posted, answered and met", summary)
