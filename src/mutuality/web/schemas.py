"""The API's input and output shapes, per resource (JSON keys as in docs/json-output.md).

Inputs check only types and shape; every rule (lengths, ranges, dates, uniqueness) stays in
the services, whose errors come back as 4xx with the field named. Outputs are the JSON of
:mod:`mutuality.presenters` (the same as the CLI's ``--format json``), validated into these
models with ``of``: the models add the types and descriptions of the OpenAPI schema.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mutuality.core.model import Channel, Exchange, ExchangeKind, Person, RelationshipContext
from mutuality.core.why import RelationshipHealth
from mutuality.presenters.exchanges import exchange_json
from mutuality.presenters.health import health_json
from mutuality.presenters.people import person_details_json, person_json
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonDetails

T = TypeVar("T")
Text = Field(default=None, max_length=20_000)
UtcTime = Annotated[
    datetime, AfterValidator(lambda at: at if at.tzinfo else at.replace(tzinfo=UTC))
]
"""A moment stored as naive UTC, answered with its offset (JSON Schema's date-time)."""


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    """Every 4xx and 5xx answer of the API."""

    error: str = Field(description="The kind of problem, e.g. InvalidInput, NotFound.")
    message: str
    field: str | None = None
    value: str | int | float | bool | None = None
    location: str | None = None
    candidates: list[str] | None = None


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many match in all.")
    limit: int
    offset: int


# --- people -----------------------------------------------------------------------------------


class PersonOut(BaseModel):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    tags: list[str]
    organisation: str | None
    title: str | None
    note: str | None = Field(description="Your private note (never shared).")

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls.model_validate(person_json(person))


class DateOut(BaseModel):
    """An important date a person keeps."""

    id: int
    person_id: int
    person: str
    text: str
    on: str = Field(description="``1986-04-15``, or ``--04-15`` when the year is not known.")
    yearly: bool
    year_known: bool


class PersonDetailOut(PersonOut):
    context: str | None
    started_on: date | None
    cadence_days: int | None
    exchanges: int
    birthday: str | None = Field(
        description="``1986-04-15``, ``--04-15`` when the year is not known, or null."
    )
    dates: list[DateOut] = Field(description="Their important dates, in the order kept.")

    @classmethod
    def of_details(cls, details: PersonDetails) -> PersonDetailOut:
        return cls.model_validate(person_details_json(details))


class PersonCreate(Input):
    name: str = Field(max_length=1000)
    emails: list[str] = Field(default_factory=list, max_length=50)
    phones: list[str] = Field(default_factory=list, max_length=50)
    tags: list[str] = Field(default_factory=list, max_length=100)
    organisation: str | None = Text
    title: str | None = Text
    note: str | None = Text
    context: RelationshipContext = RelationshipContext.OTHER
    cadence_days: int | None = None
    started_on: date | None = None


class PersonUpdate(Input):
    """Only the keys given change; a list replaces the old one; ``null`` clears a text."""

    name: str | None = Field(default=None, max_length=1000)
    emails: list[str] | None = Field(default=None, max_length=50)
    phones: list[str] | None = Field(default=None, max_length=50)
    tags: list[str] | None = Field(default=None, max_length=100)
    organisation: str | None = Text
    title: str | None = Text
    note: str | None = Text
    context: RelationshipContext | None = None
    cadence_days: int | None = None


class ForgottenOut(BaseModel):
    forgotten: str
    exchanges: int


# --- health -----------------------------------------------------------------------------------


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


# --- exchanges and touches --------------------------------------------------------------------


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
    description: str = Field(max_length=20_000)
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


# --- balances, why, next, thanks --------------------------------------------------------------


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


class PersonBalanceOut(BalanceOut):
    person: PersonOut
    explanation: list[str]


class BalancePointOut(BaseModel):
    on: date
    given: float
    received: float
    my_net: float
    their_net: float
    balance: float | None


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


class SessionIn(Input):
    password: str = Field(max_length=4096)


class SessionOut(BaseModel):
    signed_in: bool
    expires_at: UtcTime | None = None
