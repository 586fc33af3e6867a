"""``/api/health``, ``/api/next``, ``/api/thanks``, ``/api/network``, ``/api/flows`` and
``/api/capacity``: judgement you can act on, and the network at a glance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mutuality.core.health import Status
from mutuality.core.network import reaches_out_first
from mutuality.core.trends import MAX_MONTHS
from mutuality.presenters.health import health_item_json, health_json
from mutuality.services.ledger import Direction
from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, CurrentAccount, PagingDep
from mutuality.web.schemas.capacity import CapacityIn, CapacityOut
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.exchanges import ExchangeOut
from mutuality.web.schemas.health import NextStepOut, PersonHealthOut, ThanksOut
from mutuality.web.schemas.network import MonthFlowOut, NetworkOut
from mutuality.web.schemas.people import PersonOut

router = APIRouter(prefix="/api", tags=["health"], responses=ERRORS)


@router.get("/health", summary="Every relationship's health, most urgent first")
def health(
    app: AppDep, _: CurrentAccount, paging: PagingDep, status: Status | None = None
) -> PageOut[PersonHealthOut]:
    page = app.overview.people(
        status=status.value if status else None,
        sort="urgency",
        limit=paging.limit,
        offset=paging.offset,
    )
    judged = [(item, item.health) for item in page.items if item.health is not None]
    first = reaches_out_first(
        [health.my_initiatives for _, health in judged],
        [health.their_initiatives for _, health in judged],
        app.settings.network,
    )
    return PageOut[PersonHealthOut](
        items=[
            PersonHealthOut.model_validate(
                health_item_json(item.person, item.style.pattern, health, always)
            )
            for (item, health), always in zip(judged, first, strict=True)
        ],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/next", summary="What to do this week, most urgent first, paged")
def next_steps(app: AppDep, _: CurrentAccount, paging: PagingDep) -> PageOut[NextStepOut]:
    """One step per relationship, most urgent first: a list as long as the network, so only
    the steps up to the page's end are drafted (their reasons and citations)."""
    total = len(app.health.relationships())
    end = min(paging.offset + paging.limit, total)
    steps = app.health.next_actions(end)[paging.offset :] if paging.offset < end else []
    return PageOut[NextStepOut](
        items=[
            NextStepOut(
                **health_json(step.health),
                person=PersonOut.of(step.person),
                reason=step.reason,
                cite=[ExchangeOut.of(e, Direction.GOT) for e in step.cite],
            )
            for step in steps
        ],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/thanks", summary="Who to thank, citing what they gave, paged")
def thanks(app: AppDep, _: CurrentAccount, paging: PagingDep) -> PageOut[ThanksOut]:
    """Only the thanks on the page look up what they can cite."""
    steps = app.health.appreciation(paging.limit, paging.offset)
    return PageOut[ThanksOut](
        items=[
            ThanksOut(
                person=PersonOut.of(step.person),
                reason=step.reason,
                cite=[ExchangeOut.of(e, Direction.GOT) for e in step.cite],
            )
            for step in steps
        ],
        total=app.health.appreciation_count(),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/network", tags=["network"], summary="The whole network's figures")
def network(app: AppDep, _: CurrentAccount) -> NetworkOut:
    return NetworkOut.of(app.health.network())


@router.get("/flows", tags=["network"], summary="Benefit given and received per month, paged")
def flows(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    months: Annotated[int, Query(ge=1, le=MAX_MONTHS)] = 12,
) -> PageOut[MonthFlowOut]:
    """Oldest month first; at most :data:`MAX_MONTHS` of them, so the page is cut here."""
    found = app.trends.flows_by_month(months)
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[MonthFlowOut](
        items=[MonthFlowOut.of(flow) for flow in shown],
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/capacity", tags=["capacity"], summary="My giving budget and its use")
def capacity(app: AppDep, _: CurrentAccount) -> CapacityOut:
    return CapacityOut.of(app.capacity.use())


@router.put("/capacity", tags=["capacity"], summary="Set the budget and boundaries")
def set_capacity(app: AppDep, _: CurrentAccount, body: CapacityIn) -> CapacityOut:
    boundaries = None if body.boundaries is None else tuple(k.value for k in body.boundaries)
    app.capacity.set(body.amount, body.unit, body.period, boundaries)
    return CapacityOut.of(app.capacity.use())


@router.delete("/capacity", tags=["capacity"], summary="Remove the budget")
def clear_capacity(app: AppDep, _: CurrentAccount) -> CapacityOut:
    app.capacity.clear()
    return CapacityOut.of(app.capacity.use())
