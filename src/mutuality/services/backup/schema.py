"""The JSON backup's shape, validated strictly so that a foreign or damaged file is refused
with the JSON path of the first bad value (``data.exchanges[3].benefit``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from mutuality.core.model import (
    Estimator,
    ExchangeKind,
    Initiative,
    Intent,
    NewExchange,
    RelationshipContext,
)

FORMAT_NAME = "mutuality-backup"
FORMAT_VERSION = 1


class StrictRecord(BaseModel):
    """A backup record: unknown fields are refused, and nothing changes it once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonEntry(StrictRecord):
    id: StrictInt = Field(ge=1)
    name: StrictStr = Field(min_length=1, max_length=200)
    organisation: StrictStr | None
    title: StrictStr | None
    private_note: StrictStr | None
    is_owner: StrictBool
    created_at: datetime
    emails: list[StrictStr]
    phones: list[StrictStr]
    tags: list[StrictStr]
    uid: StrictStr | None = Field(default=None, max_length=500)
    """The contact's UID in the address book it was imported from (absent in older files)."""
    birthday: StrictStr | None = Field(
        default=None, pattern=r"^(\d{4}-|--)(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
    )
    """``1980-04-15`` or, with no year, ``--04-15``."""


class RelationshipEntry(StrictRecord):
    owner_id: StrictInt
    person_id: StrictInt
    context: RelationshipContext
    started_on: date | None
    cadence_days: StrictInt | None = Field(ge=1, le=3650)
    intent: Intent | None = None
    """The intent I chose; absent or ``null``: worked out from the context (older files)."""
    intent_until: date | None = None
    intent_reason: StrictStr | None = None
    snoozed_until: date | None = None
    """Off the to-do list until this day; absent or ``null``: not snoozed (older files)."""


class ExchangeEntry(StrictRecord):
    id: StrictInt = Field(ge=1)
    giver_id: StrictInt
    receiver_id: StrictInt
    kind: ExchangeKind
    description: StrictStr = Field(min_length=1)
    on: date
    benefit: float = Field(ge=0, le=10, allow_inf_nan=False)
    cost: float = Field(ge=0, le=10, allow_inf_nan=False)
    estimated_by: Estimator
    tags: list[StrictStr]
    outcome: StrictStr | None
    private_note: StrictStr | None
    created_at: datetime
    initiated_by: Initiative | None = None
    hours: float | None = Field(default=None, ge=0, le=1000, allow_inf_nan=False)

    def new_exchange(self) -> NewExchange:
        """The exchange the entry records, as the ledger's rules and its row take it."""
        return NewExchange(
            giver_id=self.giver_id,
            receiver_id=self.receiver_id,
            kind=self.kind,
            description=self.description,
            on=self.on,
            benefit=self.benefit,
            cost=self.cost,
            estimated_by=self.estimated_by,
            tags=tuple(self.tags),
            outcome=self.outcome,
            private_note=self.private_note,
            initiated_by=self.initiated_by,
            hours=self.hours,
        )


class BackupData(StrictRecord):
    people: list[PersonEntry]
    relationships: list[RelationshipEntry]
    exchanges: list[ExchangeEntry]


class Backup(StrictRecord):
    format: Literal["mutuality-backup"]
    version: Literal[1]
    checksum: StrictStr = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    data: BackupData
