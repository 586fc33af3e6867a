"""The charts as SVG: units, gridlines at round values, months with their year, the month to
date marked as such, the balanced band with its values, the network picture (given against
received, introductions between the two people introduced, one colour per status), text
legible on a phone, labels escaped, and an accessible summary."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.trends import MonthFlow, month_to_date, months_back
from mutuality.core.value import RelationshipBalance, ValueSettings
from mutuality.formats.charts import (
    STATUS_COLOURS,
    Node,
    balance_bars,
    balance_chart,
    flows_chart,
    kinds_chart,
    month_labels,
    network_graph,
    nice_ticks,
    sqrt_ticks,
)
from mutuality.services.app import Mutuality

NS = "{http://www.w3.org/2000/svg}"
PHONE_SCREEN = 330
"""About how wide a chart is drawn on a 390 px phone (the card's inner width)."""


def parse(svg: str) -> ET.Element:
    """The SVG as a tree (it must be well-formed XML, escaped labels included)."""
    return ET.fromstring(svg)


def drawings(html: str) -> tuple[ET.Element, ET.Element]:
    """The wide and the phone drawing of a responsive chart."""
    box = ET.fromstring(html)
    assert box.tag == "div" and box.get("class") == "chart-fit"
    wide, phone = list(box)
    assert "phone" not in (wide.get("class") or "").split()
    assert "phone" in (phone.get("class") or "").split()
    return wide, phone


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{NS}text")]


def flows(today: date, months: int = 14, partial: bool = True) -> list[MonthFlow]:
    starts = months_back(today, months)
    result = [
        MonthFlow(start, 10.0 + index, 20.0 - index / 2, 3, 4) for index, start in enumerate(starts)
    ]
    last = result[-1]
    result[-1] = MonthFlow(
        last.month, 1.0, 0.5, 1, 1, month_to_date(last.month, today) if partial else None
    )
    return result


def test_ticks_are_round_values_covering_the_figures() -> None:
    assert nice_ticks(0, 74) == [0, 20, 40, 60, 80]
    assert nice_ticks(0, 9.3) == [0, 2.5, 5, 7.5, 10]
    assert nice_ticks(-3.2, 11, 3) == [-5, 0, 5, 10, 15]
    assert nice_ticks(0, 0) == [0, 0.25, 0.5, 0.75, 1]
    assert sqrt_ticks(12_345_678, 400, 26)[-1] == 20_000_000  # any size of ledger
    assert sqrt_ticks(0.05, 400, 26) == [0, 0.1]
    ticks = sqrt_ticks(27, 400, 26)
    assert ticks[0] == 0 and ticks[-1] >= 27 and ticks == sorted(ticks)
    assert ticks[-1] == 30 and all(
        t in (0, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30) for t in ticks
    )


def test_month_labels_carry_the_year_where_it_changes() -> None:
    months = months_back(date(2026, 3, 9), 6)  # Oct 2025 .. Mar 2026
    assert month_labels(months, 12) == ["Oct 2025", "Nov", "Dec", "Jan 2026", "Feb", "Mar"]
    thinned = month_labels(months, 3)
    assert thinned[-1] is not None and sum(label is not None for label in thinned) == 3
    shown = [label for label in thinned if label]
    assert shown[0].endswith("2025") and "2026" in " ".join(shown)


def test_the_month_to_date_is_only_a_month_not_yet_over() -> None:
    assert month_to_date(date(2026, 12, 1), date(2026, 12, 6)) == date(2026, 12, 6)
    assert month_to_date(date(2026, 11, 1), date(2026, 11, 30)) is None  # its last day
    assert month_to_date(date(2026, 11, 1), date(2026, 12, 6)) is None  # over
    assert month_to_date(date(2024, 2, 1), date(2024, 2, 28)) == date(2024, 2, 28)  # leap


def test_flows_chart_has_a_unit_gridlines_years_and_the_month_to_date() -> None:
    svg = parse(flows_chart(flows(date(2026, 12, 6))))
    assert svg.get("role") == "img"
    label = svg.get("aria-label") or ""
    assert "points of benefit" in label and "Dec 2026" in label and "so far (to 6 Dec" in label
    assert svg.find(f"{NS}title") is not None and svg.find(f"{NS}desc") is not None
    words = texts(svg)
    assert "points of benefit a month" in words
    grid = [e for e in svg.iter(f"{NS}line") if e.get("class") == "ch-grid"]
    assert len(grid) >= 4
    assert {"0", "10", "20"} <= set(words)  # round tick values beside the gridlines
    # 14 months, 12 labels at most: every other month, the year on the first and where it
    # changed since the previous label
    assert "Dec 2025" in words and "Feb 2026" in words and "Apr" in words
    assert "to date" in words and "this month so far" in words
    to_date = [e for e in svg.iter(f"{NS}rect") if "ch-to-date" in (e.get("class") or "")]
    assert len(to_date) == 2  # given and received, hollow and dashed
    assert all(e.get("fill") == "#ffffff" and e.get("stroke-dasharray") for e in to_date)
    tips = " ".join("".join(e.itertext()) for e in to_date)
    assert "Dec 2026 to date (1 to 6 Dec 2026)" in tips


def test_a_whole_month_is_not_marked_to_date() -> None:
    svg = parse(flows_chart(flows(date(2026, 11, 30), partial=False)))
    assert "to date" not in texts(svg) and "this month so far" not in texts(svg)
    assert not [e for e in svg.iter(f"{NS}rect") if "ch-to-date" in (e.get("class") or "")]


def test_the_service_marks_this_month_as_to_date(populated: Mutuality) -> None:
    shown = populated.trends.flows_by_month(3)
    assert [f.month for f in shown] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert [f.through for f in shown] == [None, None, date(2026, 11, 23)]
    assert shown[-1].given == 3.0  # Bo, helped him move on the 20th


def balances(tolerance: float = 0.25) -> list[RelationshipBalance]:
    settings = ValueSettings(tolerance=tolerance)
    days = [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 9)]
    return [
        RelationshipBalance(1, 2, day, settings, given=g, received=r, my_cost=1, their_cost=1)
        for day, g, r in zip(days, (0, 4, 6, 6), (0, 2, 2, 8), strict=True)
    ]


