"""What routes depend on, declared once: the application, the signed-in account, the form
token check and paging (all ``async``: none of them blocks for long, and each sync
dependency would cost a trip through the thread pool on every request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Form, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie

from mutuality.core.errors import Forbidden, Unauthorized
from mutuality.services.accounts import Account
from mutuality.services.app import Mutuality
from mutuality.services.health.overview import MAX_PAGE
from mutuality.web.security import FORM_TOKEN_FIELD, SESSION_COOKIE, form_token, form_token_ok

if TYPE_CHECKING:
    from mutuality.services.team import Member, TeamService

MAX_ID = 2**53 - 1
"""The largest id the API takes: the largest integer every JSON reader keeps exactly (the
OpenAPI document writes bounds as JSON numbers, and a bound near 2**62 read back as a
double lets through ids past it)."""
MAX_OFFSET = 1_000_000_000


def _own_ledger(request: Request) -> Mutuality:
    """The server's own ledger (Starlette's state holds untyped values)."""
    ledger: Mutuality = request.app.state.mutuality
    return ledger


def _member(request: Request) -> Member | None:
    """The member found for this request, once looked up (``None`` when signed out)."""
    member: Member | None = request.state.member
    return member


async def get_app(request: Request) -> Mutuality:
    """The ledger a request works in: the app's own, or in team mode the signed-in member's
    private ledger (401 without a member session), so that every route serves each member
    unchanged and the store, not the route, keeps members apart."""
    team: TeamService | None = request.app.state.team
    if team is None:
        return _own_ledger(request)
    member = await signed_in_member(request)
    if member is None:
        raise Unauthorized("sign in first", field="session")
    ledger: Mutuality = request.state.mutuality
    return ledger


async def signed_in_member(request: Request) -> Member | None:
    """Team mode: the member whose session cookie came with the request (looked up once a
    request), their ledger kept in ``request.state.mutuality``; ``None`` when signed out."""
    if hasattr(request.state, "member"):
        return _member(request)
    from mutuality.web.team import member_and_ledger

    token = session_token(request)
    found = await run_in_threadpool(member_and_ledger, request.app.state.team, token)
    request.state.member = found[0] if found else None
    if found and token:
        request.state.mutuality = found[1]
        request.state.csrf = form_token(token)
    return _member(request)


def ledger_of(request: Request) -> Mutuality:
    """The request's ledger for code that has only the request (after :func:`get_app` ran).
    In team mode never the server's own connection, which sees every ledger."""
    if request.app.state.team is None:
        return _own_ledger(request)
    found: Mutuality | None = getattr(request.state, "mutuality", None)
    if found is None:
        raise Unauthorized("sign in first", field="session")
    return found


AppDep = Annotated[Mutuality, Depends(get_app)]


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


SESSION = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="The session cookie that `POST /api/session` sets.",
)
"""Declares the session cookie in the OpenAPI document (every route that needs it says
so); the check itself is :func:`current_account`'s."""


async def current_account(
    request: Request, app: AppDep, _cookie: Annotated[str | None, Security(SESSION)] = None
) -> Account:
    """The signed-in account; API callers get 401, pages a redirect to the login page.

    Dependencies are ``async`` so that FastAPI does not send each to the thread pool: this
    one is a lookup kept until the next write (:meth:`AccountService.session`)."""
    token = session_token(request)
    member = getattr(request.state, "member", None)
    if member is not None and token is not None:  # team mode: get_app found the member
        return Account(member.id, 0, has_password=True)
    account = app.accounts.session(token)
    if account is None or token is None:
        raise Unauthorized("sign in first", field="session")
    request.state.csrf = form_token(token)
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


async def link_app(request: Request, token: str) -> Mutuality:
    """The ledger that holds the private check-in link ``token``: the app's own, or in team
    mode the member ledger that made it (:func:`mutuality.web.team.ledger_for_link`)."""
    team: TeamService | None = request.app.state.team
    if team is None:
        return _own_ledger(request)
    from mutuality.web.team import ledger_for_link

    return await run_in_threadpool(ledger_for_link, team, token)


LinkApp = Annotated[Mutuality, Depends(link_app)]


async def checked_form(
    request: Request,
    _account: CurrentAccount,
    csrf_token: Annotated[str, Form(alias=FORM_TOKEN_FIELD)] = "",
) -> None:
    """A form post from this app's own page: it carries this session's form token."""
    if not form_token_ok(session_token(request), csrf_token):
        raise Forbidden(
            "the form has expired or came from elsewhere; reload the page", field=FORM_TOKEN_FIELD
        )


CheckedForm = Annotated[None, Depends(checked_form)]

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="A person's id.")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
