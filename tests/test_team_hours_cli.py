"""``mutuality team hours ...`` end to end through Typer's runner on PostgreSQL: the
organiser keeps hours with a limit, a member gives hours, the other confirms, each balance
shows given and received apart; a member cannot set the time bank up, and a confirmation
past the limit is refused (exit 2).

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import json

import pytest
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)
from test_team_cli import ok, refused

from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
PASSWORD = "a long enough password"


@pytest.fixture
def circle(pg_url: str) -> str:  # noqa: F811
    with Mutuality.open(pg_url, Settings()) as server:
        team = server.team
        ana = team.join(team.init("Circle", "ana@example.org", "Ana Lima").token, PASSWORD)
        team.join(team.invite(ana.id, "bo@example.org").token, PASSWORD, "Bo Chen")
        team.join(team.invite(ana.id, "cy@example.org").token, PASSWORD, "Cy Park")
        team.close()
    return pg_url


def test_hours_from_the_command_line(circle: str) -> None:
    assert "only an organiser" in refused(circle, "hours", "setup", "--as", "bo@example.org")
    assert "down to -2" in ok(circle, "hours", "setup", "--as", "ana@example.org", "--floor", "2")
    given = ok(
        circle, "hours", "give", "cy@example.org", "1.5", "Fixed a bike", "--as", "bo@example.org"
    )
    assert "you gave Cy Park 1.5 h: Fixed a bike (waiting for the receiver)" in given
    waiting = ok(circle, "hours", "balance", "--as", "cy@example.org")
    assert "Bo Chen gave you 1.5 h" in waiting and "hours confirm 1 --as" in waiting
    ok(circle, "hours", "confirm", "1", "--as", "cy@example.org")
    bo = json.loads(ok(circle, "hours", "balance", "--as", "bo@example.org", "--format", "json"))
    assert (bo["given"], bo["received"], bo["balance"]) == (1.5, 0, 1.5)
    ok(circle, "hours", "give", "cy@example.org", "1", "Lunch", "--as", "ana@example.org")
    assert "past the community's limit of -2" in refused(
        circle, "hours", "confirm", "2", "--as", "cy@example.org"
    )
    assert "fewer than 5 members" in ok(circle, "hours", "overview", "--as", "ana@example.org")
    assert "no such page" in refused(circle, "hours", "overview", "--as", "bo@example.org")
