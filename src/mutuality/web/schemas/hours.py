"""Time-bank hours in team mode: my account and statement, a transfer as one side sees
it, the organiser's aggregates, and what each route takes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.presenters.hours import account_json, overview_json, transfer_json
from mutuality.services.hours import MAX_HOURS, HourAccount, HoursOverview, HourTransfer
from mutuality.web.schemas.common import Input, UtcTime


class TransferOut(BaseModel):
    id: int
    other: str = Field(description="The other member.")
    i_gave: bool
    hours: float
    what: str
    occurred_on: date
    state: Literal["pending", "confirmed", "declined", "withdrawn"]
    mine_to_confirm: bool
    created_at: UtcTime

    @classmethod
    def of(cls, transfer: HourTransfer) -> TransferOut:
        return cls.model_validate(transfer_json(transfer))


class AccountOut(BaseModel):
    enabled: bool = Field(description="Whether the community keeps hours.")
    given: float = Field(description="Hours I gave, confirmed by those who received them.")
    received: float = Field(description="Hours I received and confirmed.")
    balance: float
    floor_hours: float = Field(description="How far below zero a balance may go.")
    statement: list[TransferOut]

    @classmethod
    def of(cls, account: HourAccount) -> AccountOut:
        return cls.model_validate(account_json(account))


class OverviewOut(BaseModel):
    enabled: bool
    floor_hours: float
    members_taking_part: int | None
    hours_exchanged: float | None
    transfers_confirmed: int | None
    transfers_waiting: int | None
    members_below_zero: int | None
    note: str | None = Field(description="Why the figures are not shown, when they are not.")

    @classmethod
    def of(cls, overview: HoursOverview) -> OverviewOut:
        return cls.model_validate(overview_json(overview))


class GiveIn(Input):
    member: int = Field(ge=1, le=2**53 - 1, description="The member who received the time.")
    hours: float = Field(gt=0, le=MAX_HOURS)
    what: str = Field(min_length=1, max_length=2000)
    occurred_on: date | None = None


class SettingsIn(Input):
    enabled: bool
    floor_hours: float = Field(default=10, ge=0, le=1000)


class SettingsOut(BaseModel):
    enabled: bool
    floor_hours: float
