"""Introductions between members, in team mode: a member who introduces two people asks each
of them in the app, and each answers from their own account.

The introducer keeps the introduction in their own ledger, as a single user does
(:class:`~mutuality.services.introductions.service.IntroductionService`). Sharing it
(:meth:`IntroductionSharing.share`) asks each side that is a fellow member (a person linked
to a member, :class:`~mutuality.store.team_tables.MemberLinkRow`) in their account, and each
side that is not through a private one-time link (the check-in link's rules: only the token's
SHA-256 is stored, it expires, it works once, and its page shows only what the introducer
chose to say). Only what the three may see is copied into the community's registry
(:class:`~mutuality.store.team_tables.MemberIntroductionRow`): the names, the words each
side is asked in, and the answers. Each answer is written into the introducer's ledger as
if they had recorded it themselves, and the second yes makes the introduction there (an
exchange of kind introduction to each side, which a linked side is then asked to confirm).

Every method takes the member it acts for and finds only introductions that member is one
of the three of: anyone else's is "not found", as an id that never existed; an organiser
sees none but their own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import Consent, IntroStatus
from mutuality.services.accounts import token_hash, well_formed
from mutuality.store.database import Database
from mutuality.store.team_tables import MemberIntroductionRow, MemberLinkRow, MemberRow

if TYPE_CHECKING:
    from mutuality.services.team import TeamService

LINK_DAYS = 14
"""How long a private introduction link works unless the introducer says otherwise."""
FORMER_MEMBER = "a former member"
SIDES = ("a", "b")


@dataclass(frozen=True, slots=True)
class SideView:
    """One side of a shared introduction, as the three may see it."""

    name: str
    member: bool
    """A fellow member (asked in their account), else asked by private link or not in-app."""
    answer: str | None
    """``asked``, ``yes`` or ``no``; ``None`` while not asked in the app."""
    note: str | None
    email: str | None
    """A member's address, shown to the other side once both said yes, and only if the
    member chose to share it when answering (contact details are theirs to give)."""


@dataclass(frozen=True, slots=True)
class SharedIntroduction:
    """An introduction as one of its three people sees it."""

    id: int
    introducer: str
    status: str
    """``asking``, ``made`` (both said yes), ``declined`` or ``withdrawn``."""
    a: SideView
    b: SideView
    my_side: str | None
    """``a`` or ``b`` for an introduced member, ``None`` for the introducer."""
    asked_in: str | None
    """The words I am asked in (what the introducer chose to say to me), for my side."""
    version: int
    created_at: datetime
    intro_id: int | None = None
    """The introduction's id in my ledger, when I made it (nobody else learns it)."""

    @property
    def mine_to_answer(self) -> bool:
        side = self.mine
        return side is not None and side.answer == "asked" and self.status == "asking"

    @property
    def mine(self) -> SideView | None:
        return None if self.my_side is None else (self.a if self.my_side == "a" else self.b)

    @property
    def other(self) -> SideView | None:
        return None if self.my_side is None else (self.b if self.my_side == "a" else self.a)


@dataclass(frozen=True, slots=True)
class IntroductionLink:
    """A private link for a side without an account; the token is shown once."""

    token: str
    side: str
    name: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkInvitation:
    """What a private introduction link's page shows: only what the introducer chose."""

    introducer: str
    other: str
    asked_in: str


