"""Reads what the figures cannot see (intents, current challenges, check-ins, recent wins)
and hands it to the pure rules of :mod:`mutuality.core.advice`, for one relationship or all.

Health, ``next``, ``why`` and requests all take a relationship's context from here, so what
it is for and what was said weigh the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import CursorResult, Select, bindparam, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mutuality.core.advice import RECIPROCAL, TieContext, Win, tie_context
from mutuality.core.checkins import CheckIn
from mutuality.core.health_rules import HealthSettings
from mutuality.core.intent import IntentReading, intent_of
from mutuality.core.model import Intent, RelationshipContext
from mutuality.services.checkins.service import checkin_record
from mutuality.store.prepared import run
from mutuality.store.tables import (
    CheckInRow,
    ExchangeRow,
    IntroductionRow,
    IntroductionStepRow,
    NeedRow,
    PersonRow,
    PersonStateRow,
    PersonTagRow,
    RelationshipRow,
)

SUPPORT_DAYS = 90
"""Who supports me: the people who gave me the most in this many days."""


def _everyone_or_one(
    statement: Select[*tuple[Any, ...]], *columns: InstrumentedAttribute[int]
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The statement for everyone, and for the bound ``person`` (in any of ``columns``):
    both built once at import, like the other reads made after every write."""
    one = or_(*(column == bindparam("person") for column in columns))
    return statement, statement.where(one)


_TAGS = _everyone_or_one(select(PersonTagRow.person_id, PersonTagRow.tag), PersonTagRow.person_id)
_CHALLENGES = _everyone_or_one(
    select(PersonStateRow.person_id, PersonStateRow.text, PersonStateRow.ends_on)
    .where(
        PersonStateRow.kind == "challenge",
        PersonStateRow.starts_on <= bindparam("today"),
        or_(PersonStateRow.ends_on.is_(None), PersonStateRow.ends_on >= bindparam("today")),
    )
    .order_by(PersonStateRow.starts_on, PersonStateRow.id),
    PersonStateRow.person_id,
)
_RELATIONSHIPS = _everyone_or_one(
    select(
        RelationshipRow.person_id,
        RelationshipRow.context,
        RelationshipRow.intent,
        RelationshipRow.intent_until,
        RelationshipRow.intent_reason,
    ),
    RelationshipRow.person_id,
)
_CHECKINS = _everyone_or_one(
    select(CheckInRow.__table__)
    .where(CheckInRow.occurred_on <= bindparam("today"))
    .order_by(CheckInRow.occurred_on, CheckInRow.id),
    CheckInRow.person_id,
)
_INTRODUCTION_OUTCOMES = _everyone_or_one(
    select(
        IntroductionRow.a_id, IntroductionRow.b_id, IntroductionRow.outcome, IntroductionStepRow.at
    )
    .join(IntroductionStepRow, IntroductionStepRow.introduction_id == IntroductionRow.id)
    .where(
        IntroductionStepRow.step == "outcome",
        IntroductionRow.outcome.is_not(None),
        IntroductionStepRow.at >= bindparam("since"),
        IntroductionRow.owner_id == bindparam("owner"),
    ),
    IntroductionRow.a_id,
    IntroductionRow.b_id,
)
_NEEDS_MET = _everyone_or_one(
    select(NeedRow.person_id, NeedRow.text, NeedRow.closed_on).where(
        NeedRow.person_id != bindparam("owner"),
        NeedRow.status == "closed",
        NeedRow.closed_on >= bindparam("since"),
        NeedRow.closed_on <= bindparam("today"),
    ),
    NeedRow.person_id,
)
_OUTCOMES_OF_MY_GIFTS = _everyone_or_one(
    select(ExchangeRow.receiver_id, ExchangeRow.outcome, ExchangeRow.occurred_on).where(
        ExchangeRow.giver_id == bindparam("owner"),
        ExchangeRow.outcome.is_not(None),
        ExchangeRow.occurred_on >= bindparam("since"),
        ExchangeRow.occurred_on <= bindparam("today"),
    ),
    ExchangeRow.receiver_id,
)
_SUPPORTERS = (
    select(PersonRow.name, func.sum(ExchangeRow.benefit).label("total"))
    .join(PersonRow, PersonRow.id == ExchangeRow.giver_id)
    .where(
        ExchangeRow.receiver_id == bindparam("owner"),
        ExchangeRow.giver_id != bindparam("leave_out"),
        ExchangeRow.occurred_on >= bindparam("since"),
        ExchangeRow.occurred_on <= bindparam("today"),
    )
    .group_by(PersonRow.id, PersonRow.name)
    .order_by(func.sum(ExchangeRow.benefit).desc(), PersonRow.name)
    .limit(bindparam("limit"))
)


