"""The requests page: open requests with the decision rule's proposal and its reason, forms
to record an ask (theirs of me, or mine of them) and to decide, the ones I said no or later
to with a kind decline, and the commitments due with keep and break buttons.

:class:`RequestService` and :class:`CommitmentService` hold every rule; a refusal is shown
on the page with the service's message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import InvalidInput, MutualityError
from mutuality.core.model import ExchangeKind
from mutuality.core.requests import Decision
from mutuality.services.app import Mutuality
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount, ItemId
from mutuality.web.pages import Small, Text, number
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
FIELDS = ("direction", "person", "text", "benefit", "cost", "due", "kind")
KEPT_IN_MIND = 20
"""How many requests said no or later to are shown, newest first."""


def requests_page(
    request: Request,
    app: Mutuality,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    asked = app.requests.list()
    still_open = [r for r in asked if r.status == "open"]
    declined = [r for r in asked if r.decision in (Decision.NO, Decision.LATER)][:KEPT_IN_MIND]
    commitments = app.commitments.list()
    involved = [r.person_id for r in (*still_open, *declined)] + [c.person_id for c in commitments]
    names = app.needs.names(involved)
    shown = {key: (values or {}).get(key) or "" for key in FIELDS}
    context = {
        "open_requests": still_open,
        "declined": [(r, app.requests.decline_draft(r.id)) for r in declined],
        "commitments": commitments,
        "names": names,
        "values": shown,
        "error": error,
        "kinds": [k.value for k in ExchangeKind],
        "decisions": [d.value for d in Decision],
    }
    return page(request, "requests.html", context, status=status)


@router.get("/requests")
def requests(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    return requests_page(request, app)


def points(text: str, field: str) -> float:
    """A form's 0-10 figure: the service checks the range, this only that one was given."""
    found = number(text, field)
    if found is None:
        raise InvalidInput(f"{field} is needed: a figure from 0 to 10", field=field)
    return found


@router.post("/requests")
def ask(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    direction: Small = "to_me",
    person: Small = "",
    text: Text = "",
    benefit: Small = "",
    cost: Small = "",
    due: Small = "",
    kind: Small = "",
) -> Response:
    values = dict(
        direction=direction,
        person=person,
        text=text,
        benefit=benefit,
        cost=cost,
        due=due,
        kind=kind,
    )
    try:
        app.requests.ask(
            person,
            text,
            benefit=points(benefit, "benefit"),
            cost=points(cost, "cost"),
            due=due.strip() or None,
            kind=kind.strip() or None,
            from_me=direction == "from_me",
        )
    except MutualityError as error:
        return requests_page(request, app, values, str(error), error.status)
    return RedirectResponse("/requests", status_code=303)


def _step(request: Request, app: Mutuality, action: Callable[[], object]) -> Response:
    """Run one change; a refusal re-renders the page with the service's message."""
    try:
        action()
    except MutualityError as error:
        return requests_page(request, app, error=str(error), status=error.status)
    return RedirectResponse("/requests", status_code=303)


@router.post("/requests/{request_id}/decide")
def decide(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    request_id: ItemId,
    decision: Small = "",
    third_option: Text = "",
    due: Small = "",
    not_agreed: Small = "",
) -> Response:
    """An empty decision accepts the proposal, as ``ask decide --accept`` does; a third
    option is agreed (a commitment) unless the form says it is only offered."""
    return _step(
        request,
        app,
        lambda: app.requests.decide(
            request_id,
            decision.strip() or None,
            third_option=third_option.strip() or None,
            due=due.strip() or None,
            agreed=not not_agreed,
        ),
    )


@router.post("/requests/commitments/{commitment_id}/keep")
def keep(request: Request, app: AppDep, _: CheckedForm, commitment_id: ItemId) -> Response:
    return _step(request, app, lambda: app.commitments.keep(commitment_id))


@router.post("/requests/commitments/{commitment_id}/break")
def break_(request: Request, app: AppDep, _: CheckedForm, commitment_id: ItemId) -> Response:
    return _step(request, app, lambda: app.commitments.break_(commitment_id))
