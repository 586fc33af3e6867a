"""Reciprocity Ring sessions in team mode (issue #20): an organiser opens a session, 20
members join and each states one ask (with gentle guidance, never a refusal), several offer
help or an introduction, the organiser presents asks with a timer and closes the session;
each offer is then a commitment in both members' own ledgers (or an introduction proposed in
the offerer's), and each participant's summary says what they asked, were offered and
offered. Only participants see a session; leaving leaves only "a former member".

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
import email
from dataclasses import replace
from datetime import date, timedelta
from email import policy

import pytest
from conftest import TODAY
from test_digest import free_port, settings_for, smtp  # noqa: F401 (the fixture)
from test_team import (
    Clock,
    clock,  # noqa: F401 (a fixture)
    founded,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    team,  # noqa: F401 (a fixture)
)
from test_team import pytestmark as needs_server

from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.core.introductions import IntroStatus
from mutuality.core.ring import ask_hints
from mutuality.services.app import Mutuality
from mutuality.services.ring import FORMER_MEMBER
from mutuality.services.team import Member, TeamService

pytestmark = needs_server
PASSWORD = "a long enough password"
GOOD_ASK = "I need an introduction to a school librarian by 30 March, so that our pilot can start"


def members(team: TeamService, organiser: Member, count: int) -> list[Member]:
    joined = []
    for number in range(1, count + 1):
        made = team.invite(organiser.id, f"m{number}@example.org")
        joined.append(team.join(made.token, PASSWORD, f"Member {number:02d}"))
    return joined


def test_the_guidance_hints_and_never_refuses() -> None:
    assert ask_hints(GOOD_ASK) == []
    vague = {hint.quality for hint in ask_hints("a librarian")}
    assert {"specific", "action-oriented", "time-bound", "meaningful"} <= vague
    assert "time-bound" not in {h.quality for h in ask_hints("a librarian", has_date=True)}


def test_a_ring_of_twenty(team: TeamService, clock: Clock) -> None:
    ana, bo = founded(team)
    everyone = [bo, *members(team, ana, 19)]
    assert len(everyone) == 20
    ring = team.rings.open(ana.id, "Spring ring", clock.moment + timedelta(hours=1))
    assert ring.runs_it and ring.participants == ["Ana Lima"]
    for number, member in enumerate(everyone):
        team.rings.join(member.id, ring.id)
        due = date(2027, 3, 1) if number % 2 else None
        view = team.rings.ask(member.id, ring.id, f"Ask {number:02d}: find a tester", due)
        assert view.my_ask is not None and view.my_ask.text.startswith(f"Ask {number:02d}")
        # the guidance is shown, gently: the short ask is kept as written
        assert "specific" in {hint.quality for hint in view.my_ask.hints}
    view = team.rings.get(ana.id, ring.id)
    assert len(view.asks) == 20 and len(view.participants) == 21
    asks = {ask.name: ask for ask in view.asks}

    # Bo knows Dee Okafor in his own ledger and offers to introduce Member 01 to her
    team.ledger(bo.id).people.add("Dee Okafor")
    helpers = everyone[:6]
    offered: dict[int, list[int]] = {}
    for position, helper in enumerate(helpers):
        for target in everyone[position + 1 : position + 4]:
            team.rings.offer(
                helper.id, ring.id, asks[target.display_name].id, f"{helper.display_name} helps"
            )
            offered.setdefault(target.id, []).append(helper.id)
    team.rings.offer(
        bo.id, ring.id, asks["Member 01"].id, "Dee runs a test lab", introduce="Dee Okafor"
    )
    with pytest.raises(InvalidInput, match="not your own"):
        team.rings.offer(bo.id, ring.id, asks["Bo Chen"].id, "me")

    # the organiser presents an ask; every participant sees the timer running
    presented = team.rings.present(ana.id, ring.id, asks["Member 03"].id)
    assert presented.presenting == asks["Member 03"].id and presented.seconds_left == 180
    clock.moment += timedelta(seconds=100)
    assert team.rings.get(everyone[10].id, ring.id).seconds_left == 80
    with pytest.raises(Forbidden):
        team.rings.present(bo.id, ring.id, asks["Member 03"].id)
    # an introduction's person is shown to the offerer and the asker only
    seen_by = {
        m.display_name: next(a for a in team.rings.get(m.id, ring.id).asks if a.name == "Member 01")
        for m in (bo, everyone[1], everyone[5])
    }
    assert seen_by["Bo Chen"].offers[-1].introduce == "Dee Okafor"
    assert seen_by["Member 01"].offers[-1].introduce == "Dee Okafor"
    assert seen_by["Member 05"].offers[-1].introduce is None

    summary = team.rings.close(ana.id, ring.id)
    assert summary.state == "closed" and summary.asked is None
    with pytest.raises(Conflict, match="closed"):
        team.rings.ask(bo.id, ring.id, "late")

    for member in everyone:
        mine = team.rings.summary(member.id, ring.id)
        assert mine.asked is not None and mine.asked.startswith("Ask ")
        helps = [line for line in mine.offered_me if line.kind == "help"]
        assert sorted(line.who for line in helps) == sorted(
            team.member(h).display_name for h in offered.get(member.id, [])
        )
        ledger = team.ledger(member.id)
        commitments = ledger.commitments.list()
        theirs = sorted(c.person_id for c in commitments if not c.mine)
        promised = [c for c in commitments if c.mine]
        assert len(theirs) == len(offered.get(member.id, []))
        gave = [line for line in mine.i_offered if line.kind == "help"]
        assert len(promised) == len(gave)
        assert all(line.outcome == "a commitment in both ledgers" for line in gave)
    # each promise is to the right person, who stands linked for the member
    bo_ledger = team.ledger(bo.id)
    bo_promises = [c for c in bo_ledger.commitments.list() if c.mine]
    named = {bo_ledger.people.get(c.person_id).person.name for c in bo_promises}
    assert named == {"Member 01", "Member 02", "Member 03"}
    assert all("Bo Chen helps" in c.text for c in bo_promises)
    links = {link.member_id for link in team.confirmations.links(bo.id) if link.saved}
    assert {everyone[1].id, everyone[2].id, everyone[3].id} <= set(links)
    intro = bo_ledger.introductions.list()
    assert [(d.a, d.b) for d in intro] == [("Member 01", "Dee Okafor")]
    assert intro[0].introduction.status is IntroStatus.PROPOSED
    first = team.rings.summary(everyone[1].id, ring.id)
    assert [line.introduce for line in first.offered_me if line.kind == "introduction"] == [
        "Dee Okafor"
    ]


def test_only_participants_see_a_session(team: TeamService) -> None:
    ana, bo = founded(team)
    cy = team.join(team.invite(ana.id, "cy@example.org").token, PASSWORD, "Cy Park")
    with pytest.raises(Forbidden):
        team.rings.open(bo.id, "Not mine")
    ring = team.rings.open(ana.id, "Autumn ring")
    team.rings.join(bo.id, ring.id)
    team.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert [line.joined for line in team.rings.sessions(cy.id)] == [False]  # listed, to join
    for call in (
        lambda: team.rings.get(cy.id, ring.id),
        lambda: team.rings.pulse(cy.id, ring.id),
        lambda: team.rings.summary(cy.id, ring.id),
        lambda: team.rings.offer(cy.id, ring.id, 1, "x"),
    ):
        with pytest.raises(NotFound):
            call()
    # the organiser sees it as a participant does, no more
    [ask] = team.rings.get(ana.id, ring.id).asks
    assert ask.text == GOOD_ASK and ask.hints == []  # the guidance is the asker's alone
    offered = team.rings.offer(ana.id, ring.id, ask.id, "A second thought")
    [offer] = offered.asks[0].offers
    with pytest.raises(Forbidden, match="only the one who offered"):
        team.rings.withdraw_offer(bo.id, ring.id, offer.id)
    assert team.rings.withdraw_offer(ana.id, ring.id, offer.id).asks[0].offers == []
    team.rings.close(ana.id, ring.id)
    assert team.rings.sessions(cy.id) == []  # a closed session is its participants' alone
    with pytest.raises(NotFound):
        team.rings.join(cy.id, ring.id)


def test_closing_again_is_refused_and_leaving_keeps_the_others_record(
    team: TeamService, tmp_path: object
) -> None:
    ana, bo = founded(team)
    ring = team.rings.open(ana.id, "Winter ring")
    team.rings.join(bo.id, ring.id)
    view = team.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert view.my_ask is not None and view.my_ask.hints == []
    team.rings.offer(ana.id, ring.id, view.my_ask.id, "I will ask our librarian")
    team.rings.close(ana.id, ring.id)
    with pytest.raises(Conflict):
        team.rings.close(ana.id, ring.id)
    team.remove(ana.id, bo.id)
    kept = team.rings.summary(ana.id, ring.id)
    assert [line.who for line in kept.i_offered] == [FORMER_MEMBER]
    assert FORMER_MEMBER in team.rings.get(ana.id, ring.id).participants


def test_each_summary_goes_by_email_when_a_server_is_set(
    server: Mutuality,
    clock: Clock,
    smtp,
) -> None:
    inbox, port = smtp
    mailing = TeamService(
        server.database, replace(server.settings, email=settings_for(port)), lambda: TODAY, clock
    )
    ana, bo = founded(mailing)
    ring = mailing.rings.open(ana.id, "Mailed ring")
    mailing.rings.join(bo.id, ring.id)
    asked = mailing.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert asked.my_ask is not None
    mailing.rings.offer(ana.id, ring.id, asked.my_ask.id, "I know the head librarian")
    mailing.rings.close(ana.id, ring.id)
    received = {
        envelope.rcpt_tos[0]: email.message_from_bytes(
            envelope.original_content, policy=policy.default
        )
        for envelope in inbox.envelopes
    }
    assert set(received) == {"ana@example.org", "bo@example.org"}
    bo_mail = received["bo@example.org"]
    assert bo_mail["Subject"] == "Your summary of the ring Mailed ring"
    text = bo_mail.get_content()
    assert f"You asked: {GOOD_ASK}" in text and "Ana Lima: I know the head librarian" in text
    assert "to Bo Chen: I know the head librarian" in received["ana@example.org"].get_content()
    mailing.close()


def test_a_mail_server_that_fails_leaves_the_session_closed(
    server: Mutuality, clock: Clock
) -> None:
    settings = replace(server.settings, email=settings_for(free_port()))  # nobody listens
    mailing = TeamService(server.database, settings, lambda: TODAY, clock)
    ana, bo = founded(mailing)
    ring = mailing.rings.open(ana.id, "Quiet ring")
    mailing.rings.join(bo.id, ring.id)
    mailing.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert mailing.rings.close(ana.id, ring.id).state == "closed"
    assert mailing.rings.summary(bo.id, ring.id).asked == GOOD_ASK
    mailing.close()


def test_a_kept_ring_promise_goes_to_the_asker_to_confirm(team: TeamService) -> None:
    """The offerer's commitment is with the person linked to the asker, so keeping it logs
    an exchange the asker is asked to confirm, as any two-sided exchange."""
    ana, bo = founded(team)
    ring = team.rings.open(ana.id, "Follow-up ring")
    team.rings.join(bo.id, ring.id)
    asked = team.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert asked.my_ask is not None
    team.rings.offer(ana.id, ring.id, asked.my_ask.id, "I will ask our librarian")
    team.rings.close(ana.id, ring.id)
    [promise] = [c for c in team.ledger(ana.id).commitments.list() if c.mine]
    [expected] = [c for c in team.ledger(bo.id).commitments.list() if not c.mine]
    assert promise.due_on == expected.due_on
    team.ledger(ana.id).commitments.keep(promise.id)
    [asked_of_bo] = team.confirmations.confirmations(bo.id).to_confirm
    assert "I will ask our librarian" in asked_of_bo.description


def test_an_interrupted_close_carries_the_rest_when_closed_again(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutuality.core.errors import StorageError
    from mutuality.services.ring import RingService

    ana, bo = founded(team)
    [cy] = members(team, ana, 1)
    ring = team.rings.open(ana.id, "Stormy ring")
    for member in (bo, cy):
        team.rings.join(member.id, ring.id)
    asked = team.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert asked.my_ask is not None
    for who in (ana, cy):
        team.rings.offer(who.id, ring.id, asked.my_ask.id, f"{who.display_name} will help")
    carry = RingService._carry
    calls: list[int] = []

    def once_then_fail(self: RingService, ring_id: int, offer_id: int) -> None:
        calls.append(offer_id)
        if len(calls) == 2:
            raise StorageError("the database went away", field="database")
        carry(self, ring_id, offer_id)

    monkeypatch.setattr(RingService, "_carry", once_then_fail)
    with pytest.raises(StorageError):
        team.rings.close(ana.id, ring.id)
    assert team.rings.get(bo.id, ring.id).state == "closed"  # nothing more can be added
    with pytest.raises(Conflict, match="closed"):
        team.rings.offer(cy.id, ring.id, asked.my_ask.id, "late")
    monkeypatch.setattr(RingService, "_carry", carry)
    summary = team.rings.close(ana.id, ring.id)
    assert [line.outcome for line in summary.i_offered] == ["a commitment in both ledgers"]
    expected = [c for c in team.ledger(bo.id).commitments.list() if not c.mine]
    assert len(expected) == 2  # one from each offer, none twice
    with pytest.raises(Conflict, match="closed"):
        team.rings.close(ana.id, ring.id)


def test_an_offer_that_fails_between_the_two_ledgers_leaves_neither_half(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An offer's two commitments and its mark as carried are one transaction: a failure
    after the offerer's commitment was written (before the asker's) takes it back, and
    closing again makes each commitment exactly once."""
    from mutuality.services.requests import RequestService

    ana, bo = founded(team)
    ring = team.rings.open(ana.id, "Careful ring")
    team.rings.join(bo.id, ring.id)
    asked = team.rings.ask(bo.id, ring.id, GOOD_ASK)
    assert asked.my_ask is not None
    team.rings.offer(ana.id, ring.id, asked.my_ask.id, "I will ask our librarian")
    decide = RequestService.ask_and_decide

    def the_second_ledger_fails(self: RequestService, *args: object, **kwargs: object) -> object:
        if kwargs.get("from_me"):
            raise RuntimeError("the asker's ledger failed")
        return decide(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RequestService, "ask_and_decide", the_second_ledger_fails)
    with pytest.raises(RuntimeError):
        team.rings.close(ana.id, ring.id)
    monkeypatch.undo()
    assert team.ledger(ana.id).commitments.list() == []
    assert team.ledger(bo.id).commitments.list() == []

    summary = team.rings.close(ana.id, ring.id)
    assert [line.outcome for line in summary.i_offered] == ["a commitment in both ledgers"]
    assert len(team.ledger(ana.id).commitments.list()) == 1
    assert len(team.ledger(bo.id).commitments.list()) == 1
