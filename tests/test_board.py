"""The community's board in team mode (issue #20): asks and offers, answers, accepting, the
help recorded as an exchange both sides confirm, thank-yous on the gratitude wall,
anonymity, version conflicts, suggestions that respect capacity and busy periods, and the
organiser's aggregates with their minimum group size.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
import threading
from datetime import timedelta

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

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.services.app import Mutuality
from mutuality.services.board import A_MEMBER
from mutuality.services.team import Member, TeamService

pytestmark = needs_server


def with_cy(team: TeamService) -> tuple[Member, Member, Member]:
    """Ana organises; Bo and Cy are members."""
    ana, bo = founded(team)
    cy = team.join(team.invite(ana.id, "cy@example.org").token, "cy's long password", "Cy Diaz")
    return ana, bo, cy


def test_the_whole_flow_post_answer_accept_record_confirm_met_thank(team: TeamService) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Someone to review my pitch deck", tags=["Fundraising"])
    assert ask.tags == ("fundraising",) and ask.version == 1 and ask.author == "Bo Chen"
    assert [p.id for p in board.board(cy.id, "ask")] == [ask.id]

    answered = board.answer(cy.id, ask.id, ask.version, "I raised a seed round last year")
    assert answered.answer_count == 1 and answered.answers[0].mine
    seen_by_bo = board.get(bo.id, ask.id)
    [answer] = seen_by_bo.answers
    assert answer.helper == "Cy Diaz" and answer.note == "I raised a seed round last year"
    assert board.get(ana.id, ask.id).answers == ()  # nobody else reads the answers

    accepted = board.accept(bo.id, ask.id, answer.id, seen_by_bo.version)
    assert accepted.answers[0].state == "accepted" and accepted.version == 2

    # Cy, who helped, records it in her own ledger; Bo confirms with his own figure.
    waiting = board.record_help(cy.id, answer.id, what="Reviewed Bo's pitch deck", cost=3)
    assert waiting.state == "pending" and waiting.i_gave and waiting.other == "Bo Chen"
    [to_confirm] = team.confirmations.confirmations(bo.id).to_confirm
    assert to_confirm.id == waiting.id and to_confirm.description == "Reviewed Bo's pitch deck"
    with pytest.raises(Conflict, match="recorded already"):
        board.record_help(bo.id, answer.id)
    team.confirmations.confirm(bo.id, waiting.id, benefit=8)
    mine = board.get(bo.id, ask.id).answers[0]
    assert mine.confirmation_id == waiting.id and mine.confirmation_state == "confirmed"
    assert team.ledger(bo.id).ledger.get(
        team.confirmations.get(bo.id, waiting.id).my_exchange_id or 0
    ).exchange.benefit == pytest.approx(8)

    met = board.met(bo.id, ask.id, accepted.version)
    assert met.state == "met"
    assert board.board(cy.id, "ask") == []
    with pytest.raises(InvalidInput, match="say what they did"):
        board.thank(bo.id, answer.id, "thanks!")
    thanks = board.thank(bo.id, answer.id, "Cy found the hole in my revenue slide before Friday")
    assert (thanks.thanked_by, thanks.helper) == ("Bo Chen", "Cy Diaz")
    assert [t.words for t in board.wall(ana.id)] == [thanks.words]
    with pytest.raises(NotFound):
        board.thank(cy.id, answer.id, "I thank myself for a very long review")


def test_the_asker_may_record_the_help_and_the_helper_confirms(team: TeamService) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "A lift to the airport on Monday")
    ask = board.answer(cy.id, ask.id, ask.version, "I drive past it")
    answer = board.get(bo.id, ask.id).answers[0]
    board.accept(bo.id, ask.id, answer.id, ask.version)
    recorded = board.record_help(bo.id, answer.id, benefit=7)
    assert not recorded.i_gave and recorded.other == "Cy Diaz"
    [waiting] = team.confirmations.confirmations(cy.id).to_confirm
    assert waiting.my_figure == "cost"
    team.confirmations.confirm(cy.id, waiting.id, cost=2)
    assert board.get(cy.id, ask.id).answers[0].confirmation_state == "confirmed"


def test_only_an_accepted_answer_is_recorded_and_only_by_its_two_sides(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Feedback on a grant application")
    ask = board.answer(cy.id, ask.id, ask.version, "Happy to read it")
    answer = ask.answers[0]
    with pytest.raises(Conflict, match="accept it first"):
        board.record_help(cy.id, answer.id)
    with pytest.raises(NotFound):
        board.record_help(ana.id, answer.id)
    with pytest.raises(NotFound):
        board.accept(cy.id, ask.id, answer.id, ask.version)


def test_an_anonymous_ask_never_names_its_author_to_anyone_else(team: TeamService) -> None:
    ana, bo, cy = with_cy(team)
    dee = team.join(team.invite(ana.id, "dee@example.org").token, "dee's long password", "Dee")
    board = team.board
    ask = board.post(
        bo.id, "ask", "Talking through a hard conversation with my cofounder", anonymous=True
    )
    assert ask.author == "Bo Chen" and ask.mine
    for viewer in (ana, cy, dee):
        [seen] = board.board(viewer.id, "ask")
        assert seen.author == A_MEMBER and "Bo Chen" not in repr(seen)
    ask = board.answer(cy.id, ask.id, ask.version, "I went through the same")
    board.answer(dee.id, ask.id, ask.version, "I mediate for a living")
    for viewer in (ana, cy, dee):
        assert "Bo Chen" not in repr(board.get(viewer.id, ask.id))
    answers = board.get(bo.id, ask.id).answers
    cys = next(a for a in answers if a.helper == "Cy Diaz")
    board.accept(bo.id, ask.id, cys.id, board.get(bo.id, ask.id).version)
    # The accepted helper learns whom she helps; nobody else does.
    assert board.get(cy.id, ask.id).author == "Bo Chen"
    for viewer in (ana, dee):
        assert "Bo Chen" not in repr(board.get(viewer.id, ask.id))
    board.thank(bo.id, cys.id, "Cy listened for an hour and helped me plan what to say")
    [wall] = board.wall(dee.id)
    assert wall.thanked_by == A_MEMBER and wall.helper == "Cy Diaz"
    with pytest.raises(InvalidInput, match="only an ask"):
        board.post(bo.id, "offer", "Hidden offer", anonymous=True)


def test_a_stale_version_is_a_conflict_that_says_what_changed(team: TeamService) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Someone who knows Kubernetes")
    edited = board.edit(bo.id, ask.id, ask.version, text="Someone who knows Kubernetes on AWS")
    assert edited.version == 2
    with pytest.raises(Conflict, match=r"version 1, now 2.*edited its text") as refused:
        board.answer(cy.id, ask.id, ask.version, "I run clusters at work")
    assert refused.value.status == 409
    assert board.get(bo.id, ask.id).answers == ()
    board.answer(cy.id, ask.id, edited.version, "I run clusters at work")
    with pytest.raises(Conflict, match="edited its text"):
        board.edit(bo.id, ask.id, ask.version, text="something else entirely")
    assert board.get(bo.id, ask.id).text == "Someone who knows Kubernetes on AWS"


def test_two_accepts_at_once_one_wins_the_other_is_told(team: TeamService) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Two people to test my app")
    ask = board.answer(cy.id, ask.id, ask.version, "Me")
    ask = board.answer(ana.id, ask.id, ask.version, "Me too")
    seen = board.get(bo.id, ask.id)
    outcomes: list[str] = []

    def accept(answer_id: int) -> None:
        try:
            board.accept(bo.id, ask.id, answer_id, seen.version)
            outcomes.append("accepted")
        except Conflict as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=accept, args=(a.id,)) for a in seen.answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "accepted"
    assert "the author accepted an answer" in sorted(outcomes)[1]
    after = board.get(bo.id, ask.id)
    assert [a.state for a in after.answers].count("accepted") == 1
    # The second accept, against the version now current, goes through.
    other = next(a for a in after.answers if a.state == "offered")
    assert board.accept(bo.id, ask.id, other.id, after.version).version == after.version + 1


def test_posts_others_may_not_see_are_not_found(team: TeamService, clock: Clock) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "A room for a workshop", expires="in 3 days")
    gone = board.post(bo.id, "ask", "Withdrawn soon")
    board.withdraw(bo.id, gone.id, gone.version)
    with pytest.raises(NotFound):
        board.get(cy.id, gone.id)
    with pytest.raises(NotFound):
        board.edit(cy.id, ask.id, ask.version, text="mine now")
    with pytest.raises(NotFound):
        board.get(cy.id, 999_999)
    with pytest.raises(InvalidInput, match="your own post"):
        board.answer(bo.id, ask.id, ask.version, "answering myself")
    assert [p.id for p in board.board(bo.id, mine=True)] == [gone.id, ask.id]


def test_suggestions_rank_asks_by_my_offers_and_pause_when_busy_or_stretched(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    design = board.post(bo.id, "ask", "A designer to review our onboarding screens", tags=["ux"])
    board.post(ana.id, "ask", "Someone to water plants in August")
    board.post(cy.id, "offer", "Happy to give feedback on user experience and app design")
    [first] = board.suggestions(cy.id).items
    assert first.post.id == design.id and "designer" in first.matched

    mine = team.ledger(cy.id)
    mine.needs.note_state("me", "busy", "moving house", until=(TODAY + timedelta(days=9)))
    paused = board.suggestions(cy.id)
    assert paused.items == [] and "busy until" in (paused.paused or "")


def test_a_stretched_budget_pauses_suggestions(team: TeamService) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    board.post(bo.id, "ask", "A designer to review our onboarding screens")
    board.post(cy.id, "offer", "Design reviews of onboarding flows")
    ledger = team.ledger(cy.id)
    ledger.capacity.set(4, "points", "month")
    ledger.people.add("Eli Moss")
    from mutuality.services.ledger import Direction

    ledger.ledger.log("Eli Moss", Direction.GAVE, kind="time", what="Long help", cost=9, on=TODAY)
    paused = board.suggestions(cy.id)
    assert paused.items == [] and "stretched" in (paused.paused or "")


def test_suggestions_leave_out_my_own_and_answered_asks(team: TeamService) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Python code review for a Django app")
    board.post(cy.id, "ask", "Python mentor")
    board.post(cy.id, "offer", "Python and Django reviews")
    assert [s.post.id for s in board.suggestions(cy.id).items] == [ask.id]
    board.answer(cy.id, ask.id, ask.version, "Sure")
    assert board.suggestions(cy.id).items == []


def test_an_expired_post_leaves_the_board(
    team: TeamService, server: Mutuality, clock: Clock
) -> None:
    _ana, bo, cy = with_cy(team)
    ask = team.board.post(bo.id, "ask", "Chairs for Saturday", expires="in 2 days")
    assert ask.expires_on == TODAY + timedelta(days=2)
    with pytest.raises(InvalidInput, match="within 180 days"):
        team.board.post(bo.id, "ask", "Too far", expires=TODAY + timedelta(days=400))
    later = TeamService(server.database, server.settings, lambda: TODAY + timedelta(days=3), clock)
    try:
        assert later.board.board(cy.id) == []
        with pytest.raises(NotFound):
            later.board.answer(cy.id, ask.id, ask.version, "I have chairs")
        [mine] = later.board.board(bo.id, mine=True)
        assert mine.id == ask.id and mine.state == "open"
    finally:
        later.close()


def test_a_member_who_leaves_takes_their_posts_and_is_no_longer_named(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    board = team.board
    theirs = board.post(bo.id, "ask", "Bo's own ask, gone when he goes")
    ask = board.post(cy.id, "ask", "Help moving a sofa")
    ask = board.answer(bo.id, ask.id, ask.version, "I have a van")
    seen = board.get(cy.id, ask.id)
    board.accept(cy.id, ask.id, seen.answers[0].id, seen.version)
    board.thank(cy.id, seen.answers[0].id, "Bo drove the sofa across town on Sunday")
    team.remove(ana.id, bo.id)
    with pytest.raises(NotFound):
        board.get(cy.id, theirs.id)
    assert [p.text for p in board.board(ana.id)] == ["Help moving a sofa"]
    [kept] = board.get(cy.id, ask.id).answers
    assert kept.helper == "a former member" and kept.state == "accepted"
    [wall] = board.wall(ana.id)
    assert wall.helper == "a former member" and "Bo Chen" not in repr(wall)


def test_the_asker_sees_who_could_help_leaving_out_the_busy_and_those_who_answered(
    team: TeamService,
) -> None:
    ana, bo, cy = with_cy(team)
    dee = team.join(team.invite(ana.id, "dee@example.org").token, "dee's long password", "Dee")
    board = team.board
    board.post(cy.id, "offer", "Design reviews of onboarding flows")
    board.post(dee.id, "offer", "UX and design critique for mobile apps")
    board.post(ana.id, "offer", "Gardening tips for balconies")
    ask = board.post(bo.id, "ask", "A designer to review our onboarding", tags=["ux"])
    found = board.helpers(bo.id, ask.id).items
    assert sorted(h.member for h in found) == ["Cy Diaz", "Dee"]
    assert all(h.score > 0 and h.matched for h in found)
    team.ledger(dee.id).needs.note_state("me", "busy", "A conference week")
    assert [h.member for h in board.helpers(bo.id, ask.id).items] == ["Cy Diaz"]
    board.answer(cy.id, ask.id, ask.version, "Send me the screens")
    assert board.helpers(bo.id, ask.id).items == []
    with pytest.raises(NotFound):
        board.helpers(cy.id, ask.id)


def test_taking_up_an_offer_the_author_gives_and_the_answerer_receives(
    team: TeamService,
) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    offer = board.post(cy.id, "offer", "An hour of contract review")
    offer = board.answer(bo.id, offer.id, offer.version, "I would like that for my lease")
    seen = board.get(cy.id, offer.id)
    board.accept(cy.id, offer.id, seen.answers[0].id, seen.version)
    recorded = board.record_help(bo.id, seen.answers[0].id, benefit=7)
    assert not recorded.i_gave and recorded.other == "Cy Diaz"
    [waiting] = team.confirmations.confirmations(cy.id).to_confirm
    assert waiting.i_gave and waiting.my_figure == "cost"
    with pytest.raises(InvalidInput, match="give your cost"):
        team.confirmations.confirm(cy.id, waiting.id, benefit=3)


def test_help_with_a_bad_figure_is_refused_before_anything_is_written(
    team: TeamService,
) -> None:
    _ana, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Someone to proofread a letter")
    ask = board.answer(cy.id, ask.id, ask.version, "Happy to")
    seen = board.get(bo.id, ask.id)
    board.accept(bo.id, ask.id, seen.answers[0].id, seen.version)
    with pytest.raises(InvalidInput):
        board.record_help(cy.id, seen.answers[0].id, cost=42)
    with pytest.raises(InvalidInput):
        board.record_help(cy.id, seen.answers[0].id, kind="hugs")
    assert team.confirmations.links(cy.id) == []
    assert [p.name for p in team.ledger(cy.id).people.list()] == []
    assert board.record_help(cy.id, seen.answers[0].id, cost=2).state == "pending"


def test_help_recorded_is_saved_whole_or_not_at_all(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exchange in the helper's ledger, the person made there for the other member and
    the answer's record are one transaction: a failure after the ledger's part leaves none
    of them, and recording again writes each once."""
    from mutuality.services.board import BoardService

    _, bo, cy = with_cy(team)
    board = team.board
    ask = board.post(bo.id, "ask", "Someone to review my pitch deck")
    board.answer(cy.id, ask.id, ask.version, "I raised a seed round last year")
    seen = board.get(bo.id, ask.id)
    board.accept(bo.id, ask.id, seen.answers[0].id, seen.version)

    def the_registry_fails(*_: object, **__: object) -> None:
        raise RuntimeError("the registry's part failed")

    monkeypatch.setattr(BoardService, "_confirmation", staticmethod(the_registry_fails))
    with pytest.raises(RuntimeError):
        board.record_help(cy.id, seen.answers[0].id, cost=3)
    monkeypatch.undo()
    cy_ledger = team.ledger(cy.id)
    assert cy_ledger.people.list() == [] and cy_ledger.ledger.recent() == []
    assert team.confirmations.links(cy.id) == []

    assert board.record_help(cy.id, seen.answers[0].id, cost=3).state == "pending"
    [bo_there] = cy_ledger.people.list()
    assert len(cy_ledger.ledger.timeline(bo_there.id).entries) == 1
    assert [link.member_id for link in team.confirmations.links(cy.id)] == [bo.id]
