"""Two-sided exchanges in team mode (issue #19): an exchange one member logs with a linked
fellow member waits for them to confirm it with their own figure; both then see both
figures side by side; a non-member answers through a private one-time link; leaving
anonymises; nobody reaches a confirmation they are not a side of.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures are imported)
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from test_postgres import race
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

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.model import Estimator
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.team import Member, TeamService
from mutuality.services.team_confirmations import (
    FORMER_MEMBER,
    Confirmations,
    PairViews,
    TwoViews,
)
from mutuality.store.team_tables import ConfirmationRow, MemberLinkRow, TeamBase

pytestmark = needs_server


def linked(team: TeamService) -> tuple[Member, Member]:
    """Ana and Bo; Ana keeps Bo in her ledger (with his email) and links him."""
    ana, bo = founded(team)
    team.ledger(ana.id).people.add("Bo Chen", emails=("bo@example.org",))
    team.confirmations.link(ana.id, "Bo Chen", bo.id)
    return ana, bo


def gave_to_bo(team: TeamService, ana: Member, what: str = "Reviewed Bo's pitch deck") -> int:
    return (
        team.ledger(ana.id)
        .ledger.log("Bo Chen", Direction.GAVE, kind="knowledge", what=what, benefit=6, cost=2)
        .id
    )


def test_the_migration_makes_exactly_the_team_tables(server: Mutuality) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with server.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, TeamBase.metadata)
    tables = set(TeamBase.metadata.tables)
    ledger_only = [
        d
        for d in found
        if d[0] == "remove_table" or (d[0] == "remove_index" and d[1].table.name not in tables)
    ]
    assert [d for d in found if d not in ledger_only] == []


def test_a_fellow_member_is_suggested_by_email_then_linked(team: TeamService) -> None:
    ana, bo = founded(team)
    team.ledger(ana.id).people.add("Bo Chen", emails=("bo@example.org",))
    team.ledger(ana.id).people.add("Dee Park", emails=("dee@example.org",))
    [suggested] = team.confirmations.links(ana.id)
    assert (suggested.person_name, suggested.member_id) == ("Bo Chen", bo.id)
    assert not suggested.saved
    made = team.confirmations.link(ana.id, "Bo Chen", bo.id)
    assert made.saved and team.confirmations.links(ana.id) == [made]
    assert team.confirmations.link(ana.id, "Bo Chen", bo.id) == made  # again: the same link
    with pytest.raises(Conflict):
        team.confirmations.link(ana.id, "Dee Park", bo.id)
    with pytest.raises(InvalidInput):
        team.confirmations.link(ana.id, "Dee Park", ana.id)
    team.confirmations.unlink(ana.id, "Bo Chen")
    assert [link.saved for link in team.confirmations.links(ana.id)] == [False]
    with pytest.raises(NotFound):
        team.confirmations.unlink(ana.id, "Bo Chen")


def test_a_link_whose_person_was_deleted_gives_way(team: TeamService) -> None:
    ana, bo = linked(team)
    [old] = team.confirmations.links(ana.id)
    team.ledger(ana.id).people.forget(old.person_id)
    assert team.confirmations.links(ana.id) == []
    team.ledger(ana.id).people.add("Bo Chen", emails=("bo@example.org",))
    made = team.confirmations.link(ana.id, "Bo Chen", bo.id)
    assert made.person_id != old.person_id and team.confirmations.links(ana.id) == [made]


def test_both_members_confirm_and_see_the_gap_side_by_side(team: TeamService) -> None:
    ana, bo = linked(team)
    exchange_id = gave_to_bo(team, ana)

    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    assert (waiting.other, waiting.i_gave, waiting.my_figure) == ("Ana Lima", False, "benefit")
    assert waiting.description == "Reviewed Bo's pitch deck"
    # Bo gives his own figure before he sees Ana's
    assert waiting.benefit == TwoViews(None, None) and waiting.cost == TwoViews(None, None)
    [sent] = team.confirmations.confirmations(ana.id).waiting
    assert sent.id == waiting.id and sent.benefit == TwoViews(6, None) and sent.i_gave

    settled = team.confirmations.confirm(bo.id, waiting.id, benefit=8)
    assert settled.state == "confirmed"
    assert settled.benefit == TwoViews(giver=6, receiver=8) and settled.benefit.gap == 2
    assert settled.cost == TwoViews(giver=2, receiver=None)
    [seen_by_ana] = team.confirmations.confirmations(ana.id).settled
    assert (seen_by_ana.benefit, seen_by_ana.cost) == (settled.benefit, settled.cost)
    assert seen_by_ana.other == "Bo Chen" and seen_by_ana.my_exchange_id == exchange_id

    # Bo's own ledger: Ana made from her name and email, the exchange mirrored, each side's
    # figure from the side that knows it best; Ana's ledger keeps her own figures
    bo_ledger = team.ledger(bo.id)
    [ana_there] = bo_ledger.people.list()
    assert (ana_there.name, ana_there.emails) == ("Ana Lima", ("ana@example.org",))
    [entry] = bo_ledger.ledger.timeline(ana_there.id).entries
    assert entry.direction is Direction.GOT and entry.exchange.id == settled.my_exchange_id
    assert (entry.exchange.benefit, entry.exchange.cost) == (8, 2)
    assert entry.exchange.estimated_by is Estimator.BOTH
    assert team.ledger(ana.id).ledger.get(exchange_id).exchange.benefit == 6

    # the mirrored exchange went back to nobody; Bo's next exchange with Ana goes to her
    assert team.confirmations.confirmations(ana.id).to_confirm == []
    bo_ledger.ledger.log(ana_there.id, Direction.GAVE, kind="time", what="Lent a hand", cost=3)
    [back] = team.confirmations.confirmations(ana.id).to_confirm
    assert (back.other, back.i_gave, back.my_figure) == ("Bo Chen", False, "benefit")
    answered = team.confirmations.confirm(ana.id, back.id, benefit=3)
    bo_guess = answered.benefit.giver
    [between] = team.confirmations.confirmations(ana.id).between
    assert between == PairViews("Bo Chen", TwoViews(6, 8), 1, TwoViews(bo_guess, 3), 1)
    [from_bo] = team.confirmations.confirmations(bo.id).between
    assert from_bo == PairViews("Ana Lima", TwoViews(bo_guess, 3), 1, TwoViews(6, 8), 1)
    assert answered.cost == TwoViews(giver=3, receiver=None)
    assert answered.benefit.receiver == 3 and answered.benefit.gap is not None

    with pytest.raises(Conflict):
        team.confirmations.confirm(bo.id, waiting.id, benefit=5)


def test_declining_writes_nothing_and_the_logger_sees_it(team: TeamService) -> None:
    ana, bo = linked(team)
    gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    declined = team.confirmations.decline(bo.id, waiting.id)
    assert declined.state == "declined" and declined.benefit == TwoViews(None, None)
    assert team.ledger(bo.id).people.list() == []
    [seen] = team.confirmations.confirmations(ana.id).settled
    assert seen.state == "declined" and seen.benefit == TwoViews(6, None)
    with pytest.raises(Conflict):
        team.confirmations.decline(bo.id, waiting.id)
    with pytest.raises(Conflict):
        team.confirmations.confirm(bo.id, waiting.id, benefit=4)


def test_a_name_already_taken_asks_who_the_logger_is(team: TeamService) -> None:
    ana, bo = linked(team)
    gave_to_bo(team, ana)
    team.ledger(bo.id).people.add("Ana Lima", organisation="Lisbon")
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    with pytest.raises(Conflict, match="Ana Lima"):
        team.confirmations.confirm(bo.id, waiting.id, benefit=7)
    assert team.confirmations.confirmations(bo.id).to_confirm == [waiting]
    done = team.confirmations.confirm(bo.id, waiting.id, benefit=7, person="Ana Lima")
    [ana_there] = team.ledger(bo.id).people.list()
    assert team.ledger(bo.id).ledger.get(done.my_exchange_id or 0).exchange.giver_id == (
        ana_there.id
    )
    assert [link.person_id for link in team.confirmations.links(bo.id)] == [ana_there.id]


def test_an_exchange_the_logger_removed_is_no_longer_to_confirm(team: TeamService) -> None:
    ana, bo = linked(team)
    team.ledger(ana.id).ledger.delete(gave_to_bo(team, ana))
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    with pytest.raises(Conflict, match="Ana Lima has removed this exchange"):
        team.confirmations.confirm(bo.id, waiting.id, benefit=4)
    assert team.confirmations.confirmations(bo.id) == Confirmations([], [], [])
    assert team.ledger(bo.id).people.list() == []


def test_the_logger_withdraws_what_still_waits(team: TeamService) -> None:
    ana, bo = linked(team)
    exchange_id = gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    with pytest.raises(NotFound):  # only the logger takes it back
        team.confirmations.withdraw(bo.id, waiting.id)
    team.confirmations.withdraw(ana.id, waiting.id)
    assert team.confirmations.confirmations(bo.id) == Confirmations([], [], [])
    assert team.confirmations.confirmations(ana.id) == Confirmations([], [], [])
    assert team.ledger(ana.id).ledger.get(exchange_id).exchange.description
    with pytest.raises(NotFound):
        team.confirmations.confirm(bo.id, waiting.id, benefit=3)
    link = team.confirmations.ask_by_link(ana.id, exchange_id)
    team.confirmations.withdraw(ana.id, link.confirmation_id)
    with pytest.raises(NotFound):
        team.confirmations.link_request(link.token)
    gave_to_bo(team, ana, "Settled one")
    [settled] = team.confirmations.confirmations(bo.id).to_confirm
    team.confirmations.confirm(bo.id, settled.id, benefit=6)
    with pytest.raises(Conflict):
        team.confirmations.withdraw(ana.id, settled.id)


def test_a_bad_figure_is_refused_and_changes_nothing(team: TeamService) -> None:
    ana, bo = linked(team)
    gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    with pytest.raises(InvalidInput):
        team.confirmations.confirm(bo.id, waiting.id, benefit=11)
    with pytest.raises(InvalidInput, match="you received in this exchange: give your benefit"):
        team.confirmations.confirm(bo.id, waiting.id, cost=3)
    with pytest.raises(InvalidInput):
        team.confirmations.confirm(bo.id, waiting.id)
    assert team.ledger(bo.id).people.list() == []
    assert team.confirmations.get(bo.id, waiting.id).state == "pending"


def test_an_exchange_rolled_back_is_offered_to_nobody(team: TeamService) -> None:
    ana, bo = linked(team)
    ledger = team.ledger(ana.id)
    with pytest.raises(RuntimeError), ledger.database.write():
        gave_to_bo(team, ana)
        raise RuntimeError("undo")
    assert team.confirmations.confirmations(bo.id).to_confirm == []
    with ledger.database.write():  # logged inside a larger unit of work: offered once it commits
        gave_to_bo(team, ana)
    assert len(team.confirmations.confirmations(bo.id).to_confirm) == 1


def test_someone_without_an_account_answers_once_through_a_private_link(
    team: TeamService, clock: Clock
) -> None:
    ana, _ = founded(team)
    mine = team.ledger(ana.id)
    mine.people.add("Cy Stranger")
    logged = mine.ledger.log(
        "Cy Stranger", Direction.GAVE, kind="time", what="Private words", benefit=5, cost=4
    )
    made = team.confirmations.ask_by_link(ana.id, logged.id, name="Ana", what="Helped you move")
    shown = team.confirmations.link_request(made.token)
    assert (shown.name, shown.description, shown.they_gave) == ("Ana", "Helped you move", True)
    assert "Private" not in repr(shown)

    again = team.confirmations.ask_by_link(ana.id, logged.id, name="Ana")
    assert again.confirmation_id == made.confirmation_id
    with pytest.raises(NotFound):  # asking again replaced the earlier link
        team.confirmations.link_request(made.token)
    with pytest.raises(NotFound):
        team.confirmations.link_request("x" * 43)
    with pytest.raises(NotFound):
        team.confirmations.answer_link("not a token", 3)

    team.confirmations.answer_link(again.token, 9)
    with pytest.raises(Conflict):
        team.confirmations.answer_link(again.token, 2)
    with pytest.raises(NotFound):
        team.confirmations.link_request(again.token)
    [settled] = team.confirmations.confirmations(ana.id).settled
    assert settled.by_link and settled.benefit == TwoViews(giver=5, receiver=9)
    with pytest.raises(Conflict):
        team.confirmations.ask_by_link(ana.id, logged.id)

    later = mine.ledger.log("Cy Stranger", Direction.GOT, kind="knowledge", what="Advice")
    short = team.confirmations.ask_by_link(ana.id, later.id, days=1)
    assert not team.confirmations.link_request(short.token).they_gave
    clock.moment += timedelta(days=1, seconds=1)
    with pytest.raises(NotFound):
        team.confirmations.link_request(short.token)
    with pytest.raises(NotFound):
        team.confirmations.answer_link(short.token, 3)


def test_no_member_reaches_a_confirmation_of_another_pair(team: TeamService) -> None:
    ana, bo = linked(team)
    cy = team.join(team.invite(ana.id, "cy@example.org").token, BO_PASSWORD, "Cy Diaz")
    exchange_id = gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    assert team.confirmations.confirmations(cy.id) == Confirmations([], [], [])
    for attempt in (
        lambda: team.confirmations.get(cy.id, waiting.id),
        lambda: team.confirmations.confirm(cy.id, waiting.id, benefit=5),
        lambda: team.confirmations.decline(cy.id, waiting.id),
        lambda: team.confirmations.confirm(ana.id, waiting.id, benefit=5),  # the logger answers not
        lambda: team.confirmations.decline(ana.id, waiting.id),
        lambda: team.confirmations.ask_by_link(cy.id, exchange_id),
        lambda: team.confirmations.link(cy.id, 1, bo.id),  # Ana's person id, not Cy's
    ):
        with pytest.raises(NotFound):
            attempt()
    assert team.confirmations.get(bo.id, waiting.id).state == "pending"


def test_leaving_anonymises_what_others_confirmed(
    server: Mutuality, team: TeamService, tmp_path: Path
) -> None:
    ana, bo = linked(team)
    gave_to_bo(team, ana)
    [first] = team.confirmations.confirmations(bo.id).to_confirm
    team.confirmations.confirm(bo.id, first.id, benefit=7)
    gave_to_bo(team, ana, "Another review")  # pending when Ana leaves
    mine = team.ledger(ana.id)
    mine.people.add("Cy Stranger")
    logged = mine.ledger.log("Cy Stranger", Direction.GOT, kind="time", what="Moved boxes")
    link = team.confirmations.ask_by_link(ana.id, logged.id)

    team.hand_over(ana.id, bo.id)
    team.leave(ana.id, tmp_path / "ana.json")

    seen = team.confirmations.confirmations(bo.id)
    assert seen.to_confirm == [] and seen.waiting == []
    [kept] = seen.settled
    assert kept.other == FORMER_MEMBER and kept.benefit == TwoViews(6, 7)
    assert len(team.ledger(bo.id).ledger.recent(10)) == 1  # Bo keeps his own exchange
    with pytest.raises(NotFound):
        team.confirmations.link_request(link.token)
    with server.database.read() as session:  # the registry, read as the server
        rows = session.scalars(select(ConfirmationRow)).all()
        assert [(r.logger_id, r.logger_exchange_id, r.shown_name) for r in rows] == [
            (None, None, FORMER_MEMBER)
        ]
        assert session.scalars(select(MemberLinkRow)).all() == []


def test_two_answers_at_once_confirm_once(team: TeamService) -> None:
    """The confirmation's row is locked while it is answered: of two answers sent at once,
    one confirms and the other is told it was confirmed already; one exchange is written."""
    ana, bo = linked(team)
    gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm
    answers = race(
        [
            lambda: team.confirmations.confirm(bo.id, waiting.id, benefit=5),
            lambda: team.confirmations.confirm(bo.id, waiting.id, benefit=9),
            lambda: team.confirmations.decline(bo.id, waiting.id),
        ]
    )
    done = [a for a in answers if not isinstance(a, Exception)]
    assert len(done) == 1 and all(isinstance(a, Conflict) for a in answers if a not in done)
    assert team.ledger(bo.id).ledger.count_mine() == (1 if done[0].state == "confirmed" else 0)
    assert team.confirmations.get(bo.id, waiting.id).state == done[0].state


def test_a_confirmation_that_fails_after_the_mirror_leaves_no_half_behind(
    team: TeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mirrored exchange and the confirmation's answer are one transaction: when the
    registry's part fails after the exchange was written into the confirmer's ledger, the
    exchange goes too, and confirming again writes it exactly once (two transactions left
    the exchange behind, and the retry wrote it twice)."""
    from mutuality.services.team_confirmations import ConfirmationService

    ana, bo = linked(team)
    gave_to_bo(team, ana)
    [waiting] = team.confirmations.confirmations(bo.id).to_confirm

    def registry_fails(*_: object, **__: object) -> None:
        raise RuntimeError("the registry's part failed")

    monkeypatch.setattr(ConfirmationService, "_seen", registry_fails)
    with pytest.raises(RuntimeError):
        team.confirmations.confirm(bo.id, waiting.id, benefit=8)
    monkeypatch.undo()
    bo_ledger = team.ledger(bo.id)
    assert bo_ledger.people.list() == []  # not even the person made for Ana
    assert bo_ledger.ledger.recent() == []
    [still] = team.confirmations.confirmations(bo.id).to_confirm
    assert still.id == waiting.id

    settled = team.confirmations.confirm(bo.id, waiting.id, benefit=8)
    [ana_there] = bo_ledger.people.list()
    [entry] = bo_ledger.ledger.timeline(ana_there.id).entries
    assert entry.exchange.id == settled.my_exchange_id
    with bo_ledger.database.read() as session:  # the server's marker of Bo's ledger moved
        assert session.connection().exec_driver_sql("SELECT version FROM change_markers").scalar()
