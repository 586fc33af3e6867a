"""``mutuality team introduce | intros | intro-answer | intro-withdraw`` end to end through
Typer's runner on PostgreSQL: the introducer shares an introduction, a member answers from
their own account, someone without an account gets a private link; bad input exits 2 with
a message naming what was wrong.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import json
import re

import pytest
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)
from test_team_cli import ok, refused

from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
PASSWORD = "a long enough password"


@pytest.fixture
def circle(pg_url: str) -> str:  # noqa: F811
    """Ana organises; Bo is a member she links; Dee is only in her ledger. Ana proposes
    introducing Bo and Dee (introduction #1 of her ledger)."""
    with Mutuality.open(pg_url, Settings()) as server:
        team = server.team
        ana = team.join(team.init("Circle", "ana@example.org", "Ana Lima").token, PASSWORD)
        bo = team.join(team.invite(ana.id, "bo@example.org").token, PASSWORD, "Bo Chen")
        ledger = team.ledger(ana.id)
        ledger.people.add("Bo Chen", emails=("bo@example.org",))
        ledger.people.add("Dee Okafor")
        team.confirmations.link(ana.id, "Bo Chen", bo.id)
        ledger.introductions.propose("Bo Chen", "Dee Okafor", reason="Both run repair cafes")
        team.close()
    return pg_url


def test_share_answer_and_list(circle: str) -> None:
    shared = ok(
        circle, "introduce", "1", "--as", "ana@example.org", "--base-url", "https://c.example.org"
    )
    assert "#1 Bo Chen and Dee Okafor, introduced by you: asking" in shared
    assert re.search(r"^https://c\.example\.org/i/[A-Za-z0-9_-]{43}$", shared, flags=re.M)
    assert "For Dee Okafor, who is not a member" in " ".join(shared.split())
    asked = ok(circle, "intros", "--as", "bo@example.org")
    assert "introduced by Ana Lima: asking" in asked and "Both run repair cafes" in asked
    answered = ok(circle, "intro-answer", "1", "yes", "--as", "bo@example.org", "--note", "Gladly")
    assert 'Bo Chen: said yes ("Gladly")' in answered
    listed = json.loads(ok(circle, "intros", "--as", "ana@example.org", "--format", "json"))
    assert [(i["id"], i["status"], i["a"]["answer"], i["b"]["answer"]) for i in listed] == [
        (1, "asking", "yes", "asked")
    ]


def test_mistakes_exit_2_naming_what_was_wrong(circle: str) -> None:
    ok(circle, "introduce", "1", "--as", "ana@example.org")
    assert "answer yes or no, not 'maybe'" in refused(
        circle, "intro-answer", "1", "maybe", "--as", "bo@example.org"
    )
    assert "no such introduction" in refused(
        circle, "intro-answer", "7", "yes", "--as", "bo@example.org"
    )
    assert "the two people you introduce answer it" in refused(
        circle, "intro-answer", "1", "yes", "--as", "ana@example.org"
    )
    assert "changed since you saw it" in refused(
        circle, "intro-answer", "1", "yes", "--as", "bo@example.org", "--version", "1"
    )
    withdrawn = ok(circle, "intro-withdraw", "1", "--as", "ana@example.org")
    assert ": withdrawn" in withdrawn
