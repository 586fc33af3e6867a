"""Charts as SVG text: drawn without a network, with every label escaped, for the web pages
and the reports alike (the web marks the text safe; a report inlines it).

Every chart says what its figures are: axes with their unit, light gridlines at round
values, months with their year, the month to date drawn as such (never as a fall against
whole months), and an accessible summary (``role="img"``, or ``figure`` for the network
picture whose dots are links; ``aria-label``, ``<title>``, ``<desc>``). Colours are SVG
presentation attributes, never ``style=""`` (the web app's content security policy forbids
inline styles), so a chart looks the same in the web app and in a report file. With
``responsive=True`` a chart is drawn twice, once for a wide screen and once for a phone's
(``static/charts.css`` shows the one that fits), so that its text stays about 11 px or
more on a 390 px screen instead of shrinking with the picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from mutuality.core.trends import MonthFlow
from mutuality.core.value import RelationshipBalance

STATUS_COLOURS: dict[str, str] = {
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
"""One colour per status, shared with the status pills (each at least 4.5:1 on white), so
that no two statuses ever share a colour."""

GIVEN, RECEIVED = "#be185d", "#0e7490"
"""What I gave and what I received: hues no status uses."""
INK, MUTED, GRID, AXIS = "#1f2937", "#475569", "#e2e8f0", "#94a3b8"
BAND, BAND_EDGE = "#dff3ef", "#0f766e"
INTRO_COLOURS = {"made": "#15803d", "open": "#a16207", "closed": "#64748b"}

UNIT = "points of benefit"
"""The value scale's unit (docs/value-scale.md): benefit and cost are points from 0 to 10."""

WIDTH, HEIGHT = 760, 280
"""The wide drawing (a report page, a desktop card)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One drawing's size and type: ``font`` in the drawing's units, chosen so that it
    shows at 11 px or more where the drawing is used (a phone's is narrower, so its text is
    larger against the drawing)."""

    width: int
    font: float
    months_shown: int
    """At most this many month labels under a time axis."""
    phone: bool = False

    @property
    def left(self) -> float:
        return self.font * 3.6

    @property
    def right(self) -> float:
        return self.width - self.font * 1.2


WIDE = Frame(WIDTH, 12, 12)
PHONE = Frame(360, 13, 4, phone=True)

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escape(text: object) -> str:
    """Text safe inside SVG markup and attributes (the same entities as Jinja2 writes)."""
    return str(text).translate(_ESCAPES)


# --- numbers, ticks and months -------------------------------------------------------------


def number(value: float, signed: bool = False) -> str:
    """A figure as a person reads it: no trailing zeros, a real minus sign."""
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".") if value else "0"
    if value < 0 and text != "0":
        return "−" + text
    return ("+" + text) if signed and value > 0 else text


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values (steps of 1, 2, 2.5 or 5 times a power of ten) from at most ``low`` to
    at least ``high``, about ``count`` steps apart: the gridlines' values."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def month_labels(months: Sequence[date], shown: int) -> list[str | None]:
    """A label for at most ``shown`` of ``months`` (evenly spaced, the latest always), the
    others ``None``; a label carries the year where it is the first shown or the year
    changed since the previous label ("Jan 2026", "Apr", ...)."""
    count = len(months)
    step = max(1, math.ceil(count / max(shown, 1)))
    keep = {i for i in range(count - 1, -1, -step)}
    labels: list[str | None] = []
    year = None
    for index, month in enumerate(months):
        if index not in keep:
            labels.append(None)
            continue
        text = month.strftime("%b") if month.year == year else month.strftime("%b %Y")
        year = month.year
        labels.append(text)
    return labels


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


# --- drawing pieces --------------------------------------------------------------------------


def _text(
    x: float,
    y: float,
    text: str,
    frame: Frame,
    *,
    anchor: str = "start",
    fill: str = MUTED,
    size: float | None = None,
    bold: bool = False,
    css: str = "ch-axis",
) -> str:
    weight = ' font-weight="600"' if bold else ""
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'font-size="{size or frame.font:g}" fill="{fill}"{weight}>{escape(text)}</text>'
    )


def _hline(x1: float, x2: float, y: float, colour: str = GRID, css: str = "ch-grid") -> str:
    return (
        f'<line class="{css}" x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" '
        f'stroke="{colour}" stroke-width="1"/>'
    )


