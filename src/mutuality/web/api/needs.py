"""``/api/needs`` and ``/api/offers``: what each person seeks and can give (the same routes
for both sides of a match), and ``/api/matches``, the suggestions over them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mutuality.core.needs import Wish, WishKind
from mutuality.services.app import Mutuality
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, AppDep, CurrentAccount, ItemId, PagingDep
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.needs import MatchesOut, WishCreate, WishOut

router = APIRouter(prefix="/api", responses=ERRORS)


def _out(app: Mutuality, *wishes: Wish) -> list[WishOut]:
    """With each person's name (one read for the page)."""
    names = app.needs.names(w.person_id for w in wishes)
    return [WishOut.of(w, names) for w in wishes]


def add_routes(kind: WishKind) -> None:
    """The same five routes for needs and for offers: the service takes the kind."""
    word = kind.value
    base = f"/{word}s"
    tags: list[str | Enum] = [f"{word}s"]  # as FastAPI types a route's tags

    @router.get(base, tags=tags, summary=f"List {word}s, newest first", name=f"list_{word}s")
    def list_wishes(
        app: AppDep,
        _: CurrentAccount,
        paging: PagingDep,
        person_id: Annotated[
            int | None, Query(ge=1, le=MAX_ID, description="One person's (yours: your id).")
        ] = None,
        include_closed: Annotated[bool, Query(description="Closed and expired ones too.")] = False,
        tag: Annotated[str | None, Query(max_length=100)] = None,
    ) -> PageOut[WishOut]:
        found = app.needs.list(kind, person_id, include_closed=include_closed, tag=tag)
        shown = found[paging.offset : paging.offset + paging.limit]
        return PageOut[WishOut](
            items=_out(app, *shown), total=len(found), limit=paging.limit, offset=paging.offset
        )

    @router.post(
        base, status_code=201, tags=tags, summary=f"Add a {word} for a person", name=f"add_{word}"
    )
    def add_wish(app: AppDep, _: CurrentAccount, body: WishCreate) -> WishOut:
        wish = app.needs.add(
            kind,
            "me" if body.person_id is None else body.person_id,
            body.text,
            tags=body.tags,
            source=body.source,
            expires=body.expires,
        )
        return _out(app, wish)[0]

    @router.get(f"{base}/{{wish_id}}", tags=tags, summary=f"One {word}", name=f"get_{word}")
    def get_wish(app: AppDep, _: CurrentAccount, wish_id: ItemId) -> WishOut:
        return _out(app, app.needs.get(kind, wish_id))[0]

    @router.post(
        f"{base}/{{wish_id}}/close",
        tags=tags,
        summary=f"Close an open {word}",
        name=f"close_{word}",
    )
    def close_wish(app: AppDep, _: CurrentAccount, wish_id: ItemId) -> WishOut:
        return _out(app, app.needs.close(kind, wish_id))[0]

    @router.post(
        f"{base}/{{wish_id}}/reopen",
        tags=tags,
        summary=f"Open a closed {word} again",
        name=f"reopen_{word}",
    )
    def reopen_wish(app: AppDep, _: CurrentAccount, wish_id: ItemId) -> WishOut:
        return _out(app, app.needs.reopen(kind, wish_id))[0]


for _kind in WishKind:
    add_routes(_kind)


@router.get("/matches", tags=["matches"], summary="Suggestions: open needs matched to offers")
def matches(
    app: AppDep,
    _: CurrentAccount,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many per question.")] = 10,
    assignment: Literal["exact", "greedy"] = "exact",
) -> MatchesOut:
    """Who can help you, whom you can help, which introductions would help, within each
    helper's capacity: by meaning where the model loads, else by shared words (``method``
    says which; ``notes`` why), as ``mutuality match`` and the Matches page match."""
    return MatchesOut.of(app.matching.match("auto", limit=limit, assignment=assignment))
