"""Shapes of ``/api/commitments``: promises with a due date, kept or broken."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mutuality.core.requests import Commitment
from mutuality.presenters.requests import commitment_json
from mutuality.web.schemas.common import Input


class CommitmentOut(BaseModel):
    id: int
    person_id: int
    person: str | None = Field(description="The other person's name.")
    mine: bool
    text: str
    kind: str | None
    benefit: float
    cost: float
    hours: float | None
    made_on: date
    due_on: date
    status: str
    closed_on: date | None
    late: bool
    request_id: int | None
    exchange_id: int | None

    @classmethod
    def of(cls, commitment: Commitment, names: dict[int, str]) -> CommitmentOut:
        return cls.model_validate(commitment_json(commitment, names.get(commitment.person_id)))


class KeepIn(Input):
    on: date | None = Field(default=None, description="When it was kept; default today.")
