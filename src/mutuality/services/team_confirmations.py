"""Two-sided exchanges in team mode: an exchange one member logs with a fellow member waits
for the other side to confirm it with their own estimate.

Each side estimates what they know best (the receiver the benefit, the giver the cost), and
neither estimate overrides the other: once the other side has answered, both see both
figures side by side, with the gap where they differ, and nothing says who is right. The
other side sees the logger's figures only after giving their own, so each estimate is
their own.

A member says who in their ledger is a fellow member with a link (:class:`MemberLinkRow`,
which keeps only the person's id in the member's own ledger). What both sides may see is
copied into the community's registry (:class:`ConfirmationRow`): the date, who gave, the
kind, the description, the logger's name and the figures. Nothing else of either ledger
leaves it: confirming writes the mirrored exchange into the confirming member's own ledger,
through their own scoped connection. Someone who is not a member answers through a private
link with the check-in link's rules: only the SHA-256 of its token is stored, it expires,
it works once, and its page shows only the name and the words the sender chose.

Every method takes the member it acts for and reads only rows that member is a side of: a
confirmation of another pair is "not found", as an id that never existed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.model import Estimator, Exchange
from mutuality.core.names import name_key
from mutuality.core.scale import check_points
from mutuality.services.accounts import token_hash, well_formed
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonRef
from mutuality.store.database import Database
from mutuality.store.prepared import changed_rows
from mutuality.store.tables import EmailRow, ExchangeRow, PersonRow
from mutuality.store.team_tables import ConfirmationRow, MemberLinkRow, MemberRow

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.services.team import TeamService

LINK_DAYS = 14
"""How long a private confirmation link works unless the sender says otherwise."""
FORMER_MEMBER = "a former member"
BY_LINK = "someone you sent a private link"

_mirroring: ContextVar[bool] = ContextVar("mirroring", default=False)
"""Set while a confirmation writes its mirrored exchange: that exchange is the other side's
answer, never a new exchange to offer back."""


@dataclass(frozen=True, slots=True)
class TwoViews:
    """One figure of an exchange as each side sees it (``None``: not given, or not yet
    visible to the viewer)."""

    giver: float | None
    receiver: float | None

    @property
    def gap(self) -> float | None:
        """How far apart the two views are; ``None`` while one is missing."""
        if self.giver is None or self.receiver is None:
            return None
        return round(abs(self.giver - self.receiver), 1)


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A confirmation as one side sees it."""

    id: int
    state: str
    """``pending``, ``confirmed`` or ``declined``."""
    logged_by_me: bool
    other: str
    """The other side's name: a member's, the name a private link went out under, or
    "a former member"."""
    on: date
    i_gave: bool
    kind: str
    description: str
    benefit: TwoViews
    """The benefit to the receiver: the giver's estimate and the receiver's own."""
    cost: TwoViews
    """The cost to the giver: the giver's own and the receiver's estimate."""
    logger_estimated: bool
    """Whether the logger gave figures (else they are the kind's defaults)."""
    by_link: bool
    expires_at: datetime | None = None
    my_exchange_id: int | None = None
    """The exchange in the viewer's own ledger, when there is one."""

    @property
    def my_figure(self) -> str:
        """Which figure the viewer estimates: the benefit if they received, the cost if they
        gave."""
        return "cost" if self.i_gave else "benefit"


@dataclass(frozen=True, slots=True)
class Confirmations:
    """What a member sees: the exchanges others logged that wait for them, those they
    logged that wait for the other side, and those settled."""

    to_confirm: list[Confirmation]
    waiting: list[Confirmation]
    settled: list[Confirmation]
    between: list[PairViews] = field(default_factory=list)
    """Per other member, both sides' totals of what flowed each way (:func:`side_by_side`)."""


@dataclass(frozen=True, slots=True)
class PairViews:
    """What flowed between me and one other member, in both directions, as each of us
    sees it: the totals over the confirmed exchanges where both figures of the benefit are
    known. Two people who each think they receive more than they give see it here."""

    other: str
    gave: TwoViews
    """The benefit of what I gave them: my estimate (giver) beside theirs (receiver)."""
    gave_count: int
    received: TwoViews
    """The benefit of what they gave me: their estimate (giver) beside mine (receiver)."""
    received_count: int


