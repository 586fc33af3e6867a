"""Shapes of the check-ins: recording one, the private link, the agenda, and the wishes
(what they said would make it better) waiting for me."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mutuality.core.checkins import AgendaItem, CheckIn, Due, PendingWish, WishForm
from mutuality.core.fields import MAX_INPUT
from mutuality.core.model import Person
from mutuality.presenters.checkins import (
    adopted_wish_json,
    agenda_item_json,
    checkin_json,
    pending_wish_json,
)
from mutuality.services.wishes import AdoptedWish
from mutuality.web.schemas.common import Input, Text, UtcTime
from mutuality.web.schemas.people import PersonOut


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
    wish_state: Literal["commitment", "need", "set-aside"] | None = Field(
        default=None,
        description="What became of their_better: null while it waits for you (when there "
        "is one), commitment or need once confirmed, set-aside.",
    )
    would_hear: bool | None = Field(
        default=None,
        description="Through the private link: whether they would like to hear what would "
        "make it better for you (null: not asked or not answered).",
    )

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckInOut:
        return cls.model_validate({**checkin_json(checkin), "person_id": checkin.person_id})


class FollowUpIn(Input):
    text: str = Field(max_length=MAX_INPUT)
    due: date | None = Field(default=None, description="Default: in a week.")
    mine: bool = Field(default=True, description="false: a promise they made.")


class CheckInCreate(Input):
    on: date | None = Field(default=None, description="Default today; never in the future.")
    kind: Literal["checkin", "repair"] = "checkin"
    my_satisfaction: int | None = Field(default=None, description="1-5.")
    their_satisfaction: int | None = Field(default=None, description="1-5.")
    my_better: str | None = Text
    their_better: str | None = Text
    my_equity: int | None = Field(default=None, description="-2 (I give more) to 2.")
    their_equity: int | None = Field(default=None, description="-2 to 2.")
    note: str | None = Text
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
    def of(cls, person: Person, item: AgendaItem, today: date) -> AgendaItemOut:
        return cls.model_validate(agenda_item_json(person, item, today))


class PendingWishOut(BaseModel):
    """What someone said would make it better, waiting for you to confirm it."""

    checkin_id: int
    person: PersonOut
    on: date
    text: str
    their_satisfaction: int | None = Field(description="Their satisfaction at that check-in.")
    my_satisfaction: int | None
    source: str = Field(description="me (recorded by you) or link (answered by them).")
    proposed: WishForm = Field(description="The form it reads as; you may choose the other.")
    reason: str = Field(description="Why it reads as that form.")

    @classmethod
    def of(cls, person: Person, wish: PendingWish) -> PendingWishOut:
        return cls.model_validate(pending_wish_json(person, wish))


class WishAdopt(Input):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    form: WishForm | None = Field(
        default=None,
        alias="as",
        description="commitment (a promise of yours) or need (theirs, to keep in mind); "
        "default: the proposed form.",
    )
    due: date | None = Field(
        default=None, description="A commitment's due date; default in 14 days."
    )
    text: str | None = Field(
        default=None, max_length=MAX_INPUT, description="Your words for it; default: theirs."
    )


class WishAdoptedOut(BaseModel):
    checkin_id: int
    person_id: int
    state: WishForm
    text: str
    commitment_id: int | None = Field(description="The commitment it became, if one.")
    need_id: int | None = Field(description="The need it became, if one.")
    due_on: date | None

    @classmethod
    def of(cls, adopted: AdoptedWish) -> WishAdoptedOut:
        return cls.model_validate(adopted_wish_json(adopted))
