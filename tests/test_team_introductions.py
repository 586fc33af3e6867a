"""Introductions between members in team mode (issue #19): the introducer shares an
introduction from their ledger; each side that is a fellow member answers from their own
account, anyone else through a private one-time link; the second yes makes it in the
introducer's ledger; the three see the answers, nobody else sees anything; leaving leaves
only "a former member".

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
from datetime import timedelta
from pathlib import Path

import pytest
from test_team import (
    BO_PASSWORD,
    Clock,
    clock,  # noqa: F401 (a fixture)
    founded,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    team,  # noqa: F401 (a fixture)
)
from test_team import pytestmark as needs_server

from mutuality.core.errors import Conflict, NotFound
from mutuality.core.introductions import IntroStatus
from mutuality.services.team import Member, TeamService
from mutuality.services.team_introductions import FORMER_MEMBER

pytestmark = needs_server
CAI_PASSWORD = "cai's long password!"
DEE_PASSWORD = "dee's long password!"


def three(team: TeamService) -> tuple[Member, Member, Member]:
    """Ana (the organiser) keeps Bo and Cai, both members, in her ledger, linked to them,
    and Dee Okafor, who is not a member."""
    ana, bo = founded(team)
    cai = team.join(team.invite(ana.id, "cai@example.org").token, CAI_PASSWORD, "Cai Wu")
    ledger = team.ledger(ana.id)
    ledger.people.add("Bo Chen", emails=("bo@example.org",))
    ledger.people.add("Cai Wu", emails=("cai@example.org",))
    ledger.people.add("Dee Okafor")
    team.confirmations.link(ana.id, "Bo Chen", bo.id)
    team.confirmations.link(ana.id, "Cai Wu", cai.id)
    return ana, bo, cai


def proposed(team: TeamService, ana: Member, a: str = "Bo Chen", b: str = "Cai Wu") -> int:
    intro = team.ledger(ana.id).introductions.propose(
        a, b, reason="Bo is hiring a designer and Cai designs onboarding flows"
    )
    return intro.introduction.id


def test_members_are_asked_in_their_accounts_and_two_yeses_make_it(team: TeamService) -> None:
    ana, bo, cai = three(team)
    intro_id = proposed(team, ana)
    shared, links = team.introductions.share(ana.id, intro_id)
    assert links == []  # both sides are members: no private link needed
    assert shared.status == "asking" and shared.my_side is None
    assert (shared.a.answer, shared.b.answer) == ("asked", "asked")

    bo_sees = team.introductions.list(bo.id)
    assert [i.id for i in bo_sees] == [shared.id]
    assert bo_sees[0].mine_to_answer and bo_sees[0].introducer == "Ana Lima"
    assert "designs onboarding flows" in (bo_sees[0].asked_in or "")
    assert bo_sees[0].other is not None and bo_sees[0].other.email is None  # not before yes

    after_bo = team.introductions.answer(
        bo.id, shared.id, yes=True, note="Happy to meet", share_email=True
    )
    assert after_bo.status == "asking"
    in_ledger = team.ledger(ana.id).introductions.get(intro_id).introduction
    assert in_ledger.status is IntroStatus.ASKING and in_ledger.a_consent is not None

    made = team.introductions.answer(cai.id, shared.id, yes=True)
    assert made.status == "made"
    assert made.other is not None and made.other.email == "bo@example.org"
    assert made.other.note == "Happy to meet"
    # Cai did not choose to share his address: Bo sees his name and answer, not his email
    bo_after = team.introductions.get(bo.id, shared.id)
    assert bo_after.other is not None and bo_after.other.answer == "yes"
    assert bo_after.other.email is None
    assert team.ledger(ana.id).introductions.get(intro_id).introduction.status is IntroStatus.MADE
    # the introducer's introduction exchanges reach the linked members to confirm
    waiting = team.confirmations.confirmations(bo.id).to_confirm
    assert any("Introduced to Cai Wu" in c.description for c in waiting)


def test_a_no_declines_it_for_all_three(team: TeamService) -> None:
    ana, bo, cai = three(team)
    shared, _ = team.introductions.share(ana.id, proposed(team, ana))
    declined = team.introductions.answer(cai.id, shared.id, yes=False, note="Not this month")
    assert declined.status == "declined"
    for member in (ana, bo):
        seen = team.introductions.get(member.id, shared.id)
        assert seen.status == "declined" and seen.b.note == "Not this month"
    with pytest.raises(Conflict, match="nothing to answer"):
        team.introductions.answer(bo.id, shared.id, yes=True)
    intro = team.ledger(ana.id).introductions.get(shared_intro_id(team, ana, shared.id))
    assert intro.introduction.status is IntroStatus.DECLINED


def shared_intro_id(team: TeamService, ana: Member, shared_id: int) -> int:
    return next(i.introduction.id for i in team.ledger(ana.id).introductions.list())


def test_someone_without_an_account_answers_once_through_a_private_link(
    team: TeamService, clock: Clock
) -> None:
    ana, bo, _ = three(team)
    shared, links = team.introductions.share(ana.id, proposed(team, ana, "Bo Chen", "Dee Okafor"))
    assert [(link.side, link.name) for link in links] == [("b", "Dee Okafor")]
    token = links[0].token
    shown = team.introductions.invitation(token)
    assert (shown.introducer, shown.other) == ("Ana", "Bo Chen")
    assert "designs onboarding flows" in shown.asked_in
    team.introductions.invitation(token)  # looking does not use it
    team.introductions.answer_link(token, yes=True, note="Yes please")
    with pytest.raises(NotFound, match="not valid"):
        team.introductions.answer_link(token, yes=True)
    with pytest.raises(NotFound, match="not valid"):
        team.introductions.invitation("x" * 43)
    made = team.introductions.answer(bo.id, shared.id, yes=True)
    assert made.status == "made" and made.other is not None and made.other.email is None


def test_a_private_link_expires(team: TeamService, clock: Clock) -> None:
    ana, _, _ = three(team)
    _, links = team.introductions.share(
        ana.id, proposed(team, ana, "Bo Chen", "Dee Okafor"), link_days=2
    )
    clock.moment += timedelta(days=2, seconds=1)
    with pytest.raises(NotFound, match="not valid"):
        team.introductions.answer_link(links[0].token, yes=True)


def test_an_answer_against_an_older_version_is_refused_saying_what_changed(
    team: TeamService,
) -> None:
    ana, bo, cai = three(team)
    shared, _ = team.introductions.share(ana.id, proposed(team, ana))
    seen = team.introductions.get(bo.id, shared.id).version
    team.introductions.answer(cai.id, shared.id, yes=False)
    with pytest.raises(Conflict, match=r"changed since you saw it .*declined") as refused:
        team.introductions.answer(bo.id, shared.id, yes=True, version=seen)
    assert refused.value.status == 409


def test_only_the_three_see_it(team: TeamService) -> None:
    ana, bo, cai = three(team)
    dee = team.join(team.invite(ana.id, "dee@example.org").token, DEE_PASSWORD, "Dee Okafor")
    shared, _ = team.introductions.share(ana.id, proposed(team, ana))
    assert team.introductions.list(dee.id) == []
    for attempt in (
        lambda: team.introductions.get(dee.id, shared.id),
        lambda: team.introductions.answer(dee.id, shared.id, yes=True),
        lambda: team.introductions.withdraw(dee.id, shared.id),
        lambda: team.introductions.withdraw(bo.id, shared.id),  # only the introducer may
    ):
        with pytest.raises(NotFound):
            attempt()
    with pytest.raises(Conflict, match="the two people you introduce answer it"):
        team.introductions.answer(ana.id, shared.id, yes=True)
    assert {m.id for m in (ana, bo, cai)} == {
        m.id for m in (ana, bo, cai) if team.introductions.list(m.id)
    }


def test_the_introducer_withdraws_it(team: TeamService) -> None:
    ana, bo, _ = three(team)
    intro_id = proposed(team, ana, "Bo Chen", "Dee Okafor")
    shared, links = team.introductions.share(ana.id, intro_id)
    gone = team.introductions.withdraw(ana.id, shared.id)
    assert gone.status == "withdrawn"
    assert team.introductions.get(bo.id, shared.id).status == "withdrawn"
    assert (
        team.ledger(ana.id).introductions.get(intro_id).introduction.status is IntroStatus.WITHDRAWN
    )
    with pytest.raises(NotFound, match="not valid"):
        team.introductions.invitation(links[0].token)


def test_leaving_leaves_a_former_member(team: TeamService, tmp_path: Path) -> None:
    ana, bo, cai = three(team)
    shared, _ = team.introductions.share(ana.id, proposed(team, ana))
    team.introductions.answer(bo.id, shared.id, yes=True)
    team.leave(bo.id, tmp_path / "bo.json")
    seen = team.introductions.get(cai.id, shared.id)
    assert seen.a.name == FORMER_MEMBER and not seen.a.member
    assert "bo@example.org" not in repr(seen)
    assert BO_PASSWORD not in repr(seen)


def test_an_answer_that_fails_after_the_introducers_ledger_leaves_neither(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second yes is kept in the registry and the introducer's ledger in one
    transaction: a failure after the introduction was made in the ledger takes it back (and
    the introduction exchanges with it), and answering again makes it once."""
    from mutuality.services.team_introductions import IntroductionSharing

    ana, bo, cai = three(team)
    intro_id = proposed(team, ana)
    shared, _ = team.introductions.share(ana.id, intro_id)
    team.introductions.answer(bo.id, shared.id, yes=True)

    def the_registry_fails(*_: object, **__: object) -> None:
        raise RuntimeError("the registry's part failed")

    monkeypatch.setattr(IntroductionSharing, "_view", the_registry_fails)
    with pytest.raises(RuntimeError):
        team.introductions.answer(cai.id, shared.id, yes=True)
    monkeypatch.undo()
    ledger = team.ledger(ana.id)
    assert ledger.introductions.get(intro_id).introduction.status is IntroStatus.ASKING
    assert ledger.ledger.recent() == []
    assert team.confirmations.confirmations(bo.id).to_confirm == []

    assert team.introductions.answer(cai.id, shared.id, yes=True).status == "made"
    assert ledger.introductions.get(intro_id).introduction.status is IntroStatus.MADE
    made = [item for item in ledger.ledger.recent() if item[0].kind.value == "introduction"]
    assert len(made) == 2  # one to each side, once
    waiting = team.confirmations.confirmations(bo.id).to_confirm
    assert sum("Introduced to Cai Wu" in c.description for c in waiting) == 1
