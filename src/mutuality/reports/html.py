"""The report as one self-contained HTML file (inline style sheet, inline SVG charts, no
script, nothing fetched), and as the fragment the web page embeds."""

from __future__ import annotations

from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mutuality.formats.charts import balance_bars, flows_chart, kinds_chart
from mutuality.formats.community import asks_chart
from mutuality.reports.document import Chart, Document


def svg(chart: Chart, responsive: bool = False) -> Markup:
    """The chart as inline SVG; every label inside is escaped by :mod:`formats.charts`.
    ``responsive``: drawn for a phone too, for the web page (whose style sheet picks one)."""
    if chart.kind == "flows":
        return Markup(flows_chart(chart.flows, responsive=responsive))
    if chart.kind == "balances":
        return Markup(balance_bars(chart.bars, responsive=responsive))
    if chart.kind == "counts":
        return Markup(asks_chart(chart.bars, responsive=responsive))
    return Markup(kinds_chart(chart.pairs, responsive=responsive))


def _web_svg(chart: Chart) -> Markup:
    return svg(chart, responsive=True)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mutuality.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["svg"] = svg
    return env


def render_html(doc: Document, made_on: date) -> str:
    return _environment().get_template("report.html").render(doc=doc, made_on=made_on)


def render_fragment(doc: Document) -> Markup:
    """The sections alone, for a page that brings its own layout and style sheet."""
    return Markup(_environment().get_template("body.html").render(doc=doc, svg=_web_svg))
