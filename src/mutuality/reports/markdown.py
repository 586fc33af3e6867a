"""The report as Markdown for pasting into notes: the same sections and tables; the charts
are left to the HTML and PDF versions, with a line saying so."""

from __future__ import annotations

from mutuality.reports.document import Bullets, Chart, Document, Table

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|~"})


def _inline(value: str) -> str:
    """Markdown-escaped text: a name cannot open a link, an image or raw HTML."""
    return " ".join(value.split()).translate(_SPECIAL)


def _text(value: str) -> str:
    """A line of its own: escaped, and unable to start a heading or a list."""
    text = _inline(value)
    return "\\" + text if text[:1] in ("#", "+", "-", "=") else text


def _table(table: Table) -> list[str]:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.headers))]
    lines = [
        "| " + " | ".join(_inline(h) for h in table.headers) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(_inline(c) for c in row) + " |" for row in table.rows]
    return lines


def render_markdown(doc: Document) -> str:
    lines = [f"# {_text(doc.title)}", "", _text(doc.subtitle), ""]
    for section in doc.sections:
        lines += [f"## {_text(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, str):
                lines += [_text(block), ""]
            elif isinstance(block, Bullets):
                lines += [f"- {_text(item)}" for item in block.items] + [""]
            elif isinstance(block, Table):
                lines += [*_table(block), ""]
            elif isinstance(block, Chart):
                lines += [f"*Chart: {_text(block.title)} (in the HTML and PDF versions).*", ""]
    return "\n".join(lines).rstrip() + "\n"
