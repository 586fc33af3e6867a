"""Signing in: the one-time link that sets the password, the password form, signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import Forbidden, InvalidInput, Unauthorized
from mutuality.services.accounts import MIN_PASSWORD, SESSION_DAYS
from mutuality.web.deps import AppDep, CheckedForm, session_token
from mutuality.web.pages import safe_next
from mutuality.web.render import page
from mutuality.web.security import clear_session_cookie, client_key, session_cookie

router = APIRouter(include_in_schema=False)


def _signed_in(response: Response, token: str) -> Response:
    session_cookie(response, token, SESSION_DAYS * 86400)
    return response


@router.get("/login")
def login_form(request: Request, app: AppDep, next: str = "/") -> Response:
    if app.accounts.session(session_token(request)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(
        request,
        "login.html",
        {"needs_password": app.accounts.needs_password(), "next": safe_next(next), "error": None},
    )


@router.post("/login")
def login(
    request: Request,
    app: AppDep,
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        signed = app.accounts.sign_in(password, previous=session_token(request))
    except Unauthorized as error:
        limiter.failed(key)
        context = {"needs_password": False, "next": safe_next(next), "error": error.message}
        return page(request, "login.html", context, status=401)
    limiter.succeeded(key)
    return _signed_in(RedirectResponse(safe_next(next), status_code=303), signed.token)


def _link_page(request: Request, token: str, error: str | None, status: int = 200) -> HTMLResponse:
    context = {"token": token, "error": error, "min_length": MIN_PASSWORD}
    return page(request, "link.html", context, status=status)


@router.get("/login/link/{token}")
def link_form(request: Request, app: AppDep, token: str) -> Response:
    """Looking at the link does not use it up; choosing the password does."""
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        app.accounts.check_link(token)
    except Forbidden:
        limiter.failed(key)
        raise
    return _link_page(request, token, None)


@router.post("/login/link/{token}")
def use_link(
    request: Request,
    app: AppDep,
    token: str,
    password: Annotated[str, Form(max_length=4096)] = "",
    confirm: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    if password != confirm:
        app.accounts.check_link(token)
        return _link_page(request, token, "the two passwords differ", status=422)
    try:
        signed = app.accounts.use_link(token, password)
    except InvalidInput as error:
        return _link_page(request, token, error.message, status=422)
    except Forbidden:
        limiter.failed(key)
        raise
    return _signed_in(RedirectResponse("/", status_code=303), signed.token)


@router.post("/logout")
def logout(request: Request, app: AppDep, _: CheckedForm) -> Response:
    app.accounts.sign_out(session_token(request))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response
