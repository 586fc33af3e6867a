"""member introductions: an introduction shared with its two sides in team mode

A member who introduces two people asks each of them in the app: a fellow member in their
account, anyone else through a private one-time link. ``member_introductions`` keeps what
the three may see (the names, the words each side is asked in, the answers); the
introduction itself stays in the introducer's ledger. The community's registry, kept from
every member's transaction like the rest of it. PostgreSQL only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "member_introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introducer_id", sa.Integer(), nullable=True),
        sa.Column("introducer_intro_id", sa.Integer(), nullable=True),
        sa.Column("introducer_name", sa.String(length=200), nullable=False),
        sa.Column("a_member_id", sa.Integer(), nullable=True),
        sa.Column("b_member_id", sa.Integer(), nullable=True),
        sa.Column("a_name", sa.String(length=200), nullable=False),
        sa.Column("b_name", sa.String(length=200), nullable=False),
        sa.Column("a_message", sa.Text(), nullable=False),
        sa.Column("b_message", sa.Text(), nullable=False),
        sa.Column("a_answer", sa.String(length=8), nullable=True),
        sa.Column("b_answer", sa.String(length=8), nullable=True),
        sa.Column("a_note", sa.Text(), nullable=True),
        sa.Column("b_note", sa.Text(), nullable=True),
        sa.Column("a_shares_email", sa.Boolean(), nullable=False),
        sa.Column("b_shares_email", sa.Boolean(), nullable=False),
        sa.Column("a_token_hash", sa.String(length=64), nullable=True),
        sa.Column("b_token_hash", sa.String(length=64), nullable=True),
        sa.Column("a_expires_at", sa.DateTime(), nullable=True),
        sa.Column("b_expires_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('asking', 'made', 'declined', 'withdrawn')",
            name=op.f("ck_member_introductions_status"),
        ),
        sa.CheckConstraint(
            "a_answer IN ('asked', 'yes', 'no')", name=op.f("ck_member_introductions_a_answer")
        ),
        sa.CheckConstraint(
            "b_answer IN ('asked', 'yes', 'no')", name=op.f("ck_member_introductions_b_answer")
        ),
        sa.ForeignKeyConstraint(
            ["introducer_id"],
            ["members.id"],
            name=op.f("fk_member_introductions_introducer_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["a_member_id"],
            ["members.id"],
            name=op.f("fk_member_introductions_a_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["b_member_id"],
            ["members.id"],
            name=op.f("fk_member_introductions_b_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_introductions")),
        sa.UniqueConstraint(
            "introducer_id",
            "introducer_intro_id",
            name=op.f("uq_member_introductions_introducer_id_introducer_intro_id"),
        ),
        sa.UniqueConstraint("a_token_hash", name=op.f("uq_member_introductions_a_token_hash")),
        sa.UniqueConstraint("b_token_hash", name=op.f("uq_member_introductions_b_token_hash")),
    )
    for column in ("introducer_id", "a_member_id", "b_member_id"):
        op.create_index(op.f(f"ix_member_introductions_{column}"), "member_introductions", [column])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("member_introductions")