def _legend(entries: Sequence[tuple[str, str, str]], x: float, y: float, frame: Frame) -> str:
    """Swatches in a row: (shape, colour, label); shape ``box``, ``hollow``, ``line`` or
    ``dash``. Wraps to a second row where the drawing is too narrow."""
    parts = []
    start = x
    size = frame.font * 0.8
    for shape, colour, label in entries:
        width = size + 5 + frame.font * 0.55 * len(label) + frame.font * 0.8
        if x > start and x + width > frame.right:
            x, y = start, y + frame.font * 1.5
        top = y - size + 1
        if shape in ("box", "band"):
            edge = f' stroke="{BAND_EDGE}" stroke-width="1"' if shape == "band" else ""
            swatch = f'<rect x="{x:.1f}" y="{top:.1f}" width="{size:.1f}" height="{size:.1f}" '
            swatch += f'fill="{colour}"{edge}/>'
        elif shape == "hollow":
            swatch = f'<rect x="{x + 0.75:.1f}" y="{top + 0.75:.1f}" width="{size - 1.5:.1f}" '
            swatch += f'height="{size - 1.5:.1f}" fill="#ffffff" stroke="{colour}" '
            swatch += 'stroke-width="1.5" stroke-dasharray="3 2"/>'
        elif shape == "you":
            half, mid_x, mid_y = size * 0.45, x + size / 2, top + size / 2
            swatch = f'<rect x="{mid_x - half:.1f}" y="{mid_y - half:.1f}" '
            swatch += f'width="{2 * half:.1f}" height="{2 * half:.1f}" '
            swatch += f'transform="rotate(45 {mid_x:.1f} {mid_y:.1f})" fill="#ffffff" '
            swatch += f'stroke="{colour}" stroke-width="2"/>'
        else:
            dash = ' stroke-dasharray="5 3"' if shape == "dash" else ""
            swatch = f'<line x1="{x:.1f}" y1="{top + size / 2:.1f}" x2="{x + size * 1.6:.1f}" '
            swatch += f'y2="{top + size / 2:.1f}" stroke="{colour}" stroke-width="2.5"{dash}/>'
            width += size * 0.6
            x += size * 0.6
        parts.append(
            f'<g class="ch-legend">{swatch}'
            + _text(x + size + 5, y, label, frame, fill=INK, css="ch-legend")
            + "</g>"
        )
        x += width
    return "".join(parts)


def _legend_rows(
    entries: Sequence[tuple[str, str, str]], frame: Frame, start: float | None = None
) -> int:
    """How many rows :func:`_legend` takes for ``entries`` from ``start`` (the plot's left
    edge unless given)."""
    first = frame.left if start is None else start
    rows, x = 1, first
    size = frame.font * 0.8
    for shape, _, label in entries:
        width = size + 5 + frame.font * 0.55 * len(label) + frame.font * 0.8
        width += size * 0.6 if shape in ("line", "dash") else 0
        if x > first and x + width > frame.right:
            rows, x = rows + 1, first
        x += width
    return rows


def _svg(
    body: Sequence[str],
    frame: Frame,
    height: float,
    title: str,
    summary: str,
    css: str = "chart",
    role: str = "img",
) -> str:
    """``role``: ``img`` for a picture read as one; ``figure`` where it holds links (a
    link inside an image would be hidden from a screen reader)."""
    css = f"{css} phone" if frame.phone else css
    return (
        f'<svg class="{css}" viewBox="0 0 {frame.width} {height:.0f}" role="{role}" '
        f'aria-label="{escape(summary)}" font-size="{frame.font:g}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>{''.join(body)}</svg>"
    )


def _fit(draw: Callable[[Frame], str], responsive: bool) -> str:
    """The wide drawing; with ``responsive``, the phone's too, in one box for
    ``static/charts.css`` to pick from."""
    if not responsive:
        return draw(WIDE)
    return f'<div class="chart-fit">{draw(WIDE)}{draw(PHONE)}</div>'


def _y_axis(
    ticks: Sequence[float],
    y: Callable[[float], float],
    frame: Frame,
    signed: bool = False,
) -> list[str]:
    """Gridlines at ``ticks`` with their values to the left; the zero line darker."""
    parts = []
    for tick in ticks:
        colour = AXIS if tick == 0 else GRID
        parts.append(_hline(frame.left, frame.right, y(tick), colour))
        parts.append(
            _text(
                frame.left - 5,
                y(tick) + frame.font * 0.35,
                number(tick, signed),
                frame,
                anchor="end",
            )
        )
    return parts


# --- given and received per month ------------------------------------------------------------


def flows_chart(flows: Sequence[MonthFlow], *, responsive: bool = False) -> str:
    """Benefit I gave against benefit I received, month by month, as paired bars in points
    of benefit; the month to date (:attr:`MonthFlow.through`) as hollow dashed bars labelled
    "to date", so that a month still under way never reads as a fall."""
    if not flows:
        return ""
    return _fit(lambda frame: _flows(flows, frame), responsive)