def test_balance_chart_has_values_a_labelled_band_and_today() -> None:
    wide, phone = drawings(balance_chart(balances(0.2), "Ana <Lima>", responsive=True))
    for svg in (wide, phone):
        words = texts(svg)
        assert {"+1", "+0.5", "0", "−0.5", "−1"} <= set(words)
        assert "balanced (±0.2)" in words
        assert "today" in words and any(w.endswith(" today") and w[0] in "+−0" for w in words)
        band = [e for e in svg.iter(f"{NS}rect") if e.get("class") == "ch-band"]
        assert len(band) == 1
        assert any("decayed" in w and "points of benefit" in w for w in words)
        assert "Ana <Lima>" in (svg.get("aria-label") or "")
    assert "Dec 2025" in texts(wide) and "Jan 2026" in texts(wide)


def nodes() -> list[Node]:
    return [
        Node(1, "Ana Lima", "thriving", 12.0, 11.0, 20),
        Node(2, "Bo <b>Chen</b> & co", "over-giving", 9.0, 1.0, 8),
        Node(3, "Dana Smith", "fading", 0.5, 3.0, 2),
        Node(4, "José Álvarez", "overdue", 2.0, 2.5, 3),
        Node(5, "Eve Stone", "new", 1.0, 0.0, 1),
        Node(6, "Fay Wu", "over-receiving", 1.0, 6.0, 5),
    ]


def people(svg: ET.Element) -> dict[int, ET.Element]:
    """Each person's dot by their id (from the link around it)."""
    found = {}
    for link in svg.iter(f"{NS}a"):
        circle = link.find(f"{NS}circle")
        if circle is not None:
            found[int((link.get("href") or "").rsplit("/", 1)[1])] = circle
    return found


