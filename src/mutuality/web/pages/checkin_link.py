"""The private check-in page (``/c/{token}``): the other person answers a few questions
(how satisfied they are, what would make it better for them, whether they would like to
hear what would make it better for me, who gets the better deal), with no account. It
shows only the first name the owner chose (no name at all while the owner's is the
placeholder "Me"), and nothing else about anyone. Unknown, expired and used links get the
same "not valid" page (a second answer to a link that was used gets "already answered");
every failure counts against the client's rate limit, so guessing tokens is refused long
before it could succeed. Looking at the page does not use the link up; answering does.

What they say would make it better waits for me as a wish, like any other: an answer
through the link never makes a promise on my behalf."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from mutuality.core.checkins import EQUITY, RECIPROCAL_QUESTION, SATISFACTION
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.services.owner import is_placeholder
from mutuality.web.deps import LinkApp
from mutuality.web.pages import whole
from mutuality.web.render import page
from mutuality.web.security import client_key

router = APIRouter(include_in_schema=False)

_THEIR_EQUITY = {value: text for value, text in EQUITY.items()}
_WOULD_HEAR = {"yes": True, "no": False, "": None}
_ASK_AGAIN = {
    "satisfaction": "Please choose how satisfied you are, from 1 to 5.",
    "equity": "Please choose one of the answers about who gets the better deal, or none.",
    "would_hear": "Please answer yes or not now, or leave it.",
}
"""What the other person reads when an answer is missing or malformed: plain words about
the question on their page (the service's messages are written for the owner)."""


def _form(
    request: Request,
    token: str,
    first_name: str | None,
    error: str | None = None,
    status: int = 200,
    error_field: str | None = None,
) -> HTMLResponse:
    if is_placeholder(first_name):  # "Me", "myself": the page then speaks without a name
        first_name = None
    reciprocal = (
        f"Would you like to hear what would make it better for {first_name}?"
        if first_name
        else RECIPROCAL_QUESTION
    )
    return page(
        request,
        "checkin_link.html",
        {
            "token": token,
            "first_name": first_name,
            "reciprocal": reciprocal,
            "error": error,
            "error_field": error_field,
            "satisfaction": SATISFACTION,
            "equity": _THEIR_EQUITY,
            "done": False,
        },
        status=status,
    )


def _gone(request: Request, message: str, status: int) -> HTMLResponse:
    return page(
        request,
        "checkin_link.html",
        {"done": True, "message": message, "error": None, "error_field": None},
        status=status,
    )


@router.get("/c/{token}")
def checkin_form(request: Request, app: LinkApp, token: str) -> HTMLResponse:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        first_name = app.checkins.link_name(token)
    except NotFound:
        limiter.failed(key)
        return _gone(request, "This link is not valid.", 404)
    return _form(request, token, first_name)


@router.post("/c/{token}")
def checkin_answer(
    request: Request,
    app: LinkApp,
    token: str,
    satisfaction: Annotated[str, Form(max_length=10)] = "",
    better: Annotated[str, Form(max_length=4000)] = "",
    equity: Annotated[str, Form(max_length=10)] = "",
    message: Annotated[str, Form(max_length=4000)] = "",
    would_hear: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    limiter = request.app.state.limiter
    key = client_key(request)
    limiter.check(key)
    try:
        if would_hear not in _WOULD_HEAR:
            raise InvalidInput(
                "answer yes or no (or leave it) to whether you would like to hear more",
                field="would_hear",
                value=would_hear,
            )
        app.checkins.answer_link(
            token,
            satisfaction=whole(satisfaction, "satisfaction"),
            better=better or None,
            equity=whole(equity, "equity"),
            message=message or None,
            would_hear=_WOULD_HEAR[would_hear],
        )
    except Conflict:
        return _gone(request, "This check-in was already answered. Thank you.", 410)
    except NotFound:
        limiter.failed(key)
        return _gone(request, "This link is not valid.", 404)
    except InvalidInput as error:
        try:
            first_name = app.checkins.link_name(token)
        except NotFound:
            return _gone(request, "This link is not valid.", 404)
        shown = _ASK_AGAIN.get(error.field or "", error.message)
        return _form(request, token, first_name, shown, 422, error.field)
    return _gone(request, "Thank you: your answer has been sent.", 200)