def side_by_side(settled: list[Confirmation]) -> list[PairViews]:
    """Per other member, the totals of both sides' figures (private links left out: their
    other side is nobody in particular)."""
    figures: dict[str, dict[bool, list[tuple[float, float]]]] = {}
    for c in settled:
        if c.state != "confirmed" or c.by_link or c.benefit.gap is None:
            continue
        both = (c.benefit.giver or 0.0, c.benefit.receiver or 0.0)
        figures.setdefault(c.other, {True: [], False: []})[c.i_gave].append(both)
    return [
        PairViews(other, _summed(f[True]), len(f[True]), _summed(f[False]), len(f[False]))
        for other, f in sorted(figures.items())
    ]


def _summed(figures: list[tuple[float, float]]) -> TwoViews:
    if not figures:
        return TwoViews(None, None)
    return TwoViews(
        round(sum(giver for giver, _ in figures), 1),
        round(sum(receiver for _, receiver in figures), 1),
    )


@dataclass(frozen=True, slots=True)
class MemberLink:
    """A person in a member's ledger who is a fellow member."""

    person_id: int
    person_name: str
    member_id: int
    member_name: str
    saved: bool = True
    """``False`` for a suggestion (the person's email is the member's), not yet made."""


@dataclass(frozen=True, slots=True)
class ConfirmationLink:
    token: str
    """Shown once; only its SHA-256 is stored."""
    confirmation_id: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """All that a private confirmation link's page shows: what the sender chose."""

    name: str
    on: date
    they_gave: bool
    """Whether the sender gave (so the one answering received, and estimates the benefit)."""
    kind: str
    description: str


def keep_link(
    registry: Session,
    member_id: int,
    other_id: int,
    person_id: int,
    link: MemberLinkRow | None,
    now: datetime,
) -> None:
    """Link ``person_id`` of ``member_id``'s ledger to the member ``other_id`` from now on:
    ``link``, their link to that member if they had one, moves to this person; else a new
    one is made. Exchanges logged with the person then go to that member to confirm."""
    if link is None:
        registry.add(
            MemberLinkRow(
                member_id=member_id, person_id=person_id, other_id=other_id, created_at=now
            )
        )
    else:
        link.person_id = person_id
    registry.flush()


