"""board: the community's asks and offers, answers, the gratitude wall

Members post asks and offers (``board_posts``, each with a version that grows with every
change), answer them (``board_answers``, linked to the two-sided exchange once the help
happened) and thank helpers in public (``gratitude``); ``board_settings`` keeps whether a
member lets organisers see their name among those giving beyond their capacity. All are the
community's registry (``store/team_tables.py``), kept from every member's transaction.
PostgreSQL only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "board_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(length=400), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("met_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('ask', 'offer')", name=op.f("ck_board_posts_kind")),
        sa.CheckConstraint(
            "state IN ('open', 'met', 'withdrawn')", name=op.f("ck_board_posts_state")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["members.id"],
            name=op.f("fk_board_posts_author_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_posts")),
    )
    op.create_index(op.f("ix_board_posts_author_id"), "board_posts", ["author_id"])
    op.create_table(
        "board_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('offered', 'accepted', 'withdrawn')", name=op.f("ck_board_answers_state")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["board_posts.id"],
            name=op.f("fk_board_answers_post_id_board_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_board_answers_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmation_id"],
            ["exchange_confirmations.id"],
            name=op.f("fk_board_answers_confirmation_id_exchange_confirmations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_answers")),
        sa.UniqueConstraint(
            "post_id", "member_id", name=op.f("uq_board_answers_post_id_member_id")
        ),
    )
    op.create_index(op.f("ix_board_answers_member_id"), "board_answers", ["member_id"])
    op.create_table(
        "gratitude",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["board_answers.id"],
            name=op.f("fk_gratitude_answer_id_board_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gratitude")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_gratitude_answer_id")),
    )
    op.create_table(
        "board_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("named_when_stretched", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_board_settings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_settings")),
        sa.UniqueConstraint("member_id", name=op.f("uq_board_settings_member_id")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("board_settings")
    op.drop_table("gratitude")
    op.drop_table("board_answers")
    op.drop_table("board_posts")
