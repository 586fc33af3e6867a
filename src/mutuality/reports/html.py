"""The report as one self-contained HTML file (inline style sheet, inline SVG charts, no
script, nothing fetched), and as the fragment the web page embeds."""

from __future__ import annotations

from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mutuality.formats.charts import balance_bars, flows_chart, kinds_chart
from mutuality.reports.document import Chart, Document


def svg(chart: Chart) -> Markup:
    """The chart as inline SVG; every label inside is escaped by :mod:`formats.charts`."""
    if chart.kind == "flows":
        return Markup(flows_chart(chart.flows))
    if chart.kind == "balances":
        return Markup(balance_bars(chart.bars))
    return Markup(kinds_chart(chart.pairs))


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
    return Markup(_environment().get_template("body.html").render(doc=doc))
