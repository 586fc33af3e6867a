"""Shapes of ``/api/network`` and ``/api/flows``: the network's figures with the style
evidence, and benefit given and received per month."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mutuality.core.trends import MonthFlow
from mutuality.presenters.network import network_json
from mutuality.services.health.views import NetworkReport
from mutuality.web.schemas.capacity import CapacityOut


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
