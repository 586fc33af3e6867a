"""Check-ins: record them (from me, or answered by them through a private link), keep the
agenda of who is due, and compare both sides' views with the ledger.

The private link's token has 256 bits from ``secrets``; only its SHA-256 is stored; it
expires (14 days by default) and can be answered once. Unknown, expired and used tokens
look the same to whoever holds them, so a link reveals nothing it should not.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.checkins import (
    AgendaItem,
    CheckIn,
    Views,
    agenda_item,
    check_equity,
    check_satisfaction,
    disagreements,
    lower_satisfaction,
    message_and_answer,
    message_with_answer,
    views,
)
from mutuality.core.dates import parse_due_date, past_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.health_rules import cadence_for
from mutuality.core.model import Person, RelationshipContext
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.services.records import everyone_else, person_record
from mutuality.services.settings import DEFAULT_OWNER_NAME
from mutuality.store.prepared import changed_rows, run
from mutuality.store.tables import (
    CheckInLinkRow,
    CheckInRow,
    CommitmentRow,
    ExchangeRow,
    RelationshipRow,
    TouchRow,
)

LINK_DAYS = 14
TEXT_LIMIT = 2_000
"""Answers through a link are short: a few sentences, not a document."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    text: str
    due: str | date | None = None
    mine: bool = True


@dataclass(frozen=True, slots=True)
class CheckInLink:
    token: str
    """Shown once, never stored: only its hash is."""
    person: Person
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_CHECKINS_WITH = (
    select(CheckInRow.__table__)
    .where(CheckInRow.person_id == bindparam("person"))
    .order_by(CheckInRow.occurred_on, CheckInRow.id)
)


def checkin_record(row: CheckInRow | Row[Any]) -> CheckIn:
    """A check-in from its ORM row or a plain row of the table (their message apart from
    their answer to the link's reciprocal question)."""
    message, would_hear = message_and_answer(row.message)
    return CheckIn(
        id=row.id,
        person_id=row.person_id,
        on=row.occurred_on,
        kind=row.kind,
        source=row.source,
        my_satisfaction=row.my_satisfaction,
        their_satisfaction=row.their_satisfaction,
        my_better=row.my_better,
        their_better=row.their_better,
        my_equity=row.my_equity,
        their_equity=row.their_equity,
        message=message,
        private_note=row.private_note,
        wish_state=row.wish_state,
        would_hear=would_hear,
    )