def _flows_summary(flows: Sequence[MonthFlow]) -> str:
    first, last = flows[0], flows[-1]
    given = sum(f.given for f in flows)
    received = sum(f.received for f in flows)
    text = (
        f"Benefit given and received per month, {first.month.strftime('%b %Y')} to "
        f"{last.month.strftime('%b %Y')}, in {UNIT}: given {number(given)} and received "
        f"{number(received)} in all."
    )
    if last.through is not None:
        text += (
            f" {last.month.strftime('%B')} so far (to {_long(last.through)}): given "
            f"{number(last.given)}, received {number(last.received)}."
        )
    return text


def _flows(flows: Sequence[MonthFlow], frame: Frame) -> str:
    partial = flows[-1].through is not None
    entries = [("box", GIVEN, "given"), ("box", RECEIVED, "received")]
    if partial:
        entries.append(("hollow", MUTED, "this month so far"))
    rows = _legend_rows(entries, frame)
    line = frame.font * 1.5
    top = line * (rows + 1) + frame.font * 0.8
    plot = 150 if frame.phone else 170
    bottom = top + plot
    height = bottom + line * (2.6 if partial else 1.8)
    ticks = nice_ticks(0.0, max([f.given for f in flows] + [f.received for f in flows] + [1.0]))
    high = ticks[-1]

    def y(value: float) -> float:
        return bottom - value / high * plot

    body = [
        _legend(entries, frame.left, line, frame),
        _text(frame.left - frame.font * 2.8, top - frame.font * 0.9, f"{UNIT} a month", frame),
        *_y_axis(ticks, y, frame),
    ]
    slot = (frame.right - frame.left) / len(flows)
    bar = slot * 0.36
    labels = month_labels([f.month for f in flows], frame.months_shown)
    for index, (flow, label) in enumerate(zip(flows, labels, strict=True)):
        centre = frame.left + slot * (index + 0.5)
        month = flow.month.strftime("%b %Y")
        if flow.through is not None:
            month += f" to date (1 to {_long(flow.through)})"
        for offset, colour, value, times, what in (
            (-bar, GIVEN, flow.given, flow.times_given, "given"),
            (0.0, RECEIVED, flow.received, flow.times_received, "received"),
        ):
            x = centre + offset
            tip = f"{month}: {what} {number(value)} {UNIT} in {times} exchange"
            tip += "" if times == 1 else "s"
            if flow.through is None:
                paint = f'fill="{colour}"'
                height_of = max(value / high * plot, 0.0)
                body.append(
                    f'<rect class="ch-bar ch-{what}" x="{x:.1f}" y="{y(value):.1f}" '
                    f'width="{bar:.1f}" height="{height_of:.1f}" {paint}>'
                    f"<title>{escape(tip)}</title></rect>"
                )
            else:
                height_of = max(value / high * plot, 1.0)
                body.append(
                    f'<rect class="ch-bar ch-{what} ch-to-date" x="{x + 0.75:.1f}" '
                    f'y="{bottom - height_of:.1f}" width="{bar - 1.5:.1f}" '
                    f'height="{height_of:.1f}" fill="#ffffff" stroke="{colour}" '
                    f'stroke-width="1.5" stroke-dasharray="4 3"><title>{escape(tip)}</title>'
                    "</rect>"
                )
        if label is not None:
            body.append(_text(centre, bottom + frame.font * 1.3, label, frame, anchor="middle"))
        if flow.through is not None:
            body.append(
                _text(
                    centre,
                    bottom + frame.font * 2.5,
                    "to date",
                    frame,
                    anchor="middle",
                    fill=INK,
                    css="ch-axis ch-to-date",
                )
            )
    return _svg(
        body,
        frame,
        height,
        "Benefit given and received per month",
        _flows_summary(flows),
    )


# --- one relationship's balance and nets over time ---------------------------------------------


def balance_chart(
    points: Sequence[RelationshipBalance], name: str, *, responsive: bool = False
) -> str:
    """Top: the balance (−1 they give everything, +1 I do) at each month's end, with the
    tolerance band labelled "balanced" and today's value written out; bottom: each side's
    net benefit (decayed points)."""
    if not points:
        return ""
    return _fit(lambda frame: _balance(points, name, frame), responsive)


