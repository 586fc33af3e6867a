"""Allow ``python -m mutuality``."""

from mutuality.cli.main import run

run()
