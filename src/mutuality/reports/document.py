"""The report's words, tables and charts, decided once for every format.

:func:`document` turns a :class:`~mutuality.core.report.Report` into sections of plain
blocks (paragraphs, bullet lists, tables, charts); the HTML, Markdown and PDF renderers
only lay them out, so the three formats cannot say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mutuality.core.report import CheckIns, Compared, Report
from mutuality.core.requests import FollowThrough
from mutuality.core.trends import MonthFlow
from mutuality.core.words import plural


@dataclass(frozen=True, slots=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: frozenset[int] = frozenset()
    """Columns aligned right."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's data; each renderer draws it (SVG for HTML, vector shapes for PDF)."""

    kind: str
    """``flows`` (given and received by month), ``balances``, ``kinds`` or ``counts`` (one
    bar per count, as the community report's asks)."""
    title: str
    flows: list[MonthFlow] = field(default_factory=list)
    bars: list[tuple[str, float]] = field(default_factory=list)
    pairs: list[tuple[str, float, float]] = field(default_factory=list)


Block = str | Bullets | Table | Chart


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: list[Block]


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    sections: list[Section]
    source: str = "figures from your own ledger only"
    """Where the figures come from, said at the end of every format."""


def _n(value: float) -> str:
    return f"{value:.1f}"


def _change(now: float, before: float) -> str:
    return f"{now - before:+.1f}"


