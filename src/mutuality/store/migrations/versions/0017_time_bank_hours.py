"""time bank hours: hours as a community's currency, beside the benefit-and-cost record

A community may keep time-bank hours (every hour equal): ``time_bank`` says whether it does
and how far below zero a balance may go; ``hour_accounts`` keeps each member's hours given
and received apart; ``hour_transfers`` are the hours one member gave another, counted once
the receiver confirms. The community's registry, kept from every member's transaction like
the rest of it. PostgreSQL only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "time_bank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("floor_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_time_bank_community_id_communities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_bank")),
        sa.UniqueConstraint("community_id", name=op.f("uq_time_bank_community_id")),
    )
    op.create_table(
        "hour_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("given_minutes", sa.Integer(), nullable=False),
        sa.Column("received_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_hour_accounts_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hour_accounts")),
        sa.UniqueConstraint("member_id", name=op.f("uq_hour_accounts_member_id")),
    )
    op.create_table(
        "hour_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=True),
        sa.Column("receiver_id", sa.Integer(), nullable=True),
        sa.Column("giver_name", sa.String(length=200), nullable=False),
        sa.Column("receiver_name", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'confirmed', 'declined', 'withdrawn')",
            name=op.f("ck_hour_transfers_state"),
        ),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_hour_transfers_minutes")),
        sa.ForeignKeyConstraint(
            ["giver_id"],
            ["members.id"],
            name=op.f("fk_hour_transfers_giver_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["members.id"],
            name=op.f("fk_hour_transfers_receiver_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hour_transfers")),
    )
    op.create_index(op.f("ix_hour_transfers_giver_id"), "hour_transfers", ["giver_id"])
    op.create_index(op.f("ix_hour_transfers_receiver_id"), "hour_transfers", ["receiver_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("hour_transfers", "hour_accounts", "time_bank"):
        op.drop_table(table)
