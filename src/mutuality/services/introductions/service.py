"""Double-opt-in introductions: propose with a composed reason, ask each side, record
their answers, make it (logged in the ledger as an introduction I gave to both), and log
its outcome. The rules between states are in :mod:`mutuality.core.introductions`; every
step is one transaction and is timestamped in ``introduction_steps``. The rows and their
steps are handled in :mod:`.intro_rows`, the messages composed in :mod:`.intro_messages`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, InvalidInput
from mutuality.core.introductions import (
    OPEN_STATUSES,
    IntroStatus,
    Step,
    after_answer,
    after_ask,
    check_can_edit,
    check_can_log_outcome,
    check_can_make,
    check_can_withdraw,
    match_words,
)
from mutuality.core.needs import wish_text
from mutuality.core.portfolio import ShareKind
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.introductions.messages import IntroDetail, intro_detail, intro_record
from mutuality.services.introductions.rows import (
    add_step,
    apply,
    check_pair,
    described,
    intro_row,
    side_id,
    side_of,
)
from mutuality.services.ledger import Direction, LedgerService
from mutuality.services.matching.service import MatchingService
from mutuality.services.needs import OWNER_WORDS
from mutuality.services.people import PeopleService, PersonRef
from mutuality.services.sharing import mark_shared, public_wording
from mutuality.store.tables import ExchangeRow, IntroductionRow, NeedRow, PersonRow

__all__ = ["IntroDetail", "IntroductionService"]


class IntroductionService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        ledger: LedgerService,
        matching: MatchingService,
    ) -> None:
        super().__init__(context, people)
        self._ledger = ledger
        self._matching = matching

    # --- proposing ---------------------------------------------------------------------------

    def propose(
        self,
        a: PersonRef,
        b: PersonRef,
        *,
        reason: str | None = None,
        a_gains: str | None = None,
        b_gains: str | None = None,
        again: bool = False,
    ) -> IntroDetail:
        """Propose introducing A and B. Without ``reason`` it is composed from their open
        needs and offers (what one is looking for, what the other offers, what each could
        gain: never the matching's words or scores), found as ``match`` finds them (by
        meaning, else by shared words: the result's ``matched_by`` says which); with no
        match there, a reason must be given."""
        for name in (a, b):
            if isinstance(name, str) and name.strip().lower() in OWNER_WORDS:
                raise InvalidInput(
                    "an introduction connects two other people; to ask someone for help "
                    "yourself, record it as a request you make of them",
                    field="person",
                    value=name,
                )
        clean_reason = wish_text(reason, "reason", "reason") if reason is not None else None
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            row_a = self._people.resolve(session, a)
            row_b = self._people.resolve(session, b)
            if row_a.id == row_b.id:
                raise InvalidInput(
                    f"cannot introduce {row_a.name} to themself", field="person", value=b
                )
            check_pair(session, row_a, row_b, again)
            found = self._matching.best_pair(session, row_a.id, row_b.id)
            match = found.match if found is not None else None
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
                created_at=self._now(),
            )
            if match is not None:
                seeker_is_a = match.seeker_id == row_a.id
                reverse = (
                    (match.reverse_need.text, match.reverse_offer.text)
                    if match.reverse_need is not None and match.reverse_offer is not None
                    else None
                )
                words = match_words(
                    match.seeker, match.helper, match.need.text, match.offer.text, reverse
                )
                row.need_id, row.offer_id = match.need.id, match.offer.id
                row.score = round(match.similarity, 4)
                row.reason = words.reason
                row.a_gains = words.seeker_gains if seeker_is_a else words.helper_gains
                row.b_gains = words.helper_gains if seeker_is_a else words.seeker_gains
            if clean_reason is not None:
                row.reason = clean_reason
            if a_gains is not None:
                row.a_gains = wish_text(a_gains, "gains", "a_gains")
            if b_gains is not None:
                row.b_gains = wish_text(b_gains, "gains", "b_gains")
            session.add(row)
            session.flush()
            add_step(session, row, self._now(), Step.PROPOSED)
            detail = self._detail(session, row)
        if found is None or clean_reason is not None:
            return detail
        by = "by meaning" if found.method == "semantic" else " ".join(found.notes)
        return replace(detail, matched_by=by or "by shared words")

    # --- consent -----------------------------------------------------------------------------

    def ask(self, intro_id: int, person: PersonRef | None = None) -> IntroDetail:
        """Record that consent was asked of ``person`` (both sides not yet asked if none);
        the messages to send are in the result."""
        with self._db.write() as session:
            row = intro_row(session, intro_id)
            sides = (
                [side_of(session, self._people, row, person)]
                if person
                else [side for side in ("a", "b") if getattr(row, f"{side}_consent") is None]
            )
            if not sides:
                raise Conflict(
                    f"introduction #{intro_id}: both sides were already asked; name one to "
                    "ask again",
                    field="person",
                )
            for side in sides:
                change = after_ask(intro_record(row), side)
                apply(row, change)
                add_step(session, row, self._now(), Step.ASKED, side_id(row, side))
            return self._detail(session, row)

    def answer(
        self, intro_id: int, person: PersonRef, *, yes: bool = True, note: str | None = None
    ) -> IntroDetail:
        """Record one side's answer: yes (two yeses: agreed) or no (declined, remembered)."""
        clean_note = fields.optional_text(note, "note")
        with self._db.write() as session:
            row = intro_row(session, intro_id)
            side = side_of(session, self._people, row, person)
            apply(row, after_answer(intro_record(row), side, yes))
            add_step(
                session,
                row,
                self._now(),
                Step.CONSENTED if yes else Step.DECLINED,
                side_id(row, side),
                clean_note,
            )
            return self._detail(session, row)

    # --- making it, and after ----------------------------------------------------------------

    def make(self, intro_id: int, on: str | date | None = None) -> IntroDetail:
        """Make an agreed introduction: logs an exchange of kind introduction from me to each
        side, in the same transaction."""
        with self._db.write() as session:
            row = intro_row(session, intro_id)
            check_can_make(intro_record(row))
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
            add_step(session, row, self._now(), Step.MADE)
            return self._detail(session, row)

    def log_outcome(
        self,
        intro_id: int,
        outcome: str,
        *,
        need_met: bool = False,
        share: bool = False,
        share_as: str | None = None,
    ) -> IntroDetail:
        """What came of a made introduction; also written on both exchanges. ``need_met``
        closes the need it answered; ``share`` (or a public wording, ``share_as``) marks the
        introduction for the portfolio."""
        text = wish_text(outcome, "outcome", "outcome")
        wording = public_wording(share_as)
        with self._db.write() as session:
            row = intro_row(session, intro_id)
            check_can_log_outcome(intro_record(row))
            row.outcome = text
            for exchange_id in (row.a_exchange_id, row.b_exchange_id):
                exchange = session.get(ExchangeRow, exchange_id) if exchange_id else None
                if exchange is not None:
                    exchange.outcome = text
            if need_met and row.need_id is not None:
                need = session.get(NeedRow, row.need_id)
                if need is not None and need.status == "open":
                    need.status, need.closed_on = "closed", self._today()
            add_step(session, row, self._now(), Step.OUTCOME, note=text)
            if share or wording:
                mark_shared(session, ShareKind.INTRODUCTION, row.id, wording, self._now())
            return self._detail(session, row)

    def withdraw(self, intro_id: int, note: str | None = None) -> IntroDetail:
        with self._db.write() as session:
            row = intro_row(session, intro_id)
            check_can_withdraw(intro_record(row))
            row.status = IntroStatus.WITHDRAWN.value
            add_step(
                session, row, self._now(), Step.WITHDRAWN, note=fields.optional_text(note, "note")
            )
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
            row = intro_row(session, intro_id)
            check_can_edit(intro_record(row))
            changed = []
            for name, value, check in (
                ("reason", reason, described),
                ("a_gains", a_gains, described),
                ("b_gains", b_gains, described),
                ("a_message", a_message, fields.required_text),
                ("b_message", b_message, fields.required_text),
                ("intro_message", intro_message, fields.required_text),
            ):
                if value is not None:
                    setattr(row, name, check(value, name.replace("_", " ")))
                    changed.append(name)
            if not changed:
                raise InvalidInput("nothing to change: give at least one field", field="edit")
            add_step(session, row, self._now(), Step.EDITED, note=", ".join(changed))
            return self._detail(session, row)

    # --- reading -----------------------------------------------------------------------------

    def get(self, intro_id: int) -> IntroDetail:
        with self._db.read() as session:
            return self._detail(session, intro_row(session, intro_id))

    def list(self, status: str | None = None, person: PersonRef | None = None) -> list[IntroDetail]:
        """Newest first, optionally one status or the ones involving one person."""
        if status is not None and status not in {s.value for s in IntroStatus} | {"open"}:
            known = ", ".join(["open", *(s.value for s in IntroStatus)])
            raise InvalidInput(
                f"status {status!r}: use one of {known}", field="status", value=status
            )
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

    def _detail(self, session: Session, row: IntroductionRow) -> IntroDetail:
        return intro_detail(session, row)
