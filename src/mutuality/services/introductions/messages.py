"""What an introduction looks like to the people in it: its record, its history and the
messages composed from the data (names, titles, organisations, emails, needs, offers and
the reason; never private notes), or as edited. Each message speaks to its reader and is
signed with my first name only once I have set my name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from mutuality.core.introductions import (
    Consent,
    Introduction,
    IntroStatus,
    IntroStep,
    Party,
    Step,
    consent_message,
    decline_note,
    introduction_message,
)
from mutuality.services.owner import own_name
from mutuality.store.tables import IntroductionRow, IntroductionStepRow, PersonRow


@dataclass(frozen=True, slots=True)
class IntroDetail:
    """An introduction with both sides' names, its history and its messages."""

    introduction: Introduction
    a: str
    b: str
    steps: list[IntroStep]
    a_message: str
    """The consent request to A (as edited, else generated from the data)."""
    b_message: str
    intro_message: str
    decline_note: str | None
    """For a declined one: a kind note to the side that did not decline."""
    matched_by: str | None = None
    """How a just-proposed introduction's pair was found: ``by meaning``, or ``by shared words
    only: WHY`` where the model could not load; ``None`` otherwise (a reason given, or any
    later step)."""


def intro_record(row: IntroductionRow | Row[Any]) -> Introduction:
    """The frozen record of a row (services return records, never rows)."""
    return Introduction(
        id=row.id,
        a_id=row.a_id,
        b_id=row.b_id,
        reason=row.reason,
        a_gains=row.a_gains,
        b_gains=row.b_gains,
        status=IntroStatus(row.status),
        a_consent=Consent(row.a_consent) if row.a_consent else None,
        b_consent=Consent(row.b_consent) if row.b_consent else None,
        created_at=row.created_at,
        need_id=row.need_id,
        offer_id=row.offer_id,
        score=row.score,
        outcome=row.outcome,
        a_exchange_id=row.a_exchange_id,
        b_exchange_id=row.b_exchange_id,
    )


def party(row: PersonRow) -> Party:
    """Only what a message may say: name, title, organisation, first email. No notes."""
    return Party(row.name, row.title, row.organisation, row.emails[0].email if row.emails else None)


def intro_detail(session: Session, row: IntroductionRow) -> IntroDetail:
    """The introduction with its steps and its messages, signed with my first name when I
    have set my name (:mod:`.owner`), unsigned otherwise."""
    signer = own_name(session).first
    a = party(session.get_one(PersonRow, row.a_id))
    b = party(session.get_one(PersonRow, row.b_id))
    steps = [
        IntroStep(Step(s.step), s.at, s.person_id, s.note)
        for s in session.scalars(
            select(IntroductionStepRow)
            .where(IntroductionStepRow.introduction_id == row.id)
            .order_by(IntroductionStepRow.id)
        )
    ]
    note = None
    if row.status == IntroStatus.DECLINED.value:
        declined_a = row.a_consent == Consent.NO.value
        by, other = (a, b) if declined_a else (b, a)
        note = decline_note(by, other, signer)
    return IntroDetail(
        introduction=intro_record(row),
        a=a.name,
        b=b.name,
        steps=steps,
        a_message=row.a_message or consent_message(a, b, row.reason, row.a_gains, signer),
        b_message=row.b_message or consent_message(b, a, row.reason, row.b_gains, signer),
        intro_message=row.intro_message
        or introduction_message(a, b, row.reason, row.a_gains, row.b_gains, signer),
        decline_note=note,
    )
