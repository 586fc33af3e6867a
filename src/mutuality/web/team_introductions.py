"""Introductions between members on the web, in team mode: ``/team/introductions`` (those I
made and shared, those I am asked about, with a yes and a no; my introductions still to
share), its REST routes under ``/api/team/introductions``, and the private page
``/i/<token>`` where someone without an account answers.

Every route acts for the signed-in member and passes their id to
:class:`~mutuality.services.team_introductions.IntroductionSharing`, which finds only
introductions that member is one of the three of: anyone else's id is "not found". The
private page follows the check-in link's rules (:mod:`mutuality.web.pages.checkin_link`): it
shows only what the introducer chose, an unknown, expired or used link gets the same "not
valid" page and counts against the client's limit of tries, and looking does not use it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import IntroStatus
from mutuality.services.team import Member, TeamService
from mutuality.services.team_introductions import IntroductionLink
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, CheckedForm, ItemId
from mutuality.web.links import link_address
from mutuality.web.render import page
from mutuality.web.schemas.team_introductions import (
    AnswerIn,
    IntroductionLinkOut,
    SharedIntroductionOut,
    SharedOut,
    ShareIn,
)
from mutuality.web.security import client_key
from mutuality.web.team import CurrentMember, TeamDep

router = APIRouter(include_in_schema=False)
PAGE = "/team/introductions"
ANSWERS = {
    None: "was not asked here",
    "asked": "has not answered yet",
    "yes": "said yes",
    "no": "said no",
}
STATUS_WORDS = {
    "asking": "Waiting for answers",
    "made": "Made: you both said yes",
    "declined": "Declined",
    "withdrawn": "Withdrawn by the introducer",
}


def _url(request: Request, path: str) -> str:
    return link_address(request.app.state.settings.public_url, str(request.base_url)).url(path)


def _id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound("no such introduction", field="id", value=value)
    return value


def _page(
    request: Request,
    team: TeamService,
    member: Member,
    made: list[IntroductionLink] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    shared = team.introductions.list(member.id)
    mine = [item for item in shared if item.my_side is None]
    asked = [item for item in shared if item.my_side is not None]
    already = {item.intro_id for item in mine}
    ledger = team.ledger(member.id)
    to_share = [
        detail
        for detail in ledger.introductions.list()
        if detail.introduction.status in (IntroStatus.PROPOSED, IntroStatus.ASKING)
        and detail.introduction.id not in already
    ]
    context = {
        "asked": asked,
        "mine": mine,
        "to_share": to_share,
        "made": [(link, _url(request, f"i/{link.token}")) for link in made or []],
        "error": error,
        "answers": ANSWERS,
        "status_words": STATUS_WORDS,
    }
    return page(request, "team_introductions.html", context, status=status)


@router.get(PAGE)
def introductions_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _page(request, team, member)


@router.post(f"{PAGE}/share")
def share(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    intro: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    try:
        links = team.introductions.share(member.id, intro)[1]
    except (InvalidInput, Conflict) as error:
        return _page(request, team, member, error=error.message, status=error.status)
    return _page(request, team, member, made=links)


@router.post(PAGE + "/{shared_id}/answer")
def answer(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    shared_id: int,
    answer: Annotated[str, Form(max_length=3)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    version: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
    share_email: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    try:
        if answer not in ("yes", "no"):
            raise InvalidInput("answer yes or no", field="answer", value=answer)
        team.introductions.answer(
            member.id,
            _id(shared_id),
            answer == "yes",
            note.strip() or None,
            version,
            share_email == "yes",
        )
    except (InvalidInput, Conflict) as error:
        return _page(request, team, member, error=error.message, status=error.status)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/{shared_id}/withdraw")
def withdraw(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, shared_id: int
) -> Response:
    try:
        team.introductions.withdraw(member.id, _id(shared_id))
    except Conflict as error:
        return _page(request, team, member, error=error.message, status=error.status)
    return RedirectResponse(PAGE, status_code=303)


# --- the private page for someone without an account ------------------------------------------


def _link_page(request: Request, token: str, team: TeamService, status: int = 200) -> HTMLResponse:
    try:
        shown = team.introductions.invitation(token)
    except NotFound:
        request.app.state.limiter.failed(client_key(request))
        return _done(request, "This link is not valid.", 404)
    return page(
        request, "intro_link.html", {"shown": shown, "token": token, "done": False}, status=status
    )


def _done(request: Request, message: str, status: int) -> HTMLResponse:
    return page(request, "intro_link.html", {"done": True, "message": message}, status=status)


@router.get("/i/{token}")
def link_form(request: Request, team: TeamDep, token: str) -> HTMLResponse:
    request.app.state.limiter.check(client_key(request))
    return _link_page(request, token, team)


@router.post("/i/{token}")
def link_answer(
    request: Request,
    team: TeamDep,
    token: str,
    answer: Annotated[str, Form(max_length=3)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    if answer not in ("yes", "no"):
        return _link_page(request, token, team, 422)
    try:
        team.introductions.answer_link(token, answer == "yes", note.strip() or None)
    except NotFound:
        limiter.failed(key)
        return _done(request, "This link is not valid.", 404)
    except Conflict:
        return _done(request, "This was answered already. Thank you.", 410)
    if answer == "yes":
        return _done(request, "Thank you: your yes has been sent.", 200)
    return _done(
        request, "Thank you: your answer has been sent, and nothing more will follow.", 200
    )


# --- the REST API ---------------------------------------------------------------------------------

api_router = APIRouter(prefix="/api/team", tags=["team"], responses=ERRORS)


@api_router.get("/introductions", summary="Introductions you made or are asked about")
def api_list(team: TeamDep, member: CurrentMember) -> list[SharedIntroductionOut]:
    return [SharedIntroductionOut.of(item) for item in team.introductions.list(member.id)]


@api_router.get(
    "/introductions/{shared_id}", summary="One introduction you are one of the three of"
)
def api_get(team: TeamDep, member: CurrentMember, shared_id: ItemId) -> SharedIntroductionOut:
    return SharedIntroductionOut.of(team.introductions.get(member.id, shared_id))


@api_router.post(
    "/introductions",
    status_code=201,
    summary="Share one of your introductions: members are asked in their account, others by "
    "a private link (each URL shown once)",
)
def api_share(request: Request, team: TeamDep, member: CurrentMember, body: ShareIn) -> SharedOut:
    shared, links = team.introductions.share(member.id, body.intro_id, body.days)
    return SharedOut(
        introduction=SharedIntroductionOut.of(shared),
        links=[
            IntroductionLinkOut(
                side=link.side,
                name=link.name,
                url=_url(request, f"i/{link.token}"),
                expires_at=link.expires_at,
            )
            for link in links
        ],
    )


@api_router.post("/introductions/{shared_id}/answer", summary="Say yes or no")
def api_answer(
    team: TeamDep, member: CurrentMember, shared_id: ItemId, body: AnswerIn
) -> SharedIntroductionOut:
    done = team.introductions.answer(
        member.id, shared_id, body.yes, body.note, body.version, body.share_email
    )
    return SharedIntroductionOut.of(done)


@api_router.post("/introductions/{shared_id}/withdraw", summary="Take it back (the introducer)")
def api_withdraw(team: TeamDep, member: CurrentMember, shared_id: ItemId) -> SharedIntroductionOut:
    return SharedIntroductionOut.of(team.introductions.withdraw(member.id, shared_id))
