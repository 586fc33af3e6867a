"""Time-bank hours in team mode (issue #20): an organiser chooses hours as the community's
currency with a limit below zero; a member logs hours given, which count only once the
receiver confirms; given and received are kept apart; the limit is enforced under a row
lock, even for confirmations at once; each member sees only their own account and
transfers; the organiser sees aggregates over at least five members only.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
import pytest
from test_postgres import race
from test_team import (
    clock,  # noqa: F401 (a fixture)
    founded,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    team,  # noqa: F401 (a fixture)
)
from test_team import pytestmark as needs_server

from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.services.hours import FORMER_MEMBER, ONE_GAVE_MOST
from mutuality.services.team import Member, TeamService

pytestmark = needs_server
PASSWORD = "a long enough password"


def joined(team: TeamService, organiser: Member, *names: str) -> list[Member]:
    return [
        team.join(
            team.invite(organiser.id, f"{name.split()[0].lower()}@example.org").token,
            PASSWORD,
            name,
        )
        for name in names
    ]


def test_hours_count_once_the_receiver_confirms(team: TeamService) -> None:
    ana, bo = founded(team)
    [cy] = joined(team, ana, "Cy Park")
    with pytest.raises(Conflict, match="does not keep time-bank hours"):
        team.hours.give(bo.id, cy.id, 2, "Fixed a bike")
    with pytest.raises(Forbidden):
        team.hours.configure(bo.id, True)
    assert team.hours.configure(ana.id, True, floor_hours=3).floor_hours == 3
    given = team.hours.give(bo.id, cy.id, 1.5, "Fixed a bike")
    assert given.state == "pending" and given.i_gave and given.other == "Cy Park"
    assert team.hours.account(bo.id).given == 0  # not before Cy confirms
    with pytest.raises(Conflict, match="received the hours confirms"):
        team.hours.confirm(bo.id, given.id)
    assert [t.id for t in team.hours.account(cy.id).waiting] == [given.id]
    team.hours.confirm(cy.id, given.id)
    bo_account, cy_account = team.hours.account(bo.id), team.hours.account(cy.id)
    assert (bo_account.given, bo_account.received, bo_account.balance) == (1.5, 0, 1.5)
    assert (cy_account.given, cy_account.received, cy_account.balance) == (0, 1.5, -1.5)
    with pytest.raises(Conflict, match="confirmed already"):
        team.hours.confirm(cy.id, given.id)
    # a decline or a withdrawal never counts, and stays on the statement
    declined = team.hours.decline(bo.id, team.hours.give(cy.id, bo.id, 1, "Lunch").id)
    withdrawn = team.hours.withdraw(bo.id, team.hours.give(bo.id, cy.id, 2, "Oops").id)
    assert (declined.state, withdrawn.state) == ("declined", "withdrawn")
    assert team.hours.account(bo.id).balance == 1.5
    assert [t.state for t in team.hours.account(cy.id).statement].count("pending") == 0
    # Ana is no side of these: each is "not found" to her
    for call in (team.hours.confirm, team.hours.decline, team.hours.withdraw):
        with pytest.raises(NotFound):
            call(ana.id, given.id)
    assert team.hours.account(ana.id).statement == []
    with pytest.raises(InvalidInput):
        team.hours.give(bo.id, cy.id, 0, "nothing")
    with pytest.raises(InvalidInput):
        team.hours.give(bo.id, bo.id, 1, "myself")


def test_the_limit_below_zero_holds_even_at_once(team: TeamService) -> None:
    ana, bo = founded(team)
    [cy, dee] = joined(team, ana, "Cy Park", "Dee Okafor")
    team.hours.configure(ana.id, True, floor_hours=2)
    first = team.hours.give(bo.id, cy.id, 1.5, "Moved a sofa")
    second = team.hours.give(dee.id, cy.id, 1.5, "Taught a song")
    results = race(
        [lambda: team.hours.confirm(cy.id, first.id), lambda: team.hours.confirm(cy.id, second.id)]
    )
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 1 and "past the community's limit of -2" in refused[0].message
    assert team.hours.account(cy.id).balance == -1.5
    team.hours.configure(ana.id, True, floor_hours=5)  # the organiser lets it go further
    left = next(t for t in team.hours.account(cy.id).waiting)
    team.hours.confirm(cy.id, left.id)
    assert team.hours.account(cy.id).balance == -3


def test_the_organiser_sees_aggregates_over_five_members_only(team: TeamService) -> None:
    ana, bo = founded(team)
    others = joined(team, ana, "Cy Park", "Dee Okafor", "Eve Ng", "Fay Ruiz")
    team.hours.configure(ana.id, True)
    with pytest.raises(NotFound):
        team.hours.overview(bo.id)
    team.hours.confirm(others[0].id, team.hours.give(bo.id, others[0].id, 2, "a").id)
    team.hours.confirm(others[1].id, team.hours.give(others[2].id, others[1].id, 1, "b").id)
    few = team.hours.overview(ana.id)
    assert few.hours_exchanged is None and few.note == "fewer than 5 members: not shown"
    team.hours.give(others[3].id, bo.id, 0.5, "c")  # waiting: Fay takes part too
    seen = team.hours.overview(ana.id)
    assert (seen.members_taking_part, seen.hours_exchanged) == (5, None)  # Bo gave 2 of 3
    assert seen.note == ONE_GAVE_MOST
    assert (seen.transfers_confirmed, seen.transfers_waiting, seen.members_below_zero) == (2, 1, 2)
    team.hours.confirm(bo.id, team.hours.give(others[0].id, bo.id, 1.5, "d").id)
    even = team.hours.overview(ana.id)  # Bo 2, Eve 1, Cy 1.5 of 4.5; Cy and Dee below zero
    assert (even.hours_exchanged, even.note, even.members_below_zero) == (4.5, None, 2)


def test_leaving_keeps_the_others_statement(team: TeamService) -> None:
    ana, bo = founded(team)
    [cy] = joined(team, ana, "Cy Park")
    team.hours.configure(ana.id, True)
    team.hours.confirm(cy.id, team.hours.give(bo.id, cy.id, 2, "Painted a fence").id)
    waiting = team.hours.give(cy.id, bo.id, 1, "Baked bread")
    team.remove(ana.id, cy.id)
    statement = team.hours.account(bo.id).statement
    assert {(t.other, t.state) for t in statement} == {
        (FORMER_MEMBER, "confirmed"),
        (FORMER_MEMBER, "withdrawn"),
    }
    assert any(t.id == waiting.id for t in statement)
    assert team.hours.account(bo.id).given == 2
