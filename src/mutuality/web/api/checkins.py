"""Check-ins: a person's check-ins, recording one (its follow-ups become commitments), the
private one-time link for their side, the agenda of who is due, and the wishes (what they
said would make it better) confirmed as a commitment or a need, or set aside."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from mutuality.services.checkins.service import FollowUp
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, AppDep, CurrentAccount, ItemId, PagingDep, PersonId
from mutuality.web.links import link_address
from mutuality.web.schemas.checkins import (
    AgendaItemOut,
    CheckInCreate,
    CheckInLinkCreate,
    CheckInLinkOut,
    CheckInOut,
    CheckInRecordedOut,
    PendingWishOut,
    WishAdopt,
    WishAdoptedOut,
)
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.people import PersonOut

router = APIRouter(prefix="/api", tags=["check-ins"], responses=ERRORS)
DEFAULT_CHECK_IN_LINK_CREATE = CheckInLinkCreate()
DEFAULT_WISH_ADOPT = WishAdopt()
"""Bodies that may be left out: every key has a default."""


@router.get("/people/{person_id}/checkins", summary="A person's check-ins, newest first")
def list_checkins(
    app: AppDep, _: CurrentAccount, person_id: PersonId, paging: PagingDep
) -> PageOut[CheckInOut]:
    found = app.checkins.list(person_id)[::-1]
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[CheckInOut](
        items=[CheckInOut.of(c) for c in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post("/people/{person_id}/checkins", status_code=201, summary="Record a check-in")
def record(
    app: AppDep, _: CurrentAccount, person_id: PersonId, body: CheckInCreate
) -> CheckInRecordedOut:
    checkin, commitments = app.checkins.record(
        person_id,
        on=body.on,
        kind=body.kind,
        my_satisfaction=body.my_satisfaction,
        their_satisfaction=body.their_satisfaction,
        my_better=body.my_better,
        their_better=body.their_better,
        my_equity=body.my_equity,
        their_equity=body.their_equity,
        note=body.note,
        follow_ups=tuple(FollowUp(f.text, f.due, f.mine) for f in body.follow_ups),
    )
    return CheckInRecordedOut(**CheckInOut.of(checkin).model_dump(), commitment_ids=commitments)


@router.post(
    "/people/{person_id}/checkin-link",
    status_code=201,
    summary="A private one-time link for their side (the URL is shown once)",
)
def make_link(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    person_id: PersonId,
    body: CheckInLinkCreate = DEFAULT_CHECK_IN_LINK_CREATE,
) -> CheckInLinkOut:
    made = app.checkins.make_link(person_id, body.first_name, body.days)
    return CheckInLinkOut(
        person=PersonOut.of(made.person),
        url=link_address(request.app.state.settings.public_url, str(request.base_url)).url(
            f"c/{made.token}"
        ),
        expires_at=made.expires_at,
    )


@router.get("/checkins/agenda", summary="Who is overdue or due for a check-in, soonest first")
def agenda(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    days: Annotated[int, Query(description="Look this many days ahead, 0-366.")] = 7,
) -> PageOut[AgendaItemOut]:
    found = app.checkins.agenda(days)
    shown = found[paging.offset : paging.offset + paging.limit]
    today = app.today()
    return PageOut[AgendaItemOut](
        items=[AgendaItemOut.of(p, item, today) for p, item in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get(
    "/checkins/wishes",
    summary="What people said would make it better, waiting for you, newest first",
)
def wishes(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> PageOut[PendingWishOut]:
    found = app.wishes.pending(person_id)
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[PendingWishOut](
        items=[PendingWishOut.of(p, w) for p, w in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/checkins/{checkin_id}/wish",
    status_code=201,
    summary="Make a check-in's wish a commitment of yours or a need of theirs",
)
def adopt_wish(
    app: AppDep, _: CurrentAccount, checkin_id: ItemId, body: WishAdopt = DEFAULT_WISH_ADOPT
) -> WishAdoptedOut:
    adopted = app.wishes.adopt(checkin_id, body.form, due=body.due, text=body.text)
    return WishAdoptedOut.of(adopted)


@router.post(
    "/checkins/{checkin_id}/wish/set-aside",
    summary="Choose not to act on a check-in's wish (it leaves the pending list)",
)
def set_aside_wish(app: AppDep, _: CurrentAccount, checkin_id: ItemId) -> PendingWishOut:
    wish = app.wishes.set_aside(checkin_id)
    return PendingWishOut.of(app.people.get(wish.person_id).person, wish)
