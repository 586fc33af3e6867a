"""Introductions between members in team mode: a shared introduction as one of its three
people sees it, sharing one, answering one, and the private links for sides without an
account."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mutuality.presenters.team_introductions import shared_introduction_json
from mutuality.services.team_introductions import SharedIntroduction
from mutuality.web.schemas.common import Input, Text, UtcTime


class SideOut(BaseModel):
    name: str
    member: bool = Field(description="A fellow member, asked in their account.")
    answer: Literal["asked", "yes", "no"] | None = Field(
        description="Their answer; null while not asked in the app."
    )
    note: str | None = Field(description="The few words they added, which the other two see.")
    email: str | None = Field(
        description="A member's address, shown to the other side once both said yes."
    )


class SharedIntroductionOut(BaseModel):
    id: int
    introducer: str
    status: Literal["asking", "made", "declined", "withdrawn"]
    a: SideOut
    b: SideOut
    my_side: Literal["a", "b"] | None = Field(description="Null for the introducer.")
    asked_in: str | None = Field(description="The words I am asked in, for my side.")
    mine_to_answer: bool
    version: int = Field(description="Give it back with an answer: a changed one is refused.")
    created_at: UtcTime
    intro_id: int | None = Field(
        description="The introduction's id in your ledger, when you made it (null otherwise)."
    )

    @classmethod
    def of(cls, item: SharedIntroduction) -> SharedIntroductionOut:
        return cls.model_validate(shared_introduction_json(item))


class ShareIn(Input):
    intro_id: int = Field(ge=1, le=2**53 - 1, description="One of your introductions.")
    days: int = Field(default=14, ge=1, le=90, description="How long a private link works.")


class IntroductionLinkOut(BaseModel):
    side: str = Field(description="a or b: which side of the introduction the link is for.")
    name: str
    url: str = Field(description="Shown only now: only a hash of it is kept.")
    expires_at: UtcTime


class SharedOut(BaseModel):
    introduction: SharedIntroductionOut
    links: list[IntroductionLinkOut] = Field(description="For each side without an account.")


class AnswerIn(Input):
    yes: bool
    note: str | None = Text
    version: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="The version you saw (optional)."
    )
    share_email: bool = Field(
        default=False, description="With a yes: the other side may see my email once they agree."
    )
