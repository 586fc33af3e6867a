"""Many private ledgers in one PostgreSQL database, each seeing only its own rows.

Team mode gives every member a ledger of their own on the community's server. Rather than
trusting every query to filter by member, the database does it (schema 0010): each table
has a ``ledger_id`` column that defaults to the transaction's ``mutuality.ledger`` setting,
and a row-level security policy that shows and accepts only rows of that ledger. A
:class:`~mutuality.store.database.Database` scoped to a ledger sets the setting and takes
the :data:`MEMBER_ROLE` at the start of every transaction (a superuser, as the maintenance
connection usually is, would bypass the policies), so the services written for one person
work unchanged for each member, and a hand-written query cannot reach another member.

Ledger 0 is the personal ledger: what an unscoped connection writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from mutuality.store.team_tables import TEAM_TABLES

LEDGER_SETTING = "mutuality.ledger"
"""The transaction-local setting that names the ledger a transaction works in."""

CURRENT_LEDGER = "coalesce(nullif(current_setting('mutuality.ledger', true), ''), '0')::integer"
"""The SQL for the transaction's ledger (the column default and the policies use it)."""

MEMBER_ROLE = "mutuality_member"
"""The role a scoped transaction runs as: no login, no bypass of row-level security."""

PERSONAL_LEDGER = 0
LARGEST_LEDGER = 2**31 - 1


def check_ledger(ledger: int) -> int:
    """A ledger number the database can hold; a bool or a number out of range is refused."""
    if isinstance(ledger, bool) or not isinstance(ledger, int):
        raise TypeError(f"a ledger is a whole number, not {ledger!r}")
    if not PERSONAL_LEDGER < ledger <= LARGEST_LEDGER:
        raise ValueError(f"a member's ledger is 1 to {LARGEST_LEDGER}, not {ledger}")
    return ledger


def enter_ledger(connection: Any, ledger: int) -> None:
    """Make the transaction just begun on ``connection`` see only ``ledger``'s rows: the
    setting and the role in one round trip (every transaction of a member begins so)."""
    connection.exec_driver_sql(
        f"SELECT set_config('{LEDGER_SETTING}', '{check_ledger(ledger)}', true); "
        f"SET LOCAL ROLE {MEMBER_ROLE}"
    )


def leave_ledger(connection: Any) -> None:
    """Undo :func:`enter_ledger` inside the same transaction: the connection acts as the
    server again (:meth:`~mutuality.store.database.Database.joined`)."""
    connection.exec_driver_sql(f"RESET ROLE; SELECT set_config('{LEDGER_SETTING}', '', true)")


def prepare_member_role(engine: Engine) -> None:
    """Create :data:`MEMBER_ROLE` if the server lacks it and let it use this database's
    tables; the connecting user becomes a member of it (so it may ``SET ROLE``).

    Idempotent, and run after every upgrade: tables a later schema adds need the grants too.
    """
    with engine.connect() as connection, connection.begin():
        connection.exec_driver_sql(
            "DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{MEMBER_ROLE}') THEN "
            f"CREATE ROLE {MEMBER_ROLE} NOLOGIN NOBYPASSRLS; "
            "END IF; "
            # Two servers (or test processes) preparing at once: the second finds it made.
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
        user = connection.exec_driver_sql("SELECT current_user").scalar()
        superuser = connection.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if not superuser:
            connection.exec_driver_sql(f'GRANT {MEMBER_ROLE} TO "{user}"')
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {MEMBER_ROLE}")
        connection.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {MEMBER_ROLE}"
        )
        connection.exec_driver_sql(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {MEMBER_ROLE}"
        )
        connection.exec_driver_sql(f"REVOKE ALL ON alembic_version FROM {MEMBER_ROLE}")
        # The community's registry (who belongs, their passwords and sessions) is no ledger's.
        for table in _present(connection, TEAM_TABLES):
            connection.exec_driver_sql(f"REVOKE ALL ON {table} FROM {MEMBER_ROLE}")
            sequence = connection.exec_driver_sql(
                f"SELECT pg_get_serial_sequence('{table}', 'id')"
            ).scalar()
            if sequence:
                connection.exec_driver_sql(f"REVOKE ALL ON SEQUENCE {sequence} FROM {MEMBER_ROLE}")


def _present(connection: Any, tables: tuple[str, ...]) -> list[str]:
    """Those of ``tables`` this database has (an older schema lacks the team's)."""
    return [
        table
        for table in tables
        if connection.exec_driver_sql(f"SELECT to_regclass('public.{table}')").scalar()
    ]
