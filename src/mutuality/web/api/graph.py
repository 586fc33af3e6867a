"""``/api/network/graph``: the picture of the network page as data: my busiest
relationships and the people of my latest introductions with their status, what flowed
each way and how often, the exchanges among them, who I introduced to whom, and where an
average relationship of mine stands ("you" on the picture)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, CurrentAccount
from mutuality.web.schemas.graph import GraphOut

router = APIRouter(prefix="/api", tags=["network"], responses=ERRORS)


@router.get("/network/graph", summary="The relationship graph: people, exchanges, introductions")
def graph(
    app: AppDep,
    _: CurrentAccount,
    limit: Annotated[int, Query(ge=1, le=500, description="The busiest relationships")] = 40,
    introductions: Annotated[int, Query(ge=1, le=500, description="The latest introductions")] = 20,
) -> GraphOut:
    return GraphOut.of(app.overview.graph(limit, introductions))
