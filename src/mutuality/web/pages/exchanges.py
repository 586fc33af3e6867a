"""Logging exchanges and contacts from forms, unlogging, and closing commitments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.core.model import ExchangeKind
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonRef
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount, ItemId, PersonId
from mutuality.web.pages import Small, Text, number, split_list
from mutuality.web.pages.people import exchange_values, person_page
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)


def log_form(
    request: Request, values: dict[str, Any], error: str | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "values": exchange_values(values),
        "error": error,
        "kinds": [k.value for k in ExchangeKind],
        "action": "/log",
        "ask_person": True,
    }
    return page(request, "exchange_form.html", context, status=status)


@router.get("/log")
def log_page(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    person: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    name = app.people.get(person).person.name if person else ""
    return log_form(request, {"person": name})


def _log(app: Mutuality, who: PersonRef, values: dict[str, str]) -> tuple[int, int]:
    """Log from a form's text; returns (person id, exchange id)."""
    direction = Direction.GOT if values["direction"] == "got" else Direction.GAVE
    exchange = app.ledger.log(
        who,
        direction,
        kind=values["kind"],
        what=values["description"],
        benefit=number(values["benefit"], "benefit"),
        cost=number(values["cost"], "cost"),
        on=values["on"] or None,
        tags=split_list(values["tags"]),
        outcome=values["outcome"] or None,
        private_note=values["note"] or None,
        initiated_by=values["by"] or None,
        hours=number(values["hours"], "hours"),
    )
    other = exchange.receiver_id if direction is Direction.GAVE else exchange.giver_id
    return other, exchange.id


def exchange_fields(
    direction: Small = "gave",
    kind: Small = "",
    description: Text = "",
    on: Small = "",
    benefit: Small = "",
    cost: Small = "",
    hours: Small = "",
    by: Small = "",
    tags: Text = "",
    outcome: Text = "",
    note: Text = "",
) -> dict[str, str]:
    """The fields of the exchange form, declared once for both places that take it."""
    return dict(
        direction=direction,
        kind=kind,
        description=description,
        on=on,
        benefit=benefit,
        cost=cost,
        hours=hours,
        by=by,
        tags=tags,
        outcome=outcome,
        note=note,
    )


ExchangeFields = Annotated[dict[str, str], Depends(exchange_fields)]


@router.post("/log")
def log_exchange(
    request: Request, app: AppDep, _: CheckedForm, fields: ExchangeFields, person: Small = ""
) -> Response:
    values = {"person": person, **fields}
    try:
        person_id, exchange_id = _log(app, person, values)
    except MutualityError as error:
        return log_form(request, values, str(error), error.status)
    return RedirectResponse(f"/people/{person_id}?logged={exchange_id}", status_code=303)


@router.post("/people/{person_id}/exchanges")
def log_with(
    request: Request, app: AppDep, _: CheckedForm, person_id: PersonId, values: ExchangeFields
) -> Response:
    try:
        exchange_id = _log(app, person_id, values)[1]
    except MutualityError as error:
        return person_page(
            request, app, person_id, values=values, error=str(error), status=error.status
        )
    return RedirectResponse(f"/people/{person_id}?logged={exchange_id}", status_code=303)


@router.post("/people/{person_id}/touches")
def touch(
    app: AppDep,
    _: CheckedForm,
    person_id: PersonId,
    channel: Small = "other",
    by: Small = "",
    on: Small = "",
) -> Response:
    app.ledger.touch(person_id, on=on or None, initiated_by=by or None, channel=channel)
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.post("/exchanges/{exchange_id}/delete")
def unlog(app: AppDep, _: CheckedForm, exchange_id: ItemId) -> Response:
    entry = app.ledger.get(exchange_id)
    app.ledger.delete(exchange_id)
    gift = entry.exchange
    other = gift.receiver_id if entry.direction is Direction.GAVE else gift.giver_id
    return RedirectResponse(f"/people/{other}", status_code=303)


@router.post("/commitments/{commitment_id}/keep")
def keep_commitment(app: AppDep, _: CheckedForm, commitment_id: ItemId) -> Response:
    kept = app.commitments.keep(commitment_id)
    return RedirectResponse(f"/people/{kept.person_id}", status_code=303)


@router.post("/commitments/{commitment_id}/break")
def break_commitment(app: AppDep, _: CheckedForm, commitment_id: ItemId) -> Response:
    broken = app.commitments.break_(commitment_id)
    return RedirectResponse(f"/people/{broken.person_id}", status_code=303)
