"""Human situations as small ledgers, and every surface that speaks of a person in one place.

A scenario is a class deriving from :class:`Scenario`. It states who the situation is about
(``person``), builds a small realistic ledger through the public Python API
(:meth:`Scenario.build`), and says what the product must conclude: the ``status``, the next
``action``, words that must appear on given surfaces, and words that must appear nowhere.
The tests themselves are inherited, so every scenario is held to the same checks:

* ``test_status_and_next_action``: the first line of ``why``, and their line of ``next``;
* ``test_words``: what must be said, surface by surface, and what must not be said anywhere
  (``why``, ``next``, ``health`` and ``network`` as text);
* ``test_digest``: the same for ``digest`` (without sending);
* ``test_json``: ``health``, ``next``, ``why`` and ``network`` with ``--format json``: the same
  status and action, the same words, and no label in any record of them;
* ``test_never_labelled``: no "taker" beside their name on any text surface;
* ``test_private_note_never_printed``: a private note about them appears on no text surface;
* ``test_report``: the quarterly report (``report -o x.md``) carries no label beside their
  name, no private note, and none of the forbidden words on a line about them.

A scenario whose product behaviour contradicts the issue overrides the failing test with
``@pytest.mark.xfail(strict=True, reason=...)`` and calls ``super()``: the expectation stays.

The CLI reads the real date, so ledgers are built with relative dates (``ago(10)``) on an app
whose today is the real today too: the Python API and the CLI see the same day.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar
from unittest import mock

import pytest
import typer.main
from typer.testing import CliRunner

from mutuality.cli.main import app as cli_app
from mutuality.core.model import Exchange
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

NO_CONFIG = {"MUTUALITY_CONFIG": os.devnull}
"""An empty config file: the default settings, whatever the machine's config says."""

TEXT_SURFACES = ("why", "next", "health", "network", "digest")
JSON_SURFACES = ("why json", "next json", "health json", "network json")
SURFACES = TEXT_SURFACES + JSON_SURFACES

BOUNDARY_WORDS = (
    "over-giving",
    "pause giving",
    "say no kindly",
    "set a boundary",
    "costs you more than it returns",
    "hold back new offers",
    "stop offering",
)
"""What a tie that is not judged on its balance must never be told (issue 14)."""

LABEL = re.compile(r"\btakers?\b", re.IGNORECASE)


def ago(days: int) -> str:
    """The day ``days`` before today, as the API and the CLI both read it."""
    return (date.today() - timedelta(days=days)).isoformat()


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def on(**surfaces: Sequence[str]) -> Mapping[str, Sequence[str]]:
    """Phrases by surface: ``on(why=(...), next=(...), why_json=(...))``."""
    return MappingProxyType({key.replace("_", " "): words for key, words in surfaces.items()})


def flat(text: str) -> str:
    """Text with Rich's line wrapping undone, so that a phrase split over lines is found."""
    return " ".join(text.split())


# --- the CLI, without rebuilding Typer's command tree at every call ------------------------------


@cache
def _command() -> Any:
    return typer.main.get_command(cli_app)


