"""person states, introductions and their steps, text embeddings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_states_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_states")),
    )
    with op.batch_alter_table("person_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_states_person_id"), ["person_id"], unique=False)

    op.create_table(
        "introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("a_gains", sa.Text(), nullable=True),
        sa.Column("b_gains", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("a_consent", sa.String(length=16), nullable=True),
        sa.Column("b_consent", sa.String(length=16), nullable=True),
        sa.Column("a_message", sa.Text(), nullable=True),
        sa.Column("b_message", sa.Text(), nullable=True),
        sa.Column("intro_message", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("a_exchange_id", sa.Integer(), nullable=True),
        sa.Column("b_exchange_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["a_exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_introductions_a_exchange_id_exchanges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["a_id"], ["people.id"], name=op.f("fk_introductions_a_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_introductions_b_exchange_id_exchanges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["people.id"], name=op.f("fk_introductions_b_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_introductions_need_id_needs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_introductions_offer_id_offers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["people.id"],
            name=op.f("fk_introductions_owner_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
    )
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introductions_b_id"), ["b_id"], unique=False)
        batch_op.create_index("ix_introductions_pair", ["a_id", "b_id"], unique=False)

    op.create_table(
        "text_embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_text_embeddings_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_text_embeddings_offer_id_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_embeddings")),
        sa.UniqueConstraint("need_id", "model", name=op.f("uq_text_embeddings_need_id")),
        sa.UniqueConstraint("offer_id", "model", name=op.f("uq_text_embeddings_offer_id")),
    )
    op.create_table(
        "introduction_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_introduction_steps_introduction_id_introductions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_introduction_steps_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_steps")),
    )
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introduction_steps_introduction_id"), ["introduction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_steps_introduction_id"))

    op.drop_table("introduction_steps")
    op.drop_table("text_embeddings")
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.drop_index("ix_introductions_pair")
        batch_op.drop_index(batch_op.f("ix_introductions_b_id"))

    op.drop_table("introductions")
    with op.batch_alter_table("person_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_states_person_id"))

    op.drop_table("person_states")
