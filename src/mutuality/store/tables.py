"""The database schema as SQLAlchemy 2 tables. Only the store and the services see these rows;
everything above them works with the frozen records of :mod:`mutuality.core.model`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(row: type[Base]) -> Table:
    """The table a row class maps. SQLAlchemy types ``__table__`` as any ``FromClause``,
    since a class may map a join or a select; every row class here maps one table."""
    table = row.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{row.__name__} maps no single table")
    return table


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    private_note: Mapped[str | None] = mapped_column(Text)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    uid: Mapped[str | None] = mapped_column(String(500), index=True)
    """A contact's identifier in the address book it came from (vCard UID)."""
    birthday_year: Mapped[int | None] = mapped_column(Integer)
    """Birthdays may have no year (``BDAY:--0415``)."""
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)

    emails: Mapped[list[EmailRow]] = relationship(
        cascade="all, delete-orphan", order_by="EmailRow.position", lazy="selectin"
    )
    phones: Mapped[list[PhoneRow]] = relationship(
        cascade="all, delete-orphan", order_by="PhoneRow.position", lazy="selectin"
    )
    tags: Mapped[list[PersonTagRow]] = relationship(
        cascade="all, delete-orphan", order_by="PersonTagRow.tag", lazy="selectin"
    )


class EmailRow(Base):
    __tablename__ = "person_emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PhoneRow(Base):
    __tablename__ = "person_phones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)


class PersonTagRow(Base):
    __tablename__ = "person_tags"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class RelationshipRow(Base):
    __tablename__ = "relationships"
    __table_args__ = (UniqueConstraint("owner_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    context: Mapped[str] = mapped_column(String(32))
    started_on: Mapped[date | None] = mapped_column(Date)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    intent: Mapped[str | None] = mapped_column(String(16))
    """What I mean the tie to be (``reciprocal``, ``care``, ``mentoring``, ``service``,
    ``close``); ``None``: worked out from the context, tags and states."""
    intent_until: Mapped[date | None] = mapped_column(Date)
    """The day a chosen intent ends (care for a season); ``None``: until changed."""
    intent_reason: Mapped[str | None] = mapped_column(Text)
    """Why, in my words; shown only to me."""
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    """The day the person comes back onto the to-do list (``mutuality snooze``); ``None``:
    not snoozed."""


class ExchangeRow(Base):
    __tablename__ = "exchanges"
    __table_args__ = (
        Index("ix_exchanges_giver_on", "giver_id", "occurred_on"),
        Index("ix_exchanges_receiver_on", "receiver_id", "occurred_on"),
        Index("ix_exchanges_pair", "giver_id", "receiver_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    benefit: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)
    estimated_by: Mapped[str] = mapped_column(String(16))
    initiated_by: Mapped[str | None] = mapped_column(String(16))
    """``giver`` (offered), ``receiver`` (asked) or unknown."""
    hours: Mapped[float | None] = mapped_column(Float)
    """The giver's time, when known; capacity in hours estimates it from the cost otherwise."""
    outcome: Mapped[str | None] = mapped_column(Text)
    private_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    tags: Mapped[list[ExchangeTagRow]] = relationship(
        cascade="all, delete-orphan", order_by="ExchangeTagRow.tag", lazy="selectin"
    )


class ExchangeTagRow(Base):
    __tablename__ = "exchange_tags"

    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class TouchRow(Base):
    """A contact without a logged exchange (a call, a message, a coffee): it resets the
    check-in clock and records who reached out."""

    __tablename__ = "touches"
    __table_args__ = (Index("ix_touches_pair_on", "owner_id", "person_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    initiated_by: Mapped[str | None] = mapped_column(String(16))
    """``me`` (the owner reached out), ``them`` or unknown."""
    channel: Mapped[str] = mapped_column(String(32))
    private_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CapacityRow(Base):
    """The owner's giving budget and boundaries (one row per owner)."""

    __tablename__ = "capacities"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))
    boundaries: Mapped[str] = mapped_column(Text, default="")
    """Kinds the owner does not give, comma-separated."""


class NeedRow(Base):
    """What a person is seeking (a declined or postponed request becomes one)."""

    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text, default="")
    """Comma-separated normalised tags (tags never contain commas)."""
    source: Mapped[str] = mapped_column(String(16))
    """``them`` (said by them), ``me`` (noted by me) or ``request``."""
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    """The check-in whose wish this need records, when it came from one."""


class OfferRow(Base):
    """What a person can give."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class RequestRow(Base):
    """A specific ask: of me by someone (``to_me``) or of someone by me (``from_me``)."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(32))
    benefit: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)
    due_on: Mapped[date | None] = mapped_column(Date)
    made_on: Mapped[date] = mapped_column(Date)
    proposal: Mapped[str] = mapped_column(String(16))
    """What the rule proposed: yes, no, negotiate or later."""
    proposal_reason: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(16))
    """What I decided (``None`` while undecided); may differ from the proposal."""
    decided_on: Mapped[date | None] = mapped_column(Date)
    third_option: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    """``open`` (undecided), ``decided`` or ``withdrawn``."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CommitmentRow(Base):
    """A yes, with a due date: kept (an exchange is logged) or broken."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(16))
    """``mine`` (I promised them) or ``theirs`` (they promised me)."""
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(32))
    benefit: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)
    hours: Mapped[float | None] = mapped_column(Float)
    made_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    """``open``, ``kept`` or ``broken``."""
    closed_on: Mapped[date | None] = mapped_column(Date)
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    """The check-in whose wish this commitment answers, when it came from one."""


