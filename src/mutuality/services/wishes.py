"""Wishes: what someone said at a check-in would make the relationship better for them,
waiting for me to confirm it as a commitment of mine or a need of theirs, or to set it
aside.

A wish is never acted on without me: recording a check-in (by me, or by them through the
private link) only leaves it pending. :func:`mutuality.core.checkins.proposed_form` says
which form reads more naturally, and why; I may always choose the other. Each call is one
transaction, and every refusal names the check-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.checkins import (
    CheckIn,
    PendingWish,
    WishForm,
    is_pending,
    pending_wish,
    pending_wishes,
)
from mutuality.core.dates import parse_due_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.model import Person
from mutuality.core.needs import Source, WishKind, wish_text
from mutuality.services.checkins.service import checkin_record
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.needs import Saved, wish_record
from mutuality.services.people import PeopleService, PersonRef
from mutuality.services.records import person_record
from mutuality.services.requests import DEFAULT_DUE_DAYS
from mutuality.store.tables import CheckInRow, CommitmentRow, NeedRow, PersonRow

WISH_BENEFIT = 3.0
"""A promise made from a wish: of clear benefit to them (3, as a check-in's follow-up)..."""
WISH_COST = 1.0
"""...at a small cost to me; change them when it is kept (``commitments keep``)."""

_STATE_WORDS = {
    "commitment": "was already made a commitment of yours",
    "need": "is already kept as their need",
    "set-aside": "was set aside",
}


@dataclass(frozen=True, slots=True)
class AdoptedWish:
    """A wish confirmed: the commitment or the need it became."""

    wish: PendingWish
    form: WishForm
    text: str
    """As adopted (their words, or my edit of them)."""
    commitment_id: int | None = None
    need_id: int | None = None
    due_on: date | None = None
    """The commitment's due date (``None`` for a need)."""


LATER = "later"
"""A choice that leaves the wish waiting (``--wish-as later``)."""


@dataclass(frozen=True, slots=True)
class WishChoice:
    """What to do with a wish, checked before anything is written."""

    form: WishForm | None
    """``None``: leave it for now."""
    due_on: date | None = None


class WishService(WithPeople):
    def __init__(
        self, context: ServiceContext, people: PeopleService, saved: Saved | None = None
    ) -> None:
        """``saved`` is called with a need adopted from a check-in once it is written
        (matching embeds its text then); it must never raise."""
        super().__init__(context, people)
        self.on_saved = saved

    def pending(self, person: PersonRef | None = None) -> list[tuple[Person, PendingWish]]:
        """Every wish waiting for me (or only ``person``'s), newest first, each with the
        person who said it and its proposed form."""
        query = (
            select(CheckInRow, PersonRow)
            .join(PersonRow, PersonRow.id == CheckInRow.person_id)
            .where(CheckInRow.their_better.is_not(None), CheckInRow.wish_state.is_(None))
            .order_by(CheckInRow.occurred_on.desc(), CheckInRow.id.desc())
        )
        with self._db.read() as session:
            if person is not None:
                query = query.where(CheckInRow.person_id == self._people.person_id(session, person))
            found = []
            for row, who in session.execute(query):
                checkin = checkin_record(row)
                if is_pending(checkin):
                    found.append((person_record(who), pending_wish(checkin)))
            return found

    def choice(self, form: WishForm | str, due: str | date | None = None) -> WishChoice:
        """``commitment``, ``need`` or ``later``, and a commitment's due date, checked (so
        that a command can refuse them before it records the check-in they follow)."""
        word = str(form).strip().lower()
        if word not in (LATER, *(f.value for f in WishForm)):
            raise InvalidInput(
                f"{form!r}: use commitment, need or later", field="wish-as", value=str(form)
            )
        chosen = None if word == LATER else WishForm(word)
        if due is not None and chosen is not WishForm.COMMITMENT:
            raise InvalidInput("only a commitment has a due date", field="due", value=str(due))
        if chosen is WishForm.COMMITMENT:
            return WishChoice(chosen, self._due(due, self._today()))
        return WishChoice(chosen)

    @staticmethod
    def among(checkins: Sequence[CheckIn]) -> list[PendingWish]:
        """The wishes waiting for me among check-ins already read (a person's page reads
        theirs once), newest first."""
        return pending_wishes(checkins)

    def adopt(
        self,
        checkin_id: int,
        form: WishForm | str | None = None,
        *,
        due: str | date | None = None,
        text: str | None = None,
    ) -> AdoptedWish:
        """Confirm check-in ``checkin_id``'s wish as ``form``: ``commitment`` (an open
        promise of mine, due in ``DEFAULT_DUE_DAYS`` days unless ``due`` says otherwise) or
        ``need`` (an open need of theirs, source ``checkin``); the proposed form when
        ``None``. ``text`` replaces their words (say it as a promise, for example)."""
        chosen = (
            None
            if form is None
            else fields.choice(
                WishForm, form, "as", refusal="{value!r}: make a wish a commitment or a need"
            )
        )
        today = self._today()
        with self._db.write() as session:
            row, wish = self._waiting(session, checkin_id)
            chosen = chosen or wish.proposal.form
            words = wish_text(
                wish.text if text is None else text,
                f"{chosen.value} text",
                "text",
            )
            if chosen is WishForm.COMMITMENT:
                due_on = self._due(due, today)
                commitment = CommitmentRow(
                    owner_id=row.owner_id,
                    person_id=row.person_id,
                    direction="mine",
                    text=words,
                    kind=None,
                    benefit=WISH_BENEFIT,
                    cost=WISH_COST,
                    made_on=today,
                    due_on=due_on,
                    status="open",
                    checkin_id=row.id,
                )
                session.add(commitment)
                row.wish_state = WishForm.COMMITMENT.value
                session.flush()
                return AdoptedWish(wish, chosen, words, commitment_id=commitment.id, due_on=due_on)
            if due is not None:
                raise InvalidInput(
                    f"check-in #{checkin_id}: a need has no due date (a commitment has)",
                    field="due",
                    value=str(due),
                )
            need = NeedRow(
                person_id=row.person_id,
                text=wish_text(words, WishKind.NEED),
                tags="",
                source=Source.CHECKIN.value,
                status="open",
                created_on=today,
                checkin_id=row.id,
            )
            session.add(need)
            row.wish_state = WishForm.NEED.value
            session.flush()
            adopted, record = AdoptedWish(wish, chosen, words, need_id=need.id), wish_record(need)
        if self.on_saved is not None:
            self.on_saved([record])
        return adopted

    def set_aside(self, checkin_id: int) -> PendingWish:
        """I choose not to act on check-in ``checkin_id``'s wish (I considered it, which
        counts for something); it leaves the pending list and nothing else changes."""
        with self._db.write() as session:
            row, wish = self._waiting(session, checkin_id)
            row.wish_state = "set-aside"
            return wish

    @staticmethod
    def _waiting(session: Session, checkin_id: int) -> tuple[CheckInRow, PendingWish]:
        row = session.get(CheckInRow, checkin_id)
        if row is None:
            raise NotFound(f"no check-in #{checkin_id}", field="checkin", value=checkin_id)
        checkin = checkin_record(row)
        if not (checkin.their_better and checkin.their_better.strip()):
            raise InvalidInput(
                f"check-in #{checkin_id} holds no wish: they did not say what would make it better",
                field="checkin",
                value=checkin_id,
            )
        if checkin.wish_state is not None:
            raise Conflict(
                f"check-in #{checkin_id}'s wish {_STATE_WORDS.get(checkin.wish_state, 'is done')}",
                field="checkin",
                value=checkin_id,
            )
        return row, pending_wish(checkin)

    @staticmethod
    def _due(due: str | date | None, today: date) -> date:
        if due is None:
            return today + timedelta(days=DEFAULT_DUE_DAYS)
        return parse_due_date(due if isinstance(due, str) else due.isoformat(), today)
