"""The quarterly report page (``/report?quarter=2026Q4``) and its downloads as HTML, PDF,
Markdown or JSON: the same report as ``mutuality report``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mutuality.core.report import Quarter, parse_quarter, quarter_of
from mutuality.reports import MEDIA_TYPES, ReportFormat, parse_format, render
from mutuality.reports.document import document
from mutuality.reports.html import render_fragment
from mutuality.web.deps import AppDep, CurrentAccount
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)

QuarterQuery = Annotated[str | None, Query(max_length=20)]


def _quarter(text: str | None) -> Quarter | None:
    return parse_quarter(text) if text else None


@router.get("/report")
def report_page(
    request: Request, app: AppDep, _: CurrentAccount, quarter: QuarterQuery = None
) -> HTMLResponse:
    built = app.reports.quarter(_quarter(quarter))
    doc = document(built)
    current = quarter_of(app.today())
    choices = [current]
    while len(choices) < 8:
        choices.append(choices[-1].previous())
    context = {
        "doc": doc,
        "body": render_fragment(doc),
        "quarter": built.quarter,
        "choices": choices,
        "formats": [f.value for f in ReportFormat],
    }
    return page(request, "report.html", context)


@router.get("/report/download")
def report_download(
    app: AppDep,
    _: CurrentAccount,
    quarter: QuarterQuery = None,
    format: Annotated[str, Query(max_length=10)] = "html",
) -> Response:
    chosen = parse_format(format)
    built = app.reports.quarter(_quarter(quarter))
    data = render(built, chosen, app.today())
    name = f"mutuality-report-{built.quarter.label}.{chosen.value}"
    return Response(
        data,
        media_type=MEDIA_TYPES[chosen],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