def _short(name: str, limit: int = 26) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _balance_summary(points: Sequence[RelationshipBalance], name: str) -> str:
    last = points[-1]
    tolerance = last.settings.tolerance
    text = (
        f"Balance with {name} at the end of each month, {points[0].as_of.strftime('%b %Y')} "
        f"to today, from −1 ({name} gives everything) to +1 (you give everything); "
        f"within ±{number(tolerance)} is balanced."
    )
    if last.balance is not None:
        text += f" Today: {number(last.balance, signed=True)}."
    text += (
        f" Net benefit today ({UNIT}, decayed): you {number(last.my_net, signed=True)}, "
        f"{name} {number(last.their_net, signed=True)}."
    )
    return text


def _balance(points: Sequence[RelationshipBalance], name: str, frame: Frame) -> str:
    tolerance = points[-1].settings.tolerance
    line = frame.font * 1.5
    short = _short(name, 14 if frame.phone else 26)
    count = len(points)
    span = frame.right - frame.left

    pad = frame.font * 2.2  # room for the first and last month's label

    def x(index: int) -> float:
        return frame.left + pad + (span - 2 * pad) * (index / max(count - 1, 1))

    labels = month_labels([p.as_of for p in points], frame.months_shown)
    labels[-1] = "today"
    if count > 1 and labels[-2] is not None and frame.phone:
        labels[-2] = None

    # top panel: the balance
    top = line * 2 + frame.font * 1.3
    plot = 130 if frame.phone else 120
    bottom = top + plot

    def y(value: float) -> float:
        return bottom - (value + 1) / 2 * plot

    body = [
        _text(frame.left - frame.font * 2.8, line, "Balance", frame, fill=INK, bold=True),
        _legend(
            [("band", BAND, f"balanced (±{number(tolerance)})")],
            frame.left - frame.font * 2.8 + frame.font * 5.2,
            line,
            frame,
        ),
        _text(
            frame.left - frame.font * 2.8,
            line * 2 - frame.font * 0.2,
            f"+ you give more · − {short} gives more",
            frame,
        ),
        f'<rect class="ch-band" x="{frame.left:.1f}" y="{y(tolerance):.1f}" '
        f'width="{span:.1f}" height="{y(-tolerance) - y(tolerance):.1f}" fill="{BAND}">'
        f"<title>balanced: within ±{escape(number(tolerance))}</title></rect>",
        *_y_axis([-1.0, -0.5, 0.0, 0.5, 1.0], y, frame, signed=True),
    ]
    known = [(i, p.balance) for i, p in enumerate(points) if p.balance is not None]
    if known:
        coords = [(x(i), y(value)) for i, value in known]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        body.append(
            f'<polyline class="ch-line ch-balance" points="{path}" fill="none" stroke="{INK}" '
            'stroke-width="2"/>'
        )
        for (cx, cy), (i, value) in zip(coords, known, strict=True):
            when = "today" if i == count - 1 else _long(points[i].as_of)
            body.append(
                f'<circle class="ch-dot ch-balance" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" '
                f'fill="{INK}"><title>{escape(when)}: {number(value, signed=True)}</title>'
                "</circle>"
            )
        last_index, last_value = known[-1]
        if last_index == count - 1:
            cx, cy = coords[-1]
            body.append(
                _text(
                    cx - 6,
                    cy - 7 if last_value < 0.6 else cy + frame.font + 4,
                    f"{number(last_value, signed=True)} today",
                    frame,
                    anchor="end",
                    fill=INK,
                    bold=True,
                    css="ch-value",
                )
            )
    else:
        body.append(
            _text(frame.left + 4, y(0.6), "no exchanges yet: no balance", frame, css="ch-note")
        )

    # bottom panel: each side's net benefit
    entries = [("line", RECEIVED, "your net"), ("line", GIVEN, f"{short}'s net")]
    rows = _legend_rows(entries, frame)
    top2 = bottom + line * 2.2
    body.append(
        _text(
            frame.left - frame.font * 2.8,
            top2,
            f"Net benefit ({UNIT}, decayed)",
            frame,
            fill=INK,
            bold=True,
        )
    )
    body.append(_legend(entries, frame.left, top2 + line, frame))
    top2 += line * (rows + 0.8)
    plot2 = 110 if frame.phone else 120
    bottom2 = top2 + plot2
    nets = [p.my_net for p in points] + [p.their_net for p in points]
    ticks = nice_ticks(min(nets), max(nets), 3)
    low, high = ticks[0], ticks[-1]

    def y2(value: float) -> float:
        return bottom2 - (value - low) / ((high - low) or 1.0) * plot2

    body += _y_axis(ticks, y2, frame, signed=True)
    for css, colour, values, who in (
        ("mine", RECEIVED, [p.my_net for p in points], "you"),
        ("theirs", GIVEN, [p.their_net for p in points], name),
    ):
        coords = [(x(i), y2(v)) for i, v in enumerate(values)]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        body.append(
            f'<polyline class="ch-line ch-{css}" points="{path}" fill="none" stroke="{colour}" '
            'stroke-width="2"/>'
        )
        for i, ((cx, cy), value) in enumerate(zip(coords, values, strict=True)):
            when = "today" if i == count - 1 else _long(points[i].as_of)
            body.append(
                f'<circle class="ch-dot ch-{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="3" '
                f'fill="{colour}"><title>{escape(when)}: {escape(who)} '
                f"{number(value, signed=True)}</title></circle>"
            )
    for index, label in enumerate(labels):
        if label is not None:
            body.append(
                _text(
                    x(index),
                    bottom2 + frame.font * 1.3,
                    label,
                    frame,
                    anchor="middle",
                )
            )
    return _svg(
        body,
        frame,
        bottom2 + line * 1.6,
        f"Balance with {name} and each side's net benefit over time",
        _balance_summary(points, name),
    )


