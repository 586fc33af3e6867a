"""Shapes of ``/api/exchanges`` and a person's exchanges and touches."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.fields import MAX_INPUT
from mutuality.core.model import Channel, Exchange, ExchangeKind
from mutuality.presenters.exchanges import exchange_json
from mutuality.services.ledger import Direction
from mutuality.web.schemas.common import Input, Text
from mutuality.web.schemas.figures import HealthOut
from mutuality.web.schemas.people import PersonOut


class ExchangeOut(BaseModel):
    id: int
    direction: Direction
    kind: ExchangeKind
    description: str
    on: date
    benefit: float
    cost: float
    surplus: float
    estimated_by: str
    tags: list[str]
    outcome: str | None
    note: str | None
    initiated_by: Literal["me", "them"] | None
    hours: float | None
    weight: float | None = Field(default=None, description="Timeline only: its weight today.")

    @classmethod
    def of(
        cls, exchange: Exchange, direction: Direction, weight: float | None = None
    ) -> ExchangeOut:
        return cls.model_validate(exchange_json(exchange, Direction(direction).value, weight))


class ActivityOut(ExchangeOut):
    person: PersonOut


class ExchangeCreate(Input):
    direction: Direction = Field(description="gave: you gave to them; got: they gave to you.")
    kind: ExchangeKind
    description: str = Field(max_length=MAX_INPUT)
    benefit: float | None = Field(default=None, description="0-10; default: the kind's.")
    cost: float | None = Field(default=None, description="0-10; default: the kind's.")
    on: date | None = Field(default=None, description="Default today; never in the future.")
    estimated_by: Literal["me", "them", "both"] | None = None
    initiated_by: Literal["me", "them"] | None = None
    hours: float | None = None
    tags: list[str] = Field(default_factory=list, max_length=100)
    outcome: str | None = Text
    note: str | None = Text


class LoggedOut(ExchangeOut):
    health: HealthOut | None = Field(
        description="The relationship's health now; null when the database was too busy to "
        "work it out at once (the exchange is saved all the same)."
    )


class TouchCreate(Input):
    on: date | None = None
    initiated_by: Literal["me", "them"] | None = None
    channel: Channel = Channel.OTHER
    note: str | None = Text


class TouchOut(BaseModel):
    id: int
    person_id: int
    on: date
    channel: Channel
    initiated_by: str | None
    note: str | None
