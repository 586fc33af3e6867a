"""Commitments: promises with a due date, mine or theirs, kept (logging the exchange they
were), broken, and how they went (follow-through). A request decided yes makes one
(:mod:`mutuality.services.requests`); so does a check-in's follow-up or a wish adopted.
"""

from __future__ import annotations

import builtins
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from mutuality.core.dates import past_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.requests import Commitment, FollowThrough, follow_through
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.ledger import Direction, LedgerService
from mutuality.services.people import PeopleService, PersonRef
from mutuality.store.prepared import run
from mutuality.store.tables import CommitmentRow, PersonRow


def commitment_record(row: CommitmentRow | Row[Any]) -> Commitment:
    """A commitment row as its record."""
    return Commitment(
        id=row.id,
        person_id=row.person_id,
        mine=row.direction == "mine",
        text=row.text,
        kind=row.kind,
        benefit=row.benefit,
        cost=row.cost,
        hours=row.hours,
        made_on=row.made_on,
        due_on=row.due_on,
        status=row.status,
        closed_on=row.closed_on,
        request_id=row.request_id,
        exchange_id=row.exchange_id,
    )


_COMMITMENTS_WITH = (
    select(CommitmentRow.__table__)
    .where(CommitmentRow.person_id == bindparam("person"))
    .order_by(CommitmentRow.due_on, CommitmentRow.id)
)


def _in_page_order(commitments: list[Commitment]) -> list[Commitment]:
    """Open ones by due date (as given), then closed ones, the latest closed first."""
    still_open = [c for c in commitments if c.status == "open"]
    closed = sorted(
        (c for c in commitments if c.status != "open"),
        key=lambda c: (c.closed_on or c.due_on, c.id),
        reverse=True,
    )
    return still_open + closed


class CommitmentService(WithPeople):
    def __init__(
        self, context: ServiceContext, people: PeopleService, ledger: LedgerService
    ) -> None:
        super().__init__(context, people)
        self._ledger = ledger

    def list(
        self, include_closed: bool = False, person: PersonRef | None = None
    ) -> list[Commitment]:
        """Open commitments by due date (closed ones after, newest first, when asked)."""
        with self._db.read() as session:
            if person is not None:
                found = self.of(session, self._people.person_id(session, person))
                return found if include_closed else [c for c in found if c.status == "open"]
            query = select(CommitmentRow)
            if not include_closed:
                query = query.where(CommitmentRow.status == "open")
            rows = [
                commitment_record(row)
                for row in session.scalars(query.order_by(CommitmentRow.due_on, CommitmentRow.id))
            ]
        return _in_page_order(rows)

    @staticmethod
    def of(session: Session, person_id: int) -> builtins.list[Commitment]:
        """Every commitment with one person, open ones first (a person's page, its "why")."""
        return _in_page_order(
            [commitment_record(row) for row in run(session, _COMMITMENTS_WITH, person=person_id)]
        )

    def keep(self, commitment_id: int, on: str | date | None = None) -> Commitment:
        """Mark a commitment kept and log the exchange it was (one transaction)."""
        today = self._today()
        with self._db.write() as session:
            row = self._open(session, commitment_id)
            when = past_date(on, today, "on")
            if when < row.made_on:
                raise InvalidInput(
                    f"on {when} is before the commitment was made ({row.made_on})",
                    field="on",
                    value=when.isoformat(),
                )
            name = session.get_one(PersonRow, row.person_id).name
            exchange = self._ledger.log(
                name,
                Direction.GAVE if row.direction == "mine" else Direction.GOT,
                kind=row.kind or "other",
                what=row.text,
                benefit=row.benefit,
                cost=row.cost,
                on=when,
                estimated_by="me",
                hours=row.hours,
            )
            row.status, row.closed_on, row.exchange_id = "kept", exchange.on, exchange.id
            return commitment_record(row)

    def break_(self, commitment_id: int) -> Commitment:
        with self._db.write() as session:
            row = self._open(session, commitment_id)
            row.status, row.closed_on = "broken", self._today()
            return commitment_record(row)

    def follow_through(self, person_id: int | None = None) -> tuple[FollowThrough, FollowThrough]:
        """(mine, theirs): how commitments went, for one person or everyone."""
        with self._db.read() as session:
            if person_id is not None:
                found = self.of(session, person_id)
            else:
                found = [commitment_record(row) for row in session.scalars(select(CommitmentRow))]
        return follow_through(found, self._today())

    def _open(self, session: Session, commitment_id: int) -> CommitmentRow:
        row = session.get(CommitmentRow, commitment_id)
        if row is None:
            raise NotFound(
                f"no commitment with id {commitment_id}", field="commitment", value=commitment_id
            )
        if row.status != "open":
            raise Conflict(
                f"commitment #{commitment_id} is already {row.status}",
                field="commitment",
                value=commitment_id,
            )
        return row
