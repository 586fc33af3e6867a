"""Every layer but the adapters (CLI and web) is type-checked strictly by mypy: the packages
and the settings are those of ``[tool.mypy]`` in ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _checked_packages() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        settings = tomllib.load(handle)["tool"]["mypy"]
    return [str(ROOT / path) for path in settings["files"]]


def test_the_checked_packages_include_every_layer_below_the_adapters() -> None:
    """The layers that hold the rules stay in the strict check (a narrowed list would
    still pass the check below)."""
    checked = {
        Path(path).relative_to(ROOT / "src" / "mutuality").as_posix()
        for path in _checked_packages()
    }
    layers = {"core", "services", "presenters", "formats", "store", "reports", "synthetic"}
    assert layers <= checked


def test_the_checked_packages_pass_mypy_strict() -> None:
    """mypy's own cache (git-ignored) keeps a run after a small change to seconds; a first
    run, which reads the stubs of SQLAlchemy, NumPy and pydantic, takes under a minute."""
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (test extra)")
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            *_checked_packages(),
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
