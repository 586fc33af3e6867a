"""Shared fixtures: an empty app, a small populated app, and a ledger stated as text.

Two tiers:

* ``app``: an empty :class:`Mutuality` on a temporary SQLite file, with default
  settings and a fixed today (2026-11-23), closed after the test;
* ``populated``: the same app holding four people and a handful of exchanges
  (see :data:`POPULATED_LEDGER`).

``ledger`` lets a test state exchanges as text, one per line (after beancount's
``load_doc``)::

    ledger('''
    gave Ana knowledge 2026-10-01 benefit=4 cost=1 "Reviewed her deck"
    got  Ana introduction 2026-11-01 benefit=6 cost=1 "Intro to Bo"
    ''')

Each line is ``gave|got PERSON KIND DATE [key=value ...] "DESCRIPTION"`` where
PERSON is quoted when it has spaces and the options are ``benefit``, ``cost``,
``by`` (estimated by), ``tags`` (comma-separated), ``outcome``, ``note``,
``initiated`` (who reached out first: ``me`` or ``them``) and ``hours`` (the giver's time).

A contact with nothing of value exchanged is ``touch PERSON DATE [key=value ...]``
with the options ``initiated`` (``me`` or ``them``), ``channel`` and ``note``::

    ledger('''
    touch Ana 2026-11-20 initiated=them channel=call
    ''')

People are added on first mention; ``#`` starts a comment. ``ledger`` returns the
exchanges logged (touches are logged but not returned).
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import inspect, text

from mutuality.core.model import Exchange
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

TODAY = date(2026, 11, 23)

# Generated data can be slow to produce on a busy machine; that is not a failure of the
# property under test. No per-example deadline either: timings are not behaviour.
settings.register_profile("mutuality", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("mutuality")


def open_app(path: Path | str, settings: Settings | None = None, today: date = TODAY) -> Mutuality:
    """Open (creating) an app on ``path`` with a fixed today."""
    return Mutuality.open(str(path), settings or Settings(), today=lambda: today)


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Mutuality]:
    """An empty app on a fresh SQLite file (no owner, no people yet).

    When the test also asks for ``populated``, the file starts as a copy of the populated
    template instead (built once per session through the services), which is much faster
    than logging the same exchanges again for every test.
    """
    path = tmp_path / "t.db"
    if "populated" in request.fixturenames:
        template: Path = request.getfixturevalue("populated_template")
        shutil.copyfile(template, path)
        path.chmod(0o600)
    opened = open_app(path)
    try:
        yield opened
    finally:
        opened.close()


# --- the ledger as text -------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    direction: Direction
    person: str
    kind: str
    on: str
    what: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TouchLine:
    person: str
    on: str
    options: dict[str, Any] = field(default_factory=dict)


_OPTIONS = {"benefit", "cost", "by", "tags", "outcome", "note", "initiated", "hours"}
_TOUCH_OPTIONS = {"initiated", "channel", "note"}


def _options(number: int, tokens: list[str], allowed: set[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep or key not in allowed:
            raise ValueError(f"ledger line {number}: bad option {token!r}")
        if key in {"benefit", "cost", "hours"}:
            options[key] = float(value)
        elif key == "tags":
            options[key] = tuple(t for t in value.split(",") if t)
        else:
            options[key] = value
    return options


def parse_ledger(source: str) -> list[LedgerLine | TouchLine]:
    """Read the ledger text format described in this module's docstring."""
    lines: list[LedgerLine | TouchLine] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        tokens = shlex.split(raw, comments=True)
        if not tokens:
            continue
        if tokens[0] == "touch":
            if len(tokens) < 3:
                raise ValueError(f"ledger line {number}: expected touch PERSON DATE: {raw!r}")
            _, person, on, *option_tokens = tokens
            lines.append(TouchLine(person, on, _options(number, option_tokens, _TOUCH_OPTIONS)))
            continue
        if len(tokens) < 5:
            raise ValueError(f"ledger line {number}: expected at least 5 fields: {raw!r}")
        direction, person, kind, on, *rest = tokens
        *option_tokens, what = rest
        options = _options(number, option_tokens, _OPTIONS)
        lines.append(LedgerLine(Direction(direction), person, kind, on, what, options))
    return lines


