"""Shapes of the judgement you can act on: the health list, the why and the balance of one
relationship, the next steps and the thanks due."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mutuality.web.schemas.exchanges import ExchangeOut
from mutuality.web.schemas.figures import BalanceOut, HealthOut
from mutuality.web.schemas.people import PersonOut


class PersonHealthOut(HealthOut):
    """A row of the health list."""

    person: PersonOut
    pattern: str = Field(
        description="What the ledger shows of their giving across everyone (never a label)."
    )
    reach_out_first: bool = Field(
        description="I (nearly) always reach out first: at least reach_out_min known times, "
        "at least reach_out_share of them mine."
    )


class PersonSummaryOut(BaseModel):
    """A row of the people list: the person and how the relationship stands."""

    person: PersonOut
    pattern: str = Field(
        description="What the ledger shows of their giving across everyone (never a label)."
    )
    health: HealthOut | None


class PersonBalanceOut(BalanceOut):
    person: PersonOut
    explanation: list[str]


class WhyOut(BaseModel):
    """Why the relationship has its status: the verdict, the balance, and the evidence."""

    person: PersonOut
    pattern: str = Field(
        description="What the ledger shows of their giving across everyone (never a label)."
    )
    health: HealthOut
    balance: BalanceOut
    explanation: list[str]
    gifts: list[ExchangeOut] = Field(description="What they gave you, most valuable first.")
    my_gifts: list[ExchangeOut] = Field(description="What you gave them, most valuable first.")


class NextStepOut(HealthOut):
    person: PersonOut
    reason: str
    cite: list[ExchangeOut]


class ThanksOut(BaseModel):
    person: PersonOut
    reason: str
    cite: list[ExchangeOut]
