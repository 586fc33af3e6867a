"""``/api/commitments``: promises with a due date, kept or broken."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mutuality.core.requests import Commitment
from mutuality.services.app import Mutuality
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, AppDep, CurrentAccount, ItemId, PagingDep
from mutuality.web.schemas.commitments import CommitmentOut, KeepIn
from mutuality.web.schemas.common import PageOut

router = APIRouter(prefix="/api/commitments", tags=["commitments"], responses=ERRORS)
DEFAULT_KEEP = KeepIn()
"""The body may be left out: kept today."""


def commitments_out(app: Mutuality, *commitments: Commitment) -> list[CommitmentOut]:
    """With the other person's name (one read for the page)."""
    names = app.needs.names(c.person_id for c in commitments)
    return [CommitmentOut.of(c, names) for c in commitments]


@router.get("", summary="Commitments: open ones by due date, closed ones when asked")
def list_commitments(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    include_closed: bool = False,
) -> PageOut[CommitmentOut]:
    found = app.commitments.list(include_closed, person_id)
    shown = found[paging.offset : paging.offset + paging.limit]
    return PageOut[CommitmentOut](
        items=commitments_out(app, *shown),
        total=len(found),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post("/{commitment_id}/keep", summary="Mark kept (and log the exchange it was)")
def keep(
    app: AppDep, _: CurrentAccount, commitment_id: ItemId, body: KeepIn = DEFAULT_KEEP
) -> CommitmentOut:
    return commitments_out(app, app.commitments.keep(commitment_id, body.on))[0]


@router.post("/{commitment_id}/break", summary="Mark broken")
def break_(app: AppDep, _: CurrentAccount, commitment_id: ItemId) -> CommitmentOut:
    return commitments_out(app, app.commitments.break_(commitment_id))[0]
