"""The documentation keeps up with the settings: every section and key of the config file
appears in a config example in docs/ or the README, every config key of the value model is
documented with its reason, and the config file shown in docs/value-model.md holds exactly
the defaults (so that a changed default cannot leave the docs behind)."""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from pathlib import Path

import pytest

from mutuality.core.errors import BadFile
from mutuality.core.health_rules import DEFAULT_CADENCE_DAYS, HealthSettings
from mutuality.core.matching.weights import Weights
from mutuality.core.model import RelationshipContext
from mutuality.core.network_rules import NetworkSettings
from mutuality.core.value import ValueSettings
from mutuality.services.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
VALUE_MODEL = (DOCS / "value-model.md").read_text(encoding="utf-8")
SECTIONS: dict[str, type] = {
    "value": ValueSettings,
    "health": HealthSettings,
    "network": NetworkSettings,
    "matching": Weights,
}


def scalar_fields(kind: type) -> dict[str, object]:
    """The keys a config section takes: the dataclass's scalar fields, with defaults."""
    return {
        f.name: f.default
        for f in dataclasses.fields(kind)
        if f.type in ("int", "float", "str", "bool")
    }


def full_config() -> str:
    """The TOML block of docs/value-model.md that shows every key."""
    blocks = re.findall(r"```toml\n(.*?)```", VALUE_MODEL, flags=re.DOTALL)
    full = [block for block in blocks if "[health]" in block and "[network]" in block]
    assert len(full) == 1, "docs/value-model.md should show one config block with every key"
    return full[0]


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_the_config_block_lists_every_key_with_its_default(section: str) -> None:
    table = tomllib.loads(full_config())[section]
    assert table == scalar_fields(SECTIONS[section])


def test_the_config_block_lists_every_cadence_with_its_default() -> None:
    cadence = tomllib.loads(full_config())["cadence"]
    assert cadence == {context.value: days for context, days in DEFAULT_CADENCE_DAYS.items()}


def test_the_config_block_loads_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(full_config(), encoding="utf-8")
    assert load_settings(path) == Settings()


@pytest.mark.parametrize("section", ["value", "health", "network"])
def test_every_key_has_a_reason_in_its_section_table(section: str) -> None:
    """Each key is a row of the ``### [section]`` table in "Every setting, its default and why"."""
    match = re.search(rf"^### \[{section}\]\n(.*?)(?=^##)", VALUE_MODEL, flags=re.M | re.S)
    assert match, f"no ### [{section}] table in docs/value-model.md"
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in match.group(1).splitlines()
        if line.startswith("| `")
    }
    assert rows == set(scalar_fields(SECTIONS[section]))


def test_every_cadence_has_a_reason() -> None:
    match = re.search(r"^### \[cadence\]\n(.*?)(?=^##)", VALUE_MODEL, flags=re.M | re.S)
    assert match
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in match.group(1).splitlines()
        if line.startswith("| `")
    }
    assert rows == {context.value for context in DEFAULT_CADENCE_DAYS}


def test_every_matching_weight_is_documented_in_matching_md() -> None:
    matching = (DOCS / "matching.md").read_text(encoding="utf-8")
    for name in scalar_fields(Weights):
        assert f"| `{name}` |" in matching, name


def config_examples() -> list[tuple[str, str]]:
    """Every TOML block of the README and docs/, with the file it is in."""
    return [
        (path.name, block)
        for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
        for block in re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    ]


def settings_file_keys() -> set[str]:
    """Every key the config file takes, as ``section.key`` (``key`` at the top level)."""
    keys = {f"cadence.{context.value}" for context in RelationshipContext}
    for name, kind in typing.get_type_hints(Settings).items():
        if dataclasses.is_dataclass(kind):
            keys |= {f"{name}.{key}" for key in scalar_fields(kind)}
        else:
            keys.add(name)
    return keys


def test_every_section_and_key_of_the_config_file_is_in_a_documented_example() -> None:
    shown: set[str] = set()
    for _, block in config_examples():
        for name, value in tomllib.loads(block).items():
            if isinstance(value, dict):
                shown |= {f"{name}.{key}" for key in value}
            else:
                shown.add(name)
    assert settings_file_keys() - shown == set()


def test_every_documented_config_example_loads(tmp_path: Path) -> None:
    """No example shows a section or key the config file no longer takes."""
    path = tmp_path / "config.toml"
    for name, block in config_examples():
        path.write_text(block, encoding="utf-8")
        try:
            load_settings(path)
        except BadFile as error:
            pytest.fail(f"the config example in {name}: {error.message}")