# --- the network: given against received, person by person -----------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """One relationship on the network picture."""

    id: int
    name: str
    status: str
    given: float
    """Benefit I gave them (decayed points)."""
    received: float
    """Benefit they gave me (decayed points)."""
    exchanges: int
    """How many exchanges (the dot's size)."""


_INTRO_CLASS = {"made": "made", "declined": "closed", "withdrawn": "closed"}
"""An introduction's line: made, closed without being made, or (any other state) open."""
_INTRO_LEGEND = {
    "made": "introduced",
    "open": "introduction in progress",
    "closed": "declined or withdrawn",
}

GRAPH_WIDE = Frame(600, 12, 0)
GRAPH_PHONE = Frame(360, 13, 0, phone=True)


def network_graph(
    nodes: Sequence[Node],
    introductions: Sequence[tuple[int, int, str]] = (),
    *,
    tolerance: float = 0.25,
    you: tuple[float, float] | None = None,
    responsive: bool = False,
) -> str:
    """Each relationship as a dot: benefit I gave them (across) against benefit they gave
    me (up), in decayed points on square-root axes (so that the many small ties stay apart
    while a straight line through zero stays straight); the diagonal where both are even
    and the balanced band around it; colour: the status; size: how many exchanges. ``you``
    (what I gave and received in an average relationship) is marked; each introduction is
    a dashed line between the two people introduced, drawn over the dots. The largest are
    labelled where the label has room; every dot names its person on hover."""
    if not nodes:
        return ""
    if not responsive:
        return _network(nodes, introductions, tolerance, you, GRAPH_WIDE)
    return (
        '<div class="chart-fit">'
        + _network(nodes, introductions, tolerance, you, GRAPH_WIDE)
        + _network(nodes, introductions, tolerance, you, GRAPH_PHONE)
        + "</div>"
    )


def sqrt_ticks(high: float, room: float, spacing: float) -> list[float]:
    """Round values from 0 to at least ``high`` on a square-root axis ``room`` long, kept
    at least ``spacing`` apart."""
    candidates = [0.0]
    for power in range(-1, max(1, math.ceil(math.log10(max(high, 1.0)))) + 1):
        for m in (1, 2, 3, 5):
            candidates.append(round(m * 10.0**power, 10))
    top = next(c for c in candidates if c >= high)
    ticks: list[float] = []
    for value in candidates:
        if value > top:
            break
        at = math.sqrt(value / top) * room
        if not ticks or at - math.sqrt(ticks[-1] / top) * room >= spacing:
            ticks.append(value)
    if ticks[-1] != top:
        ticks[-1] = top
    return ticks


