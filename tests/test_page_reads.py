"""A page gathered from several services reads in one transaction (``in_one_read``): one
consistent state, the change marker asked once, and on a server the member's ledger entered
once (each service's own transaction cost round trips on every page before)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from conftest import TODAY
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture, one definition)

from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings
from mutuality.store import database as store


@pytest.fixture
def transactions(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the transactions begun at the top (not joined) and the change markers asked."""
    counted: Counter[str] = Counter()
    read, ask = store.Database.read, store.Database._ask_marker

    @contextmanager
    def counting_read(self: store.Database) -> Iterator[Any]:
        if self._active.get() is None and self._reading.get() is None:
            counted["reads"] += 1
        with read(self) as session:
            yield session

    def counting_ask(self: store.Database) -> object:
        counted["markers"] += 1
        return ask(self)

    monkeypatch.setattr(store.Database, "read", counting_read)
    monkeypatch.setattr(store.Database, "_ask_marker", counting_ask)
    return counted


def _after_a_write(app: Mutuality, counted: Counter[str], page: Any) -> Any:
    app.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Read her draft")
    counted.clear()
    return page()


def test_the_dashboard_after_a_write_is_one_read(
    populated: Mutuality, transactions: Counter[str]
) -> None:
    shown = _after_a_write(populated, transactions, populated.overview.dashboard)
    assert transactions["reads"] == 1
    assert transactions["markers"] <= 1
    assert shown.recent[0].exchange.description == "Read her draft"


def test_the_to_do_list_and_the_people_list_are_one_read_each(
    populated: Mutuality, transactions: Counter[str]
) -> None:
    _after_a_write(populated, transactions, lambda: populated.todo.list(20))
    assert transactions["reads"] == 1
    transactions.clear()
    listed = populated.overview.people(limit=50)
    assert transactions["reads"] == 1
    assert "Ana Lima" in {item.person.name for item in listed.items}


needs_server = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")


@needs_server
def test_a_members_dashboard_enters_the_ledger_once(
    pg_url: str,  # noqa: F811
    transactions: Counter[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entered: list[int] = []
    enter = store.enter_ledger

    def counting_enter(connection: Any, ledger: int) -> None:
        entered.append(ledger)
        enter(connection, ledger)

    monkeypatch.setattr(store, "enter_ledger", counting_enter)
    with Mutuality.open(pg_url, Settings(), today=lambda: TODAY) as server:
        team = server.team
        invite = team.init("Riverside", "olu@example.org", "Olu Ade")
        organiser = team.join(invite.token, "correct horse battery staple")
        ledger = team.ledger(organiser.id)
        ledger.people.add("Ana Lima")

        def dashboard() -> Any:
            entered.clear()  # the write entered it too
            return ledger.overview.dashboard()

        shown = _after_a_write(ledger, transactions, dashboard)
        assert shown.recent[0].exchange.description == "Read her draft"
        assert transactions["reads"] == 1
        assert transactions["markers"] == 0  # asked inside the read, with its first statement
        assert entered == [ledger.database.ledger]
        team.close()
