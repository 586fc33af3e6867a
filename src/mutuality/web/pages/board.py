"""The needs and offers board: open needs and open offers side by side, a form to add one
for a person, and a button to close one. Everything goes through :class:`NeedService`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.core.needs import WishKind
from mutuality.services.app import Mutuality
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount, ItemId
from mutuality.web.pages import Small, Text, split_list
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
KindPath = Annotated[WishKind, Path(description="need or offer")]
FIELDS = ("kind", "person", "text", "tags", "source")


def board_page(
    request: Request,
    app: Mutuality,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    needs = app.needs.list(WishKind.NEED)
    offers = app.needs.list(WishKind.OFFER)
    names = app.needs.names(w.person_id for w in (*needs, *offers))
    shown = {key: (values or {}).get(key) or "" for key in FIELDS}
    shown["kind"] = shown["kind"] or WishKind.NEED.value
    context = {
        "needs": needs,
        "offers": offers,
        "names": names,
        "values": shown,
        "error": error,
        "kinds": [k.value for k in WishKind],
    }
    return page(request, "board.html", context, status=status)


@router.get("/board")
def board(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    return board_page(request, app)


@router.post("/board")
def add_wish(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    kind: Small = "need",
    person: Small = "",
    text: Text = "",
    tags: Text = "",
    source: Small = "",
) -> Response:
    values = dict(kind=kind, person=person, text=text, tags=tags, source=source)
    try:
        app.needs.add(kind, person, text, tags=split_list(tags), source=source or None)
    except MutualityError as error:
        return board_page(request, app, values, str(error), error.status)
    return RedirectResponse("/board", status_code=303)


@router.post("/board/{kind}/{wish_id}/close")
def close_wish(
    request: Request, app: AppDep, _: CheckedForm, kind: KindPath, wish_id: ItemId
) -> Response:
    try:
        app.needs.close(kind, wish_id)
    except MutualityError as error:
        return board_page(request, app, error=str(error), status=error.status)
    return RedirectResponse("/board", status_code=303)
