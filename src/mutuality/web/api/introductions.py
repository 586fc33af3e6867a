"""``/api/introductions``: double-opt-in introductions, step by step. Every rule between
the states is the service's; a step out of order answers 409 saying what must come first."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, AppDep, CurrentAccount, ItemId, PagingDep
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.introductions import (
    AskIn,
    ConsentIn,
    IntroductionCreate,
    IntroductionOut,
    IntroductionUpdate,
    MakeIn,
    OutcomeIn,
    WithdrawIn,
)

router = APIRouter(prefix="/api/introductions", tags=["introductions"], responses=ERRORS)
DEFAULT_ASK_IN = AskIn()
DEFAULT_MAKE_IN = MakeIn()
DEFAULT_WITHDRAW_IN = WithdrawIn()
"""Bodies that may be left out: every key has a default."""
StatusFilter = Literal["open", "proposed", "asking", "agreed", "made", "declined", "withdrawn"]


@router.get("", summary="Introductions, newest first")
def list_introductions(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    status: Annotated[
        StatusFilter | None, Query(description="One state, or open: still in progress.")
    ] = None,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> PageOut[IntroductionOut]:
    found = app.introductions.list(status, person_id)
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[IntroductionOut](
        items=[IntroductionOut.of(d) for d in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post("", status_code=201, summary="Propose introducing two people")
def propose(app: AppDep, _: CurrentAccount, body: IntroductionCreate) -> IntroductionOut:
    """Without a reason, it is composed from their open needs and offers."""
    return IntroductionOut.of(
        app.introductions.propose(
            body.a_id,
            body.b_id,
            reason=body.reason,
            a_gains=body.a_gains,
            b_gains=body.b_gains,
            again=body.again,
        )
    )


@router.get("/{intro_id}", summary="One introduction with its steps and messages")
def get_introduction(app: AppDep, _: CurrentAccount, intro_id: ItemId) -> IntroductionOut:
    return IntroductionOut.of(app.introductions.get(intro_id))


@router.patch("/{intro_id}", summary="Change the reason, gains or messages before it is made")
def edit(
    app: AppDep, _: CurrentAccount, intro_id: ItemId, body: IntroductionUpdate
) -> IntroductionOut:
    return IntroductionOut.of(app.introductions.edit(intro_id, **body.model_dump()))


@router.post("/{intro_id}/ask", summary="Record that consent was asked")
def ask(
    app: AppDep, _: CurrentAccount, intro_id: ItemId, body: AskIn = DEFAULT_ASK_IN
) -> IntroductionOut:
    return IntroductionOut.of(app.introductions.ask(intro_id, body.person_id))


@router.post("/{intro_id}/consent", summary="Record one side's answer")
def consent(app: AppDep, _: CurrentAccount, intro_id: ItemId, body: ConsentIn) -> IntroductionOut:
    """Two yeses: agreed. A no: declined, and the pair is not proposed again."""
    return IntroductionOut.of(
        app.introductions.answer(intro_id, body.person_id, yes=body.yes, note=body.note)
    )


@router.post("/{intro_id}/make", summary="Make an agreed introduction (logged in the ledger)")
def make(
    app: AppDep, _: CurrentAccount, intro_id: ItemId, body: MakeIn = DEFAULT_MAKE_IN
) -> IntroductionOut:
    return IntroductionOut.of(app.introductions.make(intro_id, body.on))


@router.post("/{intro_id}/outcome", summary="Log what came of a made introduction")
def outcome(app: AppDep, _: CurrentAccount, intro_id: ItemId, body: OutcomeIn) -> IntroductionOut:
    return IntroductionOut.of(
        app.introductions.log_outcome(intro_id, body.outcome, need_met=body.need_met)
    )


@router.post("/{intro_id}/withdraw", summary="Withdraw an introduction in progress")
def withdraw(
    app: AppDep, _: CurrentAccount, intro_id: ItemId, body: WithdrawIn = DEFAULT_WITHDRAW_IN
) -> IntroductionOut:
    return IntroductionOut.of(app.introductions.withdraw(intro_id, body.note))
