"""``mutuality board ...`` and ``mutuality team report`` end to end through Typer's runner
on PostgreSQL: post, list, answer, accept, record, confirm, met, thank and the wall; a
stale ``--version`` exits 2 saying what changed; a member is refused the organiser's
report.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import TODAY
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")

runner = CliRunner()
PASSWORD = "a long password!"


@pytest.fixture
def url(pg_url: str) -> Iterator[str]:  # noqa: F811
    """A community: Ana organises, Bo and Cy are members."""
    with Mutuality.open(pg_url, Settings(), today=lambda: TODAY) as server:
        team = server.team
        ana = team.join(team.init("Circle", "ana@example.org", "Ana Lima").token, PASSWORD)
        for email, name in (("bo@example.org", "Bo Chen"), ("cy@example.org", "Cy Diaz")):
            team.join(team.invite(ana.id, email, name=name).token, PASSWORD)
        team.close()
    yield pg_url


def ok(url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", url])
    assert result.exit_code == 0, result.output
    return result.output


def refused(url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", url])
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def as_json(url: str, *args: str) -> object:
    return json.loads(ok(url, *args, "--format", "json"))


def test_the_board_from_the_command_line(url: str) -> None:
    post = as_json(
        url,
        "board",
        "post",
        "ask",
        "A review of my pitch deck",
        "--tag",
        "fundraising",
        "--as",
        "bo@example.org",
    )
    assert isinstance(post, dict)
    number = str(post["id"])
    assert "A review of my pitch deck" in ok(url, "board", "list", "--as", "cy@example.org")
    ok(url, "board", "post", "offer", "Pitch deck reviews", "--as", "cy@example.org")
    helpers = ok(url, "board", "suggest", "--post", number, "--as", "bo@example.org")
    assert "Matched by meaning." in helpers and "Cy Diaz offers" in helpers
    assert "in meaning; shared words: review, pitch deck)" in helpers
    ok(url, "board", "answer", number, "I raised a seed round", "--as", "cy@example.org")
    mine = as_json(url, "board", "list", "--mine", "--as", "bo@example.org")
    assert isinstance(mine, list)
    answer = str(mine[0]["answers"][0]["id"])
    # An answer leaves the post at version 1; the accept makes it 2.
    ok(url, "board", "accept", number, answer, "--as", "bo@example.org", "--version", "1")
    stale = refused(url, "board", "met", number, "--as", "bo@example.org", "--version", "1")
    assert "version 1, now 2" in stale and "accepted an answer" in stale
    recorded = ok(url, "board", "record", answer, "--cost", "3", "--as", "cy@example.org")
    assert "waits for Bo Chen" in " ".join(recorded.split())
    waiting = as_json(url, "team", "confirmations", "--as", "bo@example.org")
    assert isinstance(waiting, dict)
    confirmation = str(waiting["to_confirm"][0]["id"])
    ok(url, "team", "confirm", confirmation, "--benefit", "8", "--as", "bo@example.org")
    ok(url, "board", "met", number, "--as", "bo@example.org")
    short = refused(url, "board", "thank", answer, "thanks", "--as", "bo@example.org")
    assert "say what they did" in short
    words = "Cy found the gap in my revenue slide"
    ok(url, "board", "thank", answer, words, "--as", "bo@example.org")
    wall = ok(url, "board", "wall", "--as", "ana@example.org")
    assert "Bo Chen thanks Cy Diaz: Cy found the gap in my revenue slide" in wall


def test_the_organisers_report_and_a_member_refused(url: str) -> None:
    report = ok(url, "team", "report", "--as", "ana@example.org")
    assert "3 members" in report and "fewer than 5 members: not shown" in report
    data = as_json(url, "team", "report", "--as", "ana@example.org")
    assert isinstance(data, dict) and data["asks_posted"] is None
    assert "no community report" in refused(url, "team", "report", "--as", "bo@example.org")
