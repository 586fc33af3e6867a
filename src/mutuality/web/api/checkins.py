"""Check-ins: a person's check-ins, recording one (its follow-ups become commitments), the
private one-time link for their side, and the agenda of who is due."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from mutuality.services.checkins import FollowUp
from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, CurrentAccount, PagingDep, PersonId
from mutuality.web.schemas import PageOut, PersonOut
from mutuality.web.schemas_checkins import (
    AgendaItemOut,
    CheckInCreate,
    CheckInLinkCreate,
    CheckInLinkOut,
    CheckInOut,
    CheckInRecordedOut,
)

router = APIRouter(prefix="/api", tags=["check-ins"], responses=ERRORS)
DEFAULT_CHECK_IN_LINK_CREATE = CheckInLinkCreate()
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
        url=f"{str(request.base_url).rstrip('/')}/c/{made.token}",
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
        items=[AgendaItemOut.of(PersonOut.of(p), item, today) for p, item in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )
