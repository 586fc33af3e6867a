"""Errors at the web edge, rendered in one place: JSON under ``/api``, a plain page otherwise.

A :class:`~mutuality.core.errors.MutualityError` keeps its status and its ``to_dict()``
shape (``error``, ``message``, ``field``, ``value``, ``location``); request validation
problems and unknown routes get the same shape. Anything unexpected is a generic 500 with
no stack trace and no data, and the log records only the error's type and the route.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError, TooManyAttempts
from mutuality.web.security import SESSION_COOKIE, form_token

log = logging.getLogger("mutuality.web")

HTTP_NAMES = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed", 413: "TooLarge"}
TITLES = {
    400: "Bad request",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    422: "Check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "The database is unavailable",
}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def error_body(
    error: str, message: str, field: str | None = None, value: Any = None
) -> dict[str, Any]:
    return {"error": error, "message": message, "field": field, "value": value, "location": None}


def page_token(request: Request) -> str:
    """The form token of a signed-in visitor ("" for anyone else), so that an error page
    keeps the navigation and the sign-out button. A route that checked the session set it
    already; an unknown address did not, so the session cookie is looked up here."""
    known = getattr(request.state, "csrf", "")
    if known:
        return str(known)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return ""
    try:
        team = request.app.state.team  # team mode: a member's session
        account = (
            team.member_for(token)
            if team is not None
            else request.app.state.mutuality.accounts.session(token)
        )
    except Exception:  # an error page must not fail in turn (the database may be down)
        return ""
    return form_token(token) if account is not None else ""


def render_error(
    request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    environment = request.app.state.templates
    csrf = page_token(request)
    html = environment.get_template("error.html").render(
        title=TITLES.get(status, "Error"),
        status=status,
        message=body.get("message", ""),
        signed_in=bool(csrf),
        team_mode=getattr(request.app.state, "team", None) is not None,
        csrf=csrf,
        request_path=request.url.path,
    )
    return HTMLResponse(html, status_code=status, headers=headers)


async def domain_error(request: Request, error: MutualityError) -> Response:
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
    )
    return render_error(request, error.status, error.to_dict(), headers)


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    """Bad request data gets 422 naming the first bad field (``body.kind``, ``query.limit``)."""
    problems = error.errors()
    first = problems[0] if problems else {"loc": (), "msg": "invalid request"}
    where = [str(part) for part in first.get("loc", ())]
    field = ".".join(where[1:]) if len(where) > 1 else (where[0] if where else None)
    message = f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg"))
    value = first.get("input")
    body = error_body(
        "InvalidInput", message, field, None if isinstance(value, dict | list) else value
    )
    body["location"] = where[0] if where else None
    if value is not None and not isinstance(body["value"], str | None):
        body["value"] = str(value)
    return render_error(request, 422, body)


async def http_error(request: Request, error: HTTPException) -> Response:
    status = error.status_code
    name = HTTP_NAMES.get(status, "HTTPError")
    message = "no such page" if status == 404 else str(error.detail)
    return render_error(request, status, error_body(name, message), getattr(error, "headers", None))


async def internal_error(request: Request, error: Exception) -> Response:
    """No stack trace, no data: the message of a database error may hold what was written."""
    debug = getattr(request.app.state, "debug", False)
    route = request.scope.get("route")
    log.error(
        "internal error %s on %s %s",
        type(error).__name__,
        request.method,
        route.path if route else "?",
        exc_info=error if debug else None,
    )
    return render_error(request, 500, error_body("InternalError", "internal error"))


def install(app: FastAPI) -> None:
    # Starlette types a handler as taking any Exception, though it calls each one only with
    # the class it is registered for.
    app.add_exception_handler(MutualityError, domain_error)  # type: ignore[arg-type]  # Starlette wants any Exception
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]  # Starlette wants any Exception
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]  # Starlette wants any Exception
