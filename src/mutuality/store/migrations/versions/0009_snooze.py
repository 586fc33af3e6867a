"""snooze: a relationship can be kept off the to-do list until a day
(``relationships.snoozed_until``; ``NULL``: not snoozed)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("relationships") as batch:
        batch.add_column(sa.Column("snoozed_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("relationships") as batch:
        batch.drop_column("snoozed_until")
