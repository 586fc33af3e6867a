"""Reciprocity Ring sessions in team mode: an organiser opens a live session, each
participant states one ask (written beforehand, with the guidance of :mod:`mutuality.core.ring`),
the others attach offers of help or introductions while each ask is presented, and closing
the session turns every offer into what the people involved keep in their own ledgers.

The session lives in the community's registry (:class:`~mutuality.store.team_tables.RingSessionRow`
and its participants, asks and offers), holding only what the participants said to the ring.
Closing writes, for each offer of help, a commitment in both members' private ledgers (the
offerer's promise, "mine", to the asker; the asker's "theirs" from the offerer) through each
member's own scoped ledger, the way a request decided yes makes one; an offer to introduce
someone becomes an introduction proposed in the offerer's ledger. Closing is resumable: each
offer is carried in its own transaction and marked, so closing again after a failure carries
only what is left.

Every method takes the member it acts for. A session's asks and offers are seen by its
participants alone: anyone else asking for it is told "not found", as for an id that never
existed (an open session is listed to every member, by name and time, so they can join).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.core.model import ExchangeKind
from mutuality.core.ring import Hint, ask_hints
from mutuality.core.scale import KIND_DEFAULTS
from mutuality.services.afterwards import afterwards
from mutuality.services.settings import Settings
from mutuality.services.team_confirmations import keep_link
from mutuality.store.database import Database
from mutuality.store.tables import EmailRow, PersonRow
from mutuality.store.team_tables import (
    MemberLinkRow,
    MemberRow,
    RingAskRow,
    RingOfferRow,
    RingParticipantRow,
    RingSessionRow,
)

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.services.team import TeamService

PRESENT_SECONDS = (120, 180)
"""A presenter speaks for two to three minutes."""
FORMER_MEMBER = "a former member"
MAX_PARTICIPANTS = 60


@dataclass(frozen=True, slots=True)
class RingOffer:
    id: int
    name: str
    kind: str
    """``help`` or ``introduction``."""
    text: str
    introduce: str | None
    """Whom an introduction is to: shown to the offerer and the asker only."""
    mine: bool
    outcome: str | None


@dataclass(frozen=True, slots=True)
class RingAsk:
    id: int
    name: str
    text: str
    due_on: date | None
    mine: bool
    offers: list[RingOffer]
    hints: list[Hint]
    """The guidance for my own ask (empty for others')."""


@dataclass(frozen=True, slots=True)
class RingLine:
    """A session as the list shows it: open ones to every member, closed ones to their
    participants."""

    id: int
    name: str
    starts_at: datetime
    state: str
    organiser: str
    participants: int
    joined: bool


@dataclass(frozen=True, slots=True)
class RingView:
    """A session as one participant sees it."""

    id: int
    name: str
    starts_at: datetime
    state: str
    organiser: str
    runs_it: bool
    """Whether I opened it (and so present and close it)."""
    participants: list[str]
    asks: list[RingAsk]
    presenting: int | None
    presenting_since: datetime | None
    present_seconds: int
    seconds_left: int | None
    """Of the presenter's time, now (0 once it has run out)."""
    version: int

    @property
    def my_ask(self) -> RingAsk | None:
        return next((ask for ask in self.asks if ask.mine), None)


@dataclass(frozen=True, slots=True)
class Pulse:
    """What a polling page needs every time: whether anything changed, and the timer."""

    version: int
    presenting: int | None
    seconds_left: int | None


@dataclass(frozen=True, slots=True)
class SummaryLine:
    who: str
    """The other member (the offerer, or the asker)."""
    ask: str
    offer: str
    kind: str
    introduce: str | None
    outcome: str | None


@dataclass(frozen=True, slots=True)
class RingSummary:
    """What one participant takes away: what they asked, what they were offered, what they
    offered."""

    ring: str
    state: str
    asked: str | None
    offered_me: list[SummaryLine]
    i_offered: list[SummaryLine]


class RingService:
    """Ring sessions; each call one transaction of the registry (closing: one per offer,
    each with its writes in the two ledgers inside it)."""

    def __init__(
        self,
        team: TeamService,
        database: Database,
        settings: Settings,
        today: Callable[[], date],
        now: Callable[[], datetime],
    ) -> None:
        self._team = team
        self._db = database
        self._settings = settings
        self._today = today
        self._now = now

    # --- the organiser --------------------------------------------------------------------

    def open(
        self,
        member_id: int,
        name: str,
        starts_at: datetime | None = None,
        present_seconds: int = PRESENT_SECONDS[1],
    ) -> RingView:
        """Open a session (an organiser only); the organiser takes part from the start."""
        clean = fields.person_name(name, "name")
        low, high = PRESENT_SECONDS
        if not low <= present_seconds <= high:
            raise InvalidInput(
                f"a presenter speaks for {low} to {high} seconds, not {present_seconds}",
                field="present_seconds",
                value=present_seconds,
            )
        now = self._now()
        with self._db.write() as session:
            me = self._member(session, member_id)
            if me.role != "organiser":
                raise Forbidden("only an organiser can open a ring session", field="member")
            ring = RingSessionRow(
                organiser_id=me.id,
                name=clean,
                starts_at=starts_at or now,
                state="open",
                present_seconds=present_seconds,
                version=1,
                created_at=now,
            )
            session.add(ring)
            session.flush()
            session.add(
                RingParticipantRow(
                    session_id=ring.id, member_id=me.id, name=me.display_name, joined_at=now
                )
            )
            session.flush()
            return self._view(session, ring, member_id)

    def present(self, member_id: int, ring_id: int, ask_id: int | None) -> RingView:
        """Mark the ask being presented (its timer starts now), or none."""
        with self._db.write() as session:
            ring = self._running(session, member_id, ring_id)
            if ask_id is not None:
                self._ask(session, ring, ask_id)
            ring.presenting_ask_id = ask_id
            ring.presenting_since = self._now() if ask_id is not None else None
            ring.version += 1
            return self._view(session, ring, member_id)

    def close(self, member_id: int, ring_id: int) -> RingSummary:
        """End the session: no ask or offer can be added from then on, every offer becomes a
        commitment in the two members' ledgers or an introduction proposed in the offerer's,
        and each participant's summary is emailed when the community's mail server is set.
        Were carrying the offers interrupted, closing again carries what is left. Returns
        the organiser's own summary."""
        with self._db.write() as session:
            ring = self._ring(session, member_id, ring_id, lock=True)
            _runs(ring, member_id)
            offers = session.scalars(
                select(RingOfferRow.id)
                .join(RingAskRow, RingAskRow.id == RingOfferRow.ask_id)
                .where(RingAskRow.session_id == ring.id, RingOfferRow.outcome.is_(None))
                .order_by(RingOfferRow.id)
            ).all()
            if ring.state == "open":
                ring.state = "closed"
                ring.closed_at = self._now()
                ring.presenting_ask_id = ring.presenting_since = None
                ring.version += 1
            elif not offers:
                _still_open(ring)
            people: list[tuple[int, str]] = [
                (number, address)
                for number, address in session.execute(
                    select(MemberRow.id, MemberRow.email)
                    .join(RingParticipantRow, RingParticipantRow.member_id == MemberRow.id)
                    .where(RingParticipantRow.session_id == ring.id, MemberRow.left_at.is_(None))
                )
            ]
        for offer_id in offers:
            self._carry(ring_id, offer_id)
        self._mail(ring_id, people)
        return self.summary(member_id, ring_id)

    # --- every participant ----------------------------------------------------------------

    def sessions(self, member_id: int) -> list[RingLine]:
        """Open sessions (any member may join) and closed ones I took part in, newest first."""
        with self._db.read() as session:
            self._member(session, member_id)
            mine = set(
                session.scalars(
                    select(RingParticipantRow.session_id).where(
                        RingParticipantRow.member_id == member_id
                    )
                )
            )
            counts = dict(
                session.execute(
                    select(RingParticipantRow.session_id, func.count()).group_by(
                        RingParticipantRow.session_id
                    )
                ).all()
            )
            rows = session.scalars(
                select(RingSessionRow).order_by(
                    RingSessionRow.starts_at.desc(), RingSessionRow.id.desc()
                )
            ).all()
            names = self._names(session, [row.organiser_id for row in rows])
            return [
                RingLine(
                    row.id,
                    row.name,
                    row.starts_at,
                    row.state,
                    names.get(row.organiser_id, FORMER_MEMBER),
                    counts.get(row.id, 0),
                    row.id in mine,
                )
                for row in rows
                if row.state == "open" or row.id in mine
            ]

    def join(self, member_id: int, ring_id: int) -> RingView:
        """Take part in an open session (joining twice is the same as once)."""
        with self._db.write() as session:
            me = self._member(session, member_id)
            ring = session.get(RingSessionRow, ring_id, with_for_update=True)
            if ring is None or (ring.state != "open" and not self._in(session, ring.id, me.id)):
                raise _not_found(ring_id)
            if not self._in(session, ring.id, me.id):
                if ring.state != "open":
                    raise Conflict("this ring session is closed", field="ring", value=ring_id)
                taking_part = session.scalar(
                    select(func.count()).where(RingParticipantRow.session_id == ring.id)
                )
                if (taking_part or 0) >= MAX_PARTICIPANTS:
                    raise Conflict(
                        f"this ring session is full ({MAX_PARTICIPANTS} people)",
                        field="ring",
                        value=ring_id,
                    )
                session.add(
                    RingParticipantRow(
                        session_id=ring.id,
                        member_id=me.id,
                        name=me.display_name,
                        joined_at=self._now(),
                    )
                )
                ring.version += 1
                session.flush()
            return self._view(session, ring, member_id)

    def get(self, member_id: int, ring_id: int) -> RingView:
        with self._db.read() as session:
            return self._view(session, self._ring(session, member_id, ring_id), member_id)

    def pulse(self, member_id: int, ring_id: int) -> Pulse:
        """The session's version and presenter, cheaply (a page polling asks this first, and
        the whole session only when the version moved)."""
        with self._db.read() as session:
            ring = self._ring(session, member_id, ring_id)
            return Pulse(ring.version, ring.presenting_ask_id, self._left(ring))

    def ask(self, member_id: int, ring_id: int, text: str, due_on: date | None = None) -> RingView:
        """State my one ask (stating it again rewords it). The guidance comes back with the
        view (:attr:`RingAsk.hints`); nothing is refused for its wording."""
        what = fields.required_text(text, "ask")
        with self._db.write() as session:
            ring = self._ring(session, member_id, ring_id, lock=True)
            _still_open(ring)
            row = session.scalars(
                select(RingAskRow).where(
                    RingAskRow.session_id == ring.id, RingAskRow.member_id == member_id
                )
            ).first()
            if row is None:
                name = session.get_one(MemberRow, member_id).display_name
                row = RingAskRow(
                    session_id=ring.id,
                    member_id=member_id,
                    name=name,
                    text=what,
                    due_on=due_on,
                    created_at=self._now(),
                )
                session.add(row)
            else:
                row.text, row.due_on = what, due_on
            ring.version += 1
            session.flush()
            return self._view(session, ring, member_id)

    def offer(
        self,
        member_id: int,
        ring_id: int,
        ask_id: int,
        text: str,
        introduce: str | None = None,
    ) -> RingView:
        """Attach an offer to someone else's ask: help I will give, or (``introduce``) an
        introduction to a person in my ledger."""
        what = fields.required_text(text, "offer")
        whom = None
        if introduce is not None and introduce.strip():
            ledger = self._team.ledger(member_id)
            with ledger.database.read() as mine:
                whom = ledger.people.record(mine, introduce.strip()).name
        with self._db.write() as session:
            ring = self._ring(session, member_id, ring_id, lock=True)
            _still_open(ring)
            ask = self._ask(session, ring, ask_id)
            if ask.member_id == member_id:
                raise InvalidInput(
                    "offer help to someone else's ask, not your own", field="ask", value=ask_id
                )
            session.add(
                RingOfferRow(
                    ask_id=ask.id,
                    member_id=member_id,
                    name=session.get_one(MemberRow, member_id).display_name,
                    kind="introduction" if whom else "help",
                    text=what,
                    introduce=whom,
                    created_at=self._now(),
                )
            )
            ring.version += 1
            session.flush()
            return self._view(session, ring, member_id)

    def withdraw_offer(self, member_id: int, ring_id: int, offer_id: int) -> RingView:
        """Take back one of my offers while the session is open."""
        with self._db.write() as session:
            ring = self._ring(session, member_id, ring_id, lock=True)
            _still_open(ring)
            row = session.get(RingOfferRow, offer_id)
            ask = session.get(RingAskRow, row.ask_id) if row is not None else None
            if row is None or ask is None or ask.session_id != ring.id:
                raise NotFound("no such offer in this session", field="offer", value=offer_id)
            if row.member_id != member_id:
                raise Forbidden("only the one who offered can take it back", field="offer")
            session.delete(row)
            ring.version += 1
            session.flush()
            return self._view(session, ring, member_id)

    def summary(self, member_id: int, ring_id: int) -> RingSummary:
        """What I asked, what I was offered, what I offered (and what each became)."""
        with self._db.read() as session:
            ring = self._ring(session, member_id, ring_id)
            asks = {
                row.id: row
                for row in session.scalars(
                    select(RingAskRow).where(RingAskRow.session_id == ring.id)
                )
            }
            offers = session.scalars(
                select(RingOfferRow)
                .where(RingOfferRow.ask_id.in_(list(asks)))
                .order_by(RingOfferRow.id)
            ).all()
            mine = next((a for a in asks.values() if a.member_id == member_id), None)
            offered_me = [
                SummaryLine(o.name, asks[o.ask_id].text, o.text, o.kind, o.introduce, o.outcome)
                for o in offers
                if mine is not None and o.ask_id == mine.id
            ]
            i_offered = [
                SummaryLine(
                    asks[o.ask_id].name, asks[o.ask_id].text, o.text, o.kind, o.introduce, o.outcome
                )
                for o in offers
                if o.member_id == member_id
            ]
            return RingSummary(
                ring.name, ring.state, mine.text if mine else None, offered_me, i_offered
            )

    # --- leaving --------------------------------------------------------------------------

    @staticmethod
    def forget(session: Session, member_id: int) -> None:
        """A member leaves: what they said in a ring stays for the others, naming them only
        as a former member."""
        for table in (RingParticipantRow, RingAskRow, RingOfferRow):
            session.execute(
                update(table)
                .where(table.member_id == member_id)
                .values(name=FORMER_MEMBER, member_id=None)
            )
        session.execute(
            update(RingSessionRow)
            .where(RingSessionRow.organiser_id == member_id)
            .values(organiser_id=None)
        )

    # --- closing: one offer at a time -----------------------------------------------------

    def _carry(self, ring_id: int, offer_id: int) -> None:
        """Turn one offer into what the two members keep, once (its row is locked and
        marked in the same transaction)."""
        with self._db.write() as session:
            offer = session.get(RingOfferRow, offer_id, with_for_update=True)
            if offer is None or offer.outcome is not None:
                return
            ask = session.get_one(RingAskRow, offer.ask_id)
            ring = session.get_one(RingSessionRow, ring_id)
            if offer.member_id is None or ask.member_id is None:
                offer.outcome = "not carried: one of the two has left"
                return
            offerer = session.get_one(MemberRow, offer.member_id)
            asker = session.get_one(MemberRow, ask.member_id)
            # Both ledgers' parts join this transaction: the offer is marked carried together
            # with what it wrote, or nothing is written (a rerun would carry it twice).
            mine = self._team.ledger(offerer.id)
            mine_links = _links(session, offerer.id, asker.id)
            if offer.kind == "introduction" and offer.introduce:
                with mine.database.joined(session):
                    asker_there = _person_for(mine, asker, *mine_links)
                    made = mine.introductions.propose(
                        asker_there,
                        offer.introduce,
                        reason=f"{asker.display_name} asked at the ring {ring.name!r}: {ask.text}",
                    )
                keep_link(session, offerer.id, asker.id, asker_there, mine_links[0], self._now())
                offer.introduction_id = made.introduction.id
                offer.outcome = f"an introduction to {offer.introduce}, proposed"
                return
            benefit, cost = KIND_DEFAULTS[ExchangeKind.SUPPORT]
            words = f"{offer.text} (at the ring {ring.name!r}, for: {ask.text})"
            with mine.database.joined(session):
                asker_there = _person_for(mine, asker, *mine_links)
                _, promised = mine.requests.ask_and_decide(
                    asker_there, words, benefit=benefit, cost=cost, due=ask.due_on, decision="yes"
                )
            theirs = self._team.ledger(asker.id)
            their_links = _links(session, asker.id, offerer.id)
            with theirs.database.joined(session):
                offerer_there = _person_for(theirs, offerer, *their_links)
                _, expected = theirs.requests.ask_and_decide(
                    offerer_there,
                    words,
                    benefit=benefit,
                    cost=cost,
                    due=ask.due_on,
                    from_me=True,
                    decision="yes",
                )
            keep_link(session, offerer.id, asker.id, asker_there, mine_links[0], self._now())
            keep_link(session, asker.id, offerer.id, offerer_there, their_links[0], self._now())
            offer.offerer_commitment_id = promised.id if promised else None
            offer.asker_commitment_id = expected.id if expected else None
            offer.outcome = "a commitment in both ledgers"

    def _mail(self, ring_id: int, people: Sequence[tuple[int, str]]) -> None:
        """Each participant's summary by email, when the community's mail server is set."""
        mail = self._settings.email
        if not (mail.host and mail.sender):
            return
        from mutuality.services.checkins.digest import send_email

        for member_id, address in people:
            message = summary_message(self.summary(member_id, ring_id))
            message["From"] = mail.sender
            message["To"] = address
            what = f"the ring summary to {address}"
            # The session is closed already: a mail server that fails is logged, and each
            # summary stays on its page.
            afterwards(partial(send_email, message, mail, what), what)

    # --- the rules in one place -----------------------------------------------------------

    @staticmethod
    def _member(session: Session, member_id: int) -> MemberRow:
        row = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
        if row is None or row.left_at is not None:
            raise NotFound(f"no member with id {member_id}", field="member", value=member_id)
        return row

    @staticmethod
    def _in(session: Session, ring_id: int, member_id: int) -> bool:
        return (
            session.scalar(
                select(RingParticipantRow.id).where(
                    RingParticipantRow.session_id == ring_id,
                    RingParticipantRow.member_id == member_id,
                )
            )
            is not None
        )

    def _ring(
        self, session: Session, member_id: int, ring_id: int, lock: bool = False
    ) -> RingSessionRow:
        """A session I take part in; any other is "not found"."""
        self._member(session, member_id)
        ring = session.get(RingSessionRow, ring_id, with_for_update=lock)
        if ring is None or not self._in(session, ring.id, member_id):
            raise _not_found(ring_id)
        return ring

    def _running(
        self, session: Session, member_id: int, ring_id: int, lock: bool = True
    ) -> RingSessionRow:
        """An open session I opened (only its organiser presents and closes it)."""
        ring = self._ring(session, member_id, ring_id, lock=lock)
        _runs(ring, member_id)
        _still_open(ring)
        return ring

    @staticmethod
    def _ask(session: Session, ring: RingSessionRow, ask_id: int) -> RingAskRow:
        row = session.get(RingAskRow, ask_id) if isinstance(ask_id, int) else None
        if row is None or row.session_id != ring.id:
            raise NotFound("no such ask in this session", field="ask", value=ask_id)
        return row

    def _left(self, ring: RingSessionRow) -> int | None:
        """The presenter's seconds left now (0 once run out; ``None`` with no presenter)."""
        if ring.presenting_since is None:
            return None
        spent = (self._now() - ring.presenting_since).total_seconds()
        return max(0, int(ring.present_seconds - spent))

    @staticmethod
    def _names(session: Session, ids: list[int | None]) -> dict[int | None, str]:
        wanted = [i for i in ids if i is not None]
        if not wanted:
            return {}
        return dict(
            session.execute(
                select(MemberRow.id, MemberRow.display_name).where(MemberRow.id.in_(wanted))
            ).all()
        )

    def _view(self, session: Session, ring: RingSessionRow, member_id: int) -> RingView:
        participants = session.scalars(
            select(RingParticipantRow.name)
            .where(RingParticipantRow.session_id == ring.id)
            .order_by(RingParticipantRow.id)
        ).all()
        asks = session.scalars(
            select(RingAskRow).where(RingAskRow.session_id == ring.id).order_by(RingAskRow.id)
        ).all()
        offers: dict[int, list[RingOffer]] = {ask.id: [] for ask in asks}
        askers = {ask.id: ask.member_id for ask in asks}
        for row in session.scalars(
            select(RingOfferRow)
            .where(RingOfferRow.ask_id.in_(list(offers)))
            .order_by(RingOfferRow.id)
        ):
            mine = row.member_id == member_id
            sees_whom = mine or askers[row.ask_id] == member_id
            offers[row.ask_id].append(
                RingOffer(
                    row.id,
                    row.name,
                    row.kind,
                    row.text,
                    row.introduce if sees_whom else None,
                    mine,
                    row.outcome,
                )
            )
        organiser = self._names(session, [ring.organiser_id]).get(ring.organiser_id, FORMER_MEMBER)
        left = self._left(ring)
        return RingView(
            id=ring.id,
            name=ring.name,
            starts_at=ring.starts_at,
            state=ring.state,
            organiser=organiser,
            runs_it=ring.organiser_id == member_id,
            participants=list(participants),
            asks=[
                RingAsk(
                    ask.id,
                    ask.name,
                    ask.text,
                    ask.due_on,
                    ask.member_id == member_id,
                    offers[ask.id],
                    ask_hints(ask.text, ask.due_on is not None)
                    if ask.member_id == member_id
                    else [],
                )
                for ask in asks
            ],
            presenting=ring.presenting_ask_id,
            presenting_since=ring.presenting_since,
            present_seconds=ring.present_seconds,
            seconds_left=left,
            version=ring.version,
        )


def _not_found(ring_id: int) -> NotFound:
    return NotFound("no such ring session", field="ring", value=ring_id)


def _runs(ring: RingSessionRow, member_id: int) -> None:
    if ring.organiser_id != member_id:
        raise Forbidden("only the organiser who opened this ring session runs it", field="ring")


def _still_open(ring: RingSessionRow) -> None:
    if ring.state != "open":
        raise Conflict(f"the ring session {ring.name!r} is closed", field="ring", value=ring.id)


def _links(
    registry: Session, member_id: int, other_id: int
) -> tuple[MemberLinkRow | None, set[int]]:
    """``member_id``'s link to the member ``other_id`` (if any), and every person of their
    ledger linked to some member: read from the registry before their ledger is entered."""
    links = list(
        registry.scalars(select(MemberLinkRow).where(MemberLinkRow.member_id == member_id))
    )
    link = next((found for found in links if found.other_id == other_id), None)
    return link, {found.person_id for found in links}


def _person_for(
    ledger: Mutuality, other: MemberRow, link: MemberLinkRow | None, linked: set[int]
) -> int:
    """The person in ``ledger`` who is the member ``other``: the one linked to them, else
    the one with their email (not linked to someone else), else a new person with their
    name."""
    with ledger.database.read() as mine:
        if link is not None and mine.get(PersonRow, link.person_id) is not None:
            return link.person_id
        found = next(
            (
                person
                for person in mine.scalars(
                    select(EmailRow.person_id).where(EmailRow.email == other.email)
                )
                if person not in linked
            ),
            None,
        )
    if found is not None:
        return found
    return ledger.people.add(_free_name(ledger, other.display_name), emails=(other.email,)).id


def _free_name(ledger: Mutuality, name: str) -> str:
    """``name``, or ``name (member)`` when the ledger has someone else by that name."""
    from mutuality.core.names import name_key

    with ledger.database.read() as mine:
        taken = mine.scalar(select(PersonRow.id).where(PersonRow.name_key == name_key(name)))
    return name if taken is None else f"{name} (member)"


def summary_message(summary: RingSummary) -> EmailMessage:
    """A participant's summary as an email (the same words as the summary page)."""
    message = EmailMessage()
    message["Subject"] = f"Your summary of the ring {summary.ring}"
    lines = [f"The ring {summary.ring} is {summary.state}.", ""]
    lines.append(f"You asked: {summary.asked}" if summary.asked else "You did not ask this time.")
    lines += ["", "Offered to you:"]
    lines += [
        f"- {line.who}: {line.offer} ({line.outcome or 'open'})" for line in summary.offered_me
    ]
    lines += ["- nothing yet"] if not summary.offered_me else []
    lines += ["", "You offered:"]
    lines += [
        f"- to {line.who}: {line.offer} ({line.outcome or 'open'})" for line in summary.i_offered
    ]
    lines += ["- nothing this time"] if not summary.i_offered else []
    lines += ["", "Each of these is in your own ledger now: follow up on your offers."]
    message.set_content("\n".join(lines) + "\n")
    return message
