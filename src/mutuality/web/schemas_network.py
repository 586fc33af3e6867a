"""API shapes for the network view, capacity, commitments and the monthly flows (the rest
are in :mod:`mutuality.web.schemas`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.capacity import CapacityUse
from mutuality.core.model import ExchangeKind
from mutuality.core.requests import Commitment
from mutuality.core.trends import MonthFlow
from mutuality.presenters.capacity import capacity_json
from mutuality.presenters.network import network_json
from mutuality.presenters.requests import commitment_json
from mutuality.services.health_views import NetworkReport
from mutuality.web.schemas import Input


class MonthFlowOut(BaseModel):
    month: date
    given: float
    received: float
    times_given: int
    times_received: int

    @classmethod
    def of(cls, flow: MonthFlow) -> MonthFlowOut:
        return cls(
            month=flow.month,
            given=flow.given,
            received=flow.received,
            times_given=flow.times_given,
            times_received=flow.times_received,
        )


class NamedOut(BaseModel):
    id: int
    name: str


class StyleEvidenceOut(BaseModel):
    """A reciprocity style with the figures it was judged on (decayed benefit)."""

    style: str
    gave: float
    received: float
    share: float | None = Field(description="gave / (gave + received); null when none flowed.")
    exchanges: int


class StyledPersonOut(BaseModel):
    """Someone whose giving leans one way in the ledger: what it shows, never a label."""

    id: int
    name: str
    pattern: str = Field(description="What the ledger shows of their giving across everyone.")
    gave: float
    received: float
    share: float | None = Field(description="gave / (gave + received); null when none flowed.")
    exchanges: int


class ReachOutPersonOut(BaseModel):
    id: int
    name: str
    mine: int = Field(description="Known times I reached out first.")
    theirs: int


class ReachOutOut(BaseModel):
    count: int = Field(description="Relationships where I (nearly) always reach out first.")
    judged: int = Field(description="Relationships where who reached out is known often enough.")
    people: list[ReachOutPersonOut] = Field(description="The first 100, most one-sided first.")


class ThresholdsOut(BaseModel):
    giver_share: float
    taker_share: float
    min_exchanges: int
    reach_out_share: float
    reach_out_min: int


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


class NetworkOut(BaseModel):
    people: int
    relationships: int
    reciprocity: float | None
    mutual_share: float | None
    styles: dict[str, int]
    burnout_risk: list[NamedOut]
    isolated_count: int
    isolated: list[NamedOut] = Field(description="The first 100, by id.")
    received_only: list[NamedOut] = Field(
        description="Received from two or more people and gave nothing logged."
    )
    my_style: str
    my_giving: str
    my_evidence: StyleEvidenceOut
    gives_more: list[StyledPersonOut] = Field(
        description="Who gives more than they receive in the ledger, most lopsided first."
    )
    receives_more: list[StyledPersonOut] = Field(
        description="Who receives more than they give in the ledger, most lopsided first (it "
        "may not be the whole story; never a label on a person)."
    )
    thresholds: ThresholdsOut
    reach_out_first: ReachOutOut
    capacity: CapacityOut = Field(description="My giving budget and its use, as /api/capacity.")

    @classmethod
    def of(cls, report: NetworkReport) -> NetworkOut:
        return cls.model_validate(network_json(report))


class CapacityIn(Input):
    amount: float = Field(description="The budget per period.")
    unit: Literal["points", "hours"] = "points"
    period: Literal["week", "month"] = "month"
    boundaries: list[ExchangeKind] | None = Field(
        default=None, description="Kinds you do not give; omitted: unchanged."
    )


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
