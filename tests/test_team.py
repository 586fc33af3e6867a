"""Team mode's registry and service (issue #19): creating the community, invitations used
once and expiring, signing in and out, what only an organiser may do, each member's ledger
private to them, and removing or leaving deleting that ledger's rows and nothing else.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from conftest import TODAY
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from test_digest import free_port, settings_for, smtp  # noqa: F401 (the fixture)
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)

from mutuality.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StorageError,
    Unauthorized,
)
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings
from mutuality.services.team import Member, TeamService, check_team_database
from mutuality.store.tables import Base

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")

ANA_PASSWORD = "ana's long password"
BO_PASSWORD = "bo's long password!"


class Clock:
    """A clock the test moves forward (invitations and sessions expire by it)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 23, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def server(pg_url: str) -> Iterator[Mutuality]:  # noqa: F811
    with Mutuality.open(pg_url, Settings(), today=lambda: TODAY) as app:
        yield app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def team(server: Mutuality, clock: Clock) -> Iterator[TeamService]:
    service = TeamService(server.database, server.settings, lambda: TODAY, clock)
    try:
        yield service
    finally:
        service.close()


def founded(team: TeamService) -> tuple[Member, Member]:
    """Ana organises Founders Circle; Bo is a member."""
    ana = team.join(team.init("Founders Circle", "ana@example.org", "Ana Lima").token, ANA_PASSWORD)
    bo = team.join(team.invite(ana.id, "bo@example.org").token, BO_PASSWORD, "Bo Chen")
    return ana, bo


def rows_by_ledger(server: Mutuality) -> dict[str, dict[int, int]]:
    """Every ledger table's row count per ledger, through the unscoped connection."""
    counts: dict[str, dict[int, int]] = {}
    with server.database.read() as session:
        for table in Base.metadata.sorted_tables:
            found = session.execute(
                text(f"SELECT ledger_id, count(*) FROM {table.name} GROUP BY ledger_id")
            ).all()
            if found:
                counts[table.name] = dict(found)
    return counts


def fill(ledger: Mutuality, friend: str) -> None:
    ledger.people.add(friend, emails=(f"{friend.split()[0].lower()}@example.org",), tags=("x",))
    ledger.ledger.log(friend, Direction.GAVE, kind="knowledge", what=f"Helped {friend}")
    ledger.ledger.log(friend, Direction.GOT, kind="referral", what=f"{friend} sent a client")
    ledger.checkins.record(friend, my_satisfaction=4, note="private")
    ledger.checkins.make_link(friend, None, 14)


def test_init_invite_join_sign_in_and_out(team: TeamService) -> None:
    invite = team.init("Founders Circle", "Ana@Example.org", "Ana Lima")
    assert (invite.email, invite.role) == ("ana@example.org", "organiser")
    assert team.invitation(invite.token).community == "Founders Circle"
    ana = team.join(invite.token, ANA_PASSWORD)
    assert (ana.display_name, ana.role, ana.is_organiser) == ("Ana Lima", "organiser", True)
    assert team.ledger(ana.id).people.owner().name == "Ana Lima"

    made = team.invite(ana.id, "bo@example.org")
    assert made.role == "member" and not made.emailed
    bo = team.join(made.token, BO_PASSWORD, "Bo Chen")
    assert [(m.email, m.role) for m in team.members()] == [
        ("ana@example.org", "organiser"),
        ("bo@example.org", "member"),
    ]

    signed = team.sign_in("BO@example.org ", BO_PASSWORD)
    assert signed.member == bo and signed.csrf and signed.token != signed.csrf
    assert team.member_for(signed.token) == bo
    assert team.session(signed.token).csrf == signed.csrf
    team.sign_out(signed.token)
    with pytest.raises(NotFound):
        team.member_for(signed.token)

    with pytest.raises(Unauthorized):
        team.sign_in("bo@example.org", ANA_PASSWORD)
    with pytest.raises(Unauthorized):
        team.sign_in("nobody@example.org", BO_PASSWORD)