class IntroductionSharing:
    """Sharing an introduction with its two sides and taking their answers; each call one
    transaction of the registry (an answer also writes, inside it, one transaction in the
    introducer's own ledger)."""

    def __init__(self, team: TeamService, database: Database, now: Callable[[], datetime]) -> None:
        self._team = team
        self._db = database
        self._now = now

    # --- the introducer -----------------------------------------------------------------------

    def share(
        self, member_id: int, intro_id: int, link_days: int = LINK_DAYS
    ) -> tuple[SharedIntroduction, list[IntroductionLink]]:
        """Ask both sides of introduction ``intro_id`` of my ledger: a side linked to a fellow
        member in their account, any other side by a private link (returned, each token
        shown once). Asking again re-issues the links of sides that have not answered."""
        if not 1 <= link_days <= 90:
            raise InvalidInput("a link lasts 1 to 90 days", field="days", value=link_days)
        ledger = self._team.ledger(member_id)
        detail = ledger.introductions.get(intro_id)
        record = detail.introduction
        if record.status not in (IntroStatus.PROPOSED, IntroStatus.ASKING):
            raise Conflict(
                f"introduction #{intro_id} is {record.status.value}: only one still being "
                "asked can be shared",
                field="id",
                value=intro_id,
            )
        now = self._now()
        links: list[IntroductionLink] = []
        with self._db.write() as session:
            me = self._active(session, member_id)
            linked = dict(
                session.execute(
                    select(MemberLinkRow.person_id, MemberLinkRow.other_id).where(
                        MemberLinkRow.member_id == me.id,
                        MemberLinkRow.person_id.in_([record.a_id, record.b_id]),
                    )
                ).all()
            )
            row = session.scalar(
                select(MemberIntroductionRow)
                .where(
                    MemberIntroductionRow.introducer_id == me.id,
                    MemberIntroductionRow.introducer_intro_id == intro_id,
                )
                .with_for_update()
            )
            if row is None:
                row = MemberIntroductionRow(
                    introducer_id=me.id,
                    introducer_intro_id=intro_id,
                    introducer_name=me.display_name,
                    status="asking",
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
            names = {"a": detail.a, "b": detail.b}
            messages = {"a": detail.a_message, "b": detail.b_message}
            for side, person in (("a", record.a_id), ("b", record.b_id)):
                other = linked.get(person)
                setattr(row, f"{side}_member_id", other)
                setattr(row, f"{side}_name", names[side])
                setattr(row, f"{side}_message", messages[side])
                said = getattr(record, f"{side}_consent")
                if said in (Consent.YES, Consent.NO):  # answered already, outside the app
                    setattr(row, f"{side}_answer", said.value)
                if getattr(row, f"{side}_answer") in ("yes", "no"):
                    continue
                setattr(row, f"{side}_answer", "asked")
                if other is None:
                    token = secrets.token_urlsafe(32)
                    setattr(row, f"{side}_token_hash", token_hash(token))
                    setattr(row, f"{side}_expires_at", now + timedelta(days=link_days))
                    links.append(
                        IntroductionLink(token, side, names[side], now + timedelta(days=link_days))
                    )
                else:
                    setattr(row, f"{side}_token_hash", None)
                    setattr(row, f"{side}_expires_at", None)
            row.version += 1
            row.updated_at = now
            session.flush()
            if record.status is IntroStatus.PROPOSED:
                with ledger.database.joined(session):
                    ledger.introductions.ask(intro_id)
            return self._view(session, row, member_id), links

    def withdraw(self, member_id: int, shared_id: int) -> SharedIntroduction:
        """The introducer takes a shared introduction back (in their ledger too); both sides
        see that it was withdrawn, and a private link stops working."""
        with self._db.write() as session:
            row = self._mine(session, member_id, shared_id, lock=True)
            if row.introducer_id != member_id:
                raise NotFound("no such introduction", field="id", value=shared_id)
            if row.status != "asking":
                raise Conflict(
                    f"this introduction is {row.status} already", field="id", value=shared_id
                )
            mine = self._team.ledger(member_id)
            with mine.database.joined(session):
                mine.introductions.withdraw(_intro_id(row))
            row.status = "withdrawn"
            row.a_token_hash = row.b_token_hash = None
            row.version += 1
            row.updated_at = self._now()
            return self._view(session, row, member_id)

    # --- the two sides ------------------------------------------------------------------------

    def list(self, member_id: int) -> list[SharedIntroduction]:
        """Every shared introduction I am one of the three of, newest first."""
        with self._db.read() as session:
            self._active(session, member_id)
            rows = session.scalars(
                select(MemberIntroductionRow)
                .where(_involving(member_id))
                .order_by(MemberIntroductionRow.id.desc())
            ).all()
            return [self._view(session, row, member_id) for row in rows]

    def get(self, member_id: int, shared_id: int) -> SharedIntroduction:
        with self._db.read() as session:
            return self._view(session, self._mine(session, member_id, shared_id), member_id)

    def answer(
        self,
        member_id: int,
        shared_id: int,
        yes: bool,
        note: str | None = None,
        version: int | None = None,
        share_email: bool = False,
    ) -> SharedIntroduction:
        """My answer to an introduction I am asked about: yes or no, with an optional note
        the other two see, and with a yes, whether the other side may see my email once
        they say yes too. ``version`` (as last seen) refuses an answer to an introduction
        that changed meanwhile (409, saying what changed)."""
        clean_note = fields.optional_text(note, "note")
        with self._db.write() as session:
            row = self._mine(session, member_id, shared_id, lock=True)
            side = next((s for s in SIDES if getattr(row, f"{s}_member_id") == member_id), None)
            if side is None:
                raise Conflict(
                    "you made this introduction: the two people you introduce answer it",
                    field="id",
                    value=shared_id,
                )
            if version is not None and version != row.version:
                raise Conflict(
                    f"this introduction changed since you saw it (it is {row.status} now, "
                    f"version {row.version}, not {version}): look again before answering",
                    field="version",
                    value=version,
                )
            self._take(session, row, side, yes, clean_note)
            setattr(row, f"{side}_shares_email", yes and share_email)
            return self._view(session, row, member_id)

    # --- a side without an account ------------------------------------------------------------

    def invitation(self, token: str) -> LinkInvitation:
        """What a private link's page shows; the same "not valid" for an unknown, expired or
        used link. Looking does not use it."""
        with self._db.read() as session:
            row, side = self._by_token(session, token)
            other = "b" if side == "a" else "a"
            return LinkInvitation(
                introducer=_first_name(row.introducer_name),
                other=getattr(row, f"{other}_name"),
                asked_in=getattr(row, f"{side}_message"),
            )

    def answer_link(self, token: str, yes: bool, note: str | None = None) -> None:
        """The answer of a side without an account, through their private link (once)."""
        clean_note = fields.optional_text(note, "note")
        with self._db.write() as session:
            row, side = self._by_token(session, token, lock=True)
            setattr(row, f"{side}_token_hash", None)
            self._take(session, row, side, yes, clean_note)

    # --- leaving ------------------------------------------------------------------------------

    @staticmethod
    def forget(session: Session, member_id: int) -> None:
        """A member leaves: the introductions they made or were asked about stay with the
        others, naming them only as a former member; their address goes with them."""
        for side in SIDES:
            column = getattr(MemberIntroductionRow, f"{side}_member_id")
            session.execute(
                update(MemberIntroductionRow)
                .where(column == member_id)
                .values({f"{side}_name": FORMER_MEMBER, f"{side}_member_id": None})
            )
        session.execute(
            update(MemberIntroductionRow)
            .where(MemberIntroductionRow.introducer_id == member_id)
            .values(introducer_name=FORMER_MEMBER, introducer_id=None)
        )

    # --- the rules in one place ---------------------------------------------------------------

    def _take(
        self, session: Session, row: MemberIntroductionRow, side: str, yes: bool, note: str | None
    ) -> None:
        """Record one side's answer here and in the introducer's ledger; the second yes
        makes the introduction there."""
        if row.status != "asking" or getattr(row, f"{side}_answer") != "asked":
            raise Conflict(
                f"this introduction is {row.status} and your answer is in already"
                if getattr(row, f"{side}_answer") in ("yes", "no")
                else f"this introduction is {row.status}: there is nothing to answer",
                field="id",
                value=row.id,
            )
        setattr(row, f"{side}_answer", "yes" if yes else "no")
        setattr(row, f"{side}_note", note)
        other = "b" if side == "a" else "a"
        if not yes:
            row.status = "declined"
        elif getattr(row, f"{other}_answer") == "yes":
            row.status = "made"
        row.version += 1
        row.updated_at = self._now()
        if row.introducer_id is None:
            return  # the introducer has left: their ledger is gone, the answer stays here
        theirs = self._team.ledger(row.introducer_id)
        with theirs.database.joined(session):  # the answer is kept in both, or in neither
            introductions = theirs.introductions
            person = getattr(introductions.get(_intro_id(row)).introduction, f"{side}_id")
            introductions.answer(_intro_id(row), person, yes=yes, note=note)
            if row.status == "made":
                introductions.make(_intro_id(row))

    def _active(self, session: Session, member_id: int) -> MemberRow:
        row = session.get(MemberRow, member_id)
        if row is None or row.left_at is not None:
            raise NotFound("no such member", field="member", value=member_id)
        return row

    def _mine(
        self, session: Session, member_id: int, shared_id: int, lock: bool = False
    ) -> MemberIntroductionRow:
        statement = select(MemberIntroductionRow).where(
            MemberIntroductionRow.id == shared_id, _involving(member_id)
        )
        row = session.scalar(statement.with_for_update() if lock else statement)
        if row is None:
            raise NotFound("no such introduction", field="id", value=shared_id)
        return row

    def _by_token(
        self, session: Session, token: str, lock: bool = False
    ) -> tuple[MemberIntroductionRow, str]:
        invalid = NotFound("this link is not valid", field="token")
        if not well_formed(token):
            raise invalid
        digest = token_hash(token)
        statement = select(MemberIntroductionRow).where(
            or_(
                MemberIntroductionRow.a_token_hash == digest,
                MemberIntroductionRow.b_token_hash == digest,
            )
        )
        row = session.scalar(statement.with_for_update() if lock else statement)
        if row is None or row.status != "asking":
            raise invalid
        side = "a" if row.a_token_hash == digest else "b"
        expires = getattr(row, f"{side}_expires_at")
        if expires is None or expires <= self._now() or getattr(row, f"{side}_answer") != "asked":
            raise invalid
        return row, side

    def _view(
        self, session: Session, row: MemberIntroductionRow, member_id: int
    ) -> SharedIntroduction:
        side = next((s for s in SIDES if getattr(row, f"{s}_member_id") == member_id), None)
        agreed = row.status == "made"
        emails = dict(
            session.execute(
                select(MemberRow.id, MemberRow.email).where(
                    MemberRow.id.in_([i for i in (row.a_member_id, row.b_member_id) if i])
                )
            ).all()
        )

        def seen(which: str) -> SideView:
            member = getattr(row, f"{which}_member_id")
            shown = agreed and which != side and getattr(row, f"{which}_shares_email")
            return SideView(
                name=getattr(row, f"{which}_name"),
                member=member is not None,
                answer=getattr(row, f"{which}_answer"),
                note=getattr(row, f"{which}_note"),
                email=emails.get(member) if shown else None,
            )

        return SharedIntroduction(
            id=row.id,
            introducer=row.introducer_name,
            status=row.status,
            a=seen("a"),
            b=seen("b"),
            my_side=side,
            asked_in=getattr(row, f"{side}_message") if side else None,
            version=row.version,
            created_at=row.created_at,
            intro_id=row.introducer_intro_id if row.introducer_id == member_id else None,
        )


def _intro_id(row: MemberIntroductionRow) -> int:
    """The introduction's id in the introducer's ledger (kept while the introducer is)."""
    if row.introducer_intro_id is None:
        raise NotFound("the introducer has left", field="id", value=row.id)
    return row.introducer_intro_id


def _involving(member_id: int) -> ColumnElement[bool]:
    return or_(
        MemberIntroductionRow.introducer_id == member_id,
        MemberIntroductionRow.a_member_id == member_id,
        MemberIntroductionRow.b_member_id == member_id,
    )


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name
