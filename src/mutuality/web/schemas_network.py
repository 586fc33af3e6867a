"""API shapes for the network view, capacity, commitments and the monthly flows (the rest
are in :mod:`mutuality.web.schemas`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from mutuality.core.capacity import CapacityUse
from mutuality.core.model import ExchangeKind
from mutuality.core.network import NetworkSettings, ReachingOut, StyleEvidence
from mutuality.core.requests import Commitment
from mutuality.core.trends import MonthFlow
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

    @classmethod
    def fields_of(cls, evidence: StyleEvidence) -> dict[str, Any]:
        return {
            "style": evidence.style.value,
            "gave": round(evidence.gave, 3),
            "received": round(evidence.received, 3),
            "share": None if evidence.share is None else round(evidence.share, 4),
            "exchanges": evidence.exchanges,
        }


class StyledPersonOut(StyleEvidenceOut):
    id: int
    name: str


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

    @classmethod
    def of(cls, settings: NetworkSettings) -> ThresholdsOut:
        return cls(
            giver_share=settings.giver_share,
            taker_share=settings.taker_share,
            min_exchanges=settings.min_exchanges,
            reach_out_share=settings.reach_out_share,
            reach_out_min=settings.reach_out_min,
        )


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

    @staticmethod
    def evidence_of(report: NetworkReport) -> dict[str, Any]:
        """The style evidence and who reaches out first, as the fields above."""

        def name(person: int) -> str:
            return report.names.get(person, f"#{person}")

        def styled(evidence: StyleEvidence) -> StyledPersonOut:
            return StyledPersonOut(
                id=evidence.person,
                name=name(evidence.person),
                **{**StyleEvidenceOut.fields_of(evidence), "style": evidence.style.pattern},
            )

        reaching: ReachingOut = report.reaching_out
        return {
            "my_evidence": StyleEvidenceOut(**StyleEvidenceOut.fields_of(report.me)),
            "gives_more": [styled(e) for e in report.givers],
            "receives_more": [styled(e) for e in report.takers],
            "thresholds": ThresholdsOut.of(report.thresholds),
            "reach_out_first": ReachOutOut(
                count=len(reaching.me_first),
                judged=reaching.judged,
                people=[
                    ReachOutPersonOut(
                        id=i.person, name=name(i.person), mine=i.mine, theirs=i.theirs
                    )
                    for i in reaching.me_first[:100]
                ],
            ),
        }


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
        cap = use.capacity
        return cls(
            amount=cap.amount if cap else None,
            unit=cap.unit.value if cap else None,
            period=cap.period.value if cap else None,
            boundaries=sorted(k.value for k in cap.boundaries) if cap else [],
            start=use.start,
            end=use.end,
            used=round(use.used, 2),
            committed=round(use.committed, 2),
            projected=round(use.projected, 2),
            previous_used=round(use.previous_used, 2),
            share=None if use.share is None else round(use.share, 4),
            state=use.state.value,
            boundary_hits=[
                BoundaryHitOut(exchange=g.exchange_id, kind=g.kind, on=g.on)
                for g in use.boundary_hits
            ],
        )


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
    def of(cls, commitment: Commitment) -> CommitmentOut:
        return cls(
            id=commitment.id,
            person_id=commitment.person_id,
            mine=commitment.mine,
            text=commitment.text,
            kind=commitment.kind,
            benefit=commitment.benefit,
            cost=commitment.cost,
            hours=commitment.hours,
            made_on=commitment.made_on,
            due_on=commitment.due_on,
            status=commitment.status,
            closed_on=commitment.closed_on,
            late=commitment.late,
            request_id=commitment.request_id,
            exchange_id=commitment.exchange_id,
        )
