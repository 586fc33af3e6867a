"""board post embeddings: the vectors the board's suggestions match by meaning

``board_post_embeddings`` keeps each board post's text with its tags, embedded once per
model and stored against a hash of the exact text (an edit makes a new one), as
``text_embeddings`` does for a ledger's needs and offers. Derived data of the community's
registry (``store/team_tables.py``), kept from every member's transaction like the rest of
it; it goes with its post. PostgreSQL only.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "board_post_embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["board_posts.id"],
            name=op.f("fk_board_post_embeddings_post_id_board_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_post_embeddings")),
        sa.UniqueConstraint(
            "post_id", "model", name=op.f("uq_board_post_embeddings_post_id_model")
        ),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("board_post_embeddings")