def _network(
    nodes: Sequence[Node],
    introductions: Sequence[tuple[int, int, str]],
    tolerance: float,
    you: tuple[float, float] | None,
    frame: Frame,
) -> str:
    font = frame.font
    line = font * 1.5
    statuses = [s for s in STATUS_COLOURS if any(n.status == s for n in nodes)]
    status_entries = [("box", STATUS_COLOURS[s], s) for s in statuses]
    names = {n.id: n for n in nodes}
    drawn = [(a, b, state) for a, b, state in introductions if a in names and b in names]
    kinds = [
        k
        for k in ("made", "open", "closed")
        if any(_INTRO_CLASS.get(state, "open") == k for _, _, state in drawn)
    ]
    intro_entries = [("dash", INTRO_COLOURS[k], _INTRO_LEGEND[k]) for k in kinds]
    entries = [*status_entries, *intro_entries]
    if you is not None:
        entries.append(("you", INK, "you, in an average relationship"))
    rows = _legend_rows(entries, frame, font * 0.4)
    left = font * 3.2
    top = line * (rows + 0.6) + font * 1.6
    side = frame.width - left - font * 1.5
    bottom = top + side
    height = bottom + line * 2.2
    high = max([n.given for n in nodes] + [n.received for n in nodes] + [1.0])
    if you is not None:
        high = max(high, *you)
    ticks = sqrt_ticks(high, side, font * 2.2)
    top_value = ticks[-1]

    def px(value: float) -> float:
        return left + math.sqrt(max(value, 0.0) / top_value) * side

    def py(value: float) -> float:
        return bottom - math.sqrt(max(value, 0.0) / top_value) * side

    body = [_legend(entries, font * 0.4, line, frame)]
    # the balanced band: |G − R| ≤ t (G + R), a wedge around the diagonal; straight lines
    # through zero stay straight on square-root axes
    low_slope, high_slope = (1 - tolerance) / (1 + tolerance), (1 + tolerance) / (1 - tolerance)
    corner = [(px(0), py(0))]
    for slope in (low_slope, high_slope):
        if slope <= 1:
            corner.append((px(top_value), py(top_value * slope)))
        else:
            corner.append((px(top_value / slope), py(top_value)))
    corner.insert(2, (px(top_value), py(top_value)))
    wedge = " ".join(f"{a:.1f},{b:.1f}" for a, b in corner)
    body.append(
        f'<polygon class="ch-band" points="{wedge}" fill="{BAND}"><title>balanced: (gave − '
        f"received) ÷ (gave + received) within ±{escape(number(tolerance))}</title></polygon>"
    )
    # the grid and both axes, in the same units so that the diagonal is "even"
    for tick in ticks:
        colour = AXIS if tick == 0 else GRID
        body.append(
            f'<line class="ch-grid" x1="{px(tick):.1f}" y1="{top:.1f}" x2="{px(tick):.1f}" '
            f'y2="{bottom:.1f}" stroke="{colour}" stroke-width="1"/>'
        )
        body.append(_hline(left, left + side, py(tick), colour))
        body.append(_text(px(tick), bottom + font * 1.25, number(tick), frame, anchor="middle"))
        body.append(_text(left - 5, py(tick) + font * 0.35, number(tick), frame, anchor="end"))
    body.append(
        _text(
            left + side,
            bottom + font * 2.6,
            f"you gave them ({UNIT}, decayed) →",
            frame,
            anchor="end",
            fill=INK,
        )
    )
    body.append(_text(left - font * 2.8, top - font * 0.7, "↑ they gave you", frame, fill=INK))
    body.append(
        f'<line class="ch-even" x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(top_value):.1f}" '
        f'y2="{py(top_value):.1f}" stroke="{BAND_EDGE}" stroke-width="1.5" '
        'stroke-dasharray="2 3"/>'
    )
    along = 0.93 if frame.phone else 0.96
    body.append(
        f'<text class="ch-band-label" x="{px(top_value * along):.1f}" '
        f'y="{py(top_value * along) - 6:.1f}" text-anchor="end" font-size="{font:g}" '
        f'fill="{BAND_EDGE}">even · balanced band</text>'
    )
    body.append(
        _text(
            left + side - 4,
            bottom - font * 0.8,
            "you give more",
            frame,
            anchor="end",
            css="ch-region",
        )
    )
    body.append(_text(left + 6, top + font * 1.2, "they give more", frame, css="ch-region"))

    # the dots, biggest first so that small ones stay visible on top
    most = max([n.exchanges for n in nodes] + [1])
    smallest, largest = (3.5, 11.0) if frame.phone else (4.0, 13.0)

    def radius(node: Node) -> float:
        return smallest + (largest - smallest) * math.sqrt(node.exchanges / most)

    at = {n.id: (px(n.given), py(n.received)) for n in nodes}
    for node in sorted(nodes, key=lambda n: -n.exchanges):
        cx, cy = at[node.id]
        colour = STATUS_COLOURS.get(node.status, MUTED)
        tip = (
            f"{node.name}: {node.status}; you gave {number(node.given)}, received "
            f"{number(node.received)} (decayed) over {node.exchanges} exchange"
            + ("" if node.exchanges == 1 else "s")
        )
        body.append(
            f'<a href="/people/{int(node.id)}" aria-label="{escape(tip)}">'
            '<circle class="ch-person ch-'
            f'{escape(node.status.replace(" ", "-"))}" cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{radius(node):.1f}" fill="{colour}" fill-opacity="0.85" stroke="#ffffff" '
            f'stroke-width="1.5"><title>{escape(tip)}</title></circle></a>'
        )
    if you is not None:
        cx, cy = px(you[0]), py(you[1])
        r = font * 0.6
        body.append(
            f'<g class="ch-you"><rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" '
            f'height="{2 * r:.1f}" transform="rotate(45 {cx:.1f} {cy:.1f})" fill="#ffffff" '
            f'stroke="{INK}" stroke-width="2.5"><title>You, in an average relationship: gave '
            f"{escape(number(you[0]))}, received {escape(number(you[1]))} (decayed)</title>"
            "</rect></g>"
        )
    # introductions on top: a line between the two people introduced
    for a, b, state in drawn:
        (x1, y1), (x2, y2) = at[a], at[b]
        kind = _INTRO_CLASS.get(state, "open")
        body.append(
            f'<line class="ch-intro ch-{kind}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
            f'y2="{y2:.1f}" stroke="{INTRO_COLOURS[kind]}" stroke-width="2.5" '
            f'stroke-dasharray="7 4" stroke-linecap="round"><title>Introducing '
            f"{escape(names[a].name)} and {escape(names[b].name)}: {escape(state)}</title>"
            "</line>"
        )
    # labels where they fit, the most active first; "you" always
    taken: list[tuple[float, float, float, float]] = [
        (x - radius(n), y - radius(n), x + radius(n), y + radius(n))
        for n in nodes
        for x, y in [at[n.id]]
    ]
    bounds = (left, top, left + side + font, bottom)
    if you is not None:
        cx, cy = px(you[0]), py(you[1])
        box = _place("you", cx, cy, font * 0.9, font, taken, bounds, bold=True)
        if box is not None:
            body.append(box)
    budget = 6 if frame.phone else 16
    for node in sorted(nodes, key=lambda n: (-n.exchanges, n.name)):
        if budget == 0:
            break
        cx, cy = at[node.id]
        label = _short(node.name, 16 if frame.phone else 22)
        placed = _place(label, cx, cy, radius(node), font, taken, bounds)
        if placed is not None:
            body.append(placed)
            budget -= 1
    labelled = sum(1 for part in body if 'class="ch-label' in part)
    summary = (
        f"Your relationships by what you gave (across) and received (up), in {UNIT}, "
        f"decayed: {len(nodes)} people, coloured by status ("
        + ", ".join(f"{sum(1 for n in nodes if n.status == s)} {s}" for s in statuses)
        + f"); {len(drawn)} introduction"
        + ("" if len(drawn) == 1 else "s")
        + f" drawn between the people introduced; {labelled} named, every dot on hover."
    )
    return _svg(
        body,
        frame,
        height,
        "Your relationships: what you gave against what you received",
        summary,
        css="graph",
        role="figure",
    )


