"""Shapes of ``/api/requests``: asking, the rule's proposal, deciding, the decline draft."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.fields import MAX_INPUT
from mutuality.core.model import ExchangeKind
from mutuality.core.requests import Decision, Request
from mutuality.presenters.requests import request_json
from mutuality.web.deps import MAX_ID
from mutuality.web.schemas.commitments import CommitmentOut
from mutuality.web.schemas.common import Input


class RequestOut(BaseModel):
    id: int
    person_id: int
    person: str | None
    from_me: bool = Field(description="true: you asked them; false: they asked you.")
    text: str
    benefit: float = Field(description="Benefit to whoever asked, 0-10.")
    cost: float = Field(description="Cost to whoever is asked, 0-10.")
    kind: str | None
    made_on: date
    due_on: date | None
    proposal: Decision = Field(description="What the decision rule proposes.")
    reason: str = Field(description="Why the rule proposes it.")
    decision: Decision | None
    decided_on: date | None
    third_option: str | None
    status: Literal["open", "decided", "withdrawn"]

    @classmethod
    def of(cls, request: Request, names: dict[int, str]) -> RequestOut:
        return cls.model_validate(request_json(request, names.get(request.person_id)))


class RequestCreate(Input):
    person_id: int = Field(ge=1, le=MAX_ID, description="Who asked (or whom you ask).")
    text: str = Field(max_length=MAX_INPUT)
    benefit: float = Field(description="Benefit to the asker, 0-10.")
    cost: float = Field(description="Cost to the one asked, 0-10.")
    due: date | None = Field(default=None, description="When it is needed; not in the past.")
    kind: ExchangeKind | None = None
    from_me: bool = Field(default=False, description="A request you make of them.")


class DecisionIn(Input):
    decision: Decision | None = Field(
        default=None, description="Omitted or null: accept the proposal."
    )
    third_option: str | None = Field(
        default=None, max_length=MAX_INPUT, description="What you could do instead (negotiate)."
    )
    due: date | None = Field(
        default=None, description="A yes or an agreed third option: the commitment's due date."
    )
    hours: float | None = Field(default=None, description="A yes: hours it will take.")
    agreed: bool = Field(
        default=True,
        description="A negotiate: true when the third option is agreed (it becomes a "
        "commitment); false while it is only offered (their ask stays an open need).",
    )


class DecidedOut(BaseModel):
    request: RequestOut
    commitment: CommitmentOut | None = Field(
        description="Made by a yes, or by a third option agreed."
    )


class ReconsiderOut(BaseModel):
    request: RequestOut
    now: Decision = Field(description="What the rule proposes today.")
    now_reason: str


class DeclineDraftOut(BaseModel):
    request_id: int
    text: str = Field(description="A kind decline drafted from the data, never a private note.")