def test_network_picture_draws_introductions_between_the_two_people_on_top() -> None:
    intros = [(1, 3, "made"), (2, 4, "asking"), (5, 6, "declined")]
    wide, phone = drawings(network_graph(nodes(), intros, responsive=True))
    for svg in (wide, phone):
        # a figure, not an image: its dots are links, each named for a screen reader
        assert svg.get("role") == "figure" and svg.get("aria-label")
        links = list(svg.iter(f"{NS}a"))
        assert all(
            (a.get("aria-label") or "").startswith(
                ("Ana Lima:", "Bo", "Dana", "José", "Eve", "Fay")
            )
            for a in links
        )
        dots = people(svg)
        assert set(dots) == {1, 2, 3, 4, 5, 6}
        lines = [e for e in svg.iter(f"{NS}line") if "ch-intro" in (e.get("class") or "")]
        assert [e.get("class") for e in lines] == [
            "ch-intro ch-made",
            "ch-intro ch-open",
            "ch-intro ch-closed",
        ]
        for line, (a, b, _) in zip(lines, intros, strict=True):
            assert (line.get("x1"), line.get("y1")) == (dots[a].get("cx"), dots[a].get("cy"))
            assert (line.get("x2"), line.get("y2")) == (dots[b].get("cx"), dots[b].get("cy"))
        order = list(svg.iter())
        assert min(order.index(line) for line in lines) > max(
            order.index(dot) for dot in dots.values()
        ), "introductions are drawn over the dots"
        words = texts(svg)
        for legend in ("introduced", "introduction in progress", "declined or withdrawn"):
            assert legend in words


def test_network_picture_places_people_by_what_flowed_and_marks_you() -> None:
    svg = parse(network_graph(nodes(), tolerance=0.25, you=(4.0, 5.0)))
    dots = people(svg)
    x = {i: float(d.get("cx") or 0) for i, d in dots.items()}
    y = {i: float(d.get("cy") or 0) for i, d in dots.items()}
    assert x[1] > x[2] > x[4] > x[3]  # given: 12 > 9 > 2 > 0.5 (across)
    assert y[1] < y[6] < y[3] < y[5]  # received: 11 > 6 > 3 > 0 (up)
    r = {i: float(d.get("r") or 0) for i, d in dots.items()}
    assert r[1] > r[2] > r[3]  # sized by exchanges
    band = [e for e in svg.iter(f"{NS}polygon") if e.get("class") == "ch-band"]
    even = [e for e in svg.iter(f"{NS}line") if e.get("class") == "ch-even"]
    assert len(band) == 1 and len(even) == 1
    words = texts(svg)
    assert "you" in words and "you, in an average relationship" in words
    assert any("points of benefit" in w for w in words)
    # no introductions drawn: no legend for them
    assert "introduced" not in words and not svg.findall(f".//{NS}line[@class='ch-intro ch-made']")


def test_status_colours_are_distinct_and_each_dot_wears_its_own() -> None:
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS) == 9
    svg = parse(network_graph(nodes()))
    fills = {n.status: people(svg)[n.id].get("fill") for n in nodes()}
    assert fills == {n.status: STATUS_COLOURS[n.status] for n in nodes()}
    assert len(set(fills.values())) == len(fills)
    words = texts(svg)
    assert "quiet" not in words and "uneven by choice" not in words  # nobody is: no legend


def test_network_labels_do_not_collide_and_are_escaped() -> None:
    crowd = [
        Node(i, f"Person number {i}", "balanced", 3.0 + (i % 3) * 0.1, 3.0, 5 + i)
        for i in range(1, 30)
    ]
    html = network_graph([*crowd, *nodes()], responsive=True)
    assert "<b>" not in html and "Bo &lt;b&gt;Chen&lt;/b&gt; &amp; co" in html
    for svg in drawings(html):
        labels = [e for e in svg.iter(f"{NS}text") if e.get("class") == "ch-label"]
        assert labels, "the busiest people are named"
        boxes = []
        for label in labels:
            size = float(label.get("font-size") or 0)
            width = size * 0.58 * len("".join(label.itertext()))
            x, y = float(label.get("x") or 0), float(label.get("y") or 0)
            anchor = label.get("text-anchor")
            left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
            boxes.append((left, y - size * 0.8, left + width, y + size * 0.2))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        titles = " ".join("".join(t.itertext()) for t in svg.iter(f"{NS}title"))
        assert "Person number 1:" in titles and "Person number 29:" in titles  # on hover


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(lambda: flows_chart(flows(date(2026, 12, 6)), responsive=True), id="flows"),
        pytest.param(lambda: balance_chart(balances(), "Ana", responsive=True), id="balance"),
        pytest.param(lambda: network_graph(nodes(), [(1, 3, "made")], responsive=True), id="net"),
        pytest.param(lambda: balance_bars([("Ana", 0.4)], responsive=True), id="bars"),
        pytest.param(lambda: kinds_chart([("time", 3.0, 1.0)], responsive=True), id="kinds"),
    ],
)
def test_phone_text_stays_legible(html: Any) -> None:
    """Drawn about 330 px wide on a 390 px phone, no text is smaller than 11 px."""
    _, phone = drawings(html())
    width = float((phone.get("viewBox") or "").split()[2])
    for text in phone.iter(f"{NS}text"):
        size = float(text.get("font-size") or phone.get("font-size") or 0)
        assert size * PHONE_SCREEN / width >= 11, "".join(text.itertext())


