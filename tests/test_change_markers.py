"""Kept figures on PostgreSQL follow every write at once (schema 0014): another process's
write (a second web worker, the CLI) is seen by the next read, not up to 30 seconds later;
one member's writes leave another member's kept figures alone; a failed write moves nothing.

Runs against the server ``MUTUALITY_TEST_PG`` names, in a database of its own per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import TODAY
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture, one definition)

from mutuality.core.errors import MutualityError
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def two_processes(pg_url: str) -> Iterator[tuple[Mutuality, Mutuality]]:  # noqa: F811
    """Two apps over one database, as two web workers (or the web app and the CLI) are."""
    settings = Settings(owner_name="Samira Haddad")
    with (
        Mutuality.open(pg_url, settings, today=lambda: TODAY) as first,
        Mutuality.open(pg_url, settings, today=lambda: TODAY) as second,
    ):
        yield first, second


def test_a_write_by_another_process_is_seen_by_the_next_read(
    two_processes: tuple[Mutuality, Mutuality],
) -> None:
    first, second = two_processes
    first.people.add("Ana Lima")
    first.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Read her draft")
    assert len(first.ledger.recent()) == 1  # kept by the first app until the next write
    second.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Mock interview")
    assert [item[0].description for item in first.ledger.recent()] == [
        "Mock interview",
        "Read her draft",
    ]
    second.people.add("Bo Chen")
    names = sorted(item.person.name for item in first.health.relationships())
    assert names == ["Ana Lima", "Bo Chen"]


def test_kept_figures_are_reused_while_nothing_is_written(
    two_processes: tuple[Mutuality, Mutuality],
) -> None:
    first, second = two_processes
    first.people.add("Ana Lima")
    first.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Read her draft")
    kept = first.ledger.recent()
    assert len(second.ledger.recent()) == 1  # reading in another process moves nothing
    assert first.ledger.recent() is kept


def test_a_failed_write_moves_no_marker(two_processes: tuple[Mutuality, Mutuality]) -> None:
    first, _ = two_processes
    first.people.add("Ana Lima")
    marker = first.database.change_marker()
    with pytest.raises(MutualityError):
        first.ledger.log("Nobody Here", Direction.GAVE, kind="knowledge", what="Nothing")
    assert first.database.change_marker() == marker
    first.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Read her draft")
    assert first.database.change_marker() != marker


def test_one_members_write_leaves_anothers_marker_alone(pg_url: str) -> None:  # noqa: F811
    with Mutuality.open(pg_url, Settings(), today=lambda: TODAY) as server:
        team = server.team
        organiser = team.join(team.init("Circle", "olu@example.org", "Olu Ade").token, PASSWORD)
        member = team.join(team.invite(organiser.id, "bo@example.org", name="Bo").token, PASSWORD)
        olu, bo = team.ledger(organiser.id), team.ledger(member.id)
        olu.people.add("Ana Lima")
        bo.people.add("Cai Wu")
        bo_marker = bo.database.change_marker()
        olu_marker = olu.database.change_marker()
        olu.ledger.log("Ana Lima", Direction.GAVE, kind="knowledge", what="Read her draft")
        assert bo.database.change_marker() == bo_marker
        assert olu.database.change_marker() != olu_marker
        # the server's own connection sees every ledger, so any member's write moves its marker
        whole = server.database.change_marker()
        bo.ledger.log("Cai Wu", Direction.GOT, kind="knowledge", what="Coffee")
        assert server.database.change_marker() != whole
        team.close()