def load_ledger(app: Mutuality, source: str) -> list[Exchange]:
    """Log every line of ``source`` through the ledger service; add unknown people first."""
    known = {person.name for person in app.people.list()}
    logged = []
    for line in parse_ledger(source):
        if line.person not in known:
            app.people.add(line.person)
            known.add(line.person)
        options = dict(line.options)
        if isinstance(line, TouchLine):
            app.ledger.touch(
                line.person,
                on=line.on,
                initiated_by=options.pop("initiated", None),
                channel=options.pop("channel", "other"),
                private_note=options.pop("note", None),
            )
            continue
        logged.append(
            app.ledger.log(
                line.person,
                line.direction,
                kind=line.kind,
                what=line.what,
                on=line.on,
                benefit=options.pop("benefit", None),
                cost=options.pop("cost", None),
                estimated_by=options.pop("by", None),
                tags=options.pop("tags", ()),
                outcome=options.pop("outcome", None),
                private_note=options.pop("note", None),
                initiated_by=options.pop("initiated", None),
                hours=options.pop("hours", None),
            )
        )
    return logged


@pytest.fixture
def ledger(app: Mutuality) -> Callable[[str], list[Exchange]]:
    """``ledger(text)`` logs the exchanges stated in ``text`` into ``app``."""
    return lambda source: load_ledger(app, source)


# --- the populated tier ---------------------------------------------------------------------------

POPULATED_LEDGER = """
# Ana: I gave 4 (cost 1), she gave 6 (cost 1)
gave "Ana Lima"     knowledge    2026-10-01 benefit=4 cost=1 tags=design "Reviewed her deck"
got  "Ana Lima"     introduction 2026-11-01 benefit=6 cost=1 "Intro to Bo"
# Bo: only giving, three days ago
gave "Bo Chen"      time         2026-11-20 benefit=3 cost=3 "Helped him move"
# José: one exchange exactly one default half-life (180 days) ago
got  "José Álvarez" feedback     2026-05-27 benefit=4 cost=2 "Feedback on my talk"
"""


def populate(app: Mutuality) -> Mutuality:
    app.people.add(
        "Ana Lima",
        emails=("ana@example.org",),
        phones=("+351 912 345 678",),
        tags=("Lisbon", "design"),
        organisation="Studio Lima",
        title="Designer",
        private_note="prefers mornings",
        context="friend",
    )
    app.people.add("Bo Chen", emails=("bo@example.com",), tags=("investor",), context="colleague")
    app.people.add("José Álvarez", tags=("lisbon",))
    app.people.add("Dana Smith")
    load_ledger(app, POPULATED_LEDGER)
    return app


@pytest.fixture(scope="session")
def populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "populated.db"
    with open_app(path) as app:
        populate(app)
    return path


@pytest.fixture
def populated(app: Mutuality) -> Mutuality:
    """``app`` holding Ana Lima, Bo Chen, José Álvarez, Dana Smith (no exchanges) and
    the exchanges of :data:`POPULATED_LEDGER` (see :func:`populate`)."""
    assert app.people.count() == 4, "app was not started from the populated template"
    return app


# --- looking at the database ----------------------------------------------------------------------


def table_counts(app: Mutuality) -> dict[str, int]:
    """Row count of every table in the database (alembic_version included)."""
    with app.database.engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in names
        }


def owner_id(app: Mutuality) -> int:
    return next(p["id"] for p in app.backups.snapshot()["people"] if p["is_owner"])


# --- the web app ------------------------------------------------------------------------------


@pytest.fixture
def web(app: Mutuality) -> Iterator[Any]:
    """A test client over ``app`` (https://testserver), not signed in."""
    from web_helpers import web_client

    with web_client(app) as client:
        yield client


@pytest.fixture
def client(populated: Mutuality, web: Any) -> Any:
    """The test client over the populated app, signed in (see ``tests/web_helpers.py``)."""
    from web_helpers import sign_in

    return sign_in(web, populated)


@pytest.fixture
def anonymous(app: Mutuality) -> Iterator[Any]:
    """Another client over the same app, never signed in."""
    from web_helpers import web_client

    with web_client(app) as other:
        yield other
