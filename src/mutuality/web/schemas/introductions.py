"""Shapes of ``/api/introductions``: double-opt-in introductions, the record, its steps and
its messages."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mutuality.core.fields import MAX_INPUT
from mutuality.core.introductions import Consent, IntroStatus, Step
from mutuality.presenters.introductions import introduction_json
from mutuality.services.introductions.service import IntroDetail
from mutuality.web.deps import MAX_ID
from mutuality.web.schemas.common import Input, Text, UtcTime


class IntroStepOut(BaseModel):
    step: Step
    at: UtcTime
    person_id: int | None
    note: str | None


class IntroMessagesOut(BaseModel):
    """Composed from names, titles, organisations, the reason and the gains: never a note."""

    a: str = Field(description="The consent request to A.")
    b: str = Field(description="The consent request to B.")
    introduction: str = Field(description="The introduction itself, once both agreed.")
    decline_note: str | None = Field(description="Declined: a kind note to the other side.")


class IntroductionOut(BaseModel):
    """Keys as ``mutuality intro show --format json`` writes them."""

    id: int
    a_id: int = Field(description="The side whose need it meets (or the first named).")
    a: str
    b_id: int
    b: str
    reason: str
    a_gains: str | None
    b_gains: str | None
    status: IntroStatus
    a_consent: Consent | None
    b_consent: Consent | None
    created_at: UtcTime
    need_id: int | None
    offer_id: int | None
    score: float | None
    outcome: str | None
    a_exchange_id: int | None
    b_exchange_id: int | None
    steps: list[IntroStepOut]
    messages: IntroMessagesOut

    @classmethod
    def of(cls, detail: IntroDetail) -> IntroductionOut:
        return cls.model_validate(introduction_json(detail))


class IntroductionCreate(Input):
    a_id: int = Field(ge=1, le=MAX_ID, description="The one whose need it meets.")
    b_id: int = Field(ge=1, le=MAX_ID)
    reason: str | None = Field(
        default=None, max_length=MAX_INPUT, description="Omitted: composed from needs and offers."
    )
    a_gains: str | None = Text
    b_gains: str | None = Text
    again: bool = Field(default=False, description="Propose a pair that declined before.")


class AskIn(Input):
    person_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="One side; omitted: each side not yet asked."
    )


class ConsentIn(Input):
    person_id: int = Field(ge=1, le=MAX_ID, description="The side that answered.")
    yes: bool
    note: str | None = Text


class MakeIn(Input):
    on: date | None = Field(default=None, description="Default today; never in the future.")


class OutcomeIn(Input):
    outcome: str = Field(max_length=MAX_INPUT)
    need_met: bool = Field(default=False, description="Close the need it answered.")


class WithdrawIn(Input):
    note: str | None = Text


class IntroductionUpdate(Input):
    """Only the keys given change; allowed until the introduction is made."""

    reason: str | None = Text
    a_gains: str | None = Text
    b_gains: str | None = Text
    a_message: str | None = Text
    b_message: str | None = Text
    intro_message: str | None = Text
