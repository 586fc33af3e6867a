"""Team mode in the web app: members sign in with their email and password, join through
an invitation, and every page and API route then works in the signed-in member's own
private ledger (:func:`mutuality.web.deps.get_app`); ``/team`` lists the members and lets
an organiser invite, remove and hand over the role.

The app is in team mode only when its database holds a community (:func:`team_of`); the
single-user app keeps its own sign-in (:mod:`mutuality.web.pages.auth`). Sessions use the
same cookie, form tokens and rate limit as the single-user app (:mod:`.security`); the
team service stores only hashes of every token and password.

A private check-in link (``/c/<token>``) is found through each member's own ledger in turn
(:func:`ledger_for_link`): no table outside the ledgers names it, and the lookup never
reads another member's rows, because each is made inside that member's scoped ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field

from mutuality.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    MutualityError,
    NotFound,
    Unauthorized,
)
from mutuality.services.accounts import MIN_PASSWORD, SESSION_DAYS, well_formed
from mutuality.services.app import Mutuality
from mutuality.services.team import Member, TeamInvite, TeamService
from mutuality.web.api import ERRORS
from mutuality.web.deps import (
    MAX_ID,
    CheckedForm,
    CurrentAccount,
    session_token,
    signed_in_member,
)
from mutuality.web.links import link_address
from mutuality.web.pages import safe_next
from mutuality.web.render import page
from mutuality.web.schemas.common import Input
from mutuality.web.schemas.session import SessionOut
from mutuality.web.security import clear_session_cookie, client_key, session_cookie

ROLE_NAMES = {"organiser": "Organiser", "member": "Member"}


def team_of(mutuality: Mutuality) -> TeamService | None:
    """The community's service when ``mutuality``'s database holds a community, else
    ``None`` (a personal ledger, SQLite included): the app is then the single-user one."""
    database = mutuality.database
    if database.is_sqlite or database.ledger is not None:
        return None
    team = mutuality.team
    try:
        team.community()
    except NotFound:
        return None
    return team


def member_and_ledger(team: TeamService, token: str | None) -> tuple[Member, Mutuality] | None:
    """The member signed in with session ``token`` and their private ledger, or ``None``."""
    if not well_formed(token):
        return None
    try:
        member = team.member_for(token or "")
    except NotFound:
        return None
    return member, team.ledger(member.id)


def ledger_for_link(team: TeamService, token: str) -> Mutuality:
    """The member ledger that made check-in link ``token``, asked of each member's own
    scoped ledger in turn. When none did, any member's ledger answers: it holds no such
    link either, so the page says "not valid" exactly as for a wrong token."""
    ledgers = [team.ledger(member.id) for member in team.members()]
    if not ledgers:
        raise NotFound("this link is not valid", field="token")
    if well_formed(token):
        for ledger in ledgers:
            if ledger.checkins.holds_link(token):
                return ledger
    return ledgers[0]


def team_routers(
    pages: Sequence[APIRouter], api: Sequence[APIRouter]
) -> tuple[list[APIRouter], list[APIRouter]]:
    """The page and API routers of team mode: the team's sign-in, join and team pages and
    its ``/api/session`` in place of the single-user ones, the two-sided exchanges'
    (:mod:`.team_confirmations`), every other router as it is."""
    from mutuality.web import (
        board_team,
        team_confirmations,
        team_hours,
        team_introductions,
        team_ring,
    )
    from mutuality.web.api import session as api_session
    from mutuality.web.pages import auth

    return (
        [
            router,
            team_confirmations.router,
            team_introductions.router,
            team_ring.router,
            team_hours.router,
            board_team.router,
            *(r for r in pages if r is not auth.router),
        ],
        [
            api_router,
            team_confirmations.api_router,
            team_introductions.api_router,
            team_ring.api_router,
            team_hours.api_router,
            board_team.api_router,
            *(r for r in api if r is not api_session.router),
        ],
    )


router = APIRouter(include_in_schema=False)


def the_team(request: Request) -> TeamService:
    return request.app.state.team  # type: ignore[no-any-return]  # Starlette's state is untyped


TeamDep = Annotated[TeamService, Depends(the_team)]


async def current_member(request: Request, _: CurrentAccount) -> Member:
    """The signed-in member (after the session check every signed-in route makes)."""
    return request.state.member  # type: ignore[no-any-return]  # Starlette's state is untyped


CurrentMember = Annotated[Member, Depends(current_member)]


def _login_page(
    request: Request, error: str | None, email: str, next: str, status: int = 200
) -> HTMLResponse:
    context = {"team": True, "error": error, "email": email, "next": safe_next(next)}
    return page(request, "login.html", context, status=status)


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    if await signed_in_member(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, None, "", next)


def _start_session(
    request: Request, team: TeamService, response: Response, email: str, password: str
) -> Response:
    """Sign in (ending the session the browser had) and set the session cookie."""
    previous = session_token(request)
    signed = team.sign_in(email, password)
    if well_formed(previous):
        team.sign_out(previous or "")
    session_cookie(response, signed.token, SESSION_DAYS * 86400)
    return response


@router.post("/login")
def login(
    request: Request,
    team: TeamDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        response = _start_session(
            request, team, RedirectResponse(safe_next(next), status_code=303), email, password
        )
    except (Unauthorized, NotFound, InvalidInput):
        limiter.failed(key)
        message = "that email and password do not match a member of this community"
        return _login_page(request, message, email, next, status=401)
    limiter.succeeded(key)
    return response


@router.post("/logout")
def logout(request: Request, team: TeamDep, _: CheckedForm) -> Response:
    team.sign_out(session_token(request) or "")
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


def _join_page(
    request: Request,
    team: TeamService,
    token: str,
    error: str | None = None,
    name: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The join form, or the same "not valid" page for an unknown, used or expired link."""
    try:
        invited = team.invitation(token) if well_formed(token) else None
    except (Forbidden, NotFound):
        invited = None
    if invited is None:
        request.app.state.limiter.failed(client_key(request))
        return page(request, "join.html", {"invited": None}, status=404)
    context = {
        "invited": invited,
        "token": token,
        "error": error,
        "name": invited.display_name or "" if name is None else name,
        "min_length": MIN_PASSWORD,
    }
    return page(request, "join.html", context, status=status)


