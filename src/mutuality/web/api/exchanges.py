"""``/api/exchanges`` and a person's exchanges and touches: logging, the timeline, unlogging."""

from __future__ import annotations

from fastapi import APIRouter

from mutuality.services.afterwards import afterwards
from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, CurrentAccount, ItemId, PagingDep, PersonId
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.exchanges import (
    ActivityOut,
    ExchangeCreate,
    ExchangeOut,
    LoggedOut,
    TouchCreate,
    TouchOut,
)
from mutuality.web.schemas.figures import HealthOut
from mutuality.web.schemas.people import PersonOut

router = APIRouter(prefix="/api", tags=["exchanges"], responses=ERRORS)


@router.get("/people/{person_id}/exchanges", summary="A person's timeline, newest first")
def timeline(
    app: AppDep, _: CurrentAccount, person_id: PersonId, paging: PagingDep
) -> PageOut[ExchangeOut]:
    found = app.ledger.timeline(person_id, paging.limit, paging.offset)
    return PageOut[ExchangeOut](
        items=[ExchangeOut.of(e.exchange, e.direction, e.weight) for e in found.entries],
        total=found.total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post("/people/{person_id}/exchanges", status_code=201, summary="Log an exchange")
def log_exchange(
    app: AppDep, _: CurrentAccount, person_id: PersonId, body: ExchangeCreate
) -> LoggedOut:
    exchange = app.ledger.log(
        person_id,
        body.direction,
        kind=body.kind.value,
        what=body.description,
        benefit=body.benefit,
        cost=body.cost,
        on=body.on,
        estimated_by=body.estimated_by,
        tags=tuple(body.tags),
        outcome=body.outcome,
        private_note=body.note,
        initiated_by=body.initiated_by,
        hours=body.hours,
    )
    detail = afterwards(lambda: app.health.for_person(person_id), "the relationship's health")
    return LoggedOut(
        **ExchangeOut.of(exchange, body.direction).model_dump(),
        health=None if detail is None else HealthOut.of(detail.health),
    )


@router.post("/people/{person_id}/touches", status_code=201, summary="Log a contact")
def touch(app: AppDep, _: CurrentAccount, person_id: PersonId, body: TouchCreate) -> TouchOut:
    logged = app.ledger.touch(
        person_id,
        on=body.on,
        initiated_by=body.initiated_by,
        channel=body.channel.value,
        private_note=body.note,
    )
    return TouchOut(
        id=logged.id,
        person_id=logged.person_id,
        on=logged.on,
        channel=logged.channel,
        initiated_by=logged.initiated_by,
        note=logged.private_note,
    )


@router.get("/exchanges", summary="Recent activity: my exchanges, latest logged first")
def recent(app: AppDep, _: CurrentAccount, paging: PagingDep) -> PageOut[ActivityOut]:
    items = app.ledger.recent(paging.limit, paging.offset)
    return PageOut[ActivityOut](
        items=[
            ActivityOut(**ExchangeOut.of(e, d).model_dump(), person=PersonOut.of(p))
            for e, p, d in items
        ],
        total=app.ledger.count_mine(),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/exchanges/{exchange_id}", summary="One exchange")
def get_exchange(app: AppDep, _: CurrentAccount, exchange_id: ItemId) -> ExchangeOut:
    entry = app.ledger.get(exchange_id)
    return ExchangeOut.of(entry.exchange, entry.direction, entry.weight)


@router.delete("/exchanges/{exchange_id}", summary="Unlog a mistaken exchange")
def delete_exchange(app: AppDep, _: CurrentAccount, exchange_id: ItemId) -> dict[str, int]:
    return {"deleted": app.ledger.delete(exchange_id).id}
