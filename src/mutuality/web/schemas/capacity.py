"""Shapes of ``/api/capacity``: my giving budget, its boundaries and its use."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.capacity import CapacityUse
from mutuality.core.model import ExchangeKind
from mutuality.presenters.capacity import capacity_json
from mutuality.web.schemas.common import Input


class BoundaryHitOut(BaseModel):
    exchange: int
    kind: ExchangeKind
    on: date


class CapacityOut(BaseModel):
    amount: float | None
    unit: str | None
    period: str | None
    boundaries: list[str]
    start: date
    end: date
    used: float
    committed: float
    projected: float
    previous_used: float
    share: float | None
    state: str
    boundary_hits: list[BoundaryHitOut]

    @classmethod
    def of(cls, use: CapacityUse) -> CapacityOut:
        return cls.model_validate(capacity_json(use))


class CapacityIn(Input):
    amount: float = Field(description="The budget per period.")
    unit: Literal["points", "hours"] = "points"
    period: Literal["week", "month"] = "month"
    boundaries: list[ExchangeKind] | None = Field(
        default=None, description="Kinds you do not give; omitted: unchanged."
    )
