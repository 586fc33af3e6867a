"""ring sessions: Reciprocity Ring sessions in team mode

An organiser opens a live session; each participant states one ask and the others attach
offers of help or introductions; closing turns each offer into commitments in the two
members' own ledgers (or an introduction in the offerer's). ``ring_sessions``,
``ring_participants``, ``ring_asks`` and ``ring_offers`` keep only what the participants
said to the ring. The community's registry, kept from every member's transaction like the
rest of it. PostgreSQL only.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _member(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"],
        ["members.id"],
        name=op.f(f"fk_{table}_member_id_members"),
        ondelete="SET NULL",
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "ring_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("presenting_ask_id", sa.Integer(), nullable=True),
        sa.Column("presenting_since", sa.DateTime(), nullable=True),
        sa.Column("present_seconds", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_ring_sessions_state")),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["members.id"],
            name=op.f("fk_ring_sessions_organiser_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ring_sessions")),
    )
    op.create_index(op.f("ix_ring_sessions_organiser_id"), "ring_sessions", ["organiser_id"])
    op.create_table(
        "ring_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["ring_sessions.id"],
            name=op.f("fk_ring_participants_session_id_ring_sessions"),
            ondelete="CASCADE",
        ),
        _member("ring_participants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ring_participants")),
        sa.UniqueConstraint(
            "session_id", "member_id", name="uq_ring_participants_session_id_member_id"
        ),
    )
    op.create_index(op.f("ix_ring_participants_member_id"), "ring_participants", ["member_id"])
    op.create_table(
        "ring_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["ring_sessions.id"],
            name=op.f("fk_ring_asks_session_id_ring_sessions"),
            ondelete="CASCADE",
        ),
        _member("ring_asks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ring_asks")),
        sa.UniqueConstraint("session_id", "member_id", name="uq_ring_asks_session_id_member_id"),
    )
    op.create_index(op.f("ix_ring_asks_member_id"), "ring_asks", ["member_id"])
    op.create_table(
        "ring_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("introduce", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("offerer_commitment_id", sa.Integer(), nullable=True),
        sa.Column("asker_commitment_id", sa.Integer(), nullable=True),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('help', 'introduction')", name=op.f("ck_ring_offers_kind")),
        sa.ForeignKeyConstraint(
            ["ask_id"],
            ["ring_asks.id"],
            name=op.f("fk_ring_offers_ask_id_ring_asks"),
            ondelete="CASCADE",
        ),
        _member("ring_offers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ring_offers")),
    )
    op.create_index(op.f("ix_ring_offers_ask_id"), "ring_offers", ["ask_id"])
    op.create_index(op.f("ix_ring_offers_member_id"), "ring_offers", ["member_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("ring_offers", "ring_asks", "ring_participants", "ring_sessions"):
        op.drop_table(table)
