"""Two-sided exchanges in team mode: confirmations as one side sees them, links between a
person and a fellow member, and the private link for someone without an account."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.presenters.confirmations import (
    confirmation_json,
    confirmations_json,
    member_link_json,
)
from mutuality.services.team_confirmations import Confirmation, Confirmations, MemberLink
from mutuality.web.schemas.common import Input, UtcTime


class TwoViewsOut(BaseModel):
    giver: float | None = Field(description="The giver's figure (hidden until it may show).")
    receiver: float | None = Field(description="The receiver's figure.")
    gap: float | None = Field(description="How far apart they are, once both are given.")


class ConfirmationOut(BaseModel):
    id: int
    state: Literal["pending", "confirmed", "declined"]
    logged_by_me: bool
    other: str = Field(description="The other side's name.")
    on: date
    i_gave: bool
    kind: str
    description: str
    my_figure: Literal["benefit", "cost"] = Field(
        description="The figure this side estimates: the benefit if they received."
    )
    benefit: TwoViewsOut = Field(description="The benefit to the receiver, as each side sees it.")
    cost: TwoViewsOut = Field(description="The cost to the giver, as each side sees it.")
    logger_estimated: bool
    by_link: bool
    expires_at: UtcTime | None
    my_exchange_id: int | None

    @classmethod
    def of(cls, confirmation: Confirmation) -> ConfirmationOut:
        return cls.model_validate(confirmation_json(confirmation))


class FlowOut(TwoViewsOut):
    exchanges: int = Field(description="How many confirmed exchanges the totals cover.")


class PairOut(BaseModel):
    other: str
    gave: FlowOut = Field(description="The benefit of what you gave them: your total, theirs.")
    received: FlowOut = Field(description="The benefit of what they gave you: theirs, yours.")


class ConfirmationsOut(BaseModel):
    to_confirm: list[ConfirmationOut]
    waiting: list[ConfirmationOut]
    settled: list[ConfirmationOut]
    between: list[PairOut] = Field(
        description="Per other member, both sides' totals of what flowed each way."
    )

    @classmethod
    def of(cls, found: Confirmations) -> ConfirmationsOut:
        return cls.model_validate(confirmations_json(found))


class ConfirmIn(Input):
    benefit: float | None = Field(
        default=None, description="What it was worth to you, 0 to 10 (when you received)."
    )
    cost: float | None = Field(
        default=None, description="What it cost you, 0 to 10 (when you gave)."
    )
    person_id: int | None = Field(
        default=None,
        description="Who the other member is in your ledger (default: the one linked to them, "
        "else the one with their email, else a new person).",
    )


class MemberLinkIn(Input):
    person_id: int = Field(description="Someone in your ledger.")
    member_id: int = Field(description="The fellow member they are.")


class MemberLinkOut(BaseModel):
    person_id: int
    person: str
    member_id: int
    member: str
    linked: bool = Field(description="False for a suggestion (their email is the member's).")

    @classmethod
    def of(cls, link: MemberLink) -> MemberLinkOut:
        return cls.model_validate(member_link_json(link))


class ConfirmationLinkIn(Input):
    name: str | None = Field(
        default=None, max_length=200, description="How the page names you; default your name."
    )
    what: str | None = Field(
        default=None, max_length=2000, description="The words it shows; default the exchange's."
    )
    days: int = Field(default=14, description="Days before the link expires, 1-90.")


class ConfirmationLinkOut(BaseModel):
    confirmation_id: int
    url: str = Field(description="Shown once: only its hash is stored.")
    expires_at: UtcTime
