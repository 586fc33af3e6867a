"""intents, important dates and check-in wishes: a relationship's intent (care, mentoring,
service, close, reciprocal) with its end and reason; dates a person keeps (anniversaries and
the like, beside the birthday); what became of the other side's "what would make it better"

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("relationships") as batch:
        batch.add_column(sa.Column("intent", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("intent_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("intent_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("wish_state", sa.String(length=16), nullable=True))
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("checkin_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_commitments_checkin_id_checkins"),
            "checkins",
            ["checkin_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("needs") as batch:
        batch.add_column(sa.Column("checkin_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_needs_checkin_id_checkins"),
            "checkins",
            ["checkin_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "important_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("occurs_on", sa.Date(), nullable=False),
        sa.Column("yearly", sa.Boolean(), nullable=False),
        sa.Column("year_known", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_important_dates_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_important_dates")),
    )
    op.create_index(
        op.f("ix_important_dates_person_id"), "important_dates", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_important_dates_person_id"), table_name="important_dates")
    op.drop_table("important_dates")
    with op.batch_alter_table("needs") as batch:
        batch.drop_constraint(op.f("fk_needs_checkin_id_checkins"), type_="foreignkey")
        batch.drop_column("checkin_id")
    with op.batch_alter_table("commitments") as batch:
        batch.drop_constraint(op.f("fk_commitments_checkin_id_checkins"), type_="foreignkey")
        batch.drop_column("checkin_id")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("wish_state")
    with op.batch_alter_table("relationships") as batch:
        batch.drop_column("intent_reason")
        batch.drop_column("intent_until")
        batch.drop_column("intent")
