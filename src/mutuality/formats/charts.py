"""Charts as SVG text: drawn without a network, with every label escaped, for the web pages
and the reports alike (the web marks the text safe; a report inlines it).

Colours come from classes (the web app's ``static/app.css``, the report's own style
sheet), never inline styles, which the web app's content security policy forbids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mutuality.core.trends import MonthFlow
from mutuality.core.value import RelationshipBalance

WIDTH, HEIGHT, PAD = 640, 220, 36


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escape(text: object) -> str:
    """Text safe inside SVG markup and attributes (the same entities as Jinja2 writes)."""
    return str(text).translate(_ESCAPES)


def _x(index: int, count: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (index / max(count - 1, 1))


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _month(day: date) -> str:
    return day.strftime("%b")


def _svg(body: list[str], label: str, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _axis_labels(days: Sequence[date], bottom: float) -> list[str]:
    step = max(1, math.ceil(len(days) / 12))
    return [
        f'<text class="axis" x="{_x(i, len(days)):.1f}" y="{bottom + 16:.1f}" '
        f'text-anchor="middle">{escape(_month(day))}</text>'
        for i, day in enumerate(days)
        if i % step == 0 or i == len(days) - 1
    ]


def _series(
    values: Sequence[float],
    low: float,
    high: float,
    top: float,
    bottom: float,
    css: str,
    labels: Sequence[str],
) -> list[str]:
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return bottom - (value - low) / span * (bottom - top)

    points = [(_x(i, len(values)), y(v)) for i, v in enumerate(values)]
    dots = [
        f'<circle class="dot {css}" cx="{x:.1f}" cy="{yy:.1f}" r="3">'
        f"<title>{escape(label)}</title></circle>"
        for (x, yy), label in zip(points, labels, strict=True)
    ]
    return [f'<polyline class="line {css}" points="{_path(points)}"/>', *dots]


def _legend(entries: Sequence[tuple[str, str]], y: float = 14) -> list[str]:
    parts, x = [], PAD
    for css, label in entries:
        parts.append(f'<rect class="swatch {css}" x="{x}" y="{y - 9}" width="10" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 14}" y="{y}">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return parts


def flows_chart(flows: Sequence[MonthFlow]) -> str:
    """Benefit I gave against benefit I received, month by month."""
    if not flows:
        return ""
    top, bottom = 28.0, HEIGHT - 28.0
    high = max([f.given for f in flows] + [f.received for f in flows] + [1.0])
    body = [
        f'<line class="grid" x1="{PAD}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}"/>',
        f'<text class="axis" x="{PAD - 4}" y="{top + 4}" text-anchor="end">{high:.0f}</text>',
        f'<text class="axis" x="{PAD - 4}" y="{bottom}" text-anchor="end">0</text>',
        *_legend([("given", "given"), ("received", "received")]),
    ]
    for css, values in (
        ("given", [f.given for f in flows]),
        ("received", [f.received for f in flows]),
    ):
        labels = [
            f"{_month(f.month)} {f.month.year}: {css} {value:.1f}"
            for f, value in zip(flows, values, strict=True)
        ]
        body += _series(values, 0.0, high, top, bottom, css, labels)
    body += _axis_labels([f.month for f in flows], bottom)
    return _svg(body, "Benefit given and received per month")


def balance_chart(points: Sequence[RelationshipBalance], name: str) -> str:
    """Top: the balance within its tolerance band; bottom: each side's net benefit."""
    if not points:
        return ""
    height = 320
    days = [p.as_of for p in points]
    tolerance = points[-1].settings.tolerance
    top, bottom = 28.0, 128.0
    span = bottom - top

    def y(value: float) -> float:
        return bottom - (value + 1) / 2 * span

    body = [
        f'<rect class="band" x="{PAD}" y="{y(tolerance):.1f}" width="{WIDTH - 2 * PAD}" '
        f'height="{y(-tolerance) - y(tolerance):.1f}"><title>balanced: within '
        f"±{tolerance:g}</title></rect>",
        f'<line class="grid" x1="{PAD}" y1="{y(0):.1f}" x2="{WIDTH - PAD}" y2="{y(0):.1f}"/>',
        f'<text class="axis" x="{PAD - 4}" y="{top + 4}" text-anchor="end">+1</text>',
        f'<text class="axis" x="{PAD - 4}" y="{bottom}" text-anchor="end">−1</text>',
        *_legend([("balance", f"balance (+: you give more to {name})")]),
    ]
    known = [(i, p.balance) for i, p in enumerate(points) if p.balance is not None]
    if known:
        coords = [(_x(i, len(points)), y(value)) for i, value in known]
        body.append(f'<polyline class="line balance" points="{_path(coords)}"/>')
        body += [
            f'<circle class="dot balance" cx="{x:.1f}" cy="{yy:.1f}" r="3"><title>'
            f"{escape(days[i].isoformat())}: {value:+.2f}</title></circle>"
            for (x, yy), (i, value) in zip(coords, known, strict=True)
        ]
    top2, bottom2 = 176.0, height - 28.0
    nets = [p.my_net for p in points] + [p.their_net for p in points]
    low, high = min([*nets, 0.0]), max([*nets, 1.0])
    body += _legend([("mine", "my net"), ("theirs", f"{name}'s net")], y=top2 - 10)
    zero = bottom2 - (0 - low) / ((high - low) or 1) * (bottom2 - top2)
    body.append(
        f'<line class="grid" x1="{PAD}" y1="{zero:.1f}" x2="{WIDTH - PAD}" y2="{zero:.1f}"/>'
    )
    mine, theirs = [p.my_net for p in points], [p.their_net for p in points]
    for css, values in (("mine", mine), ("theirs", theirs)):
        labels = [f"{d.isoformat()}: {v:+.1f}" for d, v in zip(days, values, strict=True)]
        body += _series(values, low, high, top2, bottom2, css, labels)
    body += _axis_labels(days, bottom2)
    return _svg(body, f"Balance with {name} and each side's net benefit over time", height)


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    name: str
    status: str
    weight: float