class CheckInService(WithPeople):
    def record(
        self,
        person: PersonRef,
        *,
        on: str | date | None = None,
        my_satisfaction: int | None = None,
        their_satisfaction: int | None = None,
        my_better: str | None = None,
        their_better: str | None = None,
        my_equity: int | None = None,
        their_equity: int | None = None,
        note: str | None = None,
        follow_ups: tuple[FollowUp, ...] = (),
        kind: str = "checkin",
    ) -> tuple[CheckIn, list[int]]:
        """Record a check-in and turn its follow-ups into commitments, in one transaction.
        Returns the check-in and the new commitments' ids."""
        today = self._today()
        when = past_date(on, today, "on")
        values = {
            "my_satisfaction": check_satisfaction(my_satisfaction, "my satisfaction"),
            "their_satisfaction": check_satisfaction(their_satisfaction, "their satisfaction"),
            "my_equity": check_equity(my_equity, "my equity"),
            "their_equity": check_equity(their_equity, "their equity"),
            "my_better": fields.optional_text(my_better, "what would make it better for me"),
            "their_better": fields.optional_text(
                their_better, "what would make it better for them"
            ),
            "private_note": fields.optional_text(note, "note"),
        }
        if kind not in ("checkin", "repair"):
            raise InvalidInput(f"kind {kind!r}: use checkin or repair", field="kind", value=kind)
        follow = [
            (fields.required_text(f.text, "follow-up"), self._due(f.due, today), f.mine)
            for f in follow_ups
        ]
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            other = self._people.resolve(session, person)
            row = CheckInRow(
                owner_id=owner.id,
                person_id=other.id,
                occurred_on=when,
                kind=kind,
                source="me",
                created_at=self._now(),
                **values,
            )
            session.add(row)
            ids = []
            for text, due, mine in follow:
                commitment = CommitmentRow(
                    owner_id=owner.id,
                    person_id=other.id,
                    direction="mine" if mine else "theirs",
                    text=text,
                    kind=None,
                    benefit=3.0,
                    cost=1.0,
                    made_on=when,
                    due_on=due,
                    status="open",
                )
                session.add(commitment)
                session.flush()
                ids.append(commitment.id)
            session.flush()
            return checkin_record(row), ids

    @staticmethod
    def _due(due: str | date | None, today: date) -> date:
        if due is None:
            return today + timedelta(days=7)
        return parse_due_date(due if isinstance(due, str) else due.isoformat(), today)

    def list(self, person: PersonRef) -> list[CheckIn]:
        with self._db.read() as session:
            return self.of(session, self._people.person_id(session, person))

    @staticmethod
    def of(session: Session, person_id: int) -> builtins.list[CheckIn]:
        """One relationship's check-ins, oldest first (read once for a page and its "why")."""
        return [checkin_record(row) for row in run(session, _CHECKINS_WITH, person=person_id)]

    def views(
        self,
        person_id: int,
        balance: float | None,
        name: str,
        checkins: builtins.list[CheckIn] | None = None,
    ) -> tuple[Views, builtins.list[str]]:
        """Both sides' latest answers and trends, and where they disagree with the ledger
        (from ``checkins`` when the caller read them already)."""
        if checkins is None:
            with self._db.read() as session:
                checkins = self.of(session, person_id)
        seen = views(checkins)
        return seen, disagreements(seen, balance, self._settings.value.tolerance, name)

    def latest_satisfaction(
        self, session: Session, people: builtins.list[int] | None = None, until: date | None = None
    ) -> dict[int, float]:
        """Per person (everyone, or just ``people``), the lower of the two sides' latest
        satisfaction answers (as they stood on ``until``, when given)."""
        query = select(
            CheckInRow.person_id, CheckInRow.my_satisfaction, CheckInRow.their_satisfaction
        ).order_by(CheckInRow.occurred_on, CheckInRow.id)
        if people is not None:
            query = query.where(CheckInRow.person_id.in_(people))
        if until is not None:
            query = query.where(CheckInRow.occurred_on <= until)
        mine: dict[int, int] = {}
        theirs: dict[int, int] = {}
        for person, my_value, their_value in session.execute(query):
            if my_value is not None:
                mine[person] = my_value
            if their_value is not None:
                theirs[person] = their_value
        result: dict[int, float] = {}
        for person in set(mine) | set(theirs):
            value = lower_satisfaction(mine.get(person), theirs.get(person))
            if value is not None:
                result[person] = value
        return result

    # --- the agenda --------------------------------------------------------------------------

    def agenda(self, horizon_days: int = 7) -> builtins.list[tuple[Person, AgendaItem]]:
        """Who is overdue, due or due within ``horizon_days``, soonest first, and why."""
        if not 0 <= horizon_days <= 366:
            raise InvalidInput(
                "the horizon must be 0 to 366 days", field="days", value=horizon_days
            )
        today = self._today()
        return list(
            self._db.cached(
                ("checkins.agenda", id(self._settings), horizon_days, today),
                lambda: self._agenda(horizon_days, today),
            )
        )

    def _close_ties(self, session: Session) -> set[int]:
        """Who is in a close tie (partner, family, or chosen): the intents' one rule."""
        from mutuality.core.model import Intent
        from mutuality.services.advice import AdviceService

        readings = AdviceService(lambda: self._settings.health, self._today).intents(session)
        return {person for person, reading in readings.items() if reading.intent is Intent.CLOSE}

    def _agenda(self, horizon_days: int, today: date) -> builtins.list[tuple[Person, AgendaItem]]:
        """The agenda reads every relationship's latest contact: kept until the next write."""
        with self._db.read() as session:
            owner = self._people.owner_id(session)
            last: dict[int, date] = {}
            checked: dict[int, date] = {}
            for table, person_column, giver_column in (
                (ExchangeRow, ExchangeRow.receiver_id, ExchangeRow.giver_id),
                (ExchangeRow, ExchangeRow.giver_id, ExchangeRow.receiver_id),
                (TouchRow, TouchRow.person_id, TouchRow.owner_id),
                (CheckInRow, CheckInRow.person_id, CheckInRow.owner_id),
            ):
                on = table.occurred_on
                for person, latest in session.execute(
                    select(person_column, func.max(on))
                    .where(giver_column == owner)
                    .group_by(person_column)
                ):
                    if person not in last or latest > last[person]:
                        last[person] = latest
                    if table is CheckInRow:
                        checked[person] = latest
            close = self._close_ties(session)
            people = everyone_else(self._db, session)
            items = []
            settings = self._settings.health
            for person, context, cadence in session.execute(
                select(
                    RelationshipRow.person_id, RelationshipRow.context, RelationshipRow.cadence_days
                ).where(RelationshipRow.owner_id == owner)
            ):
                days = cadence_for(RelationshipContext(context), cadence, settings)
                if person in close:
                    # A close tie is kept by check-ins, not by logging: due from the last
                    # check-in, and never before the first (as its health counts it).
                    if person not in checked:
                        continue
                    item = agenda_item(person, checked[person], days, today, horizon_days)
                else:
                    item = agenda_item(person, last.get(person), days, today, horizon_days)
                if item is not None and person in people:
                    items.append((people[person], item))
        items.sort(key=lambda pair: (pair[1].due_on, pair[0].name))
        return items

    # --- the private link --------------------------------------------------------------------

    def make_link(
        self, person: PersonRef, first_name: str | None = None, days: int = LINK_DAYS
    ) -> CheckInLink:
        """A one-time link for ``person`` to answer three questions without an account."""
        if not 1 <= days <= 90:
            raise InvalidInput("a link lasts 1 to 90 days", field="days", value=days)
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            other = self._people.resolve(session, person)
            shown = fields.person_name(first_name or owner.name.split()[0], "first name")
            session.add(
                CheckInLinkRow(
                    token_hash=token_hash(token),
                    owner_id=owner.id,
                    person_id=other.id,
                    first_name=shown[:100],
                    created_at=now,
                    expires_at=now + timedelta(days=days),
                )
            )
            return CheckInLink(token, person_record(other), now + timedelta(days=days))

    def link_first_name(self, token: str) -> str:
        """The name stored with the link; the same NotFound for unknown, expired and used
        tokens (GET never consumes a link)."""
        with self._db.read() as session:
            return self._live(session, token).first_name

    def link_name(self, token: str) -> str | None:
        """The name the link's page may show, or ``None`` when the link carries no real
        name (the placeholder owner name, "Me", which must never greet anyone): the page
        then speaks without one. NotFound as :meth:`link_first_name`."""
        name = self.link_first_name(token)
        return None if name.strip().lower() == DEFAULT_OWNER_NAME.lower() else name

    def answer_link(
        self,
        token: str,
        *,
        satisfaction: int | None,
        better: str | None,
        equity: int | None,
        message: str | None,
        would_hear: bool | None = None,
    ) -> None:
        """Record their answer as a check-in; a second answer is refused (Conflict).
        ``would_hear`` is their answer to "Would you like to hear what would make it better
        for me?" (kept with their message). What they said would make it better waits for
        me as a wish (:mod:`mutuality.services.wishes`): nothing is promised without me."""
        if satisfaction is None:
            raise InvalidInput("satisfaction is needed (1 to 5)", field="satisfaction")
        values = {
            "their_satisfaction": check_satisfaction(satisfaction, "satisfaction"),
            "their_equity": check_equity(equity, "equity"),
            "their_better": _short(better, "what would make it better"),
            "message": message_with_answer(_short(message, "message"), would_hear),
        }
        now = self._now()
        with self._db.write() as session:
            link = session.get(CheckInLinkRow, token_hash(token)) if _well_formed(token) else None
            if link is not None and link.used_at is not None:
                raise Conflict("this check-in was already answered: thank you", field="token")
            link = self._live(session, token)
            claimed = session.execute(
                update(CheckInLinkRow)
                .where(
                    CheckInLinkRow.token_hash == link.token_hash, CheckInLinkRow.used_at.is_(None)
                )
                .values(used_at=now)
            )
            if changed_rows(claimed) != 1:
                raise Conflict("this check-in was already answered: thank you", field="token")
            row = CheckInRow(
                owner_id=link.owner_id,
                person_id=link.person_id,
                occurred_on=self._today(),
                kind="checkin",
                source="link",
                created_at=now,
                **values,
            )
            session.add(row)
            session.flush()
            link.checkin_id = row.id

    def holds_link(self, token: str) -> bool:
        """Whether this ledger made the link ``token``, answered or not: how team mode finds,
        through each member's own ledger, the one a stranger's link belongs to."""
        if not _well_formed(token):
            return False
        with self._db.read() as session:
            return session.get(CheckInLinkRow, token_hash(token)) is not None

    def _live(self, session: Session, token: str) -> CheckInLinkRow:
        link = session.get(CheckInLinkRow, token_hash(token)) if _well_formed(token) else None
        if link is None or link.used_at is not None or link.expires_at < self._now():
            raise NotFound("this link is not valid", field="token")
        return link


def _well_formed(token: str) -> bool:
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


def _short(value: str | None, field: str) -> str | None:
    text = fields.optional_text(value, field)
    if text is not None and len(text) > TEXT_LIMIT:
        raise InvalidInput(f"{field} is longer than {TEXT_LIMIT} characters", field=field)
    return text
