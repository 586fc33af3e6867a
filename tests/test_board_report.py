"""The organiser's view (issue #20): aggregates of the board checked against a community
computed by hand, the minimum group size, the names of stretched members only where they
chose it, and members refused.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
from datetime import datetime, timedelta

import pytest
from conftest import TODAY
from test_team import (
    Clock,
    clock,  # noqa: F401 (a fixture)
    founded,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    team,  # noqa: F401 (a fixture)
)
from test_team import pytestmark as needs_server

from mutuality.core.errors import NotFound
from mutuality.services.board_report import NOT_SHOWN
from mutuality.services.ledger import Direction
from mutuality.services.team import Member, TeamService

pytestmark = needs_server

START = datetime(2026, 11, 1, 9, 0)


def community(team: TeamService, *names: str) -> list[Member]:
    """Ana organises, Bo Chen is a member (as in test_team), then each of ``names``."""
    ana, bo = founded(team)
    made = [ana, bo]
    for name in names:
        email = f"{name.split()[0].lower()}@example.org"
        made.append(team.join(team.invite(ana.id, email).token, "a long password!", name))
    return made


def stretch(team: TeamService, member: Member) -> None:
    """The member gives beyond a small monthly budget this month."""
    ledger = team.ledger(member.id)
    ledger.capacity.set(2, "points", "month")
    ledger.people.add("Someone Outside")
    ledger.ledger.log("Someone Outside", Direction.GAVE, kind="time", what="Help", cost=8, on=TODAY)


def test_the_figures_match_a_community_computed_by_hand(team: TeamService, clock: Clock) -> None:
    ana, bo, cy, dee, eli, fay = community(team, "Cy Diaz", "Dee Park", "Eli Moss", "Fay Ng")
    board = team.board
    # Long before the period: not counted.
    clock.moment = START - timedelta(days=120)
    board.post(bo.id, "ask", "An old ask")
    # Seven asks by five askers, each answered (hours to the first answer: 2, 1, 4, 10, 6,
    # 3, 8, so the median is 4); helpers accepted: Ana three times, Cy, Dee, Eli, Fay once.
    plan = [
        (bo, ana, 2, True),
        (cy, ana, 1, True),
        (dee, ana, 4, True),
        (eli, cy, 10, True),
        (fay, dee, 6, True),
        (bo, eli, 3, True),
        (bo, fay, 8, True),
    ]
    asks = []
    for day, (asker, helper, hours, _) in enumerate(plan):
        clock.moment = START + timedelta(days=day)
        ask = board.post(asker.id, "ask", f"Ask number {day}")
        clock.moment += timedelta(hours=hours)
        board.answer(helper.id, ask.id, ask.version, "I can help")
        asks.append(ask)
    # A later, second answer does not change the time to the first one.
    clock.moment = START + timedelta(days=2, hours=5)
    board.answer(bo.id, asks[2].id, 1, "Me too")
    clock.moment = START + timedelta(days=10)
    board.post(cy.id, "offer", "Offers are not asks")
    for ask, (asker, helper, _, _) in zip(asks, plan, strict=True):
        seen = board.get(asker.id, ask.id)
        answer = next(a for a in seen.answers if a.helper == helper.display_name)
        board.accept(asker.id, ask.id, answer.id, seen.version)
    for ask, asker in ((asks[0], bo), (asks[1], cy)):
        board.met(asker.id, ask.id, board.get(asker.id, ask.id).version)
    stretch(team, cy)
    stretch(team, dee)
    board.name_when_stretched(cy.id, True)

    report = board.report(ana.id)
    assert report.members == 6
    assert report.active.value == 6
    assert (report.asks_posted.value, report.asks_answered.value, report.asks_met.value) == (
        7,
        7,
        2,
    )
    assert report.asks_posted.over == 5
    assert report.hours_to_first_answer.value == pytest.approx(4.0)
    assert report.top_tenth_share.value == pytest.approx(3 / 7)
    assert report.top_tenth_share.words("%", 0) != NOT_SHOWN
    assert report.stretched.value == 2
    assert report.stretched_named == ("Cy Diaz",)


def test_fewer_than_five_members_show_no_figure(team: TeamService) -> None:
    ana, bo, cy, dee = community(team, "Cy Diaz", "Dee Park")
    board = team.board
    ask = board.post(bo.id, "ask", "Someone to proofread")
    board.answer(cy.id, ask.id, ask.version, "Me")
    stretch(team, dee)
    board.name_when_stretched(dee.id, True)
    report = board.report(ana.id)
    assert report.members == 4
    for figure in (
        report.active,
        report.asks_posted,
        report.asks_answered,
        report.asks_met,
        report.hours_to_first_answer,
        report.top_tenth_share,
        report.stretched,
    ):
        assert figure.value is None or not figure.shown
        assert figure.words() == NOT_SHOWN
    assert report.stretched_named == ()


def test_a_figure_over_few_askers_is_not_shown_in_a_large_community(team: TeamService) -> None:
    ana, bo, *_ = community(team, "Cy Diaz", "Dee Park", "Eli Moss", "Fay Ng")
    board = team.board
    board.post(bo.id, "ask", "Only Bo asks")
    report = board.report(ana.id)
    assert report.asks_posted.words() == NOT_SHOWN
    assert report.active.words() == "1"


def test_a_member_gets_no_report(team: TeamService) -> None:
    _ana, bo, *_ = community(team, "Cy Diaz", "Dee Park", "Eli Moss")
    with pytest.raises(NotFound):
        team.board.report(bo.id)


def mentoring(
    team: TeamService, mentor: Member, mentee: Member, last_checkin_days_ago: int
) -> None:
    """``mentor`` keeps ``mentee`` as a mentee, linked to them, last checked in with them
    ``last_checkin_days_ago`` days before today."""
    ledger = team.ledger(mentor.id)
    ledger.people.add(mentee.display_name, context="mentee")
    team.confirmations.link(mentor.id, mentee.display_name, mentee.id)
    ledger.checkins.record(
        mentee.display_name, on=TODAY - timedelta(days=last_checkin_days_ago), my_satisfaction=4
    )


def test_mentoring_pairs_check_in_completion_by_hand(team: TeamService) -> None:
    ana, bo, cy, dee, eli, fay = community(team, "Cy Diaz", "Dee Park", "Eli Moss", "Fay Ng")
    mentoring(team, ana, bo, last_checkin_days_ago=3)
    mentoring(team, cy, dee, last_checkin_days_ago=200)  # long past any cadence: late
    mentoring(team, eli, fay, last_checkin_days_ago=10)
    # a friendship between members, never checked in with, is no mentoring pair
    team.ledger(bo.id).people.add("Cy Diaz", context="friend")
    team.confirmations.link(bo.id, "Cy Diaz", cy.id)
    report = team.board.report(ana.id)
    assert report.mentoring_checkins.over == 6
    assert report.mentoring_checkins.value == pytest.approx(2 / 3)


def test_mentoring_pairs_over_fewer_than_five_members_are_not_shown(team: TeamService) -> None:
    ana, bo, cy, dee, *_ = community(team, "Cy Diaz", "Dee Park", "Eli Moss", "Fay Ng")
    mentoring(team, ana, bo, last_checkin_days_ago=3)
    mentoring(team, cy, dee, last_checkin_days_ago=200)
    figure = team.board.report(ana.id).mentoring_checkins
    assert figure.over == 4 and not figure.shown and figure.words() == NOT_SHOWN
