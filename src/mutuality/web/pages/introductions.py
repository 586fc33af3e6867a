"""The introductions board: every introduction with both sides, the reason, its state and
each side's consent, and buttons for the steps :class:`IntroductionService` allows next.

The service holds the rules; a refused step (out of order, say) is shown on the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.core.introductions import OPEN_STATUSES, Consent, IntroStatus
from mutuality.services.app import Mutuality
from mutuality.services.introductions.service import IntroDetail
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount, ItemId
from mutuality.web.pages import Small, Text
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
Side = Annotated[Literal["a", "b"], Form()]
FIELDS = ("a", "b", "reason")


@dataclass(frozen=True, slots=True)
class SideView:
    """One side of an introduction as the page shows it, with the steps open to it."""

    key: str
    name: str
    consent: str
    can_ask: bool
    can_answer: bool


@dataclass(frozen=True, slots=True)
class IntroView:
    detail: IntroDetail
    sides: tuple[SideView, SideView]
    can_make: bool
    can_log_outcome: bool
    can_withdraw: bool


def intro_view(detail: IntroDetail) -> IntroView:
    """Which buttons to show: the steps the rules in :mod:`mutuality.core.introductions`
    accept from this state (the service checks them again on every post)."""
    intro = detail.introduction
    asking = intro.status in (IntroStatus.PROPOSED, IntroStatus.ASKING)
    sides = []
    for key, name, consent in (("a", detail.a, intro.a_consent), ("b", detail.b, intro.b_consent)):
        answered = consent in (Consent.YES, Consent.NO)
        sides.append(
            SideView(
                key=key,
                name=name,
                consent=consent.value if consent else "not asked",
                can_ask=asking and consent is None,
                can_answer=asking and not answered,
            )
        )
    return IntroView(
        detail=detail,
        sides=(sides[0], sides[1]),
        can_make=intro.status is IntroStatus.AGREED,
        can_log_outcome=intro.status is IntroStatus.MADE,
        can_withdraw=intro.status in OPEN_STATUSES,
    )


def intros_page(
    request: Request,
    app: Mutuality,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
    notice: str | None = None,
) -> HTMLResponse:
    context = {
        "intros": [intro_view(d) for d in app.introductions.list()],
        "values": {key: (values or {}).get(key) or "" for key in FIELDS},
        "error": error,
        "notice": notice,
        "signed": app.owner.name().is_set,
    }
    return page(request, "introductions.html", context, status=status)


@router.get("/introductions")
def introductions(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    proposed: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    notice = None
    if proposed is not None:  # arriving from a match suggestion's "Propose this introduction"
        detail = app.introductions.get(proposed)
        notice = (
            f"Proposed: {detail.a} and {detail.b}. Nothing has been sent yet; ask each of "
            "them below whether they would like to meet."
        )
    return intros_page(request, app, notice=notice)


@router.post("/introductions")
def propose(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    a: Small = "",
    b: Small = "",
    reason: Text = "",
) -> Response:
    values = dict(a=a, b=b, reason=reason)
    try:
        app.introductions.propose(a, b, reason=reason.strip() or None)
    except MutualityError as error:
        return intros_page(request, app, values, str(error), error.status)
    return RedirectResponse("/introductions", status_code=303)


def _step(request: Request, app: Mutuality, action: Callable[[], IntroDetail]) -> Response:
    """Run one step; a refusal re-renders the board with the service's message."""
    try:
        detail = action()
    except MutualityError as error:
        return intros_page(request, app, error=str(error), status=error.status)
    return RedirectResponse(f"/introductions#intro-{detail.introduction.id}", status_code=303)


def _side_id(app: Mutuality, intro_id: int, side: str) -> int:
    intro = app.introductions.get(intro_id).introduction
    return intro.a_id if side == "a" else intro.b_id


@router.post("/introductions/{intro_id}/ask")
def ask(request: Request, app: AppDep, _: CheckedForm, intro_id: ItemId, side: Side) -> Response:
    # People are named by id (resolve takes an int), so two people with one name still work.
    return _step(
        request, app, lambda: app.introductions.ask(intro_id, _side_id(app, intro_id, side))
    )


@router.post("/introductions/{intro_id}/consent")
def consent(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    intro_id: ItemId,
    side: Side,
    answer: Annotated[Literal["yes", "no"], Form()],
    note: Text = "",
) -> Response:
    return _step(
        request,
        app,
        lambda: app.introductions.answer(
            intro_id,
            _side_id(app, intro_id, side),
            yes=answer == "yes",
            note=note.strip() or None,
        ),
    )


@router.post("/introductions/{intro_id}/make")
def make(request: Request, app: AppDep, _: CheckedForm, intro_id: ItemId) -> Response:
    return _step(request, app, lambda: app.introductions.make(intro_id))


@router.post("/introductions/{intro_id}/outcome")
def outcome(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    intro_id: ItemId,
    outcome: Text = "",
    need_met: Annotated[bool, Form()] = False,
) -> Response:
    return _step(
        request, app, lambda: app.introductions.log_outcome(intro_id, outcome, need_met=need_met)
    )


@router.post("/introductions/{intro_id}/withdraw")
def withdraw(
    request: Request, app: AppDep, _: CheckedForm, intro_id: ItemId, note: Text = ""
) -> Response:
    return _step(request, app, lambda: app.introductions.withdraw(intro_id, note.strip() or None))
