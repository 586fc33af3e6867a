"""The community's registry in team mode: who belongs, their invitations and their sessions,
and the exchanges two sides confirm (schema 0012).

These tables are shared by the community, not kept in any member's ledger, so they have a
metadata of their own: :data:`mutuality.store.tables.Base.metadata` stays the ledger's tables,
each scoped to one member by row-level security (:mod:`.ledger_scope`). Only the maintenance
connection reads these; a member's transaction is refused them (``prepare_member_role``).
They exist on PostgreSQL only (schema 0011): a personal ledger on SQLite has no community.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from mutuality.store.tables import NAMING

ROLES = ("organiser", "member")


class TeamBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CommunityRow(TeamBase):
    """The community this server holds (one per database)."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MemberRow(TeamBase):
    """A member: how they sign in, their role, and the number of their private ledger."""

    __tablename__ = "members"
    __table_args__ = (CheckConstraint("role IN ('organiser', 'member')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    ledger_id: Mapped[int] = mapped_column(Integer, unique=True)
    """The member's ledger (``mutuality.ledger``): equal to ``id``, so never reused."""
    joined_at: Mapped[datetime] = mapped_column(DateTime)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    """Set when they leave or are removed; their email and name are then forgotten."""


class MemberInvitationRow(TeamBase):
    """A one-time, time-limited invitation; only the SHA-256 of its token is stored."""

    __tablename__ = "member_invitations"
    __table_args__ = (CheckConstraint("role IN ('organiser', 'member')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    """The name the organiser gave, offered to the new member (they may change it)."""
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    """``NULL`` for the organiser's own invitation, made when the community is created."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class MemberSessionRow(TeamBase):
    """A signed-in member's browser; only the SHA-256 of its token is stored."""

    __tablename__ = "member_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class MemberLinkRow(TeamBase):
    """A person in one member's ledger who is another member: exchanges logged with that
    person go to the other member to confirm. Only the person's id in the member's own
    ledger is kept, never anything else of that ledger."""

    __tablename__ = "member_links"
    __table_args__ = (
        UniqueConstraint("member_id", "person_id", name="uq_member_links_member_id_person_id"),
        UniqueConstraint("member_id", "other_id", name="uq_member_links_member_id_other_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(Integer)
    """The person's id in ``member_id``'s ledger."""
    other_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


CONFIRMATION_STATES = ("pending", "confirmed", "declined")


class ConfirmationRow(TeamBase):
    """An exchange one side logged, waiting for (or settled by) the other side's own
    estimate: a fellow member (``responder_id``) or someone without an account, through a
    private one-time link (``token_hash``). It holds only what both sides may see: the date,
    who gave, the words the logger chose to share and the two sides' figures."""

    __tablename__ = "exchange_confirmations"
    __table_args__ = (
        UniqueConstraint(
            "logger_id",
            "logger_exchange_id",
            name="uq_exchange_confirmations_logger_id_logger_exchange_id",
        ),
        CheckConstraint("state IN ('pending', 'confirmed', 'declined')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    logger_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    """``NULL`` once the logger has left (the row is then anonymous)."""
    logger_exchange_id: Mapped[int | None] = mapped_column(Integer)
    """The exchange's id in the logger's ledger."""
    responder_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    """The member asked; ``NULL`` for a private link, or once they have left."""
    responder_exchange_id: Mapped[int | None] = mapped_column(Integer)
    """The mirrored exchange in the responder's ledger, once confirmed."""
    occurred_on: Mapped[date] = mapped_column(Date)
    logger_gave: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    shown_name: Mapped[str] = mapped_column(String(200))
    """How the logger is named to the other side (their name as members see it, or the
    name they chose for a private link)."""
    logger_benefit: Mapped[float] = mapped_column(Float)
    logger_cost: Mapped[float] = mapped_column(Float)
    logger_estimated: Mapped[bool] = mapped_column(Boolean)
    """Whether the logger gave the figures (else they are the kind's defaults)."""
    state: Mapped[str] = mapped_column(String(16))
    answer: Mapped[float | None] = mapped_column(Float)
    """The other side's own figure for their side: the benefit if they received, the cost
    if they gave."""
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)


POST_KINDS = ("ask", "offer")
POST_STATES = ("open", "met", "withdrawn")
ANSWER_STATES = ("offered", "accepted", "withdrawn")


class BoardPostRow(TeamBase):
    """An ask or an offer on the community's board (schema 0013). ``version`` grows with
    every change, so an answer or an edit made against an older one is refused with what
    changed (``changed``), never written over it."""

    __tablename__ = "board_posts"
    __table_args__ = (
        CheckConstraint("kind IN ('ask', 'offer')", name="kind"),
        CheckConstraint("state IN ('open', 'met', 'withdrawn')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(400), default="")
    """Comma-separated, lower case."""
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    """The author is never shown to other members (the organisers neither)."""
    expires_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed: Mapped[str] = mapped_column(String(200), default="posted")
    """What the latest version changed, in words (a stale version is told this)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    met_at: Mapped[datetime | None] = mapped_column(DateTime)


class BoardPostEmbeddingRow(TeamBase):
    """The vector of a board post's text with its tags, phrased as a need (an ask) or an
    offer, per model (schema 0019): stored against the hash of the exact text embedded, so
    an edit makes a new one and nothing else ever does."""

    __tablename__ = "board_post_embeddings"
    __table_args__ = (
        UniqueConstraint("post_id", "model", name="uq_board_post_embeddings_post_id_model"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """``dim`` float32 values, little-endian, L2-normalised."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class BoardAnswerRow(TeamBase):
    """ "I can help": a member's answer to an ask (or "I'd like that" to an offer), accepted
    by the author; once the help happened it is an exchange both sides confirm
    (``confirmation_id``, in :class:`ConfirmationRow`)."""

    __tablename__ = "board_answers"
    __table_args__ = (
        UniqueConstraint("post_id", "member_id", name="uq_board_answers_post_id_member_id"),
        CheckConstraint("state IN ('offered', 'accepted', 'withdrawn')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmation_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchange_confirmations.id", ondelete="SET NULL")
    )


class GratitudeRow(TeamBase):
    """A public thank-you on the community's gratitude wall, posted by the asker (opt-in)
    for one accepted answer: it names the helper and what they did."""

    __tablename__ = "gratitude"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("board_answers.id", ondelete="CASCADE"), unique=True
    )
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class BoardSettingsRow(TeamBase):
    """A member's choices about the board: whether organisers may see their name among the
    members giving beyond their capacity (else they are only counted)."""

    __tablename__ = "board_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    named_when_stretched: Mapped[bool] = mapped_column(Boolean, default=False)


INTRODUCTION_STATES = ("asking", "made", "declined", "withdrawn")
ANSWERS = ("asked", "yes", "no")


class MemberIntroductionRow(TeamBase):
    """An introduction a member shared with its two sides (schema 0015): what the three
    people involved may see of it, and the answers. Each side is a fellow member (asked in
    their account) or someone asked through a private one-time link (``*_token_hash``).
    The introduction itself stays in the introducer's ledger (``introducer_intro_id``)."""

    __tablename__ = "member_introductions"
    __table_args__ = (
        UniqueConstraint(
            "introducer_id",
            "introducer_intro_id",
            name="uq_member_introductions_introducer_id_introducer_intro_id",
        ),
        CheckConstraint("status IN ('asking', 'made', 'declined', 'withdrawn')", name="status"),
        CheckConstraint("a_answer IN ('asked', 'yes', 'no')", name="a_answer"),
        CheckConstraint("b_answer IN ('asked', 'yes', 'no')", name="b_answer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    introducer_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    """``NULL`` once the introducer has left."""
    introducer_intro_id: Mapped[int | None] = mapped_column(Integer)
    """The introduction's id in the introducer's ledger."""
    introducer_name: Mapped[str] = mapped_column(String(200))
    a_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    b_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    a_name: Mapped[str] = mapped_column(String(200))
    b_name: Mapped[str] = mapped_column(String(200))
    a_message: Mapped[str] = mapped_column(Text)
    """What the introducer says to A (the consent request), and nothing else of their ledger."""
    b_message: Mapped[str] = mapped_column(Text)
    a_answer: Mapped[str | None] = mapped_column(String(8))
    b_answer: Mapped[str | None] = mapped_column(String(8))
    a_note: Mapped[str | None] = mapped_column(Text)
    b_note: Mapped[str | None] = mapped_column(Text)
    a_shares_email: Mapped[bool] = mapped_column(Boolean, default=False)
    """Whether A let B see their email once both said yes (a member's choice, never assumed)."""
    b_shares_email: Mapped[bool] = mapped_column(Boolean, default=False)
    a_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    b_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    a_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    b_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    """Moves on with every change: an answer against an older version is refused (409)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


RING_STATES = ("open", "closed")
RING_OFFER_KINDS = ("help", "introduction")


class RingSessionRow(TeamBase):
    """A Reciprocity Ring session an organiser opened (schema 0016): live while ``open``,
    its offers turned into commitments and introductions when closed. ``version`` moves on
    with every ask, offer and change, so a page polling it fetches only when it moved."""

    __tablename__ = "ring_sessions"
    __table_args__ = (CheckConstraint("state IN ('open', 'closed')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(16))
    presenting_ask_id: Mapped[int | None] = mapped_column(Integer)
    """The ask being presented now (its author speaks for ``present_seconds``)."""
    presenting_since: Mapped[datetime | None] = mapped_column(DateTime)
    present_seconds: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class RingParticipantRow(TeamBase):
    """A member taking part in a ring session: only participants see its asks and offers."""

    __tablename__ = "ring_participants"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "member_id", name="uq_ring_participants_session_id_member_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("ring_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    joined_at: Mapped[datetime] = mapped_column(DateTime)


class RingAskRow(TeamBase):
    """The one ask a participant states in a ring session."""

    __tablename__ = "ring_asks"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id", name="uq_ring_asks_session_id_member_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("ring_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class RingOfferRow(TeamBase):
    """An offer of help, or of an introduction to someone the offerer knows, attached to an
    ask; when the session closes it becomes a commitment in both members' ledgers or an
    introduction proposed in the offerer's (the ids kept here are in those ledgers)."""

    __tablename__ = "ring_offers"
    __table_args__ = (CheckConstraint("kind IN ('help', 'introduction')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("ring_asks.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    introduce: Mapped[str | None] = mapped_column(String(200))
    """For an introduction: the person in the offerer's ledger they would introduce."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str | None] = mapped_column(String(200))
    """What closing made of it, in words (``None`` while the session is open)."""
    offerer_commitment_id: Mapped[int | None] = mapped_column(Integer)
    asker_commitment_id: Mapped[int | None] = mapped_column(Integer)
    introduction_id: Mapped[int | None] = mapped_column(Integer)


HOUR_STATES = ("pending", "confirmed", "declined", "withdrawn")


class TimeBankRow(TeamBase):
    """Whether the community keeps time-bank hours (schema 0017), beside the benefit-and-cost
    record, and how far below zero a member's balance may go."""

    __tablename__ = "time_bank"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    floor_minutes: Mapped[int] = mapped_column(Integer)
    """A balance may go down to minus this many minutes, no further."""
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class HourAccountRow(TeamBase):
    """A member's hours: given and received kept apart (the balance is their difference).
    Locked (``FOR UPDATE``) whenever a transfer is counted, so the limit holds."""

    __tablename__ = "hour_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    given_minutes: Mapped[int] = mapped_column(Integer)
    received_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class HourTransferRow(TeamBase):
    """Hours one member gave another: logged by the giver, counted once the receiver
    confirms it. Each side's name is kept so the other's statement stays whole after one
    of them leaves."""

    __tablename__ = "hour_transfers"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'confirmed', 'declined', 'withdrawn')", name="state"),
        CheckConstraint("minutes > 0", name="minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    giver_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    receiver_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    giver_name: Mapped[str] = mapped_column(String(200))
    receiver_name: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)


TEAM_TABLES = tuple(TeamBase.metadata.tables)
"""The registry's tables, which a member's transaction may never touch."""


def holds_community(session: Session) -> bool:
    """Whether this database is a community's server (its unscoped connection then sees
    every member's ledger at once, so nothing that reads a whole ledger may run on it)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(text("SELECT to_regclass('communities') IS NOT NULL")).scalar()
    return bool(found) and session.scalar(select(CommunityRow.id).limit(1)) is not None