class _Runner(CliRunner):
    """Typer's runner over a command tree built once: building it is most of a call's time."""

    def invoke(self, app: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        with mock.patch("typer.testing._get_command", lambda _app: _command()):
            return super().invoke(app, *args, **kwargs)


RUNNER = _Runner()


# --- a ledger ---------------------------------------------------------------------------------


class Ledger:
    """One situation's database: built through the Python API, read through the CLI."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = str(path)
        self.app = Mutuality.open(self.db, Settings(), today=date.today)
        self.notes: dict[str, Any] = {}
        """What a scenario kept while building (a verdict before a change, a draft)."""

    def close(self) -> None:
        self.app.close()

    # building

    def person(self, name: str, **details: Any) -> None:
        self.app.people.add(name, **details)

    def gave(self, name: str, what: str, *, days_ago: int, **options: Any) -> Exchange:
        return self._log(name, Direction.GAVE, what, days_ago, options)

    def got(self, name: str, what: str, *, days_ago: int, **options: Any) -> Exchange:
        return self._log(name, Direction.GOT, what, days_ago, options)

    def _log(
        self, name: str, direction: Direction, what: str, days_ago: int, options: dict[str, Any]
    ) -> Exchange:
        options.setdefault("kind", "time")
        return self.app.ledger.log(name, direction, what=what, on=ago(days_ago), **options)

    def checkin(self, name: str, *, days_ago: int = 0, **answers: Any) -> int:
        checkin, _ = self.app.checkins.record(name, on=ago(days_ago), **answers)
        return checkin.id

    def state(self, name: str, kind: str, text: str, **when: Any) -> None:
        self.app.needs.note_state(name, kind, text, **when)

    def favour(
        self,
        name: str,
        what: str,
        *,
        days_ago: int,
        benefit: float,
        cost: float,
        kind: str = "time",
    ) -> None:
        """They asked, I said yes and did it, all that day: ``ask``, decide yes, keep."""
        then = self.as_of(days_ago)
        request = then.requests.ask(name, what, benefit=benefit, cost=cost, kind=kind)
        _, commitment = then.requests.decide(request.id, "yes")
        assert commitment is not None
        then.commitments.keep(commitment.id, on=ago(days_ago))

    def strained_budget(self, name: str, what: str) -> None:
        """A monthly budget of 4 points, with a gift today that costs 6: over, whatever the
        day of the month (the giving counts toward the relationship too)."""
        self.app.capacity.set(4, "points", "month")
        self.gave(name, what, days_ago=0, kind="time", benefit=5, cost=6)

    def as_of(self, days_ago: int) -> Mutuality:
        """The same ledger as the app saw it ``days_ago`` days ago: to make a choice back then
        (an intent "until in 60 days") whose end has passed by today."""
        day = date.today() - timedelta(days=days_ago)
        return Mutuality(self.app.database, Settings(), lambda: day)

    # reading

    def cli(self, *args: str, expect: int = 0) -> str:
        result = RUNNER.invoke(cli_app, ["--db", self.db, *args], env=NO_CONFIG)
        assert result.exit_code == expect, (args, result.output)
        return result.output

    def run(self, *args: str) -> Any:
        """The raw result, whatever its exit code (for a command that may fail)."""
        return RUNNER.invoke(cli_app, ["--db", self.db, *args], env=NO_CONFIG)

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--format", "json"))


@dataclass
class Surfaces:
    """Everything the product says that concerns one person, each rendered once."""

    ledger: Ledger
    name: str
    _cache: dict[str, str] = field(default_factory=dict)

    def text(self, surface: str) -> str:
        if surface not in self._cache:
            self._cache[surface] = self._render(surface)
        return self._cache[surface]

    def _render(self, surface: str) -> str:
        ledger = self.ledger
        match surface.split():
            case ["why"]:
                return ledger.cli("why", self.name)
            case ["why", "json"]:
                return ledger.cli("why", self.name, "--format", "json")
            case [command] if command in ("next", "health", "network", "digest"):
                return ledger.cli(command)
            case [command, "json"]:
                return ledger.cli(command, "--format", "json")
            case _:
                raise ValueError(surface)

    @cached_property
    def health(self) -> dict[str, Any]:
        """Their row of ``health --format json``."""
        rows = json.loads(self.text("health json"))
        return next(row for row in rows if row["person"]["name"] == self.name)

    @cached_property
    def next_step(self) -> dict[str, Any] | None:
        """Their row of ``next --format json`` (``None`` when not among the first seven)."""
        rows = json.loads(self.text("next json"))
        return next((row for row in rows if row["person"]["name"] == self.name), None)

    @cached_property
    def verdict(self) -> tuple[str, str]:
        """Status and next action as the first line of ``why`` states them."""
        header = flat(self.text("why").split("\n  ")[0])
        found = re.fullmatch(rf"{re.escape(self.name)}: (.+), next: (.+)", header)
        assert found, header
        return found[1], found[2]

    @cached_property
    def next_line(self) -> str | None:
        """Their action as ``next`` lists it (``None`` when not among the first seven)."""
        for line in self.text("next").splitlines():
            found = re.fullmatch(rf"\d+\. {re.escape(self.name)}: (.+)", line.strip())
            if found:
                return found[1].strip()
        return None

    def everywhere(self, surfaces: Sequence[str] = SURFACES) -> Iterator[tuple[str, str]]:
        for surface in surfaces:
            yield surface, self.text(surface)

    def report(self) -> str:
        """The quarterly report in Markdown, written with ``report -o x.md``."""
        if "report" not in self._cache:
            out = self.ledger.path.with_suffix(".report.md")
            self.ledger.cli("report", "-o", str(out))
            self._cache["report"] = out.read_text(encoding="utf-8")
        return self._cache["report"]


# --- checks -----------------------------------------------------------------------------------

MEASURES = frozenset({"leaning"})
"""JSON keys that name a measured direction, not a verdict: ``why --format json`` has
``balance.leaning`` ("over-giving" when I gave more, whatever the intent), the same figure
as ``balance`` shows. The verdict is ``status``, ``action`` and their words."""


def spoken(surface: str, text: str) -> str:
    """What a surface says: a JSON document without its measured directions."""
    if not surface.endswith("json"):
        return text

    def without(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: without(v) for k, v in value.items() if k not in MEASURES}
        if isinstance(value, list):
            return [without(v) for v in value]
        return value

    return json.dumps(without(json.loads(text)), ensure_ascii=False)


def mentions(line: str, name: str) -> bool:
    """The line names them: full name, or first name (a wrapped line may split the full one)."""
    first = name.split()[0]
    return name in line or re.search(rf"\b{re.escape(first)}\b", line) is not None


def labels_beside(text: str, name: str) -> list[str]:
    """Lines where "taker" stands beside their name: the line that names them, the one before
    (a heading such as "Clearest takers:") and the one after (a wrapped sentence)."""
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        if not mentions(line, name):
            continue
        near = lines[max(index - 1, 0) : index + 2]
        found += [candidate.strip() for candidate in near if LABEL.search(candidate)]
    return found


def labels_in_json(value: Any, name: str, under_label: bool = False) -> list[str]:
    """Places in a JSON document that label them: their name under a key that says "taker",
    or a record of them (``name`` or ``person.name``) with a value that says it."""
    found: list[str] = []
    if isinstance(value, Mapping):
        person = value.get("person")
        is_them = value.get("name") == name or (
            isinstance(person, Mapping) and person.get("name") == name
        )
        for key, item in value.items():
            if is_them and isinstance(item, str) and LABEL.search(item):
                found.append(f"{key}: {item}")
            found += labels_in_json(item, name, under_label or "taker" in str(key).lower())
    elif isinstance(value, list):
        for item in value:
            found += labels_in_json(item, name, under_label)
    elif under_label and isinstance(value, str) and name in value:
        found.append(value)
    return found


class Scenario:
    """A human situation: subclass it as ``TestSomething`` and fill in what follows."""

    person: ClassVar[str]
    status: ClassVar[str]
    action: ClassVar[str]
    in_next: ClassVar[bool] = True
    """Whether they are expected among the first seven of ``next``."""
    must: ClassVar[Mapping[str, Sequence[str]]] = MappingProxyType({})
    """Surface (see :data:`SURFACES`) to phrases that must appear there (case-insensitive)."""
    must_not: ClassVar[Sequence[str]] = ()
    """Phrases that must appear on no surface (nor in the report)."""
    private: ClassVar[Sequence[str]] = ()
    """Private words (a private note) that no text surface may print."""

    def build(self, ledger: Ledger) -> None:
        raise NotImplementedError

    # the checks every scenario inherits

    def test_status_and_next_action(self, scene: Surfaces) -> None:
        assert scene.verdict == (self.status, self.action)
        if self.in_next:
            assert scene.next_line == self.action, scene.text("next")

    def test_words(self, scene: Surfaces) -> None:
        self._check_words(scene, [s for s in TEXT_SURFACES if s != "digest"])

    def test_digest(self, scene: Surfaces) -> None:
        self._check_words(scene, ["digest"])

    def test_json(self, scene: Surfaces) -> None:
        """``health``, ``next``, ``why`` and ``network`` as JSON: the same verdict, the same
        words, and no label in any record of them."""
        assert (scene.health["status"], scene.health["action"]) == (self.status, self.action)
        if self.in_next:
            assert scene.next_step is not None
            assert scene.next_step["action"] == self.action
        self._check_words(scene, JSON_SURFACES)
        in_json = {
            s: labels_in_json(json.loads(t), self.person)
            for s, t in scene.everywhere(JSON_SURFACES)
        }
        assert not {s: found for s, found in in_json.items() if found}

    def _check_words(self, scene: Surfaces, surfaces: Sequence[str]) -> None:
        missing = {
            surface: [w for w in words if w.lower() not in flat(scene.text(surface)).lower()]
            for surface, words in self.must.items()
            if surface in surfaces
        }
        assert not {s: w for s, w in missing.items() if w}, missing
        said = [
            (surface, word, _around(flat(spoken(surface, text)), word))
            for surface, text in scene.everywhere(surfaces)
            for word in self.must_not
            if word.lower() in flat(spoken(surface, text)).lower()
        ]
        assert not said, said

    def test_never_labelled(self, scene: Surfaces) -> None:
        beside = {s: labels_beside(t, self.person) for s, t in scene.everywhere(TEXT_SURFACES)}
        assert not {s: lines for s, lines in beside.items() if lines}

    def test_private_note_never_printed(self, scene: Surfaces) -> None:
        for surface, text in scene.everywhere(TEXT_SURFACES):
            for words in self.private:
                assert words.lower() not in flat(text).lower(), surface

    def test_report(self, scene: Surfaces) -> None:
        report = scene.report()
        assert labels_beside(report, self.person) == []
        for words in self.private:
            assert words.lower() not in report.lower()
        # The report speaks of many things ("overdue" commitments...): what it says of them.
        about_them = [line for line in report.splitlines() if mentions(line, self.person)]
        said = [
            (w, line) for line in about_them for w in self.must_not if w.lower() in line.lower()
        ]
        assert not said, said


def _around(text: str, word: str, width: int = 80) -> str:
    """The words around a phrase found where it must not be, for the failure message."""
    at = text.lower().index(word.lower())
    return text[max(at - width, 0) : at + len(word) + width]


@pytest.fixture(scope="class")
def scene(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The class's situation, built once: its surfaces for the person it is about."""
    scenario: Scenario = request.cls()
    ledger = Ledger(tmp_path_factory.mktemp(request.cls.__name__) / "ledger.db")
    try:
        scenario.build(ledger)
        yield Surfaces(ledger, scenario.person)
    finally:
        ledger.close()
