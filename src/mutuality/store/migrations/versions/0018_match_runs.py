"""match runs: an organisation-scale match kept in the database, resumable

``match --cluster --save`` keeps its run in ``match_runs``: while the search runs, each
finished shard's lists in ``match_run_shards`` (so a run cut short, on any machine, skips
them when started again); then the plan, written in batches, in ``match_run_matches``.
Ledger tables like the others: on PostgreSQL each row belongs to the transaction's ledger
and only that ledger sees it (as schema 0010 does for every table).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

CURRENT = "coalesce(nullif(current_setting('mutuality.ledger', true), ''), '0')::integer"
"""The transaction's ledger (kept in step with ledger_scope.CURRENT_LEDGER)."""

TABLES = ("match_runs", "match_run_shards", "match_run_matches")


def _run(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["run_id"],
        ["match_runs.id"],
        name=op.f(f"fk_{table}_run_id_match_runs"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("needs", sa.Integer(), nullable=False),
        sa.Column("offers", sa.Integer(), nullable=False),
        sa.Column("shards", sa.Integer(), nullable=False),
        sa.Column("assignment", sa.String(length=16), nullable=False),
        sa.Column("plan_key", sa.String(length=64), nullable=True),
        sa.Column("chosen", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('searching', 'writing', 'done')", name=op.f("ck_match_runs_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_index(op.f("ix_match_runs_key"), "match_runs", ["key"])
    op.create_table(
        "match_run_shards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("indices", sa.LargeBinary(), nullable=False),
        sa.Column("scores", sa.LargeBinary(), nullable=False),
        _run("match_run_shards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_run_shards")),
        sa.UniqueConstraint("run_id", "number", name=op.f("uq_match_run_shards_run_id")),
    )
    op.create_table(
        "match_run_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=16), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("helper_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("two_way", sa.Boolean(), nullable=False),
        sa.Column("reverse_need_id", sa.Integer(), nullable=True),
        sa.Column("reverse_offer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "question IN ('help_me', 'i_help', 'introduce')",
            name=op.f("ck_match_run_matches_question"),
        ),
        _run("match_run_matches"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_run_matches")),
        sa.UniqueConstraint("run_id", "position", name=op.f("uq_match_run_matches_run_id")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN ledger_id integer NOT NULL DEFAULT {CURRENT}")
        op.execute(f"CREATE INDEX ix_{table}_ledger_id ON {table} (ledger_id)")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY ledger_scope ON {table} "
            f"USING (ledger_id = {CURRENT}) WITH CHECK (ledger_id = {CURRENT})"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
