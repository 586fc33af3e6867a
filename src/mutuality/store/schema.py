"""Creating and upgrading the schema with Alembic, on open.

Alembic is imported only when the database is missing its schema or is older
than this version of mutuality, so that ordinary commands start fast. Before an
SQLite database is upgraded, a copy is made with SQLite's backup API.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from mutuality.core.errors import StorageError
from mutuality.store.database import Database
from mutuality.store.ledger_scope import prepare_member_role

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SCHEMA_REVISION = "0019"
"""The Alembic head this code expects; a test checks it against the migration scripts."""

MIGRATIONS = Path(__file__).with_name("migrations")


def current_revision(database: Database) -> str | None:
    """The database's Alembic revision, or ``None`` when it has no schema yet."""
    try:
        with database.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                if inspect(connection).get_table_names():
                    raise StorageError(
                        f"{database.describe()} is not a mutuality database "
                        "(it has tables but no schema version)",
                        field="db",
                        value=database.describe(),
                    )
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as error:
        raise StorageError(
            f"cannot open {database.describe()}: {error.orig}",
            field="db",
            value=database.describe(),
        ) from None


def ensure_schema(database: Database) -> None:
    """Bring the database to :data:`SCHEMA_REVISION`, creating or upgrading it as needed."""
    if database.ledger is not None:
        raise RuntimeError("the schema is upgraded through the unscoped database")
    revision = current_revision(database)
    if revision == SCHEMA_REVISION:
        return
    if revision is not None and revision not in _known_revisions():
        raise StorageError(
            f"{database.describe()} was written by a newer mutuality (schema {revision}); "
            "upgrade mutuality to open it",
            field="db",
            value=database.describe(),
        )
    if revision is not None and database.path is not None:
        backup_sqlite(database, _backup_path(database.path, revision))
    _upgrade(database)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def head_revision() -> str | None:
    """The newest migration script's revision (what :data:`SCHEMA_REVISION` must equal)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _upgrade(database: Database) -> None:
    from alembic import command

    config = _alembic_config()
    with database._writer.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    if not database.is_sqlite:
        try:
            prepare_member_role(database.engine)
        except DatabaseError as error:  # a user who may not create roles: one person's ledger
            log.warning(
                "team mode is not available on %s until an administrator creates the role "
                "mutuality_member (NOLOGIN NOBYPASSRLS) and grants it: %s",
                database.describe(),
                error.orig,
            )
    log.info("database %s upgraded to schema %s", database.describe(), SCHEMA_REVISION)


def _backup_path(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.schema-{revision}.{stamp}.bak")


def backup_sqlite(database: Database, target: Path) -> Path:
    """Copy a live SQLite database consistently with the backup API (safe while others write)."""
    if database.path is None:
        raise StorageError(
            "only an SQLite database can be copied to a file", field="db", value=database.describe()
        )
    source = sqlite3.connect(database.path)
    try:
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
