"""The portfolio page (``/portfolio``): a preview of what others would see, what is shared,
and the portfolio's files to download, the same as ``mutuality portfolio`` writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mutuality.core.errors import InvalidInput
from mutuality.formats.portfolio import FILES, render_all, sections
from mutuality.web.deps import AppDep, CurrentAccount
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "portfolio.md": "text/markdown; charset=utf-8",
    "portfolio.json": "application/json",
}


@router.get("/portfolio")
def portfolio_page(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    built = app.portfolio.build()
    context = {
        "portfolio": built,
        "sections": sections(built),
        "shares": app.sharing.list(),
        "files": FILES,
    }
    return page(request, "portfolio.html", context)


@router.get("/portfolio/download")
def portfolio_download(
    app: AppDep, _: CurrentAccount, file: Annotated[str, Query(max_length=20)] = "index.html"
) -> Response:
    if file not in FILES:
        raise InvalidInput(
            f"no portfolio file {file!r}; choose one of: {', '.join(FILES)}",
            field="file",
            value=file,
        )
    body = render_all(app.portfolio.build())[file]
    return Response(
        body,
        media_type=MEDIA_TYPES[file],
        headers={"Content-Disposition": f'attachment; filename="{file}"'},
    )