def _place(
    text: str,
    cx: float,
    cy: float,
    r: float,
    font: float,
    taken: list[tuple[float, float, float, float]],
    bounds: tuple[float, float, float, float],
    bold: bool = False,
) -> str | None:
    """A label beside a dot where it overlaps no other label or dot and stays inside
    ``bounds``; ``None`` where no side has room (the dot still names its person on
    hover). The box it takes is added to ``taken``."""
    width = font * 0.58 * len(text)
    gap = r + 3
    options = [
        (cx + gap, cy + font * 0.35, "start", cx + gap, cx + gap + width),
        (cx - gap, cy + font * 0.35, "end", cx - gap - width, cx - gap),
        (cx, cy - gap - 2, "middle", cx - width / 2, cx + width / 2),
        (cx, cy + gap + font, "middle", cx - width / 2, cx + width / 2),
    ]
    for x, y, anchor, x1, x2 in options:
        box = (x1, y - font * 0.8, x2, y + font * 0.2)
        if box[0] < bounds[0] or box[2] > bounds[2] or box[1] < bounds[1] - font:
            continue
        if box[3] > bounds[3] + font * 0.2:
            continue
        if any(_overlap(box, other, exclude=(cx, cy, r)) for other in taken):
            continue
        taken.append(box)
        weight = ' font-weight="600"' if bold else ""
        return (
            f'<text class="ch-label" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'font-size="{font:g}" fill="{INK}"{weight}>{escape(text)}</text>'
        )
    return None


def _overlap(
    a: tuple[float, float, float, float],
    b: tuple[float, float, float, float],
    exclude: tuple[float, float, float],
) -> bool:
    cx, cy, r = exclude
    if (b[0], b[1], b[2], b[3]) == (cx - r, cy - r, cx + r, cy + r):
        return False  # the label's own dot
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- the report's bar charts -----------------------------------------------------------------


