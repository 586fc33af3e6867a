"""The layering and lint rules, checked with every test run so that CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return which


def test_import_layers_hold() -> None:
    """core is pure; store sits on core; services on store; the CLI only on services."""
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_help_does_not_import_the_database_layer() -> None:
    """``mutuality --help`` must stay fast: no SQLAlchemy, Alembic or pydantic on that path."""
    code = (
        "import sys; from mutuality.cli.main import app; "
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'pydantic', 'numpy', 'fastapi', "
        "'uvicorn', 'jinja2') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
