"""``/api/session``: sign in with the password (a session cookie), sign out; ``/api/ping``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from mutuality.core.errors import Unauthorized
from mutuality.services.accounts import SESSION_DAYS
from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, session_token
from mutuality.web.schemas.session import SessionIn, SessionOut
from mutuality.web.security import clear_session_cookie, client_key, session_cookie

router = APIRouter(prefix="/api", tags=["session"], responses=ERRORS)


@router.post("/session", summary="Sign in; the answer sets the session cookie")
def sign_in(app: AppDep, request: Request, response: Response, body: SessionIn) -> SessionOut:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        signed = app.accounts.sign_in(body.password, previous=session_token(request))
    except Unauthorized:
        limiter.failed(key)
        raise
    limiter.succeeded(key)
    session_cookie(response, signed.token, SESSION_DAYS * 86400)
    return SessionOut(signed_in=True, expires_at=signed.expires_at)


@router.delete("/session", summary="Sign out: the session ends on the server")
def sign_out(app: AppDep, request: Request, response: Response) -> SessionOut:
    app.accounts.sign_out(session_token(request))
    clear_session_cookie(response)
    return SessionOut(signed_in=False)


@router.get("/ping", summary="Whether the server is up (no sign-in needed)")
def ping() -> dict[str, bool]:
    return {"ok": True}
