"""Team mode: one community on a PostgreSQL server, each member with a private ledger.

The registry (who belongs, their role, password, invitations and sessions) lives in the
team tables (:mod:`mutuality.store.team_tables`), read and written only here, through the
unscoped maintenance connection. Everything a member records lives in their own ledger, a
:class:`~mutuality.services.app.Mutuality` over ``database.scoped(ledger_id)``: the database
itself keeps each ledger to its owner (:mod:`mutuality.store.ledger_scope`), so an organiser
manages who belongs and never sees what anyone keeps.

Secrets are kept as the web app keeps its own: passwords with scrypt, invitation and session
tokens (``secrets.token_urlsafe``) as their SHA-256, each token expiring, an invitation
usable once (:mod:`mutuality.services.accounts`).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from mutuality.services.accounts import (
    SESSION_DAYS,
    check_password,
    hash_password,
    token_hash,
    verify_password,
    well_formed,
)
from mutuality.services.afterwards import afterwards
from mutuality.services.context import utc_now
from mutuality.services.settings import Settings
from mutuality.store.database import Database, resolve_url
from mutuality.store.schema import ensure_schema
from mutuality.store.tables import Base
from mutuality.store.team_tables import (
    ROLES,
    CommunityRow,
    MemberInvitationRow,
    MemberRow,
    MemberSessionRow,
)

if TYPE_CHECKING:
    from mutuality.core.model import Exchange
    from mutuality.services.app import Mutuality
    from mutuality.services.board import BoardService
    from mutuality.services.hours import HoursService
    from mutuality.services.ledger import Direction
    from mutuality.services.ring import RingService
    from mutuality.services.team_confirmations import ConfirmationService
    from mutuality.services.team_introductions import IntroductionSharing

INVITE_DAYS = 7
"""How long an invitation link works (the organiser's own one too)."""
FORMER_NAME = "Former member"


@dataclass(frozen=True, slots=True)
class TeamInvite:
    token: str
    """Shown once (printed or emailed); only its SHA-256 is stored."""
    email: str
    role: str
    expires_at: datetime
    emailed: bool = False
    """Whether it went out through the configured SMTP server."""


@dataclass(frozen=True, slots=True)
class PendingInvite:
    """What the join page shows before a password is chosen."""

    email: str
    role: str
    display_name: str | None
    community: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A member as the registry knows them: never anything from their ledger."""

    id: int
    email: str
    display_name: str
    role: str
    joined_at: datetime

    @property
    def is_organiser(self) -> bool:
        return self.role == "organiser"


@dataclass(frozen=True, slots=True)
class MemberSession:
    token: str
    """The session token for the cookie; only its SHA-256 is stored."""
    csrf: str
    member: Member


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    name: str
    created_at: datetime


def _member(row: MemberRow) -> Member:
    return Member(row.id, row.email, row.display_name, row.role, row.joined_at)


def check_team_database(db: str | None) -> str:
    """``--db`` (or ``$MUTUALITY_DB``) as given, once it names a PostgreSQL server: team mode
    refuses SQLite before anything is opened, so a wrong ``--db`` creates no file."""
    url = resolve_url(db)
    if url.get_backend_name() != "postgresql":
        shown = url.database if url.get_backend_name() == "sqlite" else None
        raise _needs_server(shown or url.render_as_string(hide_password=True))
    return url.render_as_string(hide_password=False)


def _needs_server(given: str) -> InvalidInput:
    return InvalidInput(
        "team mode needs a PostgreSQL server: give --db "
        f"postgresql+psycopg://USER@HOST/DATABASE (not {given})",
        field="db",
        value=given,
    )


def _role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(
            f"a role is {' or '.join(ROLES)}, not {role!r}", field="role", value=role
        )
    return role


class TeamService:
    """The community: creating it, inviting, joining, signing in, roles and leaving; every
    method is one transaction of the registry (removing a ledger adds one in that ledger)."""

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        if database.url.get_backend_name() != "postgresql":
            raise _needs_server(database.describe())
        if database.ledger is not None:
            raise RuntimeError("the team is managed through the unscoped database")
        ensure_schema(database)
        self._db = database
        self._settings = settings or Settings()
        self._today = today
        self._now = now
        self._ledgers: dict[int, Mutuality] = {}
        self._ledgers_lock = threading.Lock()
        self.embed_on_save = True
        """Whether a board post is embedded for the board's suggestions as it is posted or
        edited, as :attr:`Mutuality.embed_on_save` says for a ledger's needs and offers: so
        in the web app; a command leaves it to the first suggestions that compare it."""

    @property
    def settings(self) -> Settings:
        return self._settings

    # --- the community ------------------------------------------------------------------------

    def init(self, name: str, organiser_email: str, organiser_name: str) -> TeamInvite:
        """Create the community (one per database) and the organiser's one-time invitation."""
        clean = fields.person_name(name, "name")
        email = fields.email(organiser_email)
        display = fields.person_name(organiser_name, "name")
        with self._db.write() as session:
            existing = session.scalars(select(CommunityRow.name).limit(1)).first()
            if existing is not None:
                raise Conflict(
                    f"this server already holds the community {existing!r}; "
                    "invite members to it instead",
                    field="name",
                    value=clean,
                )
            community = CommunityRow(name=clean, created_at=self._now())
            session.add(community)
            session.flush()
            return self._invitation(session, community.id, email, "organiser", display, None)

    def community(self) -> Community:
        with self._db.read() as session:
            row = session.scalars(select(CommunityRow).limit(1)).first()
            if row is None:
                raise NotFound("this server holds no community yet", field="community")
            return Community(row.id, row.name, row.created_at)

    # --- invitations --------------------------------------------------------------------------

    def invite(
        self,
        by: int,
        email: str,
        role: str = "member",
        name: str | None = None,
        link_base: str | None = None,
    ) -> TeamInvite:
        """An organiser invites someone; the link goes by email when an SMTP server is set
        and the address links start with is known (``link_base``, else ``[web] public_url``).
        The token is returned either way, for the organiser to pass on. The mail goes out
        before the invitation is committed: one that cannot be sent leaves no invitation."""
        role = _role(role)
        address = fields.email(email)
        display = fields.person_name(name, "name") if name else None
        with self._db.write() as session:
            inviter = self._organiser(session, by, "invite members")
            taken = session.scalars(
                select(MemberRow.id).where(MemberRow.email == address, MemberRow.left_at.is_(None))
            ).first()
            if taken is not None:
                raise Conflict(f"{address} is already a member", field="email", value=address)
            session.execute(
                delete(MemberInvitationRow).where(
                    MemberInvitationRow.email == address, MemberInvitationRow.used_at.is_(None)
                )
            )
            made = self._invitation(session, inviter.community_id, address, role, display, by)
            base = (link_base or self._settings.web.public_url).rstrip("/")
            mail = self._settings.email
            if base and mail.host and mail.sender:
                from mutuality.services.checkins.digest import send_email

                community = session.get_one(CommunityRow, inviter.community_id)
                message = _invitation_message(
                    community.name, inviter.display_name, made, f"{base}/join/{made.token}"
                )
                message["From"] = mail.sender
                send_email(message, mail, f"the invitation to {address}")
                made = replace(made, emailed=True)
            return made

    def invitation(self, token: str) -> PendingInvite:
        """The invitation behind a join link, while it can still be used."""
        with self._db.read() as session:
            row = self._live_invitation(session, token)
            community = session.get_one(CommunityRow, row.community_id)
            return PendingInvite(
                row.email, row.role, row.display_name, community.name, row.expires_at
            )

    def _invitation(
        self,
        session: Session,
        community_id: int,
        email: str,
        role: str,
        display_name: str | None,
        by: int | None,
    ) -> TeamInvite:
        token = _command_line_token()
        now = self._now()
        expires = now + timedelta(days=INVITE_DAYS)
        session.add(
            MemberInvitationRow(
                community_id=community_id,
                email=email,
                display_name=display_name,
                role=role,
                token_hash=token_hash(token),
                invited_by=by,
                created_at=now,
                expires_at=expires,
            )
        )
        session.flush()
        return TeamInvite(token, email, role, expires)

    def _live_invitation(self, session: Session, token: str) -> MemberInvitationRow:
        row = (
            session.scalars(
                select(MemberInvitationRow).where(
                    MemberInvitationRow.token_hash == token_hash(token)
                )
            ).first()
            if well_formed(token)
            else None
        )
        if row is None:
            raise Forbidden(
                "this invitation link is not valid; ask an organiser for a new one", field="token"
            )
        if row.used_at is not None:
            raise Forbidden(
                "this invitation was already used; sign in, or ask an organiser for a new one",
                field="token",
            )
        if row.expires_at <= self._now():
            raise Forbidden(
                f"this invitation expired on {row.expires_at:%Y-%m-%d}; "
                "ask an organiser for a new one",
                field="token",
            )
        return row

    # --- joining and signing in ---------------------------------------------------------------

    def join(self, token: str, password: str, display_name: str | None = None) -> Member:
        """Use an invitation (once, before it expires): the new member's ledger is theirs,
        numbered by their member id, and starts with them as its owner."""
        hashed = hash_password(check_password(password))
        with self._db.write() as session:
            invitation = self._live_invitation(session, token)
            name = display_name if display_name and display_name.strip() else None
            name = name or invitation.display_name
            if name is None:
                raise InvalidInput(
                    "give your name as the other members will see it", field="display_name"
                )
            name = fields.person_name(name, "display_name")
            taken = session.scalars(
                select(MemberRow.id).where(
                    MemberRow.email == invitation.email, MemberRow.left_at.is_(None)
                )
            ).first()
            if taken is not None:
                raise Conflict(
                    f"{invitation.email} is already a member; sign in instead",
                    field="email",
                    value=invitation.email,
                )
            number = session.execute(
                text("SELECT nextval(pg_get_serial_sequence('members', 'id'))")
            ).scalar_one()
            now = self._now()
            row = MemberRow(
                id=number,
                community_id=invitation.community_id,
                email=invitation.email,
                display_name=name,
                role=invitation.role,
                password_hash=hashed,
                ledger_id=number,
                joined_at=now,
            )
            session.add(row)
            invitation.used_at = now
            session.flush()
            joined = _member(row)
        # The owner's person is made at once with their name (were this to fail, the first
        # write to the ledger makes it with the same name).
        ledger = self.ledger(joined.id)
        with ledger.database.write() as mine:
            ledger.people.owner_row(mine)
        return joined

    def sign_in(self, email: str, password: str) -> MemberSession:
        """A new session for a member whose password is right; the same refusal, after the
        same work, whether the email or the password is wrong."""
        address = email.strip().lower() if isinstance(email, str) else ""
        with self._db.read() as session:
            row = session.scalars(
                select(MemberRow).where(MemberRow.email == address, MemberRow.left_at.is_(None))
            ).first()
            stored = row.password_hash if row is not None else None
            found = _member(row) if row is not None else None
        if not verify_password(password, stored) or found is None:
            raise Unauthorized("the email or the password is not right", field="password")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self._now()
        with self._db.write() as session:
            current = session.get(MemberRow, found.id)
            if current is None or current.left_at is not None:
                raise Unauthorized("the email or the password is not right", field="password")
            session.execute(
                delete(MemberSessionRow).where(
                    MemberSessionRow.member_id == found.id, MemberSessionRow.expires_at <= now
                )
            )
            session.add(
                MemberSessionRow(
                    member_id=found.id,
                    token_hash=token_hash(token),
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + timedelta(days=SESSION_DAYS),
                )
            )
            return MemberSession(token, csrf, _member(current))

    def session(self, session_token: str) -> MemberSession:
        """The signed-in session behind a cookie (its CSRF token too); NotFound when the
        token is unknown, expired, or its member has gone."""
        if not well_formed(session_token):
            raise NotFound("not signed in", field="session")
        with self._db.read() as session:
            found = session.execute(
                select(MemberSessionRow, MemberRow)
                .join(MemberRow, MemberRow.id == MemberSessionRow.member_id)
                .where(
                    MemberSessionRow.token_hash == token_hash(session_token),
                    MemberSessionRow.expires_at > self._now(),
                    MemberRow.left_at.is_(None),
                )
            ).first()
            if found is None:
                raise NotFound("not signed in", field="session")
            return MemberSession(session_token, found[0].csrf, _member(found[1]))

    def member_for(self, session_token: str) -> Member:
        """The member signed in with ``session_token``; NotFound when unknown or expired."""
        return self.session(session_token).member

    def sign_out(self, session_token: str) -> None:
        if not well_formed(session_token):
            return
        with self._db.write() as session:
            session.execute(
                delete(MemberSessionRow).where(
                    MemberSessionRow.token_hash == token_hash(session_token)
                )
            )

    # --- who belongs --------------------------------------------------------------------------

    def members(self) -> list[Member]:
        """The community's members, in the order they joined."""
        with self._db.read() as session:
            rows = session.scalars(
                select(MemberRow).where(MemberRow.left_at.is_(None)).order_by(MemberRow.id)
            ).all()
            return [_member(row) for row in rows]

    def member(self, member_id: int) -> Member:
        with self._db.read() as session:
            return _member(self._active(session, member_id))

    def by_email(self, email: str) -> Member:
        """A member found by their email (the command line names members so)."""
        address = fields.email(email)
        with self._db.read() as session:
            row = session.scalars(
                select(MemberRow).where(MemberRow.email == address, MemberRow.left_at.is_(None))
            ).first()
            if row is None:
                raise NotFound(f"no member with the email {address}", field="email", value=address)
            return _member(row)

    def hand_over(self, by: int, to: int) -> None:
        """The organiser role moves from ``by`` to the member ``to``."""
        with self._db.write() as session:
            giver = self._organiser(session, by, "hand over the organiser role")
            taker = self._active(session, to)
            if taker.id == giver.id:
                raise InvalidInput(
                    "hand the organiser role to another member", field="to", value=to
                )
            taker.role = "organiser"
            giver.role = "member"

    def remove(self, by: int, member_id: int) -> None:
        """An organiser removes a member: every row of their ledger is deleted and they are
        forgotten (their sessions end, their email and name are cleared)."""
        with self._db.write() as session:
            self._organiser(session, by, "remove members")
            target = self._active(session, member_id)
            if target.role == "organiser" and self._organisers(session) == 1:
                raise Conflict(
                    "this is the only organiser: hand the role over to another member first",
                    field="member",
                    value=member_id,
                )
            self._forget(session, target)

    def leave(self, member_id: int, export_to: Path) -> None:
        """Write the member's backup (the JSON backup format) to ``export_to``, then remove
        their ledger and forget them. The backup is complete before anything is deleted."""
        with self._db.write() as session:
            row = self._active(session, member_id)
            others = session.scalar(
                select(func.count())
                .select_from(MemberRow)
                .where(MemberRow.left_at.is_(None), MemberRow.id != row.id)
            )
            if row.role == "organiser" and self._organisers(session) == 1 and others:
                raise Conflict(
                    "you are the only organiser: hand the role over to another member first",
                    field="member",
                    value=member_id,
                )
            self.ledger(member_id).backups.export_json(Path(export_to))
            self._forget(session, row)

    # --- each member's private ledger ---------------------------------------------------------

    def ledger(self, member_id: int) -> Mutuality:
        """The member's private ledger: every service, seeing their rows alone. Kept per
        member, so a web server opens it once."""
        with self._ledgers_lock:
            kept = self._ledgers.get(member_id)
        if kept is not None:
            return kept
        with self._db.read() as session:
            row = self._active(session, member_id)
            number, name = row.ledger_id, row.display_name
        from mutuality.services.app import Mutuality

        settings = replace(self._settings, owner_name=name)
        opened = Mutuality(self._db.scoped(number), settings, self._today, self._now)
        opened.ledger.on_logged = self._offer_for(member_id)
        with self._ledgers_lock:
            return self._ledgers.setdefault(member_id, opened)

    @cached_property
    def confirmations(self) -> ConfirmationService:
        """Two-sided exchanges: links between members, confirmations, private links
        (:mod:`.team_confirmations`)."""
        from mutuality.services.team_confirmations import ConfirmationService

        return ConfirmationService(self, self._db, self._now)

    @cached_property
    def board(self) -> BoardService:
        """The community's board of asks and offers and its gratitude wall (:mod:`.board`)."""
        from mutuality.services.board import BoardService

        return BoardService(self, self._db, self._today, self._now)

    @property
    def introductions(self) -> IntroductionSharing:
        """Introductions shared with their two sides: each asked in their account, or by a
        private link (:mod:`.team_introductions`)."""
        from mutuality.services.team_introductions import IntroductionSharing

        return IntroductionSharing(self, self._db, self._now)

    @property
    def rings(self) -> RingService:
        """Reciprocity Ring sessions: asks, live offers, and what closing makes of them
        (:mod:`.ring`)."""
        from mutuality.services.ring import RingService

        return RingService(self, self._db, self._settings, self._today, self._now)

    @property
    def hours(self) -> HoursService:
        """Time-bank hours, where the community keeps them: balances, transfers the receiver
        confirms, the limit below zero (:mod:`.hours`)."""
        from mutuality.services.hours import HoursService

        return HoursService(self, self._db, self._today, self._now)

    def _offer_for(self, member_id: int) -> Callable[[Exchange, Direction], None]:
        """The hook of a member's ledger: each exchange they log with a linked person goes
        to that member to confirm. Were the registry too busy, the exchange stays logged."""

        def offer(exchange: Exchange, direction: Direction) -> None:
            afterwards(
                lambda: self.confirmations.offer_logged(member_id, exchange, direction),
                "the confirmation for the other member",
            )

        return offer

    def close(self) -> None:
        """Let go of the ledgers kept (the connections stay with the unscoped database)."""
        with self._ledgers_lock:
            kept, self._ledgers = list(self._ledgers.values()), {}
        for ledger in kept:
            ledger.close()

    # --- rules --------------------------------------------------------------------------------

    def _active(self, session: Session, member_id: int) -> MemberRow:
        row = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
        if row is None or row.left_at is not None:
            raise NotFound(f"no member with id {member_id}", field="member", value=member_id)
        return row

    def _organiser(self, session: Session, by: int, doing: str) -> MemberRow:
        row = session.get(MemberRow, by) if isinstance(by, int) else None
        if row is None or row.left_at is not None or row.role != "organiser":
            why = (
                f"no member has the id {by}"
                if row is None or row.left_at is not None
                else f"{row.email} is a member"
            )
            raise Forbidden(f"only an organiser can {doing} ({why})", field="by", value=by)
        return row

    @staticmethod
    def _organisers(session: Session) -> int:
        return session.execute(
            select(func.count())
            .select_from(MemberRow)
            .where(MemberRow.role == "organiser", MemberRow.left_at.is_(None))
        ).scalar_one()

    def _forget(self, session: Session, row: MemberRow) -> None:
        """Delete every row of the member's ledger (in a transaction of that ledger, where
        row-level security reaches their rows alone), then clear them from the registry.
        Both commit or, if the ledger's deletion fails, neither."""
        with self._ledgers_lock:
            kept = self._ledgers.pop(row.id, None)
        if kept is not None:
            kept.close()
        scoped = self._db.scoped(row.ledger_id)
        try:
            with scoped.write() as ledger:
                for table in reversed(Base.metadata.sorted_tables):
                    ledger.execute(text(f"DELETE FROM {table.name}"))
        finally:
            scoped.dispose()
        session.execute(delete(MemberSessionRow).where(MemberSessionRow.member_id == row.id))
        from mutuality.services.board import BoardService
        from mutuality.services.hours import HoursService
        from mutuality.services.ring import RingService
        from mutuality.services.team_confirmations import ConfirmationService
        from mutuality.services.team_introductions import IntroductionSharing

        ConfirmationService.forget(session, row.id)
        BoardService.forget(session, row.id)
        IntroductionSharing.forget(session, row.id)
        RingService.forget(session, row.id)
        HoursService.forget(session, row.id)
        row.left_at = self._now()
        row.email = f"left-{row.id}@members.invalid"
        row.display_name = FORMER_NAME
        row.password_hash = None
        row.role = "member"


def _command_line_token() -> str:
    """A new invitation token that never starts with ``-``, so that ``team join TOKEN``
    never reads it as an option (one in 64 would)."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token


def _invitation_message(
    community: str, inviter: str, invite: TeamInvite, link: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{inviter} invites you to {community}"
    message["To"] = invite.email
    message.set_content(
        f"{inviter} invites you to join {community}, a community that keeps its "
        "relationships with mutuality.\n\n"
        f"Open this link to choose your password and join:\n{link}\n\n"
        f"It works once, until {invite.expires_at:%Y-%m-%d %H:%M} UTC. What you keep there "
        "(the people you know, what you give and receive, your notes) is yours alone: "
        "the organisers see who belongs, never what anyone keeps.\n"
    )
    return message
