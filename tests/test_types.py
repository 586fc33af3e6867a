"""The whole package, every layer, is type-checked strictly by mypy: what is checked and the
settings are those of ``[tool.mypy]`` in ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _checked() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        settings = tomllib.load(handle)["tool"]["mypy"]
    return [str(ROOT / path) for path in settings["files"]]


def test_the_whole_package_is_checked() -> None:
    """Every layer stays in the strict check (a narrowed list would still pass the check
    below)."""
    assert _checked() == [str(ROOT / "src" / "mutuality")]


def test_the_package_passes_mypy_strict() -> None:
    """mypy's own cache (git-ignored) keeps a run after a small change to seconds; a first
    run reads the stubs of SQLAlchemy, NumPy, pydantic and FastAPI, about a minute of CPU."""
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (test extra)")
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            *_checked(),
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