def test_report_bar_charts_have_units_gridlines_and_escape_names() -> None:
    bars = parse(balance_bars([("Ana <Lima>", 0.5), ("Bo", -0.3)]))
    assert {"+1", "0", "−1"} <= set(texts(bars)) and "Ana <Lima>" in texts(bars)
    kinds = parse(kinds_chart([("knowledge", 12.0, 3.5), ("time", 4.0, 9.0)]))
    assert "points of benefit" in texts(kinds) and {"0", "5", "10"} <= set(texts(kinds))
    for svg in (bars, kinds):
        assert svg.get("role") == "img" and svg.get("aria-label")


def test_no_chart_uses_an_inline_style() -> None:
    html = "".join(
        [
            flows_chart(flows(date(2026, 12, 6)), responsive=True),
            balance_chart(balances(), "Ana", responsive=True),
            network_graph(nodes(), [(1, 3, "made")], you=(1, 1), responsive=True),
            balance_bars([("Ana", 0.5)]),
            kinds_chart([("time", 1.0, 2.0)]),
        ]
    )
    assert not re.search(r"\sstyle=", html) and "<style" not in html and "<script" not in html


# --- on the pages and in the report --------------------------------------------------------------


def picture(html: str) -> tuple[ET.Element, ET.Element]:
    """The two drawings of the one chart on a page."""
    found = re.findall(r'<div class="chart-fit">.*?</svg></div>', html, flags=re.S)
    assert len(found) == 1
    return drawings(found[0])


def test_the_network_page_draws_given_against_received_with_introductions(
    client: Any, populated: Mutuality
) -> None:
    ids = {p.name: p.id for p in populated.people.list()}
    populated.introductions.propose("Ana Lima", "Bo Chen", reason="both build furniture")
    html = client.get("/network").text
    assert "Every person in the picture (3)" in html  # the list under the picture
    for svg in picture(html):
        assert svg.get("class") in ("graph", "graph phone")
        dots = people(svg)
        assert set(dots) == {ids["Ana Lima"], ids["Bo Chen"], ids["José Álvarez"]}
        (line,) = [e for e in svg.iter(f"{NS}line") if e.get("class") == "ch-intro ch-open"]
        ana, bo = dots[ids["Ana Lima"]], dots[ids["Bo Chen"]]
        assert {(line.get("x1"), line.get("y1")), (line.get("x2"), line.get("y2"))} == {
            (ana.get("cx"), ana.get("cy")),
            (bo.get("cx"), bo.get("cy")),
        }
        words = texts(svg)
        assert "you" in words and "introduction in progress" in words
        assert "introduced" not in words  # no introduction was made: no legend for it
    wide, _ = picture(html)
    x = {
        name: float(people(wide)[ids[name]].get("cx") or 0) for name in ids if name != "Dana Smith"
    }
    assert x["Bo Chen"] > x["José Álvarez"]  # I gave Bo 3, José nothing