_INTRO_CLASS = {"made": "made", "declined": "closed", "withdrawn": "closed"}
"""An introduction's line: made, closed without being made, or (any other state) open."""


def network_graph(
    owner: str,
    nodes: Sequence[Node],
    links: Sequence[tuple[int, int, int]],
    introductions: Sequence[tuple[int, int, str]] = (),
) -> str:
    """The owner in the middle, the people around, coloured by health; a line for each
    pair that exchanged (thicker: more exchanges), and a dashed one for each pair I
    introduced or am introducing, styled by how it went (made, in progress, not made)."""
    size, centre = 640, 320
    radius = 250
    at: dict[int, tuple[float, float]] = {}
    for index, node in enumerate(nodes):
        angle = 2 * math.pi * index / max(len(nodes), 1) - math.pi / 2
        at[node.id] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    heaviest = max([n.weight for n in nodes] + [1.0])
    most = max([count for _, _, count in links] + [1])
    body = []
    for node in nodes:
        x, y = at[node.id]
        body.append(f'<line class="spoke" x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}"/>')
    for a, b, count in links:
        if a in at and b in at:
            (x1, y1), (x2, y2) = at[a], at[b]
            width = 0.5 + 2.5 * count / most
            body.append(
                f'<line class="link" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke-width="{width:.2f}"><title>{count} exchange(s)</title></line>'
            )
    names = {node.id: node.name for node in nodes}
    for a, b, state in introductions:
        if a in at and b in at:
            (x1, y1), (x2, y2) = at[a], at[b]
            body.append(
                f'<line class="intro {_INTRO_CLASS.get(state, "open")}" x1="{x1:.1f}" '
                f'y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"><title>Introducing '
                f"{escape(names[a])} and {escape(names[b])}: {escape(state)}</title></line>"
            )
    body.append(
        f'<circle class="node owner" cx="{centre}" cy="{centre}" r="16"><title>'
        f"{escape(owner)}</title></circle>"
    )
    for node in nodes:
        x, y = at[node.id]
        r = 5 + 9 * math.sqrt(node.weight / heaviest)
        label_x = centre + (radius + 18) * (x - centre) / radius
        label_y = centre + (radius + 18) * (y - centre) / radius
        anchor = "start" if x > centre + 1 else ("end" if x < centre - 1 else "middle")
        css_class = escape(node.status.replace(" ", "-"))  # "uneven by choice": one class
        body.append(
            f'<a href="/people/{node.id}"><circle class="node {css_class}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"><title>{escape(node.name)}: '
            f"{escape(node.status)}</title></circle>"
            f'<text class="label" x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">'
            f"{escape(node.name)}</text></a>"
        )
    return (
        f'<svg class="graph" viewBox="-120 0 {size + 240} {size}" role="img" '
        f'aria-label="Your relationships, coloured by health" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Your relationships</title>'
        f"{''.join(body)}</svg>"
    )


def _bar_rows(count: int) -> int:
    return 40 + 22 * count


def balance_bars(rows: Sequence[tuple[str, float]]) -> str:
    """Each relationship's balance (−1 to +1) as a bar from the middle: right where I give
    more, left where they do."""
    if not rows:
        return ""
    height = _bar_rows(len(rows))
    label_width = 180
    middle = label_width + (WIDTH - label_width - PAD) / 2
    half = (WIDTH - label_width - PAD) / 2
    body = [
        *_legend([("ahead", "you give more"), ("behind", "they give more")]),
        f'<line class="grid" x1="{middle:.1f}" y1="24" x2="{middle:.1f}" y2="{height - 8}"/>',
    ]
    for index, (name, value) in enumerate(rows):
        y = 30 + 22 * index
        width = abs(value) * half
        x = middle if value >= 0 else middle - width
        css = "ahead" if value >= 0 else "behind"
        body.append(
            f'<text class="label" x="{label_width - 8}" y="{y + 12}" text-anchor="end">'
            f"{escape(_short(name))}</text>"
            f'<rect class="bar {css}" x="{x:.1f}" y="{y}" width="{max(width, 1):.1f}" '
            f'height="16"><title>{escape(name)}: {value:+.2f}</title></rect>'
        )
    return _svg(body, "Balance by relationship", height)


def kinds_chart(rows: Sequence[tuple[str, float, float]]) -> str:
    """Benefit given and received by kind of value, as paired bars."""
    if not rows:
        return ""
    height = _bar_rows(len(rows))
    label_width = 120
    high = max([max(given, received) for _, given, received in rows] + [1.0])
    span = WIDTH - label_width - PAD - 50
    body = _legend([("given", "given"), ("received", "received")])
    for index, (kind, given, received) in enumerate(rows):
        y = 30 + 22 * index
        body.append(
            f'<text class="label" x="{label_width - 8}" y="{y + 12}" text-anchor="end">'
            f"{escape(kind)}</text>"
        )
        for offset, css, value in ((0, "given", given), (8, "received", received)):
            width = value / high * span
            body.append(
                f'<rect class="bar {css}" x="{label_width}" y="{y + offset}" '
                f'width="{max(width, 0.5):.1f}" height="8"><title>{escape(kind)}: {css} '
                f"{value:.1f}</title></rect>"
                f'<text class="axis" x="{label_width + width + 4:.1f}" y="{y + offset + 7}">'
                f"{value:.1f}</text>"
            )
    return _svg(body, "Benefit given and received by kind of value", height)


def _short(name: str, limit: int = 26) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
