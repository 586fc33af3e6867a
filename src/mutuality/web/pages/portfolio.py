"""The portfolio page (``/portfolio``): a preview of what others would see, what is shared
(each with a form to reword or unshare it), what could be shared (made introductions, your
recent exchanges, a person's full name), and the portfolio's files to download, the same as
``mutuality portfolio`` writes. Sharing and unsharing go through :class:`ShareService`,
which decides what may be shared; the preview never shows a private note."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import InvalidInput, MutualityError
from mutuality.core.portfolio import ShareKind
from mutuality.formats.portfolio import FILES, render_all, sections
from mutuality.services.app import Mutuality
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount
from mutuality.web.pages import Small, Text, whole
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)

RECENT = 10
"""Your exchanges offered for sharing per page, newest first."""
Kind = Annotated[Literal["exchange", "intro", "person"], Form()]
DONE = {
    ("shared", "exchange"): "Exchange #{id} is shared: it appears in the portfolio.",
    ("shared", "intro"): "Introduction #{id} is shared: it appears in the portfolio.",
    ("shared", "person"): "{name} may now be named in full in the portfolio.",
    ("unshared", "exchange"): "Exchange #{id} is private again.",
    ("unshared", "intro"): "Introduction #{id} is private again.",
    ("unshared", "person"): "{name} appears by first name only again.",
}
"""What the page says after a share or an unshare (a redirect carries which)."""


def portfolio_context(app: Mutuality, older: int) -> dict[str, Any]:
    built = app.portfolio.build()
    shares = app.sharing.list()
    shared = {(share.kind, share.id) for share in shares}
    offset = (older - 1) * RECENT
    recent = app.ledger.recent(RECENT, offset)
    made = app.introductions.list("made")
    return {
        "portfolio": built,
        "sections": sections(built),
        "shares": shares,
        "files": FILES,
        "recent": recent,
        "recent_total": app.ledger.count_mine(),
        "recent_limit": RECENT,
        "recent_offset": offset,
        "shared_exchanges": {i for kind, i in shared if kind is ShareKind.EXCHANGE},
        "made": [d for d in made if (ShareKind.INTRODUCTION, d.introduction.id) not in shared],
    }


def portfolio_view(
    request: Request,
    app: Mutuality,
    older: int = 1,
    notice: str | None = None,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = portfolio_context(app, older)
    context.update(
        notice=notice,
        error=error,
        values={"person": "", "wording": "", **(values or {})},
    )
    return page(request, "portfolio.html", context, status=status)


MEDIA_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "portfolio.md": "text/markdown; charset=utf-8",
    "portfolio.json": "application/json",
}


@router.get("/portfolio")
def portfolio_page(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    done: Annotated[Literal["shared", "unshared"] | None, Query()] = None,
    kind: Annotated[Literal["exchange", "intro", "person"] | None, Query()] = None,
    item: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    older: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    notice = None
    if done and kind and item:
        name = app.people.get(item).person.name if kind == "person" else ""
        notice = DONE[done, kind].format(id=item, name=name)
    return portfolio_view(request, app, older, notice)


def _item(kind: str, item: str) -> int | str:
    """An exchange or introduction by its number; a person by id or name."""
    if kind == "person" and not item.strip().isdigit():
        return item
    found = whole(item, "id")
    if found is None:
        raise InvalidInput(f"say which {kind} to share", field="id")
    return found


@router.post("/portfolio/share")
def share(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    kind: Kind,
    item: Small = "",
    wording: Text = "",
) -> Response:
    """Share an exchange, a made introduction or a person's full name, in the ledger's
    words or in ``wording`` (which replaces them; for a person, the name to show)."""
    try:
        shared = app.sharing.share(kind, _item(kind, item), wording or None)
    except MutualityError as error:
        values = {"person": item, "wording": wording} if kind == "person" else None
        return portfolio_view(request, app, error=error.message, values=values, status=error.status)
    return RedirectResponse(
        f"/portfolio?done=shared&kind={kind}&item={shared.id}#shared", status_code=303
    )


@router.post("/portfolio/unshare")
def unshare(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    kind: Kind,
    item: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Make a shared thing private again (unsharing what is not shared does nothing)."""
    try:
        app.sharing.unshare(kind, item)
    except MutualityError as error:
        return portfolio_view(request, app, error=error.message, status=error.status)
    return RedirectResponse(
        f"/portfolio?done=unshared&kind={kind}&item={item}#shared", status_code=303
    )


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