def test_the_dashboard_and_person_page_draw_for_both_screens(
    client: Any, populated: Mutuality
) -> None:
    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")
    for path in ("/", f"/people/{ana}"):
        html = client.get(path).text
        wide, phone = picture(html)
        assert wide.get("class") == "chart" and phone.get("class") == "chart phone"
        assert '<link rel="stylesheet" href="/static/charts.css">' in html
    dashboard = picture(client.get("/").text)[0]
    assert "to date" in texts(dashboard)  # today is 23 Nov: November is not over
    css = client.get("/static/charts.css")
    assert css.status_code == 200 and ".chart-fit > svg.phone" in css.text


def test_the_report_marks_its_last_month_to_date(populated: Mutuality) -> None:
    from mutuality.reports import ReportFormat, render

    report = populated.reports.quarter()
    assert report.flows[-1].through == date(2026, 11, 23)
    assert all(flow.through is None for flow in report.flows[:-1])
    html = render(report, ReportFormat.HTML, date(2026, 11, 23)).decode()
    assert "to date" in html and "points of benefit a month" in html
    import pypdfium2

    pdf = pypdfium2.PdfDocument(render(report, ReportFormat.PDF, date(2026, 11, 23)))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    # from the previous quarter's first month, with its year, to this one's to date
    for words in ("points of benefit a month", "Jul 2026", "to date", "this month so far"):
        assert words in text, words


def test_the_report_page_draws_its_charts_for_both_screens(client: Any) -> None:
    html = client.get("/report").text
    assert html.count('<div class="chart-fit">') == 3  # by month, by kind, by relationship
    assert html.count('class="chart phone"') == 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40),
            st.sampled_from(list(STATUS_COLOURS)),
            st.floats(0, 1e6),
            st.floats(0, 1e6),
            st.integers(1, 5000),
        ),
        min_size=1,
        max_size=45,
    ),
    st.lists(st.tuples(st.integers(0, 44), st.integers(0, 44)), max_size=10),
)
def test_any_network_draws_well_formed_inside_its_frame(
    rows: list[tuple[str, str, float, float, int]], pairs: list[tuple[int, int]]
) -> None:
    """Any names (control characters are refused before they reach a chart), any figures."""
    shown = [Node(i + 1, *row) for i, row in enumerate(rows)]
    intros = [(a + 1, b + 1, "made") for a, b in pairs if a < len(rows) and b < len(rows)]
    for svg in drawings(
        network_graph(shown, intros, you=(rows[0][2], rows[0][3]), responsive=True)
    ):
        width, height = (float(v) for v in (svg.get("viewBox") or "").split()[2:])
        for dot in people(svg).values():
            assert 0 <= float(dot.get("cx") or -1) <= width
            assert 0 <= float(dot.get("cy") or -1) <= height


def test_the_picture_as_data_gives_each_dot_its_place_and_you(client: Any) -> None:
    graph = client.get("/api/network/graph").json()
    people = {p["name"]: p for p in graph["people"]}
    assert set(people) == {"Ana Lima", "Bo Chen", "José Álvarez"}  # Dana: nothing flowed
    ana = people["Ana Lima"]
    assert ana["exchanges"] == 2 and 0 < ana["given"] < 4 < ana["received"] < 6  # decayed
    assert people["José Álvarez"]["given"] == 0 and people["Bo Chen"]["received"] == 0
    assert graph["you"] == {
        "given": pytest.approx(sum(p["given"] for p in people.values()) / 3),
        "received": pytest.approx(sum(p["received"] for p in people.values()) / 3),
    }


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_charts_and_the_pills_share_one_colour_per_status() -> None:
    from pathlib import Path

    from mutuality.formats.charts import GIVEN, INTRO_COLOURS, RECEIVED
    from mutuality.web.render import STATUS_CLASS, package_dir

    css = (Path(package_dir("static")) / "app.css").read_text(encoding="utf-8")
    for status, colour in STATUS_COLOURS.items():
        found = re.search(rf"--{STATUS_CLASS[status]}:\s*(#[0-9a-fA-F]{{6}})", css)
        assert found and found.group(1).lower() == colour, status
        assert contrast(colour, "#ffffff") >= 4.5, status
    for colour in (GIVEN, RECEIVED, *INTRO_COLOURS.values()):
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert not {GIVEN, RECEIVED} & set(STATUS_COLOURS.values())  # a series is no status