class AddressRow(Base):
    __tablename__ = "person_addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    label: Mapped[str | None] = mapped_column(String(64))
    street: Mapped[str | None] = mapped_column(Text)
    locality: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class UrlRow(Base):
    __tablename__ = "person_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)


class PhotoRow(Base):
    """A person's photo, size-limited on import and never fetched from a URL."""

    __tablename__ = "person_photos"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImportedEventRow(Base):
    """A calendar event already imported (by UID and recurrence), so re-imports skip it."""

    __tablename__ = "imported_events"

    uid: Mapped[str] = mapped_column(String(500), primary_key=True)
    recurrence: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The occurrence's start (ISO) for a recurring event, ``""`` for a single one."""
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"))
    touch_id: Mapped[int | None] = mapped_column(ForeignKey("touches.id", ondelete="CASCADE"))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class AccountRow(Base):
    """A login for the web app, tied to a person (the owner; team members later)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WebSessionRow(Base):
    """A signed-in browser; only the SHA-256 of its token is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class LoginLinkRow(Base):
    """A one-time, time-limited login link (first run, password reset)."""

    __tablename__ = "login_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class CheckInRow(Base):
    """A check-in conversation (or a repair conversation) with one person."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_pair_on", "owner_id", "person_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    """``checkin`` or ``repair``."""
    source: Mapped[str] = mapped_column(String(16))
    """``me`` (logged by the owner) or ``link`` (answered by them through a private link)."""
    my_satisfaction: Mapped[int | None] = mapped_column(Integer)
    their_satisfaction: Mapped[int | None] = mapped_column(Integer)
    my_better: Mapped[str | None] = mapped_column(Text)
    """What would make the relationship more valuable for me."""
    their_better: Mapped[str | None] = mapped_column(Text)
    my_equity: Mapped[int | None] = mapped_column(Integer)
    """Who gets the better deal, as I see it: -2 much worse for me ... +2 much better for me."""
    their_equity: Mapped[int | None] = mapped_column(Integer)
    """The same question as they answered it, from their side."""
    message: Mapped[str | None] = mapped_column(Text)
    private_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    wish_state: Mapped[str | None] = mapped_column(String(16))
    """What became of ``their_better``: ``None`` while it waits for me, ``commitment`` or
    ``need`` once confirmed as one, ``set-aside`` when I chose not to act on it."""


class CheckInLinkRow(Base):
    """A private link the other person answers without an account; only a hash is stored."""

    __tablename__ = "checkin_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    """The only name the page shows (the owner's, as chosen when the link was made)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))


class PersonStateRow(Base):
    """A person's current challenge or busy period: matching avoids a saturated moment and
    favours help that meets a current challenge."""

    __tablename__ = "person_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``challenge`` or ``busy``."""
    text: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    """Open-ended while ``None``; clearing a state sets it to the day it was cleared."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ImportantDateRow(Base):
    """A date a person keeps (an anniversary, a child's birthday, the day someone died):
    shown a week ahead. A person's own birthday lives on :class:`PersonRow`."""

    __tablename__ = "important_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    occurs_on: Mapped[date] = mapped_column(Date)
    """The date; for a yearly date with no known year, the year is a placeholder."""
    yearly: Mapped[bool] = mapped_column(Boolean, default=True)
    year_known: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class IntroductionRow(Base):
    """A double-opt-in introduction of A to B, made by the owner."""

    __tablename__ = "introductions"
    __table_args__ = (Index("ix_introductions_pair", "a_id", "b_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    a_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    b_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    """A's need that B's offer meets, when the introduction came from a match."""
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    a_gains: Mapped[str | None] = mapped_column(Text)
    b_gains: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    """``proposed``, ``asking``, ``agreed``, ``made``, ``declined`` or ``withdrawn``."""
    a_consent: Mapped[str | None] = mapped_column(String(16))
    """``None`` (not asked yet), ``asked``, ``yes`` or ``no``; the same for ``b_consent``."""
    b_consent: Mapped[str | None] = mapped_column(String(16))
    a_message: Mapped[str | None] = mapped_column(Text)
    """The consent request to A as edited by the owner (``None``: generated from the data)."""
    b_message: Mapped[str | None] = mapped_column(Text)
    intro_message: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    a_exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="SET NULL")
    )
    """The exchange of kind introduction that making it logged, from me to A (B likewise)."""
    b_exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)


class IntroductionStepRow(Base):
    """One timestamped step of an introduction (proposed, asked, consented, declined, made,
    outcome, edited, withdrawn), so its history can be shown and audited."""

    __tablename__ = "introduction_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    """Whose consent or decline the step records, when it concerns one side."""
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class TextEmbeddingRow(Base):
    """A need's or offer's text embedded by a semantic model, computed once per text: the
    hash tells when the text changed; derived data, so never in the backup."""

    __tablename__ = "text_embeddings"
    __table_args__ = (
        UniqueConstraint("need_id", "model"),
        UniqueConstraint("offer_id", "model"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """``dim`` float32 values, little-endian, L2-normalised."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ShareRow(Base):
    """Something the owner marked fit for others' eyes: one exchange, one introduction, or a
    person whose full name may appear. The portfolio shows only these; a separate table keeps
    the exchanges lean and lets a share go with the thing it shares (``CASCADE``)."""

    __tablename__ = "shares"
    __table_args__ = (
        CheckConstraint(
            "CASE WHEN exchange_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN introduction_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END = 1",
            name="one_thing",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), unique=True
    )
    introduction_id: Mapped[int | None] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    wording: Mapped[str | None] = mapped_column(Text)
    """What I'd say about it publicly (for a person: the name to show); ``None`` keeps the
    ledger's own words (for a person: the full name)."""
    shared_at: Mapped[datetime] = mapped_column(DateTime)


class ImportRow(Base):
    """One contact import (vCard or CSV) that added or changed someone, so that it can be
    undone; an import that changed nothing is not recorded."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    """The file's name (not its folder)."""
    format: Mapped[str] = mapped_column(String(16))
    """``vcard`` or ``csv``."""
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    added: Mapped[int] = mapped_column(Integer)
    merged: Mapped[int] = mapped_column(Integer)
    """People already known whom the import changed."""
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportChangeRow(Base):
    """A person an import added, or merged into (with what it changed, to put it back)."""

    __tablename__ = "import_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    """``added`` or ``merged``."""
    details: Mapped[str | None] = mapped_column(Text)
    """For a merge, JSON: the fields before and after, the ids of the rows added, the tags
    added and whether a photo was; ``None`` for a person added."""


class MatchRunRow(Base):
    """An organisation-scale match kept in the database (``match --cluster --save``): the
    search's finished shards while it runs, then its plan, written in batches. A run cut
    short is resumed by the next run of the same search (the same ``key``)."""

    __tablename__ = "match_runs"
    __table_args__ = (CheckConstraint("state IN ('searching', 'writing', 'done')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    """A hash of what the search's lists depend on: the vectors, the cut into shards, k and
    the minimum similarity."""
    state: Mapped[str] = mapped_column(String(16))
    """``searching``, ``writing`` (the plan, batch by batch) or ``done``."""
    needs: Mapped[int] = mapped_column(Integer)
    offers: Mapped[int] = mapped_column(Integer)
    shards: Mapped[int] = mapped_column(Integer)
    assignment: Mapped[str] = mapped_column(String(16))
    plan_key: Mapped[str | None] = mapped_column(String(64))
    """A hash of the plan being written: a resumed write whose plan differs starts again."""
    chosen: Mapped[int | None] = mapped_column(Integer)
    """Matches in the plan, once written."""
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class MatchRunShardRow(Base):
    """One finished shard of a run's search: each need's best offers in the shard (global
    offer rows, int32) and their similarities (float32), as raw little-endian arrays.
    Removed once the run's lists are merged and its plan written."""

    __tablename__ = "match_run_shards"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    """Needs; the arrays are ``rows`` x k."""
    indices: Mapped[bytes] = mapped_column(LargeBinary)
    scores: Mapped[bytes] = mapped_column(LargeBinary)


class MatchRunMatchRow(Base):
    """One chosen match of a saved run, at its place in the order ``match`` lists them.
    The ids are those of the run's day (a need closed since keeps its id here): a saved
    plan is a record of what was proposed, not a live view."""

    __tablename__ = "match_run_matches"
    __table_args__ = (
        UniqueConstraint("run_id", "position"),
        CheckConstraint("question IN ('help_me', 'i_help', 'introduce')", name="question"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(16))
    need_id: Mapped[int] = mapped_column(Integer)
    offer_id: Mapped[int] = mapped_column(Integer)
    seeker_id: Mapped[int] = mapped_column(Integer)
    helper_id: Mapped[int] = mapped_column(Integer)
    similarity: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    two_way: Mapped[bool] = mapped_column(Boolean)
    reverse_need_id: Mapped[int | None] = mapped_column(Integer)
    reverse_offer_id: Mapped[int | None] = mapped_column(Integer)
