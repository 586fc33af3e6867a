"""Two-sided exchanges on the web, in team mode: ``/team/confirmations`` (exchanges other
members logged with me, waiting for my own figure; mine waiting for theirs; both sides'
figures side by side once settled; who in my ledger is a fellow member), its REST routes
under ``/api/team``, and the private page ``/confirm/<token>`` where someone without an
account gives their figure.

Every route acts for the signed-in member and passes their id to
:class:`~mutuality.services.team_confirmations.ConfirmationService`, which finds only
confirmations that member is a side of: another pair's id is "not found". The private page
follows the check-in link's rules (:mod:`mutuality.web.pages.checkin_link`): it shows only
what the sender chose, an unknown, expired or used link gets the same "not valid" page and
counts against the client's limit of tries, and looking at it does not use it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.presenters.confirmations import figure_words, pair_words
from mutuality.services.team import Member, TeamService
from mutuality.services.team_confirmations import ConfirmationLink
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, CheckedForm, ItemId
from mutuality.web.links import link_address
from mutuality.web.pages import number, whole
from mutuality.web.render import page
from mutuality.web.schemas.confirmations import (
    ConfirmationLinkIn,
    ConfirmationLinkOut,
    ConfirmationOut,
    ConfirmationsOut,
    ConfirmIn,
    MemberLinkIn,
    MemberLinkOut,
)
from mutuality.web.security import client_key
from mutuality.web.team import CurrentMember, TeamDep

router = APIRouter(include_in_schema=False)

RECENT = 20
"""How many of my latest exchanges the page offers to ask about by private link."""


def _url(request: Request, path: str) -> str:
    return link_address(request.app.state.settings.public_url, str(request.base_url)).url(path)


def _page(
    request: Request,
    team: TeamService,
    member: Member,
    made: ConfirmationLink | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = team.confirmations.confirmations(member.id)
    ledger = team.ledger(member.id)
    links = team.confirmations.links(member.id)
    linked = {link.person_id for link in links if link.saved}
    asked = {c.my_exchange_id for c in (*found.waiting, *found.settled) if c.logged_by_me}
    recent = [
        {"id": exchange.id, "on": exchange.on, "person": person.name, "what": exchange.description}
        for exchange, person, _ in ledger.ledger.recent(RECENT)
        if person.id not in linked and exchange.id not in asked
    ]
    context = {
        "to_confirm": found.to_confirm,
        "waiting": found.waiting,
        "settled": found.settled,
        "between": [line for pair in found.between for line in pair_words(pair)],
        "words": figure_words,
        "links": links,
        "members": [m for m in team.members() if m.id != member.id],
        "recent": recent,
        "made": made,
        "made_url": _url(request, f"confirm/{made.token}") if made else None,
        "error": error,
    }
    return page(request, "team_confirmations.html", context, status=status)


def _id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound("no such confirmation", field="id", value=value)
    return value


@router.get("/team/confirmations")
def confirmations_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _page(request, team, member)


@router.post("/team/confirmations/{confirmation_id}/confirm")
def confirm(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    confirmation_id: int,
    figure: Annotated[str, Form(max_length=10)] = "",
    person: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    waiting = team.confirmations.get(member.id, _id(confirmation_id))
    try:
        value = number(figure, waiting.my_figure)
        gave = waiting.my_figure == "cost"
        team.confirmations.confirm(
            member.id,
            confirmation_id,
            benefit=None if gave else value,
            cost=value if gave else None,
            person=person.strip() or None,
        )
    except (InvalidInput, Conflict, NotFound) as error:  # NotFound: the person typed
        return _page(request, team, member, error=error.message, status=error.status)
    return RedirectResponse("/team/confirmations", status_code=303)


@router.post("/team/confirmations/{confirmation_id}/decline")
def decline(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, confirmation_id: int
) -> Response:
    team.confirmations.decline(member.id, _id(confirmation_id))
    return RedirectResponse("/team/confirmations", status_code=303)


@router.post("/team/confirmations/{confirmation_id}/withdraw")
def withdraw(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, confirmation_id: int
) -> Response:
    team.confirmations.withdraw(member.id, _id(confirmation_id))
    return RedirectResponse("/team/confirmations", status_code=303)


@router.post("/team/links")
def link(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    person: Annotated[str, Form(max_length=320)] = "",
    other: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Link someone in my ledger (by id, name or email) to a fellow member."""
    chosen = person.strip()
    try:
        other_id = whole(other, "member")
        if not chosen or other_id is None:
            raise InvalidInput("choose someone in your ledger and a member", field="person")
        ref = int(chosen) if chosen.isdigit() else chosen
        team.confirmations.link(member.id, ref, other_id)
    except (InvalidInput, Conflict) as error:
        return _page(request, team, member, error=error.message, status=error.status)
    return RedirectResponse("/team/confirmations", status_code=303)