def _avg(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _flow_rows(rows: list[Compared]) -> list[tuple[str, ...]]:
    return [
        (
            row.label,
            _n(row.now.given),
            _n(row.before.given),
            _n(row.now.received),
            _n(row.before.received),
            _n(row.now.surplus),
        )
        for row in rows
    ]


CHANGES_SHOWN = 15
"""Relationships listed under each of healthier and weakened (the biggest moves first)."""

FLOW_HEADERS = ("", "given", "given before", "received", "received before", "surplus")


def _exchanged(report: Report) -> Section:
    now, before = report.totals.now, report.totals.before
    lines = [
        f"You gave {_n(now.given)} points of benefit in {plural(now.times_given, 'exchange')} "
        f"({_change(now.given, before.given)} on the previous quarter) and received "
        f"{_n(now.received)} in {now.times_received} ({_change(now.received, before.received)}).",
        f"Surplus created: {_n(now.surplus)} points (benefit to the receivers beyond what the "
        f"givers spent, both ways; previous quarter {_n(before.surplus)}).",
    ]
    return Section(
        "What I gave and received",
        [
            *lines,
            Table(FLOW_HEADERS, _flow_rows([report.totals]), frozenset(range(1, 6))),
            Chart("flows", "Benefit given and received per month", flows=report.flows),
        ],
    )


def _by_kind(report: Report) -> Section:
    if not report.kinds:
        return Section("By kind of value", ["Nothing was logged in either quarter."])
    return Section(
        "By kind of value",
        [
            Table(FLOW_HEADERS, _flow_rows(report.kinds), frozenset(range(1, 6))),
            Chart(
                "kinds",
                "Benefit given and received this quarter by kind",
                pairs=[(k.label, k.now.given, k.now.received) for k in report.kinds],
            ),
        ],
    )


def _by_person(report: Report) -> Section:
    if not report.people:
        return Section("By person", ["No exchange with anyone this quarter."])
    return Section(
        "By person",
        [
            f"The {len(report.people)} people you exchanged most with this quarter.",
            Table(FLOW_HEADERS, _flow_rows(report.people), frozenset(range(1, 6))),
        ],
    )


def _health(report: Report) -> Section:
    counts = Table(
        ("status", f"at {report.previous_as_of}", f"at {report.as_of}"),
        [
            (status.value, str(before), str(after))
            for status, (before, after) in report.status_counts.items()
            if before or after
        ],
        frozenset({1, 2}),
    )
    blocks: list[Block] = [
        f"How many relationships had each health status at the previous quarter's end "
        f"({report.previous_as_of}) and at {report.as_of}.",
        counts,
    ]
    for title, changes in (("Became healthier", report.healthier), ("Weakened", report.weaker)):
        if not changes:
            blocks.append(f"{title}: none.")
            continue
        shown = changes[:CHANGES_SHOWN]
        blocks.append(
            Table(
                (title, "was", "now", "why"),
                [
                    (c.name, c.before.value if c.before else "-", c.after.value, c.reason)
                    for c in shown
                ],
            )
        )
        if len(changes) > len(shown):
            blocks.append(
                f"{title}: {len(changes)} in all, the biggest changes shown; the people "
                "list shows every relationship by status."
            )
    return Section("Relationships that changed", blocks)


def _standings(report: Report) -> Section:
    if not report.standings:
        return Section("Balance by relationship", ["No relationship has a balance yet."])
    return Section(
        "Balance by relationship",
        [
            "The most one-sided relationships at the quarter's end: + where you give more "
            "(benefit weighted by age: an older exchange counts less).",
            Table(
                ("person", "status", "balance", "given", "received"),
                [
                    (
                        s.name,
                        s.status.value,
                        f"{s.balance:+.2f}" if s.balance is not None else "-",
                        _n(s.given),
                        _n(s.received),
                    )
                    for s in report.standings
                ],
                frozenset({2, 3, 4}),
            ),
            Chart(
                "balances",
                "Balance by relationship",
                bars=[(s.name, s.balance or 0.0) for s in report.standings],
            ),
        ],
    )


def _network(report: Report) -> Section:
    net = report.network
    recip = "n/a" if net.reciprocity is None else f"{net.reciprocity:.0%}"
    mutual = "n/a" if net.mutual_share is None else f"{net.mutual_share:.0%}"
    return Section(
        "The network",
        [
            f"{net.people} people, {net.relationships} relationships with an exchange or "
            f"contact. Reciprocity: {recip} of giving links also run the other way. Mutually "
            f"beneficial: {mutual}. You: {net.my_style} ({net.my_giving}). "
            + (
                f"Others at risk of burnout: {plural(net.burnout_risk, 'person', 'people')}, "
                "who give far more than they receive, at a high cost to them (the network "
                "view names them)."
                if net.burnout_risk
                else "Nobody else is at risk of burnout."
            ),
        ],
    )


def _follow(label: str, tally: FollowThrough) -> tuple[str, ...]:
    return (label, str(tally.kept), str(tally.late), str(tally.broken), str(tally.overdue))


def _checkin_row(label: str, figures: CheckIns) -> tuple[str, ...]:
    return (
        label,
        str(figures.count),
        _avg(figures.my_satisfaction),
        _avg(figures.their_satisfaction),
        _avg(figures.my_equity),
        _avg(figures.their_equity),
    )


def _commitments(report: Report) -> Section:
    intros = report.introductions
    made = [
        f"{m.a} and {m.b} ({m.on})" + (f": {m.outcome}" if m.outcome else ": no outcome yet")
        for m in intros.made
    ]
    req = report.requests
    mine, theirs = report.commitments
    now, before = report.checkins
    return Section(
        "Introductions, requests, commitments and check-ins",
        [
            f"Introductions: {intros.proposed} proposed, {len(intros.made)} made "
            f"({intros.with_outcome} with an outcome), {intros.declined} declined.",
            Bullets(made) if made else "No introduction was made this quarter.",
            f"Requests to you: {req.accepted} accepted, {req.declined} declined, "
            f"{req.kept_in_mind} kept in mind, {req.negotiated} negotiated.",
            Table(
                ("commitments", "kept", "kept late", "broken", "open, past due"),
                [_follow("mine", mine), _follow("theirs", theirs)],
                frozenset({1, 2, 3, 4}),
            ),
            Table(
                ("check-ins", "count", "my satisfaction", "theirs", "my equity", "theirs"),
                [_checkin_row("this quarter", now), _checkin_row("previous quarter", before)],
                frozenset({1, 2, 3, 4, 5}),
            ),
        ],
    )


def _capacity(report: Report) -> Section:
    if not report.capacity:
        blocks: list[Block] = [
            "No giving budget is set: set one on the capacity page to be warned before "
            "you give more than you can sustain."
        ]
    else:
        cap = report.capacity[0].capacity
        unit = cap.unit.value if cap else "points"
        blocks = [
            Table(
                ("period", f"used ({unit})", "budget", "state"),
                [
                    (
                        f"{u.start} to {u.end}",
                        _n(u.used),
                        f"{u.capacity.amount:g}" if u.capacity else "-",
                        u.state.value,
                    )
                    for u in report.capacity
                ],
                frozenset({1, 2}),
            )
        ]
    blocks.append(Bullets(report.warnings) if report.warnings else "No burnout warning for you.")
    return Section("Capacity", blocks)


def _playbook(report: Report) -> Section:
    if not report.playbook:
        return Section("Playbook for next quarter", ["Nothing to do: log exchanges first."])
    return Section(
        "Playbook for next quarter",
        [
            Table(
                ("person", "action", "why"),
                [(p.name, p.action, p.reason) for p in report.playbook],
            )
        ],
    )


def document(report: Report) -> Document:
    quarter = report.quarter
    under_way = report.as_of < quarter.end
    subtitle = (
        f"{report.owner}: {quarter.title} against the previous quarter"
        + (f", as of {report.as_of} (the quarter is under way)" if under_way else "")
        + "."
    )
    return Document(
        f"Contribution report {quarter.label}",
        subtitle,
        [
            _exchanged(report),
            _by_kind(report),
            _by_person(report),
            _health(report),
            _standings(report),
            _network(report),
            _commitments(report),
            _capacity(report),
            _playbook(report),
        ],
    )
