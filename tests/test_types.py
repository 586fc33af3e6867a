"""The domain core is type-checked strictly by mypy, with the settings in ``pyproject.toml``."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_core_passes_mypy_strict(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (test extra)")
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(ROOT / "src" / "mutuality" / "core"),
        ]
    )
    assert status == 0, stdout + stderr