@router.post("/team/exchanges/{exchange_id}/link")
def ask_by_link(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    exchange_id: int,
    name: Annotated[str, Form(max_length=200)] = "",
    what: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not 1 <= exchange_id <= MAX_ID:
        raise NotFound("no such exchange", field="exchange", value=exchange_id)
    try:
        made = team.confirmations.ask_by_link(member.id, exchange_id, name or None, what or None)
    except (InvalidInput, Conflict) as error:
        return _page(request, team, member, error=error.message, status=error.status)
    return _page(request, team, member, made=made)


# --- the private page for someone without an account ------------------------------------------


def _link_page(
    request: Request, token: str, team: TeamService, error: str | None = None, status: int = 200
) -> HTMLResponse:
    limiter = request.app.state.limiter
    try:
        shown = team.confirmations.link_request(token)
    except NotFound:
        limiter.failed(client_key(request))
        return _done(request, "This link is not valid.", 404)
    context = {"shown": shown, "token": token, "error": error, "done": False}
    return page(request, "confirm_link.html", context, status=status)


def _done(request: Request, message: str, status: int) -> HTMLResponse:
    return page(request, "confirm_link.html", {"done": True, "message": message}, status=status)


@router.get("/confirm/{token}")
def link_form(request: Request, team: TeamDep, token: str) -> HTMLResponse:
    request.app.state.limiter.check(client_key(request))
    return _link_page(request, token, team)


@router.post("/confirm/{token}")
def link_answer(
    request: Request,
    team: TeamDep,
    token: str,
    figure: Annotated[str, Form(max_length=10)] = "",
    answer: Annotated[str, Form(max_length=20)] = "confirm",
) -> HTMLResponse:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        if answer == "decline":
            team.confirmations.answer_link(token, None, declined=True)
        else:
            team.confirmations.answer_link(token, number(figure, "figure"))
    except Conflict:
        return _done(request, "This was answered already. Thank you.", 410)
    except NotFound:
        limiter.failed(key)
        return _done(request, "This link is not valid.", 404)
    except InvalidInput:
        return _link_page(request, token, team, "Please give a number from 0 to 10.", 422)
    return _done(request, "Thank you: your answer has been sent.", 200)


# --- the REST API ---------------------------------------------------------------------------------

api_router = APIRouter(prefix="/api/team", tags=["team"], responses=ERRORS)


@api_router.get("/confirmations", summary="Exchanges to confirm, waiting, and settled")
def api_confirmations(team: TeamDep, member: CurrentMember) -> ConfirmationsOut:
    return ConfirmationsOut.of(team.confirmations.confirmations(member.id))


@api_router.get("/confirmations/{confirmation_id}", summary="One confirmation you are a side of")
def api_confirmation(
    team: TeamDep, member: CurrentMember, confirmation_id: ItemId
) -> ConfirmationOut:
    return ConfirmationOut.of(team.confirmations.get(member.id, confirmation_id))


@api_router.post(
    "/confirmations/{confirmation_id}/confirm",
    summary="Confirm with your own figure; the exchange goes into your ledger",
)
def api_confirm(
    team: TeamDep, member: CurrentMember, confirmation_id: ItemId, body: ConfirmIn
) -> ConfirmationOut:
    done = team.confirmations.confirm(
        member.id, confirmation_id, benefit=body.benefit, cost=body.cost, person=body.person_id
    )
    return ConfirmationOut.of(done)


@api_router.post("/confirmations/{confirmation_id}/decline", summary="Decline it")
def api_decline(team: TeamDep, member: CurrentMember, confirmation_id: ItemId) -> ConfirmationOut:
    return ConfirmationOut.of(team.confirmations.decline(member.id, confirmation_id))


@api_router.post(
    "/confirmations/{confirmation_id}/withdraw",
    status_code=204,
    summary="Take back one you logged that still waits (your exchange stays)",
)
def api_withdraw(team: TeamDep, member: CurrentMember, confirmation_id: ItemId) -> Response:
    team.confirmations.withdraw(member.id, confirmation_id)
    return Response(status_code=204)


@api_router.get("/links", summary="Who in your ledger is a fellow member, and suggestions")
def api_links(team: TeamDep, member: CurrentMember) -> list[MemberLinkOut]:
    return [MemberLinkOut.of(link) for link in team.confirmations.links(member.id)]


@api_router.post("/links", status_code=201, summary="Link someone in your ledger to a member")
def api_link(team: TeamDep, member: CurrentMember, body: MemberLinkIn) -> MemberLinkOut:
    made = team.confirmations.link(member.id, body.person_id, body.member_id)
    return MemberLinkOut.of(made)


@api_router.post(
    "/exchanges/{exchange_id}/link",
    status_code=201,
    summary="A private one-time link for a non-member to confirm (the URL is shown once)",
)
def api_ask_by_link(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    exchange_id: ItemId,
    body: ConfirmationLinkIn,
) -> ConfirmationLinkOut:
    made = team.confirmations.ask_by_link(member.id, exchange_id, body.name, body.what, body.days)
    return ConfirmationLinkOut(
        confirmation_id=made.confirmation_id,
        url=_url(request, f"confirm/{made.token}"),
        expires_at=made.expires_at,
    )
