"""mutuality: a local-first relationship ledger and introductions engine.

The package is layered (checked by import-linter, see ``pyproject.toml``):

* ``mutuality.core``: the pure domain (values, value arithmetic, name matching); no I/O.
* ``mutuality.store``: SQLAlchemy tables, the database connection and migrations.
* ``mutuality.services``: every rule and every unit of work; the Python API.
* ``mutuality.cli``: the thin ``mutuality`` command line over the services.
"""

__version__ = "0.1.0"
