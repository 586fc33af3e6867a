"""Alembic environment: runs on the connection that :mod:`mutuality.store.schema` hands over."""

from alembic import context

from mutuality.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
context.run_migrations()
