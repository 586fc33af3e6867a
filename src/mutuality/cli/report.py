"""``mutuality report``: the quarterly contribution report as Markdown, HTML, PDF or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mutuality.cli.render import err, progress_bar, visible
from mutuality.cli.state import open_app

REPORT_STEPS = 6
"""The service's five steps and the rendering: the length of the progress bar."""


def report(
    ctx: typer.Context,
    quarter: Annotated[
        str | None, typer.Option(help="The quarter, e.g. 2026Q4 (default: the current one).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="md, html, pdf or json (default: from --out, else md)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """The quarterly contribution report: what you gave and received, relationships that
    changed, follow-through, capacity and the playbook for next quarter."""
    from mutuality.core.report import parse_quarter
    from mutuality.reports import ReportFormat, format_for, parse_format, render

    wanted = parse_quarter(quarter, "--quarter") if quarter is not None else None
    if fmt is not None:
        chosen = parse_format(fmt)
    else:
        chosen = format_for(out) if out is not None else ReportFormat.MD
    if chosen is ReportFormat.PDF and out is None and sys.stdout.isatty():
        raise typer.BadParameter("a PDF goes to a file: add --out report.pdf", param_hint="--out")
    app = open_app(ctx)
    with progress_bar("Building the report", REPORT_STEPS) as advance:
        built = app.reports.quarter(wanted, progress=lambda _step: advance(1))
        data = render(built, chosen, app.today())
        advance(1)
    if out is None:
        if chosen is not ReportFormat.PDF:  # text: nothing stored may reach a terminal raw
            data = visible(data.decode("utf-8")).encode("utf-8")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from mutuality.store.files import atomic_text_file

    with atomic_text_file(out) as handle:  # private (0600), whole or not at all
        handle.buffer.write(data)
    err.print(f"Wrote the {built.quarter.label} report ({chosen.value}) to {out}.")
