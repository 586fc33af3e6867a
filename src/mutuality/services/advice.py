"""Reads what the figures cannot see (intents, current challenges, check-ins, recent wins)
and hands it to the pure rules of :mod:`mutuality.core.advice`, for one relationship or all.

Health, ``next``, ``why`` and requests all take a relationship's context from here, so what
it is for and what was said weigh the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from mutuality.core.advice import RECIPROCAL, TieContext, Win, tie_context
from mutuality.core.checkins import CheckIn
from mutuality.core.health_rules import HealthSettings
from mutuality.core.intent import IntentReading, intent_of
from mutuality.core.model import Intent, RelationshipContext
from mutuality.services.checkins import checkin_record
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


class AdviceService:
    def __init__(self, settings: Callable[[], HealthSettings], today: Callable[[], date]) -> None:
        self._settings = settings
        self._today = today

    def contexts(
        self,
        session: Session,
        owner: int,
        names: dict[int, str],
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
        only = _only(RelationshipRow.person_id, person)
        tags: dict[int, list[str]] = defaultdict(list)
        for who, tag in session.execute(
            select(PersonTagRow.person_id, PersonTagRow.tag).where(
                _only(PersonTagRow.person_id, person)
            )
        ):
            tags[who].append(tag)
        challenges = {
            who: (text, ends)
            for who, text, ends in session.execute(
                select(PersonStateRow.person_id, PersonStateRow.text, PersonStateRow.ends_on)
                .where(
                    _only(PersonStateRow.person_id, person),
                    PersonStateRow.kind == "challenge",
                    PersonStateRow.starts_on <= today,
                    or_(PersonStateRow.ends_on.is_(None), PersonStateRow.ends_on >= today),
                )
                .order_by(PersonStateRow.starts_on, PersonStateRow.id)
            )
        }
        found = {}
        for row in session.execute(
            select(
                RelationshipRow.person_id,
                RelationshipRow.context,
                RelationshipRow.intent,
                RelationshipRow.intent_until,
                RelationshipRow.intent_reason,
            ).where(only)
        ):
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
        since = self._today() - timedelta(days=SUPPORT_DAYS)
        rows = session.execute(
            select(PersonRow.name, func.sum(ExchangeRow.benefit).label("total"))
            .join(PersonRow, PersonRow.id == ExchangeRow.giver_id)
            .where(
                ExchangeRow.receiver_id == owner,
                ExchangeRow.giver_id != leave_out,
                ExchangeRow.occurred_on >= since,
                ExchangeRow.occurred_on <= self._today(),
            )
            .group_by(PersonRow.id, PersonRow.name)
            .order_by(func.sum(ExchangeRow.benefit).desc(), PersonRow.name)
            .limit(limit)
        )
        return [name for name, _ in rows]

    def _checkins(self, session: Session, person: int | None) -> dict[int, list[CheckIn]]:
        found: dict[int, list[CheckIn]] = defaultdict(list)
        for row in session.execute(
            select(CheckInRow.__table__)
            .where(_only(CheckInRow.person_id, person), CheckInRow.occurred_on <= self._today())
            .order_by(CheckInRow.occurred_on, CheckInRow.id)
        ):
            found[row.person_id].append(checkin_record(row))
        return found

    def _wins(self, session: Session, owner: int, person: int | None) -> dict[int, Win]:
        """The latest outcome logged for each person within ``celebrate_days``: an
        introduction's outcome (both sides), a need of theirs met, or an outcome on something
        I gave them."""
        today = self._today()
        since = today - timedelta(days=self._settings().celebrate_days)
        wins: dict[int, Win] = {}

        def keep(who: int, on: date, what: str) -> None:
            if person is not None and who != person:
                return
            if who not in wins or wins[who].on < on:
                wins[who] = Win(on, what)

        for row in session.execute(
            select(
                IntroductionRow.a_id,
                IntroductionRow.b_id,
                IntroductionRow.outcome,
                IntroductionStepRow.at,
            )
            .join(IntroductionStepRow, IntroductionStepRow.introduction_id == IntroductionRow.id)
            .where(
                IntroductionStepRow.step == "outcome",
                IntroductionRow.outcome.is_not(None),
                IntroductionStepRow.at >= since,
                IntroductionRow.owner_id == owner,
            )
        ):
            on = row.at.date()
            if on <= today:
                keep(row.a_id, on, row.outcome)
                keep(row.b_id, on, row.outcome)
        for who, text, closed in session.execute(
            select(NeedRow.person_id, NeedRow.text, NeedRow.closed_on).where(
                _only(NeedRow.person_id, person),
                NeedRow.person_id != owner,
                NeedRow.status == "closed",
                NeedRow.closed_on >= since,
                NeedRow.closed_on <= today,
            )
        ):
            keep(who, closed, f"their need was met: {text}")
        for who, outcome, on in session.execute(
            select(ExchangeRow.receiver_id, ExchangeRow.outcome, ExchangeRow.occurred_on).where(
                ExchangeRow.giver_id == owner,
                _only(ExchangeRow.receiver_id, person),
                ExchangeRow.outcome.is_not(None),
                ExchangeRow.occurred_on >= since,
                ExchangeRow.occurred_on <= today,
            )
        ):
            keep(who, on, outcome)
        return wins


def _only(column: ColumnElement[int], person: int | None) -> ColumnElement[bool]:
    return true() if person is None else column == person
