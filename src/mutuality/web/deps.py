"""What routes depend on, declared once: the application, the signed-in account, the form
token check and paging (all ``async``: none of them blocks for long, and each sync
dependency would cost a trip through the thread pool on every request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Path, Query, Request, Security
from fastapi.security import APIKeyCookie

from mutuality.core.errors import Forbidden, Unauthorized
from mutuality.services.accounts import Account
from mutuality.services.app import Mutuality
from mutuality.services.overview import MAX_PAGE
from mutuality.web.security import FORM_TOKEN_FIELD, SESSION_COOKIE, form_token, form_token_ok

MAX_ID = 2**53 - 1
"""The largest id the API takes: the largest integer every JSON reader keeps exactly (the
OpenAPI document writes bounds as JSON numbers, and a bound near 2**62 read back as a
double lets through ids past it)."""
MAX_OFFSET = 1_000_000_000


async def get_app(request: Request) -> Mutuality:
    return request.app.state.mutuality  # type: ignore[no-any-return]


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
    account = app.accounts.session(token)
    if account is None or token is None:
        raise Unauthorized("sign in first", field="session")
    request.state.csrf = form_token(token)
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


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