class ConfirmationService:
    """Links between members, confirmations between them, and private confirmation links;
    each write one transaction of the registry (confirming also writes, inside it, one
    transaction in the confirming member's own ledger)."""

    def __init__(self, team: TeamService, database: Database, now: Callable[[], datetime]) -> None:
        self._team = team
        self._db = database
        self._now = now

    # --- links between members ----------------------------------------------------------------

    def link(self, member_id: int, person: PersonRef, other_id: int) -> MemberLink:
        """Say that ``person`` in the member's ledger is the member ``other_id``: exchanges
        logged with them from now on go to that member to confirm."""
        mine = self._team.ledger(member_id)
        found = _person(mine, person)
        with self._db.write() as session:
            me = self._active(session, member_id)
            other = self._active(session, other_id, field="member")
            if other.id == me.id:
                raise InvalidInput(
                    "link a person to another member, not to yourself",
                    field="member",
                    value=other_id,
                )
            for taken in session.scalars(
                select(MemberLinkRow).where(
                    MemberLinkRow.member_id == me.id,
                    or_(MemberLinkRow.person_id == found[0], MemberLinkRow.other_id == other.id),
                )
            ):
                if taken.person_id == found[0] and taken.other_id == other.id:
                    return MemberLink(found[0], found[1], other.id, other.display_name)
                if taken.person_id != found[0] and not _holds(mine, taken.person_id):
                    session.delete(taken)  # its person was deleted from the ledger since
                    session.flush()
                    continue
                raise Conflict(
                    f"{found[1]} is linked to another member already"
                    if taken.person_id == found[0]
                    else f"{other.display_name} is linked to someone else in your ledger already",
                    field="person",
                    value=found[0],
                )
            keep_link(session, me.id, other.id, found[0], None, self._now())
            return MemberLink(found[0], found[1], other.id, other.display_name)

    def unlink(self, member_id: int, person: PersonRef) -> None:
        """``person`` is no longer linked to a member (confirmations already made stay)."""
        found = _person(self._team.ledger(member_id), person)
        with self._db.write() as session:
            gone = session.execute(
                delete(MemberLinkRow).where(
                    MemberLinkRow.member_id == member_id, MemberLinkRow.person_id == found[0]
                )
            )
            if not changed_rows(gone):
                raise NotFound(f"{found[1]} is not linked to a member", field="person")

    def links(self, member_id: int) -> list[MemberLink]:
        """The member's links, then suggestions: people in their ledger whose email is a
        fellow member's, not linked yet."""
        mine = self._team.ledger(member_id)
        with self._db.read() as session:
            self._active(session, member_id)
            saved = session.execute(
                select(MemberLinkRow.person_id, MemberRow.id, MemberRow.display_name)
                .join(MemberRow, MemberRow.id == MemberLinkRow.other_id)
                .where(MemberLinkRow.member_id == member_id)
                .order_by(MemberRow.display_name)
            ).all()
            others = session.execute(
                select(MemberRow.email, MemberRow.id, MemberRow.display_name).where(
                    MemberRow.left_at.is_(None), MemberRow.id != member_id
                )
            ).all()
        by_email = {email: (number, name) for email, number, name in others}
        with mine.database.read() as ledger:
            names = dict(
                ledger.execute(
                    select(PersonRow.id, PersonRow.name).where(
                        PersonRow.id.in_([row[0] for row in saved])
                    )
                ).all()
            )
            matches = (
                ledger.execute(
                    select(EmailRow.email, PersonRow.id, PersonRow.name)
                    .join(PersonRow, PersonRow.id == EmailRow.person_id)
                    .where(EmailRow.email.in_(list(by_email)), PersonRow.is_owner.is_(False))
                    .order_by(PersonRow.name)
                ).all()
                if by_email
                else []
            )
        made = [
            MemberLink(person, names[person], other, name)
            for person, other, name in saved
            if person in names
        ]
        people = {link.person_id for link in made}
        members = {link.member_id for link in made}
        for email, person, name in matches:
            other, other_name = by_email[email]
            if person not in people and other not in members:
                made.append(MemberLink(person, name, other, other_name, saved=False))
                people.add(person)
                members.add(other)
        return made

    # --- offering an exchange -----------------------------------------------------------------

    def offer_logged(self, member_id: int, exchange: Exchange, direction: Direction) -> None:
        """An exchange the member just logged: when its person is linked to a fellow
        member, it waits for them to confirm (the hook of the member's ledger)."""
        if _mirroring.get():
            return
        gave = Direction(direction) is Direction.GAVE
        person = exchange.receiver_id if gave else exchange.giver_id
        with self._db.read() as session:
            other = session.scalar(
                select(MemberLinkRow.other_id)
                .join(MemberRow, MemberRow.id == MemberLinkRow.other_id)
                .where(
                    MemberLinkRow.member_id == member_id,
                    MemberLinkRow.person_id == person,
                    MemberRow.left_at.is_(None),
                )
            )
        if other is None:
            return
        with self._db.write() as session:
            me = self._active(session, member_id)
            row = self._row(me, exchange, gave, me.display_name, exchange.description)
            row.responder_id = other
            session.add(row)

    def _row(
        self, me: MemberRow, exchange: Exchange, gave: bool, name: str, description: str
    ) -> ConfirmationRow:
        return ConfirmationRow(
            logger_id=me.id,
            logger_exchange_id=exchange.id,
            occurred_on=exchange.on,
            logger_gave=gave,
            kind=str(exchange.kind),
            description=description,
            shown_name=name,
            logger_benefit=exchange.benefit,
            logger_cost=exchange.cost,
            logger_estimated=exchange.estimated_by is not Estimator.DEFAULT,
            state="pending",
            created_at=self._now(),
        )

    # --- what a member sees -------------------------------------------------------------------

    def confirmations(self, member_id: int) -> Confirmations:
        with self._db.read() as session:
            self._active(session, member_id)
            rows = session.scalars(
                select(ConfirmationRow)
                .where(
                    or_(
                        ConfirmationRow.logger_id == member_id,
                        ConfirmationRow.responder_id == member_id,
                    )
                )
                .order_by(ConfirmationRow.occurred_on.desc(), ConfirmationRow.id.desc())
            ).all()
            names = self._names(session, rows)
            seen = [self._seen(row, member_id, names) for row in rows]
        settled = [c for c in seen if c.state != "pending"]
        return Confirmations(
            to_confirm=[c for c in seen if c.state == "pending" and not c.logged_by_me],
            waiting=[c for c in seen if c.state == "pending" and c.logged_by_me],
            settled=settled,
            between=side_by_side(settled),
        )

    def get(self, member_id: int, confirmation_id: int) -> Confirmation:
        with self._db.read() as session:
            row = self._party(session, member_id, confirmation_id)
            return self._seen(row, member_id, self._names(session, [row]))

    # --- answering ----------------------------------------------------------------------------

    def confirm(
        self,
        member_id: int,
        confirmation_id: int,
        *,
        benefit: float | None = None,
        cost: float | None = None,
        person: PersonRef | None = None,
    ) -> Confirmation:
        """Confirm an exchange another member logged, with one's own figure for one's own
        side (``benefit`` when one received, ``cost`` when one gave); the mirrored exchange
        is written into one's own ledger, with the person who stands for the logger there
        (``person``, else the one linked to them, else the one with their email, else a new
        person with their name and email)."""
        withdrawn = ""
        with self._db.write() as session:
            row = self._party(session, member_id, confirmation_id, lock=True)
            if row.responder_id != member_id:
                raise NotFound(
                    f"no confirmation with id {confirmation_id} waits for you",
                    field="id",
                    value=confirmation_id,
                )
            _pending(row)
            answer = _own_figure(row.logger_gave, benefit, cost)
            logger = self._active(session, row.logger_id or 0, field="logger")
            if self._still_logged(logger.id, row.logger_exchange_id):
                mirrored = self._mirror(session, row, member_id, logger, person, answer)
                row.state, row.answer = "confirmed", answer
                row.responder_exchange_id = mirrored
                row.answered_at = self._now()
                session.flush()
                return self._seen(row, member_id, self._names(session, [row]))
            withdrawn = logger.display_name
            session.delete(row)
        raise Conflict(
            f"{withdrawn} has removed this exchange from their ledger since: there is nothing "
            "to confirm",
            field="id",
            value=confirmation_id,
        )

    def decline(self, member_id: int, confirmation_id: int) -> Confirmation:
        """Say that an exchange another member logged is not one to confirm: nothing is
        written into one's ledger, and the logger sees it was declined."""
        with self._db.write() as session:
            row = self._party(session, member_id, confirmation_id, lock=True)
            if row.responder_id != member_id:
                raise NotFound(
                    f"no confirmation with id {confirmation_id} waits for you",
                    field="id",
                    value=confirmation_id,
                )
            _pending(row)
            row.state, row.answered_at = "declined", self._now()
            session.flush()
            return self._seen(row, member_id, self._names(session, [row]))

    def withdraw(self, member_id: int, confirmation_id: int) -> None:
        """The logger takes back an exchange still waiting for the other side (logged by
        mistake, or not to be shared after all): it no longer waits for them, and a private
        link for it stops working. Their own exchange stays in their ledger."""
        with self._db.write() as session:
            row = self._party(session, member_id, confirmation_id, lock=True)
            if row.logger_id != member_id:
                raise NotFound(
                    f"you sent no confirmation with id {confirmation_id}",
                    field="id",
                    value=confirmation_id,
                )
            _pending(row)
            session.delete(row)

    def _mirror(
        self,
        registry: Session,
        row: ConfirmationRow,
        member_id: int,
        logger: MemberRow,
        person: PersonRef | None,
        answer: float,
    ) -> int:
        """Write the confirmed exchange into the member's own ledger, inside the registry's
        transaction (:meth:`~mutuality.store.database.Database.joined`): the exchange and the
        confirmation's answer are saved together or not at all. Their figure for their side,
        the logger's for the other; the person there who stands for the logger is linked to
        them. Returns the exchange's id there."""
        mine = self._team.ledger(member_id)
        links = {
            link.person_id: link
            for link in registry.scalars(
                select(MemberLinkRow).where(MemberLinkRow.member_id == member_id)
            )
        }
        link = next((found for found in links.values() if found.other_id == logger.id), None)
        token = _mirroring.set(True)
        try:
            with mine.database.joined(registry) as ledger:
                chosen = self._stands_for(ledger, mine, logger, person, link)
                logged = mine.ledger.log(
                    chosen,
                    Direction.GOT if row.logger_gave else Direction.GAVE,
                    kind=row.kind,
                    what=row.description,
                    benefit=answer if row.logger_gave else row.logger_benefit,
                    cost=row.logger_cost if row.logger_gave else answer,
                    on=row.occurred_on,
                    estimated_by="both" if row.logger_estimated else "me",
                ).id
        finally:
            _mirroring.reset(token)
        elsewhere = links.get(chosen)
        if elsewhere is not None and elsewhere.other_id != logger.id:
            raise Conflict(
                "that person is linked to another member in your ledger",
                field="person",
                value=chosen,
            )
        keep_link(registry, member_id, logger.id, chosen, link, self._now())
        return logged

    def _still_logged(self, logger_id: int, exchange_id: int | None) -> bool:
        """Whether the logger's ledger still holds the exchange: asked inside their own
        ledger, and only yes or no comes back."""
        if exchange_id is None:
            return False
        theirs = self._team.ledger(logger_id)
        with theirs.database.read() as session:
            return session.get(ExchangeRow, exchange_id) is not None

    def _stands_for(
        self,
        ledger: Session,
        mine: Mutuality,
        logger: MemberRow,
        person: PersonRef | None,
        link: MemberLinkRow | None,
    ) -> int:
        """The person in the member's ledger who stands for ``logger``: the one named, else
        the one linked to them, else the one with their email, else a new person."""
        if person is not None:
            return mine.people.resolve(ledger, person).id
        if link is not None and ledger.get(PersonRow, link.person_id) is not None:
            return link.person_id
        found = ledger.scalar(select(EmailRow.person_id).where(EmailRow.email == logger.email))
        if found is not None:
            return found
        taken = ledger.scalars(
            select(PersonRow.name).where(PersonRow.name_key == name_key(logger.display_name))
        ).first()
        if taken is not None:
            raise Conflict(
                f"you have someone named {taken!r} already: say who {logger.display_name} "
                "is in your ledger (the person option), so their exchange goes there",
                field="person",
                value=logger.display_name,
            )
        return mine.people.add(logger.display_name, emails=(logger.email,)).id

    # --- someone without an account -----------------------------------------------------------

    def ask_by_link(
        self,
        member_id: int,
        exchange_id: int,
        name: str | None = None,
        what: str | None = None,
        days: int = LINK_DAYS,
    ) -> ConfirmationLink:
        """A private one-time link for the other side of one of the member's exchanges, who
        is not a member, to give their own figure. The page shows ``name`` (default: the
        member's name), the date, who gave and ``what`` (default: the exchange's words),
        nothing else. Asking again replaces the earlier link."""
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
            raise InvalidInput("a link lasts 1 to 90 days", field="days", value=days)
        shown = fields.person_name(name, "name") if name and name.strip() else None
        words = fields.required_text(what, "what") if what and what.strip() else None
        entry = self._team.ledger(member_id).ledger.get(exchange_id)
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._db.write() as session:
            me = self._active(session, member_id)
            row = session.scalars(
                select(ConfirmationRow)
                .where(
                    ConfirmationRow.logger_id == me.id,
                    ConfirmationRow.logger_exchange_id == exchange_id,
                )
                .with_for_update()
            ).first()
            if row is not None and row.responder_id is not None:
                raise Conflict(
                    "this exchange is with a member, who confirms it from their own account",
                    field="exchange",
                    value=exchange_id,
                )
            if row is not None and row.state != "pending":
                raise Conflict(
                    f"this exchange was {row.state} already", field="exchange", value=exchange_id
                )
            if row is None:
                gave = entry.direction is Direction.GAVE
                row = self._row(
                    me, entry.exchange, gave, me.display_name, entry.exchange.description
                )
                session.add(row)
            row.shown_name = shown or me.display_name
            row.description = words or entry.exchange.description
            row.token_hash = token_hash(token)
            row.expires_at = now + timedelta(days=days)
            session.flush()
            return ConfirmationLink(token, row.id, row.expires_at)

    def link_request(self, token: str) -> LinkRequest:
        """What the link's page shows; the same NotFound for unknown, expired and used links
        (looking does not use it)."""
        with self._db.read() as session:
            row = self._live_link(session, token)
            if row.state != "pending":
                raise NotFound("this link is not valid", field="token")
            return LinkRequest(
                row.shown_name, row.occurred_on, row.logger_gave, row.kind, row.description
            )

    def answer_link(self, token: str, figure: float | None, declined: bool = False) -> None:
        """The answer through a private link: the figure for the answering side (or that
        the exchange is not one they recognise), recorded against the sender's exchange.
        Conflict for a link answered already."""
        with self._db.write() as session:
            row = self._live_link(session, token, lock=True)
            if row.state != "pending":
                raise Conflict("this link was answered already", field="token")
            if declined:
                row.state = "declined"
            else:
                if figure is None:
                    raise InvalidInput(
                        "give your estimate from 0 to 10", field="figure", value=figure
                    )
                row.answer = check_points(figure, "figure")
                row.state = "confirmed"
            row.answered_at = self._now()

    # --- leaving --------------------------------------------------------------------------------

    @staticmethod
    def forget(session: Session, member_id: int) -> None:
        """A member leaves (inside the registry transaction that forgets them): what waited
        on them or for them goes, their links go, and what others confirmed with them stays
        with those others, no longer naming them."""
        involved = or_(
            ConfirmationRow.logger_id == member_id, ConfirmationRow.responder_id == member_id
        )
        session.execute(delete(ConfirmationRow).where(involved, ConfirmationRow.state == "pending"))
        session.execute(
            delete(ConfirmationRow).where(
                ConfirmationRow.logger_id == member_id, ConfirmationRow.responder_id.is_(None)
            )
        )
        session.execute(
            update(ConfirmationRow)
            .where(ConfirmationRow.logger_id == member_id)
            .values(logger_id=None, logger_exchange_id=None, shown_name=FORMER_MEMBER)
        )
        session.execute(
            update(ConfirmationRow)
            .where(ConfirmationRow.responder_id == member_id)
            .values(responder_id=None, responder_exchange_id=None)
        )
        session.execute(
            delete(MemberLinkRow).where(
                or_(MemberLinkRow.member_id == member_id, MemberLinkRow.other_id == member_id)
            )
        )

    # --- rules --------------------------------------------------------------------------------

    @staticmethod
    def _active(session: Session, member_id: int, field: str = "member") -> MemberRow:
        row = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
        if row is None or row.left_at is not None:
            raise NotFound(f"no member with id {member_id}", field=field, value=member_id)
        return row

    @staticmethod
    def _party(
        session: Session, member_id: int, confirmation_id: int, lock: bool = False
    ) -> ConfirmationRow:
        """A confirmation the member is a side of; any other is not found."""
        if isinstance(confirmation_id, bool) or not isinstance(confirmation_id, int):
            raise NotFound(
                f"no confirmation with id {confirmation_id}", field="id", value=confirmation_id
            )
        query = select(ConfirmationRow).where(
            ConfirmationRow.id == confirmation_id,
            or_(
                ConfirmationRow.logger_id == member_id,
                ConfirmationRow.responder_id == member_id,
            ),
        )
        row = session.scalars(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound(
                f"no confirmation with id {confirmation_id}", field="id", value=confirmation_id
            )
        return row

    def _live_link(self, session: Session, token: str, lock: bool = False) -> ConfirmationRow:
        query = select(ConfirmationRow).where(ConfirmationRow.token_hash == token_hash(token))
        row = (
            session.scalars(query.with_for_update() if lock else query).first()
            if well_formed(token)
            else None
        )
        if (
            row is None
            or row.logger_id is None
            or row.expires_at is None
            or (row.expires_at <= self._now() and row.state == "pending")
        ):
            raise NotFound("this link is not valid", field="token")
        return row

    @staticmethod
    def _names(session: Session, rows: Sequence[ConfirmationRow]) -> dict[int, str]:
        ids = {i for row in rows for i in (row.logger_id, row.responder_id) if i is not None}
        if not ids:
            return {}
        return dict(
            session.execute(
                select(MemberRow.id, MemberRow.display_name).where(MemberRow.id.in_(ids))
            ).all()
        )

    @staticmethod
    def _seen(row: ConfirmationRow, member_id: int, names: dict[int, str]) -> Confirmation:
        """The row as ``member_id`` may see it: the logger's figures reach the other side
        only once the other side has given their own."""
        mine = row.logger_id == member_id
        by_link = row.responder_id is None and row.token_hash is not None
        if mine:
            other = BY_LINK if by_link else names.get(row.responder_id or 0, FORMER_MEMBER)
        else:
            other = names.get(row.logger_id or 0, FORMER_MEMBER)
        answered = row.state == "confirmed"
        show_logger = mine or answered
        logger_benefit = row.logger_benefit if show_logger else None
        logger_cost = row.logger_cost if show_logger else None
        answer = row.answer if answered else None
        if row.logger_gave:
            benefit = TwoViews(giver=logger_benefit, receiver=answer)
            cost = TwoViews(giver=logger_cost, receiver=None)
        else:
            benefit = TwoViews(giver=None, receiver=logger_benefit)
            cost = TwoViews(giver=answer, receiver=logger_cost)
        return Confirmation(
            id=row.id,
            state=row.state,
            logged_by_me=mine,
            other=other,
            on=row.occurred_on,
            i_gave=row.logger_gave if mine else not row.logger_gave,
            kind=row.kind,
            description=row.description,
            benefit=benefit,
            cost=cost,
            logger_estimated=row.logger_estimated,
            by_link=by_link,
            expires_at=row.expires_at if mine and by_link else None,
            my_exchange_id=row.logger_exchange_id if mine else row.responder_exchange_id,
        )


def _own_figure(logger_gave: bool, benefit: float | None, cost: float | None) -> float:
    """The one figure the confirming side knows best: the benefit when the logger gave
    (so they received), the cost when the logger received."""
    wanted, given, other = ("benefit", benefit, cost) if logger_gave else ("cost", cost, benefit)
    if given is None or other is not None:
        what = "received" if logger_gave else "gave"
        unwanted = "cost" if logger_gave else "benefit"
        raise InvalidInput(
            f"you {what} in this exchange: give your {wanted} (0 to 10), not the {unwanted}",
            field=wanted,
        )
    return check_points(given, wanted)


def _pending(row: ConfirmationRow) -> None:
    if row.state != "pending":
        raise Conflict(f"this exchange was {row.state} already", field="id", value=row.id)


def _holds(ledger: Mutuality, person_id: int) -> bool:
    """Whether the member's ledger still has this person."""
    with ledger.database.read() as session:
        return session.get(PersonRow, person_id) is not None


def _person(ledger: Mutuality, person: PersonRef) -> tuple[int, str]:
    """A person of the member's own ledger (never the owner): id and name."""
    with ledger.database.read() as session:
        found = ledger.people.record(session, person)
        return found.id, found.name
