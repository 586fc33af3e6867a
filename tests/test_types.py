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


def test_the_chunk_sums_declare_exactly_the_pair_figures_columns() -> None:
    """``_Sums`` repeats ``PairFigures``' columns as annotations for the type checker; a
    column added to one and not the other would go unnoticed by the figures' tests."""
    from dataclasses import fields

    from mutuality.core.analytics import _START, PairFigures, _Sums

    columns = [f.name for f in fields(PairFigures)]
    assert list(_Sums.__annotations__) == columns
    assert [name for name, *_ in _START] == columns
