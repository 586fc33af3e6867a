"""change markers: on PostgreSQL, a number per ledger that every write moves on

Figures a page asks for on every load (every relationship's health, the network) are kept
until the next write. SQLite says when anyone wrote (``PRAGMA data_version``); PostgreSQL
has no such number, so kept figures used to live up to 30 seconds, and a second web worker
or the CLI could show a member figures from before their own write. Each write transaction
now adds one to its ledger's row here, and a read compares the number before it trusts what
it kept (``store/database.py``). Scoped like every ledger table: a member sees and moves only
their own ledger's number. SQLite is unchanged.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CURRENT = "coalesce(nullif(current_setting('mutuality.ledger', true), ''), '0')::integer"
"""The transaction's ledger (kept in step with ledger_scope.CURRENT_LEDGER)."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE change_markers ("
        f"ledger_id integer PRIMARY KEY DEFAULT {CURRENT}, "
        "version bigint NOT NULL DEFAULT 0)"
    )
    op.execute("ALTER TABLE change_markers ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE change_markers FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY ledger_scope ON change_markers "
        f"USING (ledger_id = {CURRENT}) WITH CHECK (ledger_id = {CURRENT})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE change_markers")