def test_a_session_expires(team: TeamService, clock: Clock) -> None:
    _, _bo = founded(team)
    signed = team.sign_in("bo@example.org", BO_PASSWORD)
    clock.moment += timedelta(days=8)
    with pytest.raises(NotFound):
        team.member_for(signed.token)
    with pytest.raises(NotFound):
        team.member_for("not-a-token")


def test_a_second_community_on_one_server_is_refused(team: TeamService) -> None:
    team.init("Founders Circle", "ana@example.org", "Ana Lima")
    with pytest.raises(Conflict, match="Founders Circle"):
        team.init("Another", "bo@example.org", "Bo Chen")


def test_an_invitation_works_once(team: TeamService) -> None:
    ana, _ = founded(team)
    made = team.invite(ana.id, "cy@example.org", name="Cy Park")
    team.join(made.token, "cy's long password")
    with pytest.raises(Forbidden, match="already used"):
        team.join(made.token, "someone else's password")
    with pytest.raises(Forbidden, match="not valid"):
        team.join("x" * 43, "someone else's password")
    assert len(team.members()) == 3


def test_an_expired_invitation_is_refused(team: TeamService, clock: Clock) -> None:
    ana, _ = founded(team)
    made = team.invite(ana.id, "cy@example.org", name="Cy Park")
    clock.moment += timedelta(days=7, seconds=1)
    with pytest.raises(Forbidden, match="expired"):
        team.join(made.token, "cy's long password")
    with pytest.raises(Forbidden, match="expired"):
        team.invitation(made.token)
    assert "cy@example.org" not in [m.email for m in team.members()]


def test_a_new_invitation_replaces_the_older_one(team: TeamService) -> None:
    ana, _ = founded(team)
    first = team.invite(ana.id, "cy@example.org", name="Cy Park")
    second = team.invite(ana.id, "cy@example.org", name="Cy Park")
    with pytest.raises(Forbidden):
        team.join(first.token, "cy's long password")
    team.join(second.token, "cy's long password")


def test_a_short_password_or_a_member_already_there_is_refused(team: TeamService) -> None:
    ana, _ = founded(team)
    made = team.invite(ana.id, "cy@example.org", name="Cy Park")
    with pytest.raises(InvalidInput, match="10 characters"):
        team.join(made.token, "short")
    with pytest.raises(Conflict, match="already a member"):
        team.invite(ana.id, "bo@example.org")
    with pytest.raises(InvalidInput, match="role"):
        team.invite(ana.id, "dee@example.org", role="admin")
    team.join(made.token, "cy's long password")  # the refusal did not use it up


def test_only_an_organiser_invites_removes_and_hands_over(team: TeamService) -> None:
    ana, bo = founded(team)
    with pytest.raises(Forbidden, match=r"bo@example\.org is a member"):
        team.invite(bo.id, "cy@example.org")
    with pytest.raises(Forbidden):
        team.remove(bo.id, ana.id)
    with pytest.raises(Forbidden):
        team.hand_over(bo.id, bo.id)
    with pytest.raises(Forbidden, match="no member has the id 999"):
        team.invite(999, "cy@example.org")
    assert [m.role for m in team.members()] == ["organiser", "member"]

    team.hand_over(ana.id, bo.id)
    assert [m.role for m in team.members()] == ["member", "organiser"]
    with pytest.raises(Forbidden):
        team.invite(ana.id, "cy@example.org")
    team.invite(bo.id, "cy@example.org")


def test_the_only_organiser_cannot_remove_themselves(team: TeamService) -> None:
    ana, _bo = founded(team)
    with pytest.raises(Conflict, match="hand the role over"):
        team.remove(ana.id, ana.id)
    with pytest.raises(Conflict, match="hand the role over"):
        team.leave(ana.id, Path("/nonexistent/never-written.json"))
    assert len(team.members()) == 2


