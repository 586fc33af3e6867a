"""The needs and offers board: open needs and open offers side by side, each with whose it
is (a link to their page), a form to add one for a person, and a button to close one.
``/board?person=ID`` shows one person's (the link from their page) and adds for them.
Everything goes through :class:`NeedService`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.core.needs import WishKind
from mutuality.services.app import Mutuality
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount, ItemId
from mutuality.web.pages import Small, Text, split_list
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
KindPath = Annotated[WishKind, Path(description="need or offer")]
FIELDS = ("kind", "person", "text", "tags", "source")
SHOWN = 200
"""The newest open needs (and offers) the whole board lists; one person's are all shown."""
PersonFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="one person's only")]


def board_page(
    request: Request,
    app: Mutuality,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
    person: int | None = None,
) -> HTMLResponse:
    needs = app.needs.list(WishKind.NEED, person)
    offers = app.needs.list(WishKind.OFFER, person)
    counts = {"need": len(needs), "offer": len(offers)}
    if person is None:
        needs, offers = needs[:SHOWN], offers[:SHOWN]
    ids = {w.person_id for w in (*needs, *offers)} | ({person} if person else set())
    names = app.needs.names(ids)
    others = {p.id for p in app.people.by_ids(sorted(ids))}
    shown = {key: (values or {}).get(key) or "" for key in FIELDS}
    shown["kind"] = shown["kind"] or WishKind.NEED.value
    if person is not None and not shown["person"]:
        shown["person"] = names[person] if person in others else "me"
    context = {
        "needs": needs,
        "offers": offers,
        "counts": counts,
        "shown_at_most": SHOWN,
        "names": names,
        "owners": ids - others,
        "person": person,
        "person_name": names.get(person) if person in others else None,
        "values": shown,
        "error": error,
        "kinds": [k.value for k in WishKind],
    }
    return page(request, "board.html", context, status=status)


def back_to(person: int | None) -> str:
    return f"/board?person={person}" if person else "/board"


@router.get("/board")
def board(
    request: Request, app: AppDep, _: CurrentAccount, person: PersonFilter = None
) -> HTMLResponse:
    return board_page(request, app, person=person)


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
    filtered: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Add a need or offer for the person named (``me`` for yourself); from a filtered
    board, back to it."""
    values = dict(kind=kind, person=person, text=text, tags=tags, source=source)
    try:
        app.needs.add(kind, person, text, tags=split_list(tags), source=source or None)
    except MutualityError as error:
        return board_page(request, app, values, error.message, error.status, filtered)
    return RedirectResponse(back_to(filtered), status_code=303)


@router.post("/board/{kind}/{wish_id}/close")
def close_wish(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    kind: KindPath,
    wish_id: ItemId,
    filtered: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    try:
        app.needs.close(kind, wish_id)
    except MutualityError as error:
        return board_page(request, app, error=error.message, status=error.status, person=filtered)
    return RedirectResponse(back_to(filtered), status_code=303)
