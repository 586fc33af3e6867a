"""Ledger commands on a community's server (team mode): the server's own connection sees
every member's ledger at once, so a ledger command works in one member's private ledger,
named with ``--member``, or is refused before it reads or writes anything; the team
commands and ``serve`` work on the community as a whole.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import pytest
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
runner = CliRunner()
PASSWORD = "a long enough password"


@pytest.fixture
def circle(pg_url: str) -> str:  # noqa: F811
    """Ana organises; Bo is a member; each keeps one person of their own."""
    with Mutuality.open(pg_url, Settings()) as server:
        team = server.team
        ana = team.join(team.init("Circle", "ana@example.org", "Ana Lima").token, PASSWORD)
        bo = team.join(team.invite(ana.id, "bo@example.org").token, PASSWORD, "Bo Chen")
        team.ledger(ana.id).people.add("Priya Nair", private_note="Ana's note about Priya")
        team.ledger(bo.id).people.add("Cai Wu", private_note="Bo's note about Cai")
        team.close()
    return pg_url


def run(url: str, *args: str):
    return runner.invoke(app, ["--db", url, *args])


def test_a_ledger_command_without_a_member_is_refused_and_shows_nothing(circle: str) -> None:
    listed = run(circle, "person", "list")
    assert listed.exit_code == 2
    message = " ".join(listed.output.split())
    assert "this database holds a community" in message and "--member EMAIL" in message
    assert "Priya" not in listed.output and "Cai" not in listed.output
    added = run(circle, "person", "add", "Nobody Here")
    assert added.exit_code == 2
    with Mutuality.open(circle, Settings()) as server:
        assert not any(
            person.name == "Nobody Here"
            for member in server.team.members()
            for person in server.team.ledger(member.id).people.list()
        )
        server.team.close()


def test_member_works_in_that_members_ledger_alone(circle: str) -> None:
    bo = run(circle, "--member", "bo@example.org", "person", "list")
    assert bo.exit_code == 0, bo.output
    assert "Cai Wu" in bo.output and "Priya" not in bo.output
    added = run(circle, "--member", "Bo@Example.org", "person", "add", "Dee Okafor")
    assert added.exit_code == 0, added.output
    ana = run(circle, "--member", "ana@example.org", "person", "list")
    assert "Priya Nair" in ana.output and "Dee Okafor" not in ana.output and "Cai" not in ana.output


def test_mistakes_with_member_exit_2_naming_it(circle: str, tmp_path) -> None:
    unknown = run(circle, "--member", "eve@example.org", "person", "list")
    assert unknown.exit_code == 2 and "no member of this community has that email" in unknown.output
    team = run(circle, "--member", "bo@example.org", "team", "members")
    assert team.exit_code == 2 and "team commands take --as" in " ".join(team.output.split())
    single = run(str(tmp_path / "mine.db"), "--member", "bo@example.org", "person", "list")
    assert single.exit_code == 2 and "holds no community" in " ".join(single.output.split())


def test_the_team_commands_still_work_on_the_whole_community(circle: str) -> None:
    members = run(circle, "team", "members")
    assert members.exit_code == 0, members.output
    assert "Ana Lima" in members.output and "Bo Chen" in members.output


def test_a_member_exports_their_own_ledger(circle: str, tmp_path) -> None:
    saved = tmp_path / "bo.json"
    done = run(circle, "--member", "bo@example.org", "export", str(saved))
    assert done.exit_code == 0, done.output
    text = saved.read_text()
    assert "Cai Wu" in text and "Bo's note about Cai" in text
    assert "Priya" not in text and "Ana's note" not in text
