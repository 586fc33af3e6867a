"""ledger scope: on PostgreSQL, every row belongs to one ledger and only that ledger sees it

Team mode keeps each member's private ledger in the same PostgreSQL database. Every table
gains ``ledger_id`` (filled from the transaction's ``mutuality.ledger`` setting; 0, the
personal ledger, when unset) and a row-level security policy that shows and accepts only
the rows of the transaction's ledger, so a query that forgets to filter still sees one
ledger (``store/ledger_scope.py``). An email is unique within a ledger, not across them.
SQLite holds one ledger and is unchanged.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CURRENT = "coalesce(nullif(current_setting('mutuality.ledger', true), ''), '0')::integer"
"""The transaction's ledger (kept in step with ledger_scope.CURRENT_LEDGER)."""

TABLES = (
    "people",
    "person_emails",
    "person_phones",
    "person_tags",
    "relationships",
    "exchanges",
    "exchange_tags",
    "touches",
    "capacities",
    "needs",
    "offers",
    "requests",
    "commitments",
    "person_addresses",
    "person_urls",
    "person_photos",
    "imported_events",
    "accounts",
    "web_sessions",
    "login_links",
    "checkins",
    "checkin_links",
    "person_states",
    "important_dates",
    "introductions",
    "introduction_steps",
    "text_embeddings",
    "shares",
    "imports",
    "import_changes",
)
"""Every table of schema 0009; a later migration that adds a table scopes it too."""


def upgrade() -> None:
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
    op.drop_constraint("uq_person_emails_email", "person_emails", type_="unique")
    op.create_unique_constraint(
        "uq_person_emails_ledger_id_email", "person_emails", ["ledger_id", "email"]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_constraint("uq_person_emails_ledger_id_email", "person_emails", type_="unique")
    op.create_unique_constraint("uq_person_emails_email", "person_emails", ["email"])
    for table in TABLES:
        op.execute(f"DROP POLICY ledger_scope ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"DROP INDEX ix_{table}_ledger_id")
        op.execute(f"ALTER TABLE {table} DROP COLUMN ledger_id")
