"""confirmations: exchanges both sides confirm in team mode, and links between members

A member links a person in their ledger to a fellow member (``member_links``); an
exchange logged with that person waits in ``exchange_confirmations`` for the other side's
own estimate, as does one sent to someone without an account through a private one-time
link. Both tables are the community's registry (``store/team_tables.py``), kept from every
member's transaction like the rest of it. PostgreSQL only.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "member_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_links_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["members.id"],
            name=op.f("fk_member_links_other_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_links")),
        sa.UniqueConstraint(
            "member_id", "person_id", name=op.f("uq_member_links_member_id_person_id")
        ),
        sa.UniqueConstraint(
            "member_id", "other_id", name=op.f("uq_member_links_member_id_other_id")
        ),
    )
    op.create_index(op.f("ix_member_links_other_id"), "member_links", ["other_id"])
    op.create_table(
        "exchange_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("logger_id", sa.Integer(), nullable=True),
        sa.Column("logger_exchange_id", sa.Integer(), nullable=True),
        sa.Column("responder_id", sa.Integer(), nullable=True),
        sa.Column("responder_exchange_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("logger_gave", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("shown_name", sa.String(length=200), nullable=False),
        sa.Column("logger_benefit", sa.Float(), nullable=False),
        sa.Column("logger_cost", sa.Float(), nullable=False),
        sa.Column("logger_estimated", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.Float(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'confirmed', 'declined')",
            name=op.f("ck_exchange_confirmations_state"),
        ),
        sa.ForeignKeyConstraint(
            ["logger_id"],
            ["members.id"],
            name=op.f("fk_exchange_confirmations_logger_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["responder_id"],
            ["members.id"],
            name=op.f("fk_exchange_confirmations_responder_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_confirmations")),
        sa.UniqueConstraint(
            "logger_id",
            "logger_exchange_id",
            name=op.f("uq_exchange_confirmations_logger_id_logger_exchange_id"),
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_exchange_confirmations_token_hash")),
    )
    op.create_index(
        op.f("ix_exchange_confirmations_logger_id"), "exchange_confirmations", ["logger_id"]
    )
    op.create_index(
        op.f("ix_exchange_confirmations_responder_id"), "exchange_confirmations", ["responder_id"]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("exchange_confirmations")
    op.drop_table("member_links")
