"""shares: the exchanges, introductions and names the owner marked fit for others' eyes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=True),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("wording", sa.Text(), nullable=True),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "CASE WHEN exchange_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN introduction_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END = 1",
            name=op.f("ck_shares_one_thing"),
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_shares_exchange_id_exchanges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_shares_introduction_id_introductions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_shares_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
        sa.UniqueConstraint("exchange_id", name=op.f("uq_shares_exchange_id")),
        sa.UniqueConstraint("introduction_id", name=op.f("uq_shares_introduction_id")),
        sa.UniqueConstraint("person_id", name=op.f("uq_shares_person_id")),
    )


def downgrade() -> None:
    op.drop_table("shares")
