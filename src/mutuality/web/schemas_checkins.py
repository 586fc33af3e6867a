"""API shapes for check-ins: recording one, the private link, the agenda."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.checkins import AgendaItem, CheckIn, Due
from mutuality.web.schemas import Input, PersonOut, UtcTime

Answer = Field(default=None, max_length=20_000)


class CheckInOut(BaseModel):
    id: int
    person_id: int
    on: date
    kind: str = Field(description="checkin or repair.")
    source: str = Field(description="me (recorded by you) or link (answered by them).")
    my_satisfaction: int | None
    their_satisfaction: int | None
    my_better: str | None
    their_better: str | None
    my_equity: int | None
    their_equity: int | None
    message: str | None
    note: str | None = Field(description="Your private note (never shared).")

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckInOut:
        return cls(
            id=checkin.id,
            person_id=checkin.person_id,
            on=checkin.on,
            kind=checkin.kind,
            source=checkin.source,
            my_satisfaction=checkin.my_satisfaction,
            their_satisfaction=checkin.their_satisfaction,
            my_better=checkin.my_better,
            their_better=checkin.their_better,
            my_equity=checkin.my_equity,
            their_equity=checkin.their_equity,
            message=checkin.message,
            note=checkin.private_note,
        )


class FollowUpIn(Input):
    text: str = Field(max_length=20_000)
    due: date | None = Field(default=None, description="Default: in a week.")
    mine: bool = Field(default=True, description="false: a promise they made.")


class CheckInCreate(Input):
    on: date | None = Field(default=None, description="Default today; never in the future.")
    kind: Literal["checkin", "repair"] = "checkin"
    my_satisfaction: int | None = Field(default=None, description="1-5.")
    their_satisfaction: int | None = Field(default=None, description="1-5.")
    my_better: str | None = Answer
    their_better: str | None = Answer
    my_equity: int | None = Field(default=None, description="-2 (I give more) to 2.")
    their_equity: int | None = Field(default=None, description="-2 to 2.")
    note: str | None = Answer
    follow_ups: list[FollowUpIn] = Field(
        default_factory=list, max_length=50, description="Each becomes a commitment."
    )


class CheckInRecordedOut(CheckInOut):
    commitment_ids: list[int] = Field(description="The commitments made from follow-ups.")


class CheckInLinkCreate(Input):
    first_name: str | None = Field(
        default=None, max_length=200, description="The name the link's page shows; default yours."
    )
    days: int = Field(default=14, description="Days before the link expires, 1-90.")


class CheckInLinkOut(BaseModel):
    person: PersonOut
    url: str = Field(description="Shown once: only its hash is stored.")
    expires_at: UtcTime


class AgendaItemOut(BaseModel):
    person: PersonOut
    due_on: date
    state: Due
    last_on: date | None
    cadence_days: int
    why: str

    @classmethod
    def of(cls, person: PersonOut, item: AgendaItem, today: date) -> AgendaItemOut:
        return cls(
            person=person,
            due_on=item.due_on,
            state=item.state,
            last_on=item.last_on,
            cadence_days=item.cadence_days,
            why=item.why(today),
        )
