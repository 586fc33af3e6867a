"""The storage adapter: SQLAlchemy tables, the connection with its safety settings, migrations."""
