"""Your own name on the command line: ``mutuality me``, the one question a command that
writes what another person reads asks while the name is not set (only at a terminal), and
``serve`` asking on its first run. Under Typer's runner stdin is not a terminal, so the
tests that want the question say so through :func:`mutuality.cli.owner.at_terminal`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mutuality.cli import owner as owner_cli
from mutuality.cli import serve as serve_module
from mutuality.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ana needs a UX review and Bo offers one, made once per module."""
    path = str(tmp_path_factory.mktemp("owner_cli") / "template.db")
    for args in (
        ("person", "add", "Ana Lima"),
        ("person", "add", "Bo Chen"),
        ("need", "add", "ana", "feedback on our onboarding redesign"),
        ("offer", "add", "bo", "UX reviews of onboarding flows"),
    ):
        result = runner.invoke(app, ["--db", path, *args])
        assert result.exit_code == 0, result.output
    return Path(path)


@pytest.fixture
def db(tmp_path: Path, template: Path) -> str:
    path = tmp_path / "cli.db"
    shutil.copyfile(template, path)
    return str(path)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(owner_cli, "at_terminal", lambda: True)


def run(db: str, *args: str, answer: str | None = None) -> Any:
    return runner.invoke(app, ["--db", db, *args], input=answer)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_me_shows_sets_and_refuses(db: str) -> None:
    shown = run(db, "me")
    assert shown.exit_code == 0 and "Your name is not set" in flat(shown.stdout)
    assert json.loads(run(db, "me", "-f", "json").stdout) == {
        "name": None,
        "set": False,
        "signature": None,
    }
    refused = run(db, "me", "--name", "Me")
    assert refused.exit_code == 2 and "not a name others would know you by" in refused.stderr
    taken = run(db, "me", "--name", "Bo Chen")
    assert taken.exit_code == 2 and "a person in your network is named 'Bo Chen'" in taken.stderr
    done = run(db, "me", "--name", "Carla  Mendes")
    assert "Your name is now Carla Mendes; messages are signed Carla." in flat(done.stdout)
    assert json.loads(run(db, "me", "-f", "json").stdout)["signature"] == "Carla"
    assert "Your name is Carla Mendes" in flat(run(db, "me").stdout)


def test_without_a_terminal_nothing_is_asked_and_drafts_go_unsigned(db: str) -> None:
    result = run(db, "intro", "propose", "ana", "bo", "-f", "json")
    assert result.exit_code == 0, result.output
    messages = json.loads(result.stdout)["messages"]
    assert messages["a"].endswith("unless you say yes.")
    assert "\nMe" not in messages["a"] + messages["b"]
    assert "Your name" not in result.stderr


def test_a_message_command_asks_once_and_signs_with_the_answer(db: str, terminal: None) -> None:
    result = run(db, "intro", "propose", "ana", "bo", answer="me\nCarla Mendes\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Your name, as the people you write to know you") == 2
    assert "not a name others would know you by" in result.stderr  # "me" was asked again
    assert "Messages are signed Carla from now on." in result.stderr
    assert "unless you say yes.\n\nCarla" in result.stdout
    again = run(db, "intro", "show", "1", answer="")
    assert "Your name" not in again.stderr  # set: never asked again


def test_skipping_the_question_goes_on_unsigned(db: str, terminal: None) -> None:
    result = run(db, "intro", "propose", "ana", "bo", "-f", "json", answer="\n")
    assert result.exit_code == 0, result.output
    assert "messages end without a signature" in flat(result.stderr)
    assert json.loads(result.stdout)["messages"]["a"].endswith("unless you say yes.")


def test_commands_that_write_nothing_for_others_never_ask(db: str, terminal: None) -> None:
    for args in (("person", "list"), ("intro", "list"), ("intro", "propose", "--help")):
        result = run(db, *args, answer="")
        assert result.exit_code == 0, result.output
        assert "Your name" not in result.stderr


def test_serve_asks_on_its_first_run(
    db: str, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_module, "run_server", lambda *args: None)
    first = run(db, "serve", "--no-demo", answer="Carla Mendes\n")
    assert first.exit_code == 0, first.output
    assert "Messages are signed Carla from now on." in first.stderr
    assert "Your name is Carla Mendes" in flat(run(db, "me").stdout)
