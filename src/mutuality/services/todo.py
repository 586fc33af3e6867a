"""The to-do list: what waits on me across the whole ledger, in one order; and snoozing a
relationship off it for a while.

It gathers, without rules of its own, the next action of each relationship and the
check-ins due (the health service and the agenda), commitments due, requests asked of me,
introductions waiting for consent, and birthdays and dates coming up, and hands them to the
one ranking rule (:func:`mutuality.core.todo.rank`). Every source is a result kept until
the next write or a handful of rows read at once (open requests, open commitments, open
introductions), so a dashboard costs the same at ten thousand people as at twenty.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mutuality.core.errors import InvalidInput, NotFound
from mutuality.core.health import Action
from mutuality.core.introductions import OPEN_STATUSES, IntroStatus
from mutuality.core.model import Exchange, Person, Touch
from mutuality.core.todo import (
    Tier,
    TodoItem,
    TodoKind,
    dated_tier,
    rank,
    snooze_until,
    snoozed,
)
from mutuality.core.words import short_date
from mutuality.services.checkins.occasions import OccasionService
from mutuality.services.checkins.service import CheckInService
from mutuality.services.context import ServiceContext, WithPeople, in_one_read
from mutuality.services.health.service import HealthService
from mutuality.services.ledger import Direction, LedgerService
from mutuality.services.people import PeopleService, PersonRef
from mutuality.store.tables import (
    CommitmentRow,
    IntroductionRow,
    PersonRow,
    RelationshipRow,
    RequestRow,
)

HORIZON_DAYS = 7
"""How far ahead the list looks: this week."""
ACTIONS = 7
"""How many relationships' next actions it carries (the most urgent, as ``next`` lists them)."""
CHECK_INS = 10
"""How many check-ins due by the cadence it adds beyond those."""
THANKS = "appreciation"
"""The kind of exchange a thank-you is logged as (it resets "thank them")."""

_SNOOZED = select(RelationshipRow.person_id, RelationshipRow.snoozed_until).where(
    RelationshipRow.snoozed_until.is_not(None)
)


@dataclass(frozen=True, slots=True)
class TodoList:
    items: list[TodoItem]
    """The first ones, in the ranking's order."""
    total: int
    """How many there are in all."""
    snoozed: int
    """How many people are snoozed today (kept off the list)."""


@dataclass(frozen=True, slots=True)
class Snooze:
    person: Person
    until: date | None
    """The day they come back onto the list; ``None``: not snoozed (any more)."""


