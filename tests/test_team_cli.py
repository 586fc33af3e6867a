"""``mutuality team ...`` end to end through Typer's runner on PostgreSQL: creating the
community, inviting, joining, listing, handing over, removing and leaving; bad input exits
2 with a message naming what was wrong, and writes nothing.

Runs when ``MUTUALITY_TEST_PG`` names a server; skipped, saying why, otherwise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture)
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction

pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")

runner = CliRunner()
ANA_PASSWORD = "ana's long password"
BO_PASSWORD = "bo's long password!"


def run(url: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["team", *args, "--db", url], input=input)


def ok(url: str, *args: str, input: str | None = None) -> str:
    result = run(url, *args, input=input)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(url: str, *args: str, input: str | None = None) -> str:
    """Run a command that must fail as a user's mistake: exit 2; its message."""
    result = run(url, *args, input=input)
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def token_in(output: str) -> str:
    [token] = re.findall(r"/join/([A-Za-z0-9_-]{43})$", output, flags=re.M)
    return token


def counts(url: str) -> dict[str, int]:
    """Rows of the registry and of the ledgers, to show a refusal wrote nothing."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("communities", "members", "member_invitations", "people")
            } | {
                "active": connection.execute(
                    text("SELECT count(*) FROM members WHERE left_at IS NULL")
                ).scalar_one(),
                "organisers": connection.execute(
                    text("SELECT count(*) FROM members WHERE role = 'organiser'")
                ).scalar_one(),
            }
    finally:
        engine.dispose()


def members(url: str) -> list[dict[str, object]]:
    return json.loads(ok(url, "members", "--format", "json"))


@pytest.fixture
def community(pg_url: str, tmp_path: Path) -> str:  # noqa: F811
    """Founders Circle: Ana organises, Bo is a member."""
    made = ok(
        pg_url,
        "init",
        "Founders Circle",
        "--email",
        "ana@example.org",
        "--name",
        "Ana Lima",
        "--base-url",
        "https://circle.example.org",
    )
    assert "Created the community Founders Circle." in made
    assert "https://circle.example.org/join/" in made
    password = tmp_path / "password"
    password.write_text(ANA_PASSWORD + "\n", encoding="utf-8")
    joined = ok(pg_url, "join", token_in(made), "--password-file", str(password))
    assert "Welcome, Ana Lima: you are an organiser of Founders Circle" in " ".join(joined.split())
    invited = ok(pg_url, "invite", "bo@example.org", "--by", "ana@example.org")
    [bo] = re.findall(r"^http://127\.0\.0\.1:8765/join/\S+$", invited, flags=re.M)
    asked = ok(pg_url, "join", bo, "--name", "Bo Chen", input=f"{BO_PASSWORD}\n{BO_PASSWORD}\n")
    assert BO_PASSWORD not in asked  # the password is not echoed
    assert "you are a member" in asked
    return pg_url


def test_init_invite_join_and_members(community: str) -> None:
    assert [(m["email"], m["name"], m["role"]) for m in members(community)] == [
        ("ana@example.org", "Ana Lima", "organiser"),
        ("bo@example.org", "Bo Chen", "member"),
    ]
    table = ok(community, "members")
    assert "Ana Lima" in table and "bo@example.org" in table


def test_the_join_link_uses_the_default_address_and_says_so(pg_url: str) -> None:  # noqa: F811
    result = run(pg_url, "init", "Circle", "--email", "ana@example.org", "--name", "Ana Lima")
    assert result.exit_code == 0, result.output
    assert re.search(r"^http://127\.0\.0\.1:8765/join/\S{43}$", result.stdout, flags=re.M)
    assert "this computer itself" in result.stderr
    assert "[web]" in " ".join(result.stderr.split())


def test_hand_over_remove_and_leave(community: str, tmp_path: Path) -> None:
    ok(community, "hand-over", "bo@example.org", "--by", "ana@example.org")
    assert [m["role"] for m in members(community)] == ["member", "organiser"]
    cy = token_in(ok(community, "invite", "cy@example.org", "--by", "bo@example.org"))
    ok(community, "join", cy, "--name", "Cy Park", input="cy's long password\n" * 2)
    assert len(members(community)) == 3

    ok(community, "remove", "cy@example.org", "--by", "bo@example.org", "--yes")
    assert [m["email"] for m in members(community)] == ["ana@example.org", "bo@example.org"]

    backup = tmp_path / "ana.json"
    ok(community, "leave", "ana@example.org", "--export", str(backup), "--yes")
    people = json.loads(backup.read_text(encoding="utf-8"))["data"]["people"]
    assert [p["name"] for p in people] == ["Ana Lima"]
    assert [m["email"] for m in members(community)] == ["bo@example.org"]


def test_export_writes_one_members_ledger_and_nothing_of_the_others(
    community: str, tmp_path: Path
) -> None:
    with Mutuality.open(community) as server:
        ana, bo = server.team.members()
        server.team.ledger(ana.id).people.add("Dana Smith")
        server.team.ledger(bo.id).people.add("Eli Park")
        server.team.ledger(bo.id).ledger.log("Eli Park", Direction.GOT, kind="time", what="Help")
    backup = tmp_path / "bo.json"
    ok(community, "export", "bo@example.org", str(backup))
    saved = backup.read_text(encoding="utf-8")
    data = json.loads(saved)["data"]
    assert {p["name"] for p in data["people"]} == {"Bo Chen", "Eli Park"}
    assert len(data["exchanges"]) == 1
    assert "Dana Smith" not in saved and "Ana Lima" not in saved
    assert len(members(community)) == 2
    assert "EMAIL" in refused(community, "export", "cy@example.org", str(tmp_path / "cy.json"))
    assert not (tmp_path / "cy.json").exists()


def test_bad_input_exits_2_and_writes_nothing(community: str, tmp_path: Path) -> None:
    before = counts(community)

    assert "--by" in refused(community, "invite", "cy@example.org", "--by", "nobody@example.org")
    assert "--by" in refused(community, "invite", "cy@example.org", "--by", "not an email")
    assert "only an organiser can invite" in refused(
        community, "invite", "cy@example.org", "--by", "bo@example.org"
    )
    assert "--role" in refused(
        community, "invite", "cy@example.org", "--by", "ana@example.org", "--role", "admin"
    )
    assert "already a member" in refused(
        community, "invite", "bo@example.org", "--by", "ana@example.org"
    )
    assert "not an email address" in refused(
        community, "invite", "cy at example", "--by", "ana@example.org"
    )
    assert "only an organiser can remove" in refused(
        community, "remove", "ana@example.org", "--by", "bo@example.org", "--yes"
    )
    assert "only an organiser can hand over" in refused(
        community, "hand-over", "bo@example.org", "--by", "bo@example.org"
    )
    assert "hand the role over" in refused(
        community, "remove", "ana@example.org", "--by", "ana@example.org", "--yes"
    )
    assert "not valid" in refused(community, "join", "x" * 43, input="a long password\n" * 2)
    assert "--yes" in refused(community, "leave", "bo@example.org", "--export", "bo.json")
    assert "cannot write" in refused(
        community, "leave", "bo@example.org", "--export", str(tmp_path / "no" / "bo.json"), "--yes"
    )
    assert not (tmp_path / "no").exists()

    assert counts(community) == before


def test_an_invitation_used_twice_or_a_short_password_is_refused(
    community: str, tmp_path: Path
) -> None:
    cy = token_in(ok(community, "invite", "cy@example.org", "--by", "ana@example.org"))
    before = counts(community)
    assert "10 characters" in refused(
        community, "join", cy, "--name", "Cy Park", input="short\n" * 2
    )
    assert "--password-file" in refused(
        community, "join", cy, "--name", "Cy Park", "--password-file", str(tmp_path / "missing")
    )
    assert counts(community) == before
    ok(community, "join", cy, "--name", "Cy Park", input="cy's long password\n" * 2)
    after = counts(community)
    assert "already used" in refused(community, "join", cy, input="another password\n" * 2)
    assert counts(community) == after


def test_team_mode_refuses_sqlite_naming_db(tmp_path: Path) -> None:
    target = tmp_path / "personal.db"
    result = runner.invoke(
        app,
        [
            "team",
            "init",
            "Circle",
            "--email",
            "a@example.org",
            "--name",
            "Ana",
            "--db",
            str(target),
        ],
    )
    assert result.exit_code == 2
    assert "--db" in result.output and "PostgreSQL" in result.output
    assert not target.exists()


def test_two_members_confirm_an_exchange_and_see_both_figures(community: str) -> None:
    ok(community, "invite", "cy@example.org", "--by", "ana@example.org")
    with Mutuality.open(community) as server:
        ana = server.team.by_email("ana@example.org")
        server.team.ledger(ana.id).people.add("Bo Chen", emails=("bo@example.org",))
    suggested = ok(community, "links", "--as", "ana@example.org")
    assert "Bo Chen has the email of the member Bo Chen" in " ".join(suggested.split())
    unknown = refused(community, "link", "Bo Chen", "nobody@example.org", "--as", "ana@example.org")
    assert "MEMBER_EMAIL 'nobody@example.org'" in unknown
    ok(community, "link", "Bo Chen", "bo@example.org", "--as", "ana@example.org")
    [linked] = json.loads(ok(community, "links", "--as", "ana@example.org", "--format", "json"))
    assert (linked["person"], linked["member"], linked["linked"]) == ("Bo Chen", "Bo Chen", True)
    with Mutuality.open(community) as server:
        server.team.ledger(ana.id).ledger.log(
            "Bo Chen", Direction.GAVE, kind="knowledge", what="Read Bo's draft", benefit=4, cost=3
        )
    waiting = ok(community, "confirmations", "--as", "bo@example.org")
    assert "#1" in waiting and "Ana Lima gave you" in waiting and "Read Bo's draft" in waiting
    assert " 4" not in waiting  # Ana's figures show once Bo has given his own
    message = refused(community, "confirm", "1", "--as", "bo@example.org", "--cost", "2")
    assert "you received in this exchange: give your benefit (0 to 10), not the cost" in message
    assert "no confirmation with id 1" in refused(
        community, "confirm", "1", "--as", "ana@example.org", "--benefit", "5"
    )
    done = " ".join(
        ok(community, "confirm", "1", "--as", "bo@example.org", "--benefit", "7").split()
    )
    assert "Benefit to you: you say 7; Ana Lima thought 4 (3 apart)" in done
    settled = " ".join(
        ok(community, "confirmations", "--as", "ana@example.org", "--settled").split()
    )
    assert "Benefit to Bo Chen: Bo Chen says 7; you thought 4 (3 apart)" in settled
    assert "Cost to you: you say 3" in settled
    assert (
        "What you gave Bo Chen (1 exchange): Bo Chen says it was worth 7 to them; you thought 4."
        in settled
    )
    found = json.loads(ok(community, "confirmations", "--as", "bo@example.org", "--format", "json"))
    [mine] = found["settled"]
    assert mine["benefit"] == {"giver": 4, "receiver": 7, "gap": 3}
    assert "already" in refused(community, "decline", "1", "--as", "bo@example.org")


def test_a_private_link_for_someone_without_an_account(community: str) -> None:
    with Mutuality.open(community) as server:
        ana = server.team.by_email("ana@example.org")
        ledger = server.team.ledger(ana.id)
        ledger.people.add("Dee Stranger")
        logged = ledger.ledger.log("Dee Stranger", Direction.GOT, kind="time", what="Moved boxes")
    made = ok(
        community,
        "ask",
        str(logged.id),
        "--as",
        "ana@example.org",
        "--say",
        "Helped me move",
        "--base-url",
        "https://circle.example.org",
    )
    assert re.search(r"^https://circle\.example\.org/confirm/\S{43}$", made, flags=re.M)
    assert "not valid" not in made
    assert "no exchange" in refused(community, "ask", "999", "--as", "ana@example.org")
    waiting = ok(community, "confirmations", "--as", "ana@example.org")
    assert "someone you sent a private link" in waiting
