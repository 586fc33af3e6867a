"""``mutuality team ring ...`` end to end through Typer's runner on PostgreSQL: the
organiser opens a session, two members join and ask (a vague ask gets hints and is kept),
one offers help and one an introduction, the organiser presents and closes, and each
summary says what became of the offers; a member cannot open or close one (exit 2).

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
    """Ana organises; Bo and Cy are members; Cy knows Dee Okafor."""
    with Mutuality.open(pg_url, Settings()) as server:
        team = server.team
        ana = team.join(team.init("Circle", "ana@example.org", "Ana Lima").token, PASSWORD)
        team.join(team.invite(ana.id, "bo@example.org").token, PASSWORD, "Bo Chen")
        cy = team.join(team.invite(ana.id, "cy@example.org").token, PASSWORD, "Cy Park")
        team.ledger(cy.id).people.add("Dee Okafor")
        team.close()
    return pg_url


def ring(url: str, *args: str) -> str:
    return ok(url, "ring", *args)


def test_a_ring_from_the_command_line(circle: str) -> None:
    opened = ring(
        circle, "open", "Spring ring", "--as", "ana@example.org", "--when", "2027-03-01 18:00"
    )
    assert "#1 Spring ring, 2027-03-01 18:00 (open, 1 taking part)" in opened
    for who in ("bo", "cy"):
        ring(circle, "join", "1", "--as", f"{who}@example.org")
    vague = ring(circle, "ask", "1", "a designer", "--as", "bo@example.org")
    assert "Hint (time-bound)" in vague and "Hint (action-oriented)" in vague
    ring(
        circle,
        "ask",
        "1",
        "I need a designer to review our landing page by Friday, so that we launch on time",
        "--as",
        "bo@example.org",
    )
    shown = json.loads(ring(circle, "show", "1", "--as", "cy@example.org", "--format", "json"))
    [bo_ask] = shown["asks"]
    assert bo_ask["text"].startswith("I need a designer") and bo_ask["hints"] == []
    number = str(bo_ask["id"])
    ring(circle, "offer", "1", number, "I can review it Thursday", "--as", "cy@example.org")
    ring(
        circle, "offer", "1", number, "Dee designs", "--as", "cy@example.org", "--introduce", "Dee"
    )
    assert "(presenting now)" in ring(circle, "present", "1", number, "--as", "ana@example.org")
    assert "only the organiser" in refused(circle, "ring", "close", "1", "--as", "bo@example.org")
    assert "only an organiser" in refused(circle, "ring", "open", "x", "--as", "bo@example.org")
    ring(circle, "close", "1", "--as", "ana@example.org")
    mine = json.loads(ring(circle, "summary", "1", "--as", "bo@example.org", "--format", "json"))
    assert [(line["who"], line["outcome"]) for line in mine["offered_me"]] == [
        ("Cy Park", "a commitment in both ledgers"),
        ("Cy Park", "an introduction to Dee Okafor, proposed"),
    ]
    cy = ring(circle, "summary", "1", "--as", "cy@example.org")
    assert "to Bo Chen: I can review it Thursday (a commitment in both ledgers)" in cy
    assert "no such ring session" in refused(circle, "ring", "show", "9", "--as", "bo@example.org")