def test_each_member_sees_only_their_own_ledger(team: TeamService) -> None:
    ana, bo = founded(team)
    fill(team.ledger(ana.id), "Dana Smith")
    fill(team.ledger(bo.id), "Eli Park")
    mine, theirs = team.ledger(ana.id), team.ledger(bo.id)
    assert mine is team.ledger(ana.id)  # kept per member
    assert [p.name for p in mine.people.list()] == ["Dana Smith"]
    assert [p.name for p in theirs.people.list()] == ["Eli Park"]
    assert mine.people.owner().name == "Ana Lima" and theirs.people.owner().name == "Bo Chen"
    assert mine.ledger.timeline("Dana Smith").total == 2
    assert theirs.ledger.timeline("Eli Park").total == 2
    dana = mine.people.get("Dana Smith").person
    with pytest.raises(NotFound):
        theirs.people.get(dana.id)
    with pytest.raises(NotFound):
        theirs.people.get("Dana Smith")


def test_remove_deletes_every_row_of_that_ledger_and_nothing_else(
    team: TeamService, server: Mutuality
) -> None:
    ana, bo = founded(team)
    fill(team.ledger(ana.id), "Dana Smith")
    fill(team.ledger(bo.id), "Eli Park")
    signed = team.sign_in("bo@example.org", BO_PASSWORD)
    before = rows_by_ledger(server)
    assert before["exchanges"] == {ana.id: 2, bo.id: 2}

    team.remove(ana.id, bo.id)

    after = rows_by_ledger(server)
    assert all(bo.id not in counts for counts in after.values())
    assert {table: counts.get(ana.id) for table, counts in before.items()} == {
        table: after.get(table, {}).get(ana.id) for table in before
    }
    assert [m.email for m in team.members()] == ["ana@example.org"]
    with pytest.raises(NotFound):
        team.member_for(signed.token)
    with pytest.raises(Unauthorized):
        team.sign_in("bo@example.org", BO_PASSWORD)
    with pytest.raises(NotFound):
        team.ledger(bo.id)
    with server.database.read() as session:
        forgotten = session.execute(
            text("SELECT email, display_name, password_hash, left_at FROM members WHERE id = :id"),
            {"id": bo.id},
        ).one()
    assert "bo" not in forgotten.email and forgotten.display_name == "Former member"
    assert forgotten.password_hash is None and forgotten.left_at is not None


def test_someone_removed_can_be_invited_again_to_a_fresh_ledger(team: TeamService) -> None:
    ana, bo = founded(team)
    fill(team.ledger(bo.id), "Eli Park")
    team.remove(ana.id, bo.id)
    again = team.join(team.invite(ana.id, "bo@example.org").token, BO_PASSWORD, "Bo Chen")
    assert again.id != bo.id
    assert team.ledger(again.id).people.list() == []


def test_leave_writes_their_backup_then_deletes_their_ledger(
    team: TeamService, server: Mutuality, tmp_path: Path
) -> None:
    ana, bo = founded(team)
    fill(team.ledger(ana.id), "Dana Smith")
    fill(team.ledger(bo.id), "Eli Park")
    backup = tmp_path / "bo.json"

    team.leave(bo.id, backup)

    saved = backup.read_text(encoding="utf-8")
    data = json.loads(saved)["data"]
    assert {p["name"] for p in data["people"]} == {"Bo Chen", "Eli Park"}
    assert len(data["exchanges"]) == 2
    assert "Dana Smith" not in saved and "Ana Lima" not in saved
    assert all(bo.id not in counts for counts in rows_by_ledger(server).values())
    assert rows_by_ledger(server)["exchanges"] == {ana.id: 2}
    with Mutuality.open(str(tmp_path / "personal.db"), Settings(), today=lambda: TODAY) as mine:
        mine.backups.restore_json(backup)  # the backup restores into a personal ledger
        assert [p.name for p in mine.people.list()] == ["Eli Park"]


