"""Shapes of ``/api/needs``, ``/api/offers`` and ``/api/matches``: what people seek and can
give, and the suggestions over them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from mutuality.core.fields import MAX_INPUT
from mutuality.core.needs import Wish
from mutuality.presenters.needs import wish_json
from mutuality.services.matching.service import Match, MatchReport
from mutuality.web.deps import MAX_ID
from mutuality.web.schemas.common import Input


class WishOut(BaseModel):
    """A need or an offer (the same shape: different sides of a match)."""

    id: int
    kind: Literal["need", "offer"]
    person_id: int
    person: str | None = Field(description="The person's name (yours for your own).")
    text: str
    tags: list[str]
    source: str = Field(description="me (noted by you), them (said by them) or request.")
    status: Literal["open", "closed"]
    created_on: date
    expires_on: date | None
    closed_on: date | None
    request_id: int | None = Field(description="The declined request it keeps in view.")

    @classmethod
    def of(cls, wish: Wish, names: dict[int, str]) -> WishOut:
        return cls.model_validate(wish_json(wish, names.get(wish.person_id)))


class WishCreate(Input):
    person_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Whose it is; omitted: your own."
    )
    text: str = Field(max_length=MAX_INPUT)
    tags: list[str] = Field(default_factory=list, max_length=100)
    source: Literal["me", "them"] | None = Field(
        default=None, description="me: noted by you (the default); them: said by them."
    )
    expires: date | None = Field(default=None, description="After it, no longer matched.")


class MatchOut(BaseModel):
    """One suggestion: a need, an offer that answers it, and why."""

    seeker_id: int
    seeker: str
    helper_id: int
    helper: str
    need: WishOut
    offer: WishOut
    score: float
    similarity: float
    tie: float
    two_way: bool
    matched: list[str] = Field(description="The need's words the offer shares.")
    summary: str
    reason: str
    seeker_gains: str
    helper_gains: str

    @classmethod
    def of(cls, match: Match) -> MatchOut:
        names = {match.seeker_id: match.seeker, match.helper_id: match.helper}
        words = match.explanation
        return cls(
            seeker_id=match.seeker_id,
            seeker=match.seeker,
            helper_id=match.helper_id,
            helper=match.helper,
            need=WishOut.of(match.need, names),
            offer=WishOut.of(match.offer, names),
            score=round(match.score, 4),
            similarity=round(match.similarity, 4),
            tie=round(match.tie, 4),
            two_way=match.reverse_need is not None,
            matched=list(words.matched),
            summary=words.summary,
            reason=words.reason,
            seeker_gains=words.seeker_gains,
            helper_gains=words.helper_gains,
        )


class MatchesOut(BaseModel):
    """The three questions, answered from one capacity-respecting plan."""

    method: str
    needs: int
    offers: int
    candidates: int
    chosen: int
    help_me: list[MatchOut] = Field(description="Who can help you.")
    i_help: list[MatchOut] = Field(description="Whom you can help.")
    introductions: list[MatchOut] = Field(description="Introductions that would help.")
    notes: list[str]

    @classmethod
    def of(cls, report: MatchReport) -> MatchesOut:
        return cls(
            method=report.method,
            needs=report.needs,
            offers=report.offers,
            candidates=report.candidates,
            chosen=report.chosen,
            help_me=[MatchOut.of(m) for m in report.help_me],
            i_help=[MatchOut.of(m) for m in report.i_help],
            introductions=[MatchOut.of(m) for m in report.introductions],
            notes=report.notes,
        )
