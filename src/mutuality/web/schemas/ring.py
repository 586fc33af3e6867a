"""Reciprocity Ring sessions in team mode: a session as one participant sees it, the list,
the live answer the ring page polls, a summary, and what each route takes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.presenters.ring import ring_json, ring_line_json, summary_json
from mutuality.services.ring import RingLine, RingSummary, RingView
from mutuality.web.schemas.common import Input, UtcTime

Id = Field(ge=1, le=2**53 - 1)


class HintOut(BaseModel):
    quality: str = Field(
        description="specific, meaningful, action-oriented, realistic or time-bound"
    )
    words: str


class OfferOut(BaseModel):
    id: int
    name: str
    kind: Literal["help", "introduction"]
    text: str
    introduce: str | None = Field(description="Whom, shown to the offerer and the asker only.")
    mine: bool
    outcome: str | None = Field(description="What closing made of it; null while open.")


class AskOut(BaseModel):
    id: int
    name: str
    text: str
    due_on: date | None
    mine: bool
    hints: list[HintOut] = Field(description="Guidance for my own ask; never a refusal.")
    offers: list[OfferOut]


class RingOut(BaseModel):
    id: int
    name: str
    starts_at: UtcTime
    state: Literal["open", "closed"]
    organiser: str
    runs_it: bool = Field(description="Whether I opened it (I present and close it).")
    participants: list[str]
    asks: list[AskOut]
    presenting: int | None = Field(description="The ask being presented now.")
    present_seconds: int
    seconds_left: int | None = Field(description="Of the presenter's time, now.")
    version: int = Field(description="Moves on with every change: poll with since=version.")

    @classmethod
    def of(cls, view: RingView) -> RingOut:
        return cls.model_validate(ring_json(view))


class RingLineOut(BaseModel):
    id: int
    name: str
    starts_at: UtcTime
    state: Literal["open", "closed"]
    organiser: str
    participants: int
    joined: bool

    @classmethod
    def of(cls, line: RingLine) -> RingLineOut:
        return cls.model_validate(ring_line_json(line))


class LiveOut(BaseModel):
    version: int
    changed: bool = Field(description="False when the session is as at `since`.")
    seconds_left: int | None
    presenting: int | None
    ring: RingOut | None = Field(description="The whole session, when it changed.")


class SummaryLineOut(BaseModel):
    who: str
    ask: str
    offer: str
    kind: Literal["help", "introduction"]
    introduce: str | None
    outcome: str | None


class SummaryOut(BaseModel):
    ring: str
    state: Literal["open", "closed"]
    asked: str | None
    offered_me: list[SummaryLineOut]
    i_offered: list[SummaryLineOut]

    @classmethod
    def of(cls, summary: RingSummary) -> SummaryOut:
        return cls.model_validate(summary_json(summary))


class OpenIn(Input):
    name: str = Field(min_length=1, max_length=200)
    starts_at: datetime | None = Field(default=None, description="Now when left out.")
    present_seconds: int = Field(default=180, ge=120, le=180)


class AskIn(Input):
    text: str = Field(min_length=1, max_length=2000)
    due_on: date | None = None


class OfferIn(Input):
    ask_id: int = Id
    text: str = Field(min_length=1, max_length=2000)
    introduce: str | None = Field(
        default=None, max_length=200, description="Someone in my ledger I would introduce."
    )


class PresentIn(Input):
    ask_id: int | None = Field(default=None, ge=1, le=2**53 - 1, description="Null: none.")


class WithdrawIn(Input):
    offer_id: int = Id
