"""Double-opt-in introductions: propose with a composed reason, ask each side, record
their answers, make it (logged in the ledger as an introduction I gave to both), and log
its outcome. The rules between states are in :mod:`mutuality.core.introductions`; every
step is one transaction and is timestamped in ``introduction_steps``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import (
    OPEN_STATUSES,
    Consent,
    Introduction,
    IntroStatus,
    IntroStep,
    Party,
    Step,
    Transition,
    after_answer,
    after_ask,
    check_can_edit,
    check_can_log_outcome,
    check_can_make,
    check_can_withdraw,
    consent_message,
    decline_note,
    introduction_message,
)
from mutuality.core.needs import wish_text
from mutuality.services.ledger import Direction, LedgerService
from mutuality.services.matching import MatchingService
from mutuality.services.needs import OWNER_WORDS
from mutuality.services.people import PeopleService, utc_now
from mutuality.store.database import Database
from mutuality.store.tables import (
    ExchangeRow,
    IntroductionRow,
    IntroductionStepRow,
    NeedRow,
    PersonRow,
)


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


def _record(row: IntroductionRow) -> Introduction:
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


def _party(row: PersonRow) -> Party:
    """Only what a message may say: name, title, organisation, first email. No notes."""
    return Party(
        row.name, row.title, row.organisation, row.emails[0].email if row.emails else None
    )


class IntroductionService:
    def __init__(
        self,
        database: Database,
        people: PeopleService,
        ledger: LedgerService,
        matching: MatchingService,
        today: Callable[[], date],
    ) -> None:
        self._db = database
        self._people = people
        self._ledger = ledger
        self._matching = matching
        self._today = today

    # --- proposing ---------------------------------------------------------------------------

    def propose(
        self,
        a: str,
        b: str,
        *,
        reason: str | None = None,
        a_gains: str | None = None,
        b_gains: str | None = None,
        again: bool = False,
    ) -> IntroDetail:
        """Propose introducing A and B. Without ``reason`` it is composed from their open
        needs and offers (what one needs, what the other offers, the words that matched,
        what each gains); with no match there, a reason must be given."""
        for name in (a, b):
            if name.strip().lower() in OWNER_WORDS:
                raise InvalidInput(
                    "an introduction connects two other people; to ask someone for help "
                    "yourself, use `mutuality ask NAME TEXT --from-me`",
                    field="person",
                    value=name,
                )
        clean_reason = wish_text(reason, "reason") if reason is not None else None
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            row_a = self._people.resolve(session, a)
            row_b = self._people.resolve(session, b)
            if row_a.id == row_b.id:
                raise InvalidInput(
                    f"cannot introduce {row_a.name} to themself", field="person", value=b
                )
            self._check_pair(session, row_a, row_b, again)
            match = self._matching.best_pair(session, row_a.id, row_b.id)
            if clean_reason is None and match is None:
                raise InvalidInput(
                    f"no open need of {row_a.name} or {row_b.name} matches an offer of the "
                    "other: say why the introduction matters with --reason",
                    field="reason",
                )
            row = IntroductionRow(
                owner_id=owner.id,
                a_id=row_a.id,
                b_id=row_b.id,
                status=IntroStatus.PROPOSED.value,
                created_at=utc_now(),
            )
            if match is not None:
                seeker_is_a = match.seeker_id == row_a.id
                words = match.explanation
                row.need_id, row.offer_id = match.need.id, match.offer.id
                row.score = round(match.similarity, 4)
                row.reason = words.reason
                row.a_gains = words.seeker_gains if seeker_is_a else words.helper_gains
                row.b_gains = words.helper_gains if seeker_is_a else words.seeker_gains
            if clean_reason is not None:
                row.reason = clean_reason
            if a_gains is not None:
                row.a_gains = wish_text(a_gains, "gains")
            if b_gains is not None:
                row.b_gains = wish_text(b_gains, "gains")
            session.add(row)
            session.flush()
            self._step(session, row, Step.PROPOSED)
            return self._detail(session, row)

    def _check_pair(self, session: Session, a: PersonRow, b: PersonRow, again: bool) -> None:
        for earlier in session.scalars(
            select(IntroductionRow)
            .where(
                or_(
                    (IntroductionRow.a_id == a.id) & (IntroductionRow.b_id == b.id),
                    (IntroductionRow.a_id == b.id) & (IntroductionRow.b_id == a.id),
                )
            )
            .order_by(IntroductionRow.id)
        ):
            status = IntroStatus(earlier.status)
            when = earlier.created_at.date().isoformat()
            if status in OPEN_STATUSES:
                raise Conflict(
                    f"{a.name} and {b.name} are already being introduced (#{earlier.id}, "
                    f"{status.value})",
                    field="person",
                    value=b.name,
                )
            if status is IntroStatus.MADE:
                raise Conflict(
                    f"{a.name} and {b.name} were already introduced (#{earlier.id}, {when})",
                    field="person",
                    value=b.name,
                )
            if status is IntroStatus.DECLINED and not again:
                raise Conflict(
                    f"an introduction of {a.name} and {b.name} was declined (#{earlier.id}, "
                    f"{when}); it is not proposed again (use --again if they asked for it)",
                    field="person",
                    value=b.name,
                )

    # --- consent -----------------------------------------------------------------------------

    def ask(self, intro_id: int, person: str | None = None) -> IntroDetail:
        """Record that consent was asked of ``person`` (both sides not yet asked if none);
        the messages to send are in the result."""
        with self._db.write() as session:
            row = self._get(session, intro_id)
            sides = [self._side(session, row, person)] if person else [
                side for side in ("a", "b") if getattr(row, f"{side}_consent") is None
            ]
            if not sides:
                raise Conflict(
                    f"introduction #{intro_id}: both sides were already asked; name one to "
                    "ask again",
                    field="person",
                )
            for side in sides:
                change = after_ask(_record(row), side)
                self._apply(row, change)
                self._step(session, row, Step.ASKED, self._side_id(row, side))
            return self._detail(session, row)

    def answer(
        self, intro_id: int, person: str, *, yes: bool = True, note: str | None = None
    ) -> IntroDetail:
        """Record one side's answer: yes (two yeses: agreed) or no (declined, remembered)."""
        clean_note = fields.optional_text(note, "note")
        with self._db.write() as session:
            row = self._get(session, intro_id)
            side = self._side(session, row, person)
            self._apply(row, after_answer(_record(row), side, yes))
            self._step(
                session, row, Step.CONSENTED if yes else Step.DECLINED,
                self._side_id(row, side), clean_note,
            )
            return self._detail(session, row)

    # --- making it, and after ----------------------------------------------------------------

    def make(self, intro_id: int, on: str | date | None = None) -> IntroDetail:
        """Make an agreed introduction: logs an exchange of kind introduction from me to each
        side, in the same transaction."""
        with self._db.write() as session:
            row = self._get(session, intro_id)
            check_can_make(_record(row))
            a = session.get_one(PersonRow, row.a_id)
            b = session.get_one(PersonRow, row.b_id)
            for side, person, other in (("a", a, b), ("b", b, a)):
                exchange = self._ledger.log(
                    person.name,
                    Direction.GAVE,
                    kind="introduction",
                    what=f"Introduced to {other.name} (introduction #{row.id})",
                    on=on,
                    initiated_by="me",
                )
                setattr(row, f"{side}_exchange_id", exchange.id)
            row.status = IntroStatus.MADE.value
            self._step(session, row, Step.MADE)
            return self._detail(session, row)

    def log_outcome(self, intro_id: int, outcome: str, *, need_met: bool = False) -> IntroDetail:
        """What came of a made introduction; also written on both exchanges. ``need_met``
        closes the need it answered."""
        text = wish_text(outcome, "outcome")
        with self._db.write() as session:
            row = self._get(session, intro_id)
            check_can_log_outcome(_record(row))
            row.outcome = text
            for exchange_id in (row.a_exchange_id, row.b_exchange_id):
                exchange = session.get(ExchangeRow, exchange_id) if exchange_id else None
                if exchange is not None:
                    exchange.outcome = text
            if need_met and row.need_id is not None:
                need = session.get(NeedRow, row.need_id)
                if need is not None and need.status == "open":
                    need.status, need.closed_on = "closed", self._today()
            self._step(session, row, Step.OUTCOME, note=text)
            return self._detail(session, row)

    def withdraw(self, intro_id: int, note: str | None = None) -> IntroDetail:
        with self._db.write() as session:
            row = self._get(session, intro_id)
            check_can_withdraw(_record(row))
            row.status = IntroStatus.WITHDRAWN.value
            self._step(session, row, Step.WITHDRAWN, note=fields.optional_text(note, "note"))
            return self._detail(session, row)

    def edit(
        self,
        intro_id: int,
        *,
        reason: str | None = None,
        a_gains: str | None = None,
        b_gains: str | None = None,
        a_message: str | None = None,
        b_message: str | None = None,
        intro_message: str | None = None,
    ) -> IntroDetail:
        """Change the reason, the gains or any message before the introduction is made."""
        with self._db.write() as session:
            row = self._get(session, intro_id)
            check_can_edit(_record(row))
            changed = []
            for name, value, check in (
                ("reason", reason, wish_text),
                ("a_gains", a_gains, wish_text),
                ("b_gains", b_gains, wish_text),
                ("a_message", a_message, fields.required_text),
                ("b_message", b_message, fields.required_text),
                ("intro_message", intro_message, fields.required_text),
            ):
                if value is not None:
                    setattr(row, name, check(value, name.replace("_", " ")))
                    changed.append(name)
            if not changed:
                raise InvalidInput("nothing to change: give at least one field", field="edit")
            self._step(session, row, Step.EDITED, note=", ".join(changed))
            return self._detail(session, row)

    # --- reading -----------------------------------------------------------------------------

    def get(self, intro_id: int) -> IntroDetail:
        with self._db.read() as session:
            return self._detail(session, self._get(session, intro_id))

    def list(self, status: str | None = None, person: str | None = None) -> list[IntroDetail]:
        """Newest first, optionally one status or the ones involving one person."""
        if status is not None and status not in {s.value for s in IntroStatus} | {"open"}:
            known = ", ".join(["open", *(s.value for s in IntroStatus)])
            raise InvalidInput(f"status {status!r}: use one of {known}", field="status",
                               value=status)
        with self._db.read() as session:
            query = select(IntroductionRow).order_by(IntroductionRow.id.desc())
            if status == "open":
                query = query.where(IntroductionRow.status.in_([s.value for s in OPEN_STATUSES]))
            elif status is not None:
                query = query.where(IntroductionRow.status == status)
            if person is not None:
                who = self._people.resolve(session, person).id
                query = query.where(or_(IntroductionRow.a_id == who, IntroductionRow.b_id == who))
            return [self._detail(session, row) for row in session.scalars(query)]

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, intro_id: int) -> IntroductionRow:
        row = session.get(IntroductionRow, intro_id)
        if row is None:
            raise NotFound(f"no introduction with id {intro_id}", field="id", value=intro_id)
        return row

    def _side(self, session: Session, row: IntroductionRow, person: str) -> str:
        """``a`` or ``b``: which side ``person`` is; anyone else is an error."""
        found = self._people.resolve(session, person)
        if found.id == row.a_id:
            return "a"
        if found.id == row.b_id:
            return "b"
        a = session.get_one(PersonRow, row.a_id).name
        b = session.get_one(PersonRow, row.b_id).name
        raise InvalidInput(
            f"{found.name} is not part of introduction #{row.id} ({a} and {b})",
            field="person",
            value=person,
        )

    @staticmethod
    def _side_id(row: IntroductionRow, side: str) -> int:
        return row.a_id if side == "a" else row.b_id

    @staticmethod
    def _apply(row: IntroductionRow, change: Transition) -> None:
        row.status = change.status.value
        row.a_consent = change.a_consent.value if change.a_consent else None
        row.b_consent = change.b_consent.value if change.b_consent else None

    @staticmethod
    def _step(
        session: Session,
        row: IntroductionRow,
        step: Step,
        person_id: int | None = None,
        note: str | None = None,
    ) -> None:
        session.add(
            IntroductionStepRow(
                introduction_id=row.id, step=step.value, person_id=person_id, at=utc_now(),
                note=note,
            )
        )
        session.flush()

    def _detail(self, session: Session, row: IntroductionRow) -> IntroDetail:
        me = _party(self._people.owner_row(session))
        a = _party(session.get_one(PersonRow, row.a_id))
        b = _party(session.get_one(PersonRow, row.b_id))
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
            note = decline_note(me, by, other)
        return IntroDetail(
            introduction=_record(row),
            a=a.name,
            b=b.name,
            steps=steps,
            a_message=row.a_message or consent_message(me, a, b, row.reason, row.a_gains),
            b_message=row.b_message or consent_message(me, b, a, row.reason, row.b_gains),
            intro_message=row.intro_message
            or introduction_message(me, a, b, row.reason, row.a_gains, row.b_gains),
            decline_note=note,
        )
