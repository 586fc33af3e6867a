"""The community's board in team mode: posts, answers, the gratitude wall, suggestions and
the organiser's aggregates (the JSON of :mod:`mutuality.presenters.board`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.fields import MAX_INPUT
from mutuality.presenters.board import (
    helper_json,
    post_json,
    report_json,
    suggestions_json,
    thanks_json,
)
from mutuality.services.board import BoardPost, HelperSuggestion, Suggestions, ThankYou
from mutuality.services.board_report import CommunityReport
from mutuality.web.schemas.common import Input, UtcTime


class BoardAnswerOut(BaseModel):
    id: int
    helper: str
    note: str
    state: Literal["offered", "accepted", "withdrawn"]
    mine: bool
    created_at: UtcTime
    confirmation_id: int | None = Field(description="The exchange both sides confirm.")
    confirmation_state: Literal["pending", "confirmed", "declined"] | None
    thanked: bool


class BoardPostOut(BaseModel):
    id: int
    kind: Literal["ask", "offer"]
    text: str
    tags: list[str]
    author: str = Field(description='"a member" for someone else\'s anonymous ask.')
    mine: bool
    anonymous: bool
    state: Literal["open", "met", "withdrawn"]
    expires_on: date
    version: int = Field(description="Send it back with a change: an older one is a 409.")
    changed: str = Field(description="What the latest version changed.")
    created_at: UtcTime
    answer_count: int
    answers: list[BoardAnswerOut] = Field(
        description="Every answer for the post's author; your own for anyone else."
    )

    @classmethod
    def of(cls, post: BoardPost) -> BoardPostOut:
        return cls.model_validate(post_json(post))


class ThankYouOut(BaseModel):
    id: int
    thanked_by: str
    helper: str
    words: str
    ask: str
    on: date

    @classmethod
    def of(cls, thanks: ThankYou) -> ThankYouOut:
        return cls.model_validate(thanks_json(thanks))


class SuggestionOut(BaseModel):
    post: BoardPostOut
    score: float
    matched: list[str]
    how: str = Field(description='How it matched: "(a close match in meaning)", "(matched: …)".')
    offer: str | None = Field(description="Your offer it matched by meaning (null by words).")
    reason: str


class SuggestionsOut(BaseModel):
    paused: str | None = Field(description="Why there are none for now, if so.")
    method: str | None = Field(
        description="semantic (by meaning) or lexical (by shared words); null: none compared."
    )
    notes: list[str] = Field(description="Why the words were used, where they were.")
    items: list[SuggestionOut]

    @classmethod
    def of(cls, found: Suggestions) -> SuggestionsOut:
        return cls.model_validate(suggestions_json(found))


class HelperOut(BaseModel):
    member: str
    offer_id: int
    offer: str
    score: float
    matched: list[str]
    how: str = Field(description='How it matched: "(a close match in meaning)", "(matched: …)".')

    @classmethod
    def of(cls, found: HelperSuggestion) -> HelperOut:
        return cls.model_validate(helper_json(found))


class CommunityReportOut(BaseModel):
    community: str
    since: date
    until: date
    members: int
    active_members: float | None
    asks_posted: float | None
    asks_answered: float | None
    asks_met: float | None
    median_hours_to_first_answer: float | None
    top_tenth_share_of_help: float | None
    members_stretched: float | None
    not_shown: list[str] = Field(description="Figures over fewer than 5 members, left out.")
    not_shown_reason: str
    members_stretched_named: list[str] = Field(description="Only those who chose to be named.")

    @classmethod
    def of(cls, report: CommunityReport) -> CommunityReportOut:
        return cls.model_validate(report_json(report))


class PostIn(Input):
    kind: Literal["ask", "offer"]
    text: str = Field(max_length=MAX_INPUT)
    tags: list[str] = Field(default_factory=list, max_length=20)
    expires: date | None = Field(default=None, description="Default: in 30 days.")
    anonymous: bool = Field(default=False, description="An ask other members see unnamed.")


class PostEditIn(Input):
    version: int
    text: str | None = Field(default=None, max_length=MAX_INPUT)
    tags: list[str] | None = Field(default=None, max_length=20)
    expires: date | None = None


class VersionIn(Input):
    version: int = Field(description="The version you read.")


class AnswerIn(Input):
    version: int = Field(description="The version of the post you read.")
    note: str = Field(max_length=MAX_INPUT)


class RecordIn(Input):
    what: str | None = Field(default=None, max_length=MAX_INPUT)
    kind: str = Field(default="time", max_length=32)
    benefit: float | None = None
    cost: float | None = None
    on: date | None = None
    person_id: int | None = Field(
        default=None, description="Who the other member is in your ledger."
    )


class ThankIn(Input):
    words: str = Field(max_length=MAX_INPUT, description="What they did, specifically.")


class StretchIn(Input):
    named: bool = Field(description="Whether organisers may see your name when stretched.")
