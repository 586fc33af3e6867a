"""The database schema as SQLAlchemy 2 tables. Only the store and the services see these rows;
everything above them works with the frozen records of :mod:`mutuality.core.model`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
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
