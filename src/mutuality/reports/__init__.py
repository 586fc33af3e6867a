"""Reports drawn from the services' figures: the quarterly contribution report as HTML,
Markdown, PDF or JSON. An adapter layer between the web app and the services."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

from mutuality.core.errors import InvalidInput
from mutuality.core.fields import choice
from mutuality.core.report import Report


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


MEDIA_TYPES = {
    ReportFormat.MD: "text/markdown; charset=utf-8",
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.JSON: "application/json",
}
_SUFFIXES = {
    ".md": ReportFormat.MD,
    ".markdown": ReportFormat.MD,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".pdf": ReportFormat.PDF,
    ".json": ReportFormat.JSON,
}


def parse_format(value: str) -> ReportFormat:
    """The format the CLI's ``--format`` and the download's ``format`` name."""
    return choice(ReportFormat, value, "format", refusal="format {value!r}: use one of {known}")


def format_for(path: Path) -> ReportFormat:
    """The format a file name asks for by its suffix."""
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(
            f"cannot tell the format from {path.name!r}: end it in .html, .pdf, .md or .json, "
            "or give --format",
            field="out",
            value=str(path),
        )
    return found


def render(report: Report, fmt: ReportFormat, made_on: date) -> bytes:
    """The report in ``fmt``, as the bytes of a file. Renderers are imported on use (the
    PDF library is only needed for a PDF)."""
    if fmt is ReportFormat.JSON:
        from mutuality.reports.json import render_json

        return render_json(report).encode()
    from mutuality.reports.document import document

    doc = document(report)
    if fmt is ReportFormat.HTML:
        from mutuality.reports.html import render_html

        return render_html(doc, made_on).encode()
    if fmt is ReportFormat.PDF:
        from mutuality.reports.pdf import render_pdf

        return render_pdf(doc, made_on)
    from mutuality.reports.markdown import render_markdown

    return render_markdown(doc).encode()