class TodoService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        ledger: LedgerService,
        health: HealthService,
        checkins: CheckInService,
        occasions: OccasionService,
    ) -> None:
        super().__init__(context, people)
        self._ledger = ledger
        self._health = health
        self._checkins = checkins
        self._occasions = occasions
        self._cache_key = object()
        """This service's part of the database's cache (another may hold other settings)."""

    # --- the list ------------------------------------------------------------------------------

    @in_one_read
    def list(self, limit: int = 20) -> TodoList:
        """The to-do list, most pressing first; at most ``limit`` items, with the count of
        all. Kept until the next write."""
        if not 1 <= limit <= 500:
            raise InvalidInput("limit must be 1 to 500", field="limit", value=limit)
        everything = self._db.cached(
            ("todo.list", self._cache_key, self._today()), self._everything
        )
        away = self.snoozed()
        return TodoList(everything[:limit], len(everything), len(away))

    def _everything(self) -> builtins.list[TodoItem]:
        today = self._today()
        away = self.snoozed()
        items = self._actions(away)
        listed = {item.person_id for item in items}
        items += self._check_ins(away, listed, today)
        items += self._dates(away, today)
        with self._db.read() as session:
            owner = self._people.owner_id(session)
            items += self._commitments(session, today)
            items += self._requests(session, owner)
            items += self._introductions(session, owner)
        return rank(items)

    def _actions(self, away: dict[int, date]) -> builtins.list[TodoItem]:
        """The next action of the most urgent relationships, leaving out the snoozed ones."""
        steps = self._health.next_actions(ACTIONS + len(away))
        shown = [step for step in steps if step.person.id not in away][:ACTIONS]
        return [
            TodoItem(
                kind=TodoKind.ACTION,
                tier=Tier.RELATIONSHIPS,
                person_id=step.person.id,
                person=step.person.name,
                title=step.health.action.value,
                detail=step.detail,
                order=index,
                action=step.health.action.value,
                cite=tuple(gift.description for gift in step.cite),
            )
            for index, step in enumerate(shown)
        ]

    def _check_ins(
        self, away: dict[int, date], listed: set[int], today: date
    ) -> builtins.list[TodoItem]:
        """Check-ins due today or late by the cadence, for people not already listed."""
        found = []
        # the week's agenda, as the dashboard has always asked for it (one kept result)
        for person, item in self._checkins.agenda(HORIZON_DAYS):
            if item.due_on > today or person.id in away or person.id in listed:
                continue
            found.append(
                TodoItem(
                    kind=TodoKind.CHECK_IN,
                    tier=Tier.RELATIONSHIPS,
                    person_id=person.id,
                    person=person.name,
                    title=Action.CHECK_IN.value,
                    detail=item.why(today),
                    on=item.due_on,
                    order=ACTIONS,
                )
            )
            if len(found) == CHECK_INS:
                break
        return found

    def _dates(self, away: dict[int, date], today: date) -> builtins.list[TodoItem]:
        return [
            TodoItem(
                kind=TodoKind.DATE,
                tier=dated_tier(item.on, today),
                person_id=item.person_id,
                person=item.person,
                title="birthday" if item.date_id is None else "important date",
                detail=item.detail,
                on=item.on,
                ref=item.date_id,
            )
            for item in self._occasions.upcoming(HORIZON_DAYS)
            if item.person_id not in away
        ]

    def _commitments(self, session: Session, today: date) -> builtins.list[TodoItem]:
        """My promises due this week or late; theirs once due (time to ask how it goes)."""
        rows = session.execute(
            select(CommitmentRow, PersonRow.name)
            .join(PersonRow, PersonRow.id == CommitmentRow.person_id)
            .where(
                CommitmentRow.status == "open",
                CommitmentRow.due_on <= today + timedelta(days=HORIZON_DAYS),
            )
        )
        found = []
        for row, name in rows:
            mine = row.direction == "mine"
            if not mine and row.due_on > today:
                continue
            if mine and row.due_on < today:
                tier = Tier.WAITING_ON_YOU
            else:
                tier = dated_tier(row.due_on, today)
            found.append(
                TodoItem(
                    kind=TodoKind.COMMITMENT,
                    tier=tier,
                    person_id=row.person_id,
                    person=name,
                    title="keep your promise" if mine else "ask how their promise is going",
                    detail=(f"You promised {name}: " if mine else f"{name} promised you: ")
                    + row.text,
                    on=row.due_on,
                    ref=row.id,
                    action="mine" if mine else "theirs",
                )
            )
        return found

    def _requests(self, session: Session, owner: int) -> builtins.list[TodoItem]:
        """Requests asked of me and not decided: the asker is waiting (the longest first)."""
        today = self._today()
        rows = session.execute(
            select(RequestRow, PersonRow.name)
            .join(PersonRow, PersonRow.id == RequestRow.person_id)
            .where(
                RequestRow.status == "open",
                RequestRow.direction == "to_me",
                RequestRow.owner_id == owner,
            )
        )
        return [
            TodoItem(
                kind=TodoKind.REQUEST,
                tier=Tier.WAITING_ON_YOU,
                person_id=row.person_id,
                person=name,
                title="decide their request",
                detail=f"{name} asked: {row.text}"
                + (f" (needed by {short_date(row.due_on, today)})" if row.due_on else "")
                + f". Proposed: {row.proposal}. {_first_sentence(row.proposal_reason)}",
                on=row.made_on,
                ref=row.id,
                action=row.proposal,
            )
            for row, name in rows
        ]

    def _introductions(self, session: Session, owner: int) -> builtins.list[TodoItem]:
        """Introductions in progress: ready to make once both agreed, else waiting for a
        consent (asked or still to ask)."""
        a, b = aliased(PersonRow), aliased(PersonRow)
        rows = session.execute(
            select(IntroductionRow, a.name, b.name)
            .join(a, a.id == IntroductionRow.a_id)
            .join(b, b.id == IntroductionRow.b_id)
            .where(
                IntroductionRow.owner_id == owner,
                IntroductionRow.status.in_([s.value for s in OPEN_STATUSES]),
            )
        )
        found = []
        for row, a_name, b_name in rows:
            status = IntroStatus(row.status)
            if status is IntroStatus.AGREED:
                title, tier = "make the introduction", Tier.WAITING_ON_YOU
                detail = f"{a_name} and {b_name} both said yes."
            elif status is IntroStatus.PROPOSED:
                title, tier = "ask both for consent", Tier.COMING_UP
                detail = f"Introduce {a_name} and {b_name}: {row.reason}"
            else:
                waiting = [
                    name
                    for name, consent in ((a_name, row.a_consent), (b_name, row.b_consent))
                    if consent != "yes"
                ]
                title, tier = "waiting for consent", Tier.COMING_UP
                detail = f"Introducing {a_name} and {b_name}: waiting for {' and '.join(waiting)}."
            found.append(
                TodoItem(
                    kind=TodoKind.INTRODUCTION,
                    tier=tier,
                    person_id=row.a_id,
                    person=f"{a_name} and {b_name}",
                    title=title,
                    detail=detail,
                    ref=row.id,
                    action=status.value,
                )
            )
        return found

    # --- doing what it says ----------------------------------------------------------------------

    def checked_in(self, person: PersonRef) -> Touch:
        """I was in touch with them today (I reached out): the clock of their cadence resets."""
        return self._ledger.touch(person, initiated_by="me")

    def thanked(self, person: PersonRef, what: str | None = None) -> Exchange:
        """I thanked them: an exchange of appreciation from me, naming what they gave me
        (``what``, else their most valuable gift logged), so "thank them" is done."""
        if not (what or "").strip():
            gifts = self._health.detail(self._person_id(person)).gifts
            what = f"Thanked them for {gifts[0].description}" if gifts else "Thanked them"
        return self._ledger.log(
            person, Direction.GAVE, kind=THANKS, what=what or "", initiated_by="me"
        )

    # --- snooze ----------------------------------------------------------------------------------

    def snooze(
        self, person: PersonRef, until: str | date | None = None, span: str | None = None
    ) -> Snooze:
        """Keep a relationship's nudges off the to-do list until a day (``until``) or for a
        span (``2w``, ``1m``): see :func:`mutuality.core.todo.snooze_until`."""
        ends = snooze_until(self._today(), until, span)
        return self._set(person, ends)

    def unsnooze(self, person: PersonRef) -> Snooze:
        """Put them back on the to-do list today."""
        return self._set(person, None)

    def snoozed(self) -> dict[int, date]:
        """Who is snoozed today, and until when: one small read, kept until the next write."""
        today = self._today()

        def read() -> dict[int, date]:
            with self._db.read() as session:
                return {
                    int(who): until
                    for who, until in session.execute(_SNOOZED)
                    if snoozed(until, today)
                }

        return dict(self._db.cached(("todo.snoozed", today), read))

    def _set(self, person: PersonRef, until: date | None) -> Snooze:
        with self._db.write() as session:
            row = self._people.resolve(session, person)
            relationship = session.scalars(
                select(RelationshipRow).where(
                    RelationshipRow.person_id == row.id,
                    RelationshipRow.owner_id == self._people.owner_row(session).id,
                )
            ).one_or_none()
            if relationship is None:  # only a hand-made backup can hold such a person
                raise NotFound(
                    f"no relationship with {row.name} to snooze", field="person", value=row.id
                )
            relationship.snoozed_until = until
            return Snooze(self._people.record(session, row.id), until)

    def _person_id(self, person: PersonRef) -> int:
        with self._db.read() as session:
            return self._people.person_id(session, person)


def _first_sentence(text: str) -> str:
    """The reason's first sentence: the list says what was decided and why in short; the
    requests page shows the whole reasoning."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text