def balance_bars(rows: Sequence[tuple[str, float]], *, responsive: bool = False) -> str:
    """Each relationship's balance (−1 to +1) as a bar from the middle: right where I give
    more, left where they do; gridlines at the halves."""
    if not rows:
        return ""
    return _fit(lambda frame: _balance_bars(rows, frame), responsive)


def _balance_bars(rows: Sequence[tuple[str, float]], frame: Frame) -> str:
    font, row = frame.font, frame.font * 1.85
    label_width = 130.0 if frame.phone else 190.0
    entries = [("box", GIVEN, "you give more"), ("box", RECEIVED, "they give more")]
    top = font * (1.2 + 1.5 * _legend_rows(entries, frame, label_width))
    height = top + row * len(rows) + font * 2
    half = (frame.width - label_width - font * 1.5) / 2
    middle = label_width + half
    body = [_legend(entries, label_width, font * 1.2, frame)]
    bottom = top + row * len(rows)
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        x = middle + tick * half
        body.append(
            f'<line class="ch-grid" x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" '
            f'y2="{bottom:.1f}" stroke="{AXIS if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(x, bottom + font * 1.3, number(tick, signed=True), frame, anchor="middle")
        )
    bar = row * 0.7
    for index, (name, value) in enumerate(rows):
        y = top + row * index
        width = abs(value) * half
        x = middle if value >= 0 else middle - width
        colour = GIVEN if value >= 0 else RECEIVED
        body.append(
            _text(
                label_width - 8,
                y + bar / 2 + font * 0.35,
                _short(name, 15 if frame.phone else 26),
                frame,
                anchor="end",
                fill=INK,
                css="ch-label",
            )
            + f'<rect class="ch-bar" x="{x:.1f}" y="{y:.1f}" width="{max(width, 1):.1f}" '
            f'height="{bar:.1f}" fill="{colour}"><title>{escape(name)}: '
            f"{number(value, signed=True)}</title></rect>"
        )
    summary = "Balance by relationship, from −1 (they give everything) to +1 (you do): " + (
        "; ".join(f"{name} {number(value, signed=True)}" for name, value in rows)
    )
    return _svg(body, frame, height, "Balance by relationship", summary)


def kinds_chart(rows: Sequence[tuple[str, float, float]], *, responsive: bool = False) -> str:
    """Benefit given and received by kind of value, as paired bars in points of benefit."""
    if not rows:
        return ""
    return _fit(lambda frame: _kinds(rows, frame), responsive)


def _kinds(rows: Sequence[tuple[str, float, float]], frame: Frame) -> str:
    font, row = frame.font, frame.font * 2.2
    label_width = 100.0 if frame.phone else 130.0
    top = font * 3.9
    bottom = top + row * len(rows)
    height = bottom + font * 2
    ticks = nice_ticks(0.0, max([max(g, r) for _, g, r in rows] + [1.0]), 3 if frame.phone else 4)
    high = ticks[-1]
    span = frame.width - label_width - font * 1.5
    body = [
        _legend(
            [("box", GIVEN, "given"), ("box", RECEIVED, "received")], label_width, font * 1.2, frame
        ),
        _text(label_width, font * 2.9, UNIT, frame),
    ]
    for tick in ticks:
        x = label_width + tick / high * span
        body.append(
            f'<line class="ch-grid" x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" '
            f'y2="{bottom:.1f}" stroke="{AXIS if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, bottom + font * 1.3, number(tick), frame, anchor="middle"))
    bar = row * 0.36
    for index, (kind, given, received) in enumerate(rows):
        y = top + row * index
        body.append(
            _text(
                label_width - 8,
                y + bar + font * 0.35,
                kind,
                frame,
                anchor="end",
                fill=INK,
                css="ch-label",
            )
        )
        for offset, colour, what, value in (
            (0.0, GIVEN, "given", given),
            (bar, RECEIVED, "received", received),
        ):
            width = value / high * span
            body.append(
                f'<rect class="ch-bar ch-{what}" x="{label_width}" y="{y + offset:.1f}" '
                f'width="{max(width, 0.5):.1f}" height="{bar:.1f}" fill="{colour}"><title>'
                f"{escape(kind)}: {what} {number(value)} {UNIT}</title></rect>"
            )
    summary = f"Benefit given and received by kind of value, in {UNIT}: " + "; ".join(
        f"{kind} given {number(g)}, received {number(r)}" for kind, g, r in rows
    )
    return _svg(body, frame, height, "Benefit given and received by kind of value", summary)
