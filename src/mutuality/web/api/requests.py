"""``/api/requests``: what someone asks of me (or I of them), the decision rule's proposal,
my decision, and a kind decline. A yes becomes a commitment (``/api/commitments``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mutuality.core.requests import Request
from mutuality.services.app import Mutuality
from mutuality.web.api import ERRORS
from mutuality.web.api.commitments import commitments_out
from mutuality.web.deps import AppDep, CurrentAccount, ItemId, PagingDep
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.requests import (
    DecidedOut,
    DecisionIn,
    DeclineDraftOut,
    ReconsiderOut,
    RequestCreate,
    RequestOut,
)

router = APIRouter(prefix="/api/requests", tags=["requests"], responses=ERRORS)
DEFAULT_DECISION_IN = DecisionIn()
"""Bodies that may be left out: every key has a default."""


def _out(app: Mutuality, *requests: Request) -> list[RequestOut]:
    names = app.needs.names(r.person_id for r in requests)
    return [RequestOut.of(r, names) for r in requests]


@router.get("", summary="Requests, newest first")
def list_requests(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    open_only: Annotated[bool, Query(alias="open", description="Only undecided ones.")] = False,
) -> PageOut[RequestOut]:
    found = app.requests.list(open_only)
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[RequestOut](
        items=_out(app, *shown), total=len(found), limit=paging.limit, offset=paging.offset
    )


@router.post("", status_code=201, summary="Record a request and the proposed decision")
def ask(app: AppDep, _: CurrentAccount, body: RequestCreate) -> RequestOut:
    request = app.requests.ask(
        body.person_id,
        body.text,
        benefit=body.benefit,
        cost=body.cost,
        due=body.due,
        kind=body.kind.value if body.kind else None,
        from_me=body.from_me,
    )
    return _out(app, request)[0]


@router.get("/reconsider", summary="Declined or postponed requests that would get a yes now")
def reconsider(app: AppDep, _: CurrentAccount, paging: PagingDep) -> PageOut[ReconsiderOut]:
    """Paged here: which requests qualify (and so how many) is known only once the rule has
    proposed again for every declined one, so a page in the service would cost the same."""
    changed = app.requests.reconsider()
    page = changed[paging.offset : paging.offset + paging.limit]
    shown = _out(app, *(request for request, _ in page))
    return PageOut[ReconsiderOut](
        items=[
            ReconsiderOut(request=out, now=proposal.decision, now_reason=proposal.reason)
            for out, (_, proposal) in zip(shown, page, strict=True)
        ],
        total=len(changed),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/{request_id}", summary="One request")
def get_request(app: AppDep, _: CurrentAccount, request_id: ItemId) -> RequestOut:
    return _out(app, app.requests.get(request_id))[0]


@router.post("/{request_id}/decision", summary="Decide: accept the proposal or override it")
def decide(
    app: AppDep, _: CurrentAccount, request_id: ItemId, body: DecisionIn = DEFAULT_DECISION_IN
) -> DecidedOut:
    """A yes, or a third option agreed, makes a commitment; a no, a later or a third option
    not agreed keeps the need in view (and may be decided again); deciding anything else
    twice is a conflict."""
    request, commitment = app.requests.decide(
        request_id,
        body.decision.value if body.decision else None,
        third_option=body.third_option,
        due=body.due,
        hours=body.hours,
        agreed=body.agreed,
    )
    return DecidedOut(
        request=_out(app, request)[0],
        commitment=commitments_out(app, commitment)[0] if commitment else None,
    )


@router.get("/{request_id}/decline", summary="A kind decline, drafted from the data")
def decline_draft(app: AppDep, _: CurrentAccount, request_id: ItemId) -> DeclineDraftOut:
    return DeclineDraftOut(request_id=request_id, text=app.requests.decline_draft(request_id))
