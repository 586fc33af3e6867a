"""A relationship's Health and Balance objects (docs/json-output.md), which the people,
exchanges and health routers all answer with."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from mutuality.core.why import RelationshipHealth
from mutuality.presenters.health import health_json


class HealthOut(BaseModel):
    status: str
    action: str
    urgency: float
    balance: float | None
    my_net: float
    their_net: float
    momentum: float | None
    equity: float | None
    initiative_share: float | None
    my_initiatives: int
    their_initiatives: int
    recent: int
    previous: int
    first_on: date | None
    last_on: date | None
    days_since: int | None
    cadence_days: int
    appreciation_due: bool
    satisfaction: float | None = Field(
        None, description="The lower of the two sides' latest satisfaction answers (check-ins)."
    )
    intent: str = Field(
        "reciprocal",
        description="What the tie is for: reciprocal, care, mentoring, service, close.",
    )
    intent_reason: str = ""
    intent_chosen: bool = False
    intent_until: date | None = None
    wish: dict[str, Any] | None = Field(
        None, description="What they said would make it better, waiting for me."
    )
    alarm: str | None = Field(None, description="Low or falling satisfaction, in words.")
    win: dict[str, Any] | None = Field(None, description="An outcome logged for them lately.")
    stretched: bool = False

    @classmethod
    def of(cls, health: RelationshipHealth) -> HealthOut:
        return cls.model_validate(health_json(health))


class BalanceOut(BaseModel):
    given: float
    received: float
    my_cost: float
    their_cost: float
    my_net: float
    their_net: float
    surplus: float
    balance: float | None
    leaning: str
    mutual: bool
    times_given: int
    times_received: int
    last_on: date | None
    half_life_days: float
    tolerance: float
    as_of: date


class BalancePointOut(BaseModel):
    on: date
    given: float
    received: float
    my_net: float
    their_net: float
    balance: float | None
