"""The portfolio written out: one self-contained HTML page, Markdown and JSON.

Renders only a :class:`~mutuality.core.portfolio.Portfolio`, which holds public words
alone. Every text is escaped for its format (HTML, Markdown), the page has no script and
loads nothing from anywhere (inline CSS only), so it can be mailed or hosted as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from mutuality.core.portfolio import (
    FORMAT_NAME,
    FORMAT_VERSION,
    Portfolio,
    SharedHelp,
    SharedIntroduction,
)

FILES = ("index.html", "portfolio.md", "portfolio.json")
"""What a portfolio folder holds (and all it may hold, for it to be replaced)."""

_EMPTY = "Nothing shared yet."


def render_all(portfolio: Portfolio) -> dict[str, str]:
    """Each file's name and text."""
    return {
        "index.html": to_html(portfolio),
        "portfolio.md": to_markdown(portfolio),
        "portfolio.json": to_json(portfolio),
    }


def _title(portfolio: Portfolio) -> str:
    if portfolio.owner is None:
        return "Collaborative outcomes"
    return f"{portfolio.owner}: collaborative outcomes"


# --- JSON ----------------------------------------------------------------------------------------


def to_json(portfolio: Portfolio) -> str:
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "owner": portfolio.owner,
        "made_on": portfolio.made_on.isoformat(),
        "introductions": [
            {"on": i.on.isoformat(), "a": i.a, "b": i.b, "text": i.text, "outcome": i.outcome}
            for i in portfolio.introductions
        ],
        "given": [_help_json(h, "to") for h in portfolio.given],
        "received": [_help_json(h, "from") for h in portfolio.received],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _help_json(help_: SharedHelp, side: str) -> dict[str, Any]:
    return {
        "on": help_.on.isoformat(),
        side: help_.person,
        "kind": help_.kind,
        "text": help_.text,
        "outcome": help_.outcome,
    }


# --- Markdown ------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")


def md(text: str) -> str:
    """Text as Markdown shows it literally: one line, punctuation that means markup escaped
    (so ``<script>`` or ``[x](y)`` in a description stays text)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(portfolio: Portfolio) -> str:
    lines = [f"# {md(_title(portfolio))}", "", f"As of {portfolio.made_on.isoformat()}.", ""]
    for heading, items in sections(portfolio):
        lines += [f"## {heading}", ""]
        lines += [f"- {md(_line(item))}" for item in items] or [_EMPTY]
        lines.append("")
    return "\n".join(lines)


def _line(item: Item) -> str:
    return f"{item.on}: {item.words}" + (f" Outcome: {item.outcome}" if item.outcome else "")


# --- HTML ----------------------------------------------------------------------------------------

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto;
       padding: 0 1rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
ul { padding-left: 1.2rem; }
li { margin: 0.5rem 0; }
.when { color: #59636e; font-variant-numeric: tabular-nums; }
.outcome { display: block; color: #1a7f37; }
.meta, .empty { color: #59636e; }
"""


def to_html(portfolio: Portfolio) -> str:
    title = escape(_title(portfolio))
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        f'<p class="meta">As of {portfolio.made_on.isoformat()}.</p>',
    ]
    for heading, items in sections(portfolio):
        parts.append(f"<h2>{escape(heading)}</h2>")
        if not items:
            parts.append(f'<p class="empty">{_EMPTY}</p>')
            continue
        parts.append("<ul>")
        parts += [f"<li>{_html_item(item)}</li>" for item in items]
        parts.append("</ul>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_item(item: Item) -> str:
    shown = f'<span class="when">{escape(item.on)}</span> {escape(item.words)}'
    if item.outcome:
        shown += f'<span class="outcome">Outcome: {escape(item.outcome)}</span>'
    return shown


# --- shared words --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the portfolio, the same words in every format (and on the web page)."""

    on: str
    words: str
    outcome: str | None


def sections(portfolio: Portfolio) -> list[tuple[str, list[Item]]]:
    """Each heading with its items, newest first."""
    entries: list[tuple[str, tuple[SharedIntroduction, ...] | tuple[SharedHelp, ...]]] = [
        ("Introductions that led somewhere", portfolio.introductions),
        ("Help given", portfolio.given),
        ("Help received, with thanks", portfolio.received),
    ]
    return [
        (heading, [Item(e.on.isoformat(), _words(e), e.outcome) for e in shown])
        for heading, shown in entries
    ]


def _words(entry: SharedIntroduction | SharedHelp) -> str:
    if isinstance(entry, SharedIntroduction):
        said = f"Introduced {entry.a} to {entry.b}"
        return f"{said}: {entry.text}" if entry.text else f"{said}."
    return f"{entry.person} ({entry.kind}): {entry.text}"
