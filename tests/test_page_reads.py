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


def test_on_sqlite_a_page_takes_short_reads_a_writer_never_waits_a_page_for(
    populated: Mutuality, transactions: Counter[str]
) -> None:
    """On SQLite a read holds a lock a committing writer waits for: each service reads on
    its own, briefly, and the page still shows the write just made."""
    shown = _after_a_write(populated, transactions, populated.overview.dashboard)
    assert transactions["reads"] > 1
    assert shown.recent[0].exchange.description == "Read her draft"


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
        for page in (lambda: ledger.todo.list(20), lambda: ledger.overview.people(limit=50)):
            transactions.clear()
            page()
            assert transactions["reads"] == 1
        team.close()
