"""Reciprocity Ring sessions on the web, in team mode: ``/team/rings`` (open sessions to
join, the ones I took part in, and for an organiser a form to open one), the live page
``/team/rings/<id>`` (the guidance and my ask, every ask with its offers, the presenter and
their timer), its summary, and the REST routes under ``/api/team/rings``.

The live page works without script: each form posts and comes back, and a reload shows
what others added. With ``/static/ring.js`` it polls ``/api/team/rings/<id>/live`` (a
version number, cheap while nothing changed) and brings in new asks and offers as they come,
counting the presenter's time down between polls.

Every route acts for the signed-in member through
:class:`~mutuality.services.ring.RingService`, which shows a session to its participants
alone: for anyone else its id is "not found".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.core.ring import GUIDANCE
from mutuality.services.team import Member, TeamService
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, CheckedForm, ItemId
from mutuality.web.render import page
from mutuality.web.schemas.ring import (
    AskIn,
    LiveOut,
    OfferIn,
    OpenIn,
    PresentIn,
    RingLineOut,
    RingOut,
    SummaryOut,
    WithdrawIn,
)
from mutuality.web.team import CurrentMember, TeamDep

router = APIRouter(include_in_schema=False)
PAGE = "/team/rings"
FIXABLE = (InvalidInput, Conflict, Forbidden)


def _naive_utc(moment: datetime | None) -> datetime | None:
    """A moment as the registry keeps it (naive UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _when(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("give the time as 2027-03-01 18:00", field="when", value=text) from None


def _due(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("give the date as 2027-03-01", field="due_on", value=text) from None


def _list_page(
    request: Request, team: TeamService, member: Member, error: str | None = None, status: int = 200
) -> HTMLResponse:
    context = {"rings": team.rings.sessions(member.id), "member": member, "error": error}
    return page(request, "team_rings.html", context, status=status)


def _ring_page(
    request: Request,
    team: TeamService,
    member: Member,
    ring_id: int,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = team.rings.get(member.id, ring_id)
    context = {"ring": view, "guidance": GUIDANCE, "error": error}
    return page(request, "team_ring.html", context, status=status)


def _back(ring_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"{PAGE}/{ring_id}{anchor}", status_code=303)


def _ring_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound("no such ring session", field="ring", value=value)
    return value


@router.get(PAGE)
def rings_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _list_page(request, team, member)


@router.post(PAGE)
def open_ring(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    name: Annotated[str, Form(max_length=200)] = "",
    when: Annotated[str, Form(max_length=40)] = "",
    minutes: Annotated[str, Form(max_length=4)] = "3",
) -> Response:
    try:
        seconds = {"2": 120, "2.5": 150, "3": 180}.get(minutes.strip(), 0)
        opened = team.rings.open(member.id, name, _when(when), seconds)
    except FIXABLE as error:
        return _list_page(request, team, member, error.message, error.status)
    return _back(opened.id)


@router.get(PAGE + "/{ring_id}")
def ring_page(request: Request, team: TeamDep, member: CurrentMember, ring_id: int) -> HTMLResponse:
    return _ring_page(request, team, member, _ring_id(ring_id))


@router.post(PAGE + "/{ring_id}/join")
def join(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, ring_id: int
) -> Response:
    try:
        team.rings.join(member.id, _ring_id(ring_id))
    except Conflict as error:
        return _list_page(request, team, member, error.message, error.status)
    return _back(ring_id)


@router.post(PAGE + "/{ring_id}/ask")
def ask(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    ring_id: int,
    text: Annotated[str, Form(max_length=2000)] = "",
    due_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        team.rings.ask(member.id, _ring_id(ring_id), text, _due(due_on))
    except FIXABLE as error:
        return _ring_page(request, team, member, ring_id, error.message, error.status)
    return _back(ring_id, "#my-ask")


@router.post(PAGE + "/{ring_id}/offer")
def offer(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    ring_id: int,
    ask_id: Annotated[int, Form(ge=1, le=MAX_ID)] = 1,
    text: Annotated[str, Form(max_length=2000)] = "",
    introduce: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        team.rings.offer(member.id, _ring_id(ring_id), ask_id, text, introduce.strip() or None)
    except FIXABLE as error:
        return _ring_page(request, team, member, ring_id, error.message, error.status)
    return _back(ring_id, f"#ask-{ask_id}")


@router.post(PAGE + "/{ring_id}/withdraw")
def withdraw_offer(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    ring_id: int,
    offer_id: Annotated[int, Form(ge=1, le=MAX_ID)] = 1,
) -> Response:
    try:
        team.rings.withdraw_offer(member.id, _ring_id(ring_id), offer_id)
    except FIXABLE as error:
        return _ring_page(request, team, member, ring_id, error.message, error.status)
    return _back(ring_id)


@router.post(PAGE + "/{ring_id}/present")
def present(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    ring_id: int,
    ask_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        chosen = int(ask_id) if ask_id.strip().isdigit() else None
        team.rings.present(member.id, _ring_id(ring_id), chosen)
    except FIXABLE as error:
        return _ring_page(request, team, member, ring_id, error.message, error.status)
    return _back(ring_id)


@router.post(PAGE + "/{ring_id}/close")
def close(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, ring_id: int
) -> Response:
    try:
        team.rings.close(member.id, _ring_id(ring_id))
    except FIXABLE as error:
        return _ring_page(request, team, member, ring_id, error.message, error.status)
    return RedirectResponse(f"{PAGE}/{ring_id}/summary", status_code=303)


@router.get(PAGE + "/{ring_id}/summary")
def summary_page(
    request: Request, team: TeamDep, member: CurrentMember, ring_id: int
) -> HTMLResponse:
    found = team.rings.summary(member.id, _ring_id(ring_id))
    return page(request, "team_ring_summary.html", {"summary": found, "ring_id": ring_id})


# --- the REST API -----------------------------------------------------------------------------

api_router = APIRouter(prefix="/api/team", tags=["team"], responses=ERRORS)


@api_router.get("/rings", summary="Open ring sessions, and the closed ones you took part in")
def api_list(team: TeamDep, member: CurrentMember) -> list[RingLineOut]:
    return [RingLineOut.of(line) for line in team.rings.sessions(member.id)]


@api_router.post("/rings", status_code=201, summary="Open a ring session (organisers)")
def api_open(team: TeamDep, member: CurrentMember, body: OpenIn) -> RingOut:
    view = team.rings.open(member.id, body.name, _naive_utc(body.starts_at), body.present_seconds)
    return RingOut.of(view)


@api_router.get("/rings/{ring_id}", summary="A session you take part in")
def api_get(team: TeamDep, member: CurrentMember, ring_id: ItemId) -> RingOut:
    return RingOut.of(team.rings.get(member.id, ring_id))


@api_router.get(
    "/rings/{ring_id}/live",
    summary="What changed since the version you have (the live page polls this)",
)
def api_live(
    team: TeamDep,
    member: CurrentMember,
    ring_id: ItemId,
    since: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
) -> LiveOut:
    pulse = team.rings.pulse(member.id, ring_id)
    if since is not None and pulse.version == since:
        return LiveOut(
            version=since,
            changed=False,
            seconds_left=pulse.seconds_left,
            presenting=pulse.presenting,
            ring=None,
        )
    view = team.rings.get(member.id, ring_id)
    return LiveOut(
        version=view.version,
        changed=True,
        seconds_left=view.seconds_left,
        presenting=view.presenting,
        ring=RingOut.of(view),
    )


@api_router.post("/rings/{ring_id}/join", summary="Take part in an open session")
def api_join(team: TeamDep, member: CurrentMember, ring_id: ItemId) -> RingOut:
    return RingOut.of(team.rings.join(member.id, ring_id))


@api_router.post("/rings/{ring_id}/ask", summary="State your one ask (again: reword it)")
def api_ask(team: TeamDep, member: CurrentMember, ring_id: ItemId, body: AskIn) -> RingOut:
    return RingOut.of(team.rings.ask(member.id, ring_id, body.text, body.due_on))


@api_router.post(
    "/rings/{ring_id}/offers", status_code=201, summary="Offer help or an introduction"
)
def api_offer(team: TeamDep, member: CurrentMember, ring_id: ItemId, body: OfferIn) -> RingOut:
    view = team.rings.offer(member.id, ring_id, body.ask_id, body.text, body.introduce)
    return RingOut.of(view)


@api_router.post("/rings/{ring_id}/withdraw", summary="Take back one of your offers")
def api_withdraw(
    team: TeamDep, member: CurrentMember, ring_id: ItemId, body: WithdrawIn
) -> RingOut:
    return RingOut.of(team.rings.withdraw_offer(member.id, ring_id, body.offer_id))


@api_router.post("/rings/{ring_id}/present", summary="Mark the ask presented now (organiser)")
def api_present(team: TeamDep, member: CurrentMember, ring_id: ItemId, body: PresentIn) -> RingOut:
    return RingOut.of(team.rings.present(member.id, ring_id, body.ask_id))


@api_router.post(
    "/rings/{ring_id}/close",
    summary="Close it: each offer becomes commitments or an introduction (organiser)",
)
def api_close(team: TeamDep, member: CurrentMember, ring_id: ItemId) -> SummaryOut:
    return SummaryOut.of(team.rings.close(member.id, ring_id))


@api_router.get("/rings/{ring_id}/summary", summary="What you asked, were offered, offered")
def api_summary(team: TeamDep, member: CurrentMember, ring_id: ItemId) -> SummaryOut:
    return SummaryOut.of(team.rings.summary(member.id, ring_id))