@router.get("/join/{token}")
def join_form(request: Request, team: TeamDep, token: str) -> Response:
    """Looking at the invitation does not use it up; joining does."""
    request.app.state.limiter.check(client_key(request))
    return _join_page(request, team, token)


@router.post("/join/{token}")
def join(
    request: Request,
    team: TeamDep,
    token: str,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    confirm: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    request.app.state.limiter.check(client_key(request))
    if password != confirm:
        return _join_page(request, team, token, "the two passwords differ", name, status=422)
    try:
        member = team.join(token, password, name.strip() or None)
    except InvalidInput as error:
        return _join_page(request, team, token, error.message, name, status=422)
    except (Forbidden, NotFound, Conflict):
        return _join_page(request, team, token)
    response = RedirectResponse("/", status_code=303)
    return _start_session(request, team, response, member.email, password)


def _base(request: Request) -> str:
    """Where join links start: the public address when set, else where the app is served."""
    return link_address(request.app.state.settings.public_url, str(request.base_url)).base


def _team_page(
    request: Request,
    team: TeamService,
    member: Member,
    invited: TeamInvite | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Who belongs (names and roles only: nothing from anyone's ledger)."""
    members = [
        {
            "id": m.id,
            "name": m.display_name,
            "role": ROLE_NAMES.get(m.role, m.role),
            "organiser": m.role == "organiser",
            "you": m.id == member.id,
        }
        for m in team.members()
    ]
    context = {
        "community": team.community().name,
        "members": members,
        "organiser": member.role == "organiser",
        "invited": invited,
        "invite_link": f"{_base(request)}/join/{invited.token}" if invited else None,
        "error": error,
    }
    return page(request, "team.html", context, status=status)


@router.get("/team")
def team_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _team_page(request, team, member)


def _refused(
    request: Request, team: TeamService, member: Member, error: MutualityError
) -> HTMLResponse:
    return _team_page(request, team, member, error=error.message, status=error.status)


@router.post("/team/invite")
def invite(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "member",
) -> Response:
    """The link is shown to the organiser, and emailed too when the server can send mail."""
    try:
        invited = team.invite(member.id, email, role, name.strip() or None, _base(request))
    except MutualityError as error:
        return _refused(request, team, member, error)
    return _team_page(request, team, member, invited=invited)


@router.post("/team/members/{member_id}/remove")
def remove(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, member_id: int
) -> Response:
    if not 1 <= member_id <= MAX_ID:
        raise NotFound("no such member", field="member", value=member_id)
    try:
        team.remove(member.id, member_id)
    except MutualityError as error:
        return _refused(request, team, member, error)
    return RedirectResponse("/team", status_code=303)


@router.post("/team/members/{member_id}/organiser")
def hand_over(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, member_id: int
) -> Response:
    if not 1 <= member_id <= MAX_ID:
        raise NotFound("no such member", field="member", value=member_id)
    try:
        team.hand_over(member.id, member_id)
    except MutualityError as error:
        return _refused(request, team, member, error)
    return RedirectResponse("/team", status_code=303)


# --- the API's session ------------------------------------------------------------------------

api_router = APIRouter(prefix="/api", tags=["session"], responses=ERRORS)


class MemberSessionIn(Input):
    email: str = Field(max_length=320)
    password: str = Field(max_length=4096)


@api_router.post("/session", summary="Sign in as a member; the answer sets the session cookie")
def api_sign_in(
    team: TeamDep, request: Request, response: Response, body: MemberSessionIn
) -> SessionOut:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        _start_session(request, team, response, body.email, body.password)
    except (Unauthorized, NotFound, InvalidInput):
        limiter.failed(key)
        raise Unauthorized(
            "that email and password do not match a member of this community", field="password"
        ) from None
    limiter.succeeded(key)
    return SessionOut(signed_in=True)


@api_router.delete("/session", summary="Sign out: the session ends on the server")
def api_sign_out(team: TeamDep, request: Request, response: Response) -> SessionOut:
    token = session_token(request)
    if well_formed(token):
        team.sign_out(token or "")
    clear_session_cookie(response)
    return SessionOut(signed_in=False)


@api_router.get("/ping", summary="Whether the server is up (no sign-in needed)")
def ping() -> dict[str, bool]:
    return {"ok": True}
