"""The documentation keeps up with the code: every `mutuality ...` command it shows exists
with the options it gives, every section and key of the config file appears in a config
example in docs/ or the README, every config key of the value model is
documented with its reason, and the config file shown in docs/value-model.md holds exactly
the defaults (so that a changed default cannot leave the docs behind)."""

from __future__ import annotations

import dataclasses
import functools
import re
import shlex
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest
import typer

from mutuality.cli.main import app
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


def documented_commands() -> list[tuple[str, str]]:
    """Each ``mutuality ...`` command in a code block or a code span of the README and
    docs/, with where it is (continued lines joined, comments left out)."""
    found = []
    for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        in_block = False
        for number, line in enumerate(lines):
            if line.startswith("```"):
                in_block = not in_block
            elif in_block:
                command = re.match(r"\s*(?:\.venv/bin/)?mutuality\s+(.*)", line)
                if command:
                    text, later = command.group(1), number
                    while text.rstrip().endswith("\\") and later + 1 < len(lines):
                        later += 1
                        text = text.rstrip()[:-1] + " " + lines[later].strip()
                    found.append((f"{path.name}:{number + 1}", re.split(r"\s#\s|\s{2,}#", text)[0]))
            else:
                for span in re.findall(r"`(?:\.venv/bin/)?mutuality\s+([^`]+)`", line):
                    found.append((f"{path.name}:{number + 1}", span))
    return found


@functools.cache
def _cli() -> Any:
    """The CLI's command tree, built once (building it takes a tenth of a second)."""
    return typer.main.get_command(app)


def unknown_words(text: str) -> list[str]:
    """The commands and options in ``text`` (what follows ``mutuality``) that the CLI lacks."""
    command: Any = _cli()
    words = [word.strip("[]") for word in shlex.split(text)]
    unknown: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        subcommands = getattr(command, "commands", None)
        if word in ("", "...", "-h", "--help"):
            continue
        if subcommands and (not word.startswith("-") or "new" in subcommands):
            if word in subcommands:
                command = subcommands[word]
            elif "new" in subcommands:  # `ask NAME ...`, `checkin NAME ...`
                command, position = subcommands["new"], position - 1
            else:
                unknown.append(word)
                break
            continue
        if word.startswith("-") and not word[1:2].isdigit():
            name = word.split("=")[0]
            option = next((p for p in command.params if name in p.opts + p.secondary_opts), None)
            if option is None:
                unknown.append(name)
            elif option is not None and not getattr(option, "is_flag", False) and "=" not in word:
                position += 1  # its value
    return unknown


def test_every_documented_command_and_option_exists() -> None:
    """`mutuality ...` in the README and docs/ names commands and options the CLI has."""
    commands = documented_commands()
    assert len(commands) > 100
    wrong = {f"{where}: {text}": unknown_words(text) for where, text in commands}
    assert {where: words for where, words in wrong.items() if words} == {}


def _documented_sections() -> dict[str, list[tuple[str, set[str]]]]:
    """Every ``[section]`` shown in a TOML block of docs/, with the keys each block gives it
    and the file it is in."""
    found: dict[str, list[tuple[str, set[str]]]] = {}
    for doc in sorted(DOCS.glob("*.md")):
        for block in re.findall(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            for name, table in tomllib.loads(block).items():
                if isinstance(table, dict):
                    found.setdefault(name, []).append((doc.name, set(table)))
    return found


SETTINGS_SECTIONS = [
    f.name
    for f in dataclasses.fields(Settings)
    if isinstance(f.default_factory, type) and dataclasses.is_dataclass(f.default_factory)
]


@pytest.mark.parametrize("section", SETTINGS_SECTIONS)
def test_every_settings_section_is_shown_in_the_docs_with_every_key(section: str) -> None:
    """A user finds each section of the settings file, with every key it takes, in a TOML
    block of docs/ (the value model, requests, check-ins' e-mail, the web app's links)."""
    keys = set(scalar_fields(typing.get_type_hints(Settings)[section]))
    shown = _documented_sections().get(section, [])
    assert shown, f"no TOML block in docs/ shows [{section}]"
    assert any(keys <= given for _, given in shown), (
        f"no TOML block shows every key of [{section}]: {sorted(keys)}; shown: {shown}"
    )


def test_every_settings_block_in_the_docs_loads(tmp_path: Path) -> None:
    """Every TOML block in docs/ that looks like a settings file is one the app accepts."""
    sections = {f.name for f in dataclasses.fields(Settings)}
    for doc in sorted(DOCS.glob("*.md")):
        for block in re.findall(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            if not set(tomllib.loads(block)) & sections:
                continue
            path = tmp_path / "config.toml"
            path.write_text(block, encoding="utf-8")
            load_settings(path)  # raises, naming the file and the key, on anything it refuses