def test_leave_deletes_nothing_when_the_backup_cannot_be_written(
    team: TeamService, server: Mutuality, tmp_path: Path
) -> None:
    _, bo = founded(team)
    fill(team.ledger(bo.id), "Eli Park")
    before = rows_by_ledger(server)
    with pytest.raises(Exception, match="missing"):
        team.leave(bo.id, tmp_path / "missing" / "bo.json")
    assert rows_by_ledger(server) == before
    assert len(team.members()) == 2


def test_a_member_transaction_cannot_read_the_team_tables(team: TeamService) -> None:
    _ana, bo = founded(team)
    ledger = team.ledger(bo.id)
    for table in ("communities", "members", "member_invitations", "member_sessions"):
        with pytest.raises(DBAPIError, match="permission denied"), ledger.database.read() as s:
            s.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    with pytest.raises(DBAPIError, match="permission denied"), ledger.database.write() as s:
        s.execute(text("UPDATE members SET role = 'organiser'"))
    assert [m.role for m in team.members()] == ["organiser", "member"]


def test_an_invitation_goes_by_email_when_a_server_is_set(
    server: Mutuality,
    clock: Clock,
    smtp,  # noqa: F811
) -> None:
    inbox, port = smtp
    settings = replace(server.settings, email=settings_for(port))
    mailing = TeamService(server.database, settings, lambda: TODAY, clock)
    ana = mailing.join(
        mailing.init("Founders Circle", "ana@example.org", "Ana Lima").token, ANA_PASSWORD
    )
    made = mailing.invite(ana.id, "bo@example.org", link_base="https://circle.example.org")
    assert made.emailed
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["bo@example.org"]
    received = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "Ana Lima invites you to Founders Circle"
    assert f"https://circle.example.org/join/{made.token}" in received.get_content()
    mailing.close()


def test_an_invitation_that_cannot_be_mailed_is_not_made(server: Mutuality, clock: Clock) -> None:
    settings = replace(server.settings, email=settings_for(free_port()))  # nobody listens
    mailing = TeamService(server.database, settings, lambda: TODAY, clock)
    ana = mailing.join(
        mailing.init("Founders Circle", "ana@example.org", "Ana Lima").token, ANA_PASSWORD
    )
    with pytest.raises(StorageError, match=r"could not send the invitation to bo@example\.org"):
        mailing.invite(ana.id, "bo@example.org", link_base="https://circle.example.org")
    with server.database.read() as session:
        emails = session.execute(text("SELECT email FROM member_invitations")).scalars().all()
    assert emails == ["ana@example.org"]
    assert not mailing.invite(ana.id, "bo@example.org").emailed  # no address for links: no mail
    mailing.close()


def test_team_mode_refuses_sqlite(tmp_path: Path) -> None:
    target = tmp_path / "one.db"
    with pytest.raises(InvalidInput, match="--db"):
        check_team_database(str(target))
    assert not target.exists()
    with Mutuality.open(str(target)) as personal, pytest.raises(InvalidInput, match="PostgreSQL"):
        _ = personal.team


def test_a_backup_through_the_servers_own_connection_is_refused(
    server: Mutuality, team: TeamService, tmp_path: Path
) -> None:
    """The unscoped connection sees every member's ledger: a backup of it would mix them."""
    ana, bo = founded(team)
    fill(team.ledger(ana.id), "Dana Smith")
    fill(team.ledger(bo.id), "Eli Park")
    with pytest.raises(Conflict, match="would mix them"):
        server.backups.export_json(tmp_path / "everyone.json")
    assert not (tmp_path / "everyone.json").exists()
    team.ledger(bo.id).backups.export_json(tmp_path / "bo.json")  # one member's: fine
    assert "Eli Park" in (tmp_path / "bo.json").read_text()
    assert "Dana Smith" not in (tmp_path / "bo.json").read_text()