def _read(
    session: Session,
    statements: tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]],
    person: int | None,
    **params: Any,
) -> CursorResult[*tuple[Any, ...]]:
    """One of a pair from :func:`_everyone_or_one`: everyone's rows, or ``person``'s."""
    if person is None:
        return run(session, statements[0], **params)
    return run(session, statements[1], person=person, **params)


class AdviceService:
    def __init__(self, settings: Callable[[], HealthSettings], today: Callable[[], date]) -> None:
        self._settings = settings
        self._today = today

    def contexts(
        self,
        session: Session,
        owner: int,
        person: int | None = None,
        checkins: list[CheckIn] | None = None,
    ) -> dict[int, TieContext]:
        """Every relationship's context (or only ``person``'s, with their check-ins when the
        caller read them already): a relationship absent from the result is reciprocal with
        nothing said."""
        today = self._today()
        intents = self.intents(session, person)
        if checkins is not None and person is not None:
            said = {person: [c for c in checkins if c.on <= today]}
        else:
            said = self._checkins(session, person)
        wins = self._wins(session, owner, person)
        settings = self._settings()
        result = {}
        for who in set(said) | set(wins) | {p for p, i in intents.items() if not i.judges_balance}:
            result[who] = tie_context(
                intents.get(who, RECIPROCAL),
                said.get(who, []),
                settings,
                wins.get(who),
            )
        return result

    def intents(self, session: Session, person: int | None = None) -> dict[int, IntentReading]:
        """Each relationship's intent with its reason (:func:`mutuality.core.intent.intent_of`)."""
        today = self._today()
        tags: dict[int, list[str]] = defaultdict(list)
        for who, tag in _read(session, _TAGS, person):
            tags[who].append(tag)
        challenges = {
            who: (text, ends)
            for who, text, ends in _read(session, _CHALLENGES, person, today=today)
        }
        found = {}
        for row in _read(session, _RELATIONSHIPS, person):
            challenge = challenges.get(row.person_id)
            found[row.person_id] = intent_of(
                context=RelationshipContext(row.context),
                tags=tags.get(row.person_id, ()),
                chosen=Intent(row.intent) if row.intent else None,
                chosen_until=row.intent_until,
                chosen_reason=row.intent_reason,
                challenge=challenge[0] if challenge else None,
                challenge_until=challenge[1] if challenge else None,
                today=today,
            )
        return found

    def supporters(self, session: Session, owner: int, leave_out: int, limit: int = 3) -> list[str]:
        """Who gave me the most benefit in the last :data:`SUPPORT_DAYS` days (not counting
        ``leave_out``): the people to lean on while I support someone."""
        today = self._today()
        rows = run(
            session,
            _SUPPORTERS,
            owner=owner,
            leave_out=leave_out,
            since=today - timedelta(days=SUPPORT_DAYS),
            today=today,
            limit=limit,
        )
        return [name for name, _ in rows]

    def _checkins(self, session: Session, person: int | None) -> dict[int, list[CheckIn]]:
        found: dict[int, list[CheckIn]] = defaultdict(list)
        for row in _read(session, _CHECKINS, person, today=self._today()):
            found[row.person_id].append(checkin_record(row))
        return found

    def _wins(self, session: Session, owner: int, person: int | None) -> dict[int, Win]:
        """The latest outcome logged for each person within ``celebrate_days``: an
        introduction's outcome (both sides), a need of theirs met, or an outcome on something
        I gave them."""
        today = self._today()
        dates = {"since": today - timedelta(days=self._settings().celebrate_days), "today": today}
        wins: dict[int, Win] = {}

        def keep(who: int, on: date, what: str) -> None:
            if person is not None and who != person:
                return
            if who not in wins or wins[who].on < on:
                wins[who] = Win(on, what)

        for row in _read(
            session, _INTRODUCTION_OUTCOMES, person, owner=owner, since=dates["since"]
        ):
            on = row.at.date()
            if on <= today:
                keep(row.a_id, on, row.outcome)
                keep(row.b_id, on, row.outcome)
        for who, text, closed in _read(session, _NEEDS_MET, person, owner=owner, **dates):
            keep(who, closed, f"their need was met: {text}")
        for who, outcome, on in _read(session, _OUTCOMES_OF_MY_GIFTS, person, owner=owner, **dates):
            keep(who, on, outcome)
        return wins
