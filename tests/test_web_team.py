"""Team mode in the web app: members sign in with email and password, join through an
invitation, work in their own ledger on every page, and an organiser manages who belongs
on /team. PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is unset."""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
import re
from typing import Any

from team_web_helpers import (
    SAFE_HEADERS,
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from web_helpers import PASSWORD, form_token, post_form, session_of, web_client

from mutuality.services.app import Mutuality
from mutuality.web.security import SESSION_COOKIE

pytestmark = needs_server


def test_a_database_without_a_community_keeps_the_single_user_app(server: Mutuality) -> None:
    client = web_client(server)
    login = client.get("/login")
    assert login.status_code == 200 and 'name="email"' not in login.text
    assert "one-time login link" in login.text
    assert client.get("/join/" + "A" * 43).status_code == 404  # no such route
    assert client.app.state.team is None  # type: ignore[attr-defined]


def test_members_sign_in_with_email_and_password(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    client = web_client(server, login_attempts=3)
    form = client.get("/login")
    assert 'name="email"' in form.text and 'name="password"' in form.text
    assert client.get("/people", follow_redirects=False).headers["location"].startswith("/login")
    wrong = client.post(
        "/login",
        data={"email": "bea@example.org", "password": "not the password"},
        headers=SAFE_HEADERS,
    )
    assert wrong.status_code == 401 and "do not match" in wrong.text
    assert not session_of(client)
    good = client.post(
        "/login",
        data={"email": "bea@example.org", "password": PASSWORD, "next": "/people"},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/people"
    cookie = good.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/")
    assert home.status_code == 200 and 'href="/team"' in home.text
    assert server.team.member_for(session_of(client)).id == community.members[0].id
    # the rate limit of the single-user sign-in counts here too
    stranger = web_client(server, login_attempts=2)
    for _ in range(2):
        stranger.post(
            "/login", data={"email": "x@example.org", "password": "guess"}, headers=SAFE_HEADERS
        )
    refused = stranger.post(
        "/login", data={"email": "bea@example.org", "password": PASSWORD}, headers=SAFE_HEADERS
    )
    assert refused.status_code == 429


def test_an_invitation_made_on_the_team_page_lets_someone_join_once(server: Mutuality) -> None:
    community = found_community(server)
    organiser = signed_in_as(server, community.organiser)
    invited = post_form(
        organiser,
        "/team/invite",
        {"email": "cai@example.org", "name": "Cai Brown", "role": "member"},
    )
    assert invited.status_code == 200 and "Send this link to cai@example.org" in invited.text
    link = re.search(r"<code>https://testserver/join/([A-Za-z0-9_-]{43})</code>", invited.text)
    assert link, invited.text
    token = link.group(1)
    stranger = web_client(server)
    form = stranger.get(f"/join/{token}")
    assert form.status_code == 200 and "Join Riverside Circle" in form.text
    assert 'value="Cai Brown"' in form.text
    differ = stranger.post(
        f"/join/{token}",
        data={"name": "Cai", "password": PASSWORD, "confirm": PASSWORD + "!"},
        headers=SAFE_HEADERS,
    )
    assert differ.status_code == 422 and "differ" in differ.text
    joined = stranger.post(
        f"/join/{token}",
        data={"name": "Cai B.", "password": PASSWORD, "confirm": PASSWORD},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )
    assert joined.status_code == 303 and session_of(stranger)
    assert stranger.get("/settings").text.count("Cai B.") >= 1  # their ledger's own name
    assert "Cai B." in stranger.get("/team").text
    again = web_client(server).get(f"/join/{token}")
    assert again.status_code == 404 and "not valid" in again.text
    used = web_client(server).post(
        f"/join/{token}",
        data={"name": "Eve", "password": PASSWORD, "confirm": PASSWORD},
        headers=SAFE_HEADERS,
    )
    assert used.status_code == 404 and not session_of(web_client(server))


def test_team_forms_need_the_form_token(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    organiser = signed_in_as(server, community.organiser)
    bea = community.members[0]
    for path in ("/team/invite", f"/team/members/{bea.id}/remove", "/logout"):
        forged = organiser.post(path, data={"email": "x@example.org"}, headers=SAFE_HEADERS)
        assert forged.status_code == 403, path
    assert [m.id for m in server.team.members()] == [community.organiser.id, bea.id]


def test_every_page_works_in_the_signed_in_members_own_ledger(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    olu = signed_in_as(server, community.organiser)
    bea = signed_in_as(server, community.members[0])
    made = olu.post("/api/people", json={"name": "Ana Lima"}, headers=SAFE_HEADERS)
    assert made.status_code == 201, made.text
    ana = made.json()["id"]
    assert olu.get(f"/people/{ana}").status_code == 200
    assert [p["person"]["name"] for p in olu.get("/api/people").json()["items"]] == ["Ana Lima"]
    assert bea.get("/api/people").json()["items"] == []
    assert bea.get(f"/people/{ana}").status_code == 404
    assert bea.get(f"/api/people/{ana}").status_code == 404
    assert "Ana Lima" not in bea.get("/people").text
    assert server.team.ledger(community.members[0].id).people.list() == []


def test_signing_out_ends_the_member_session(server: Mutuality) -> None:
    community = found_community(server)
    client = signed_in_as(server, community.organiser)
    token = session_of(client)
    out = client.post(
        "/logout",
        data={"csrf_token": form_token(client)},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = web_client(server)
    replay.cookies.set(SESSION_COOKIE, token)
    assert replay.get("/api/people").status_code == 401
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_the_api_session_takes_an_email_and_a_password(server: Mutuality) -> None:
    found_community(server)
    client = web_client(server)
    body = client.get("/api/openapi.json").json()
    schema = body["paths"]["/api/session"]["post"]["requestBody"]["content"]
    assert "email" in str(body["components"]["schemas"]) and schema
    wrong = client.post(
        "/api/session",
        json={"email": "olu@example.org", "password": "wrong one!"},
        headers=SAFE_HEADERS,
    )
    assert wrong.status_code == 401 and wrong.json()["field"] == "password"
    good = client.post(
        "/api/session",
        json={"email": "olu@example.org", "password": PASSWORD},
        headers=SAFE_HEADERS,
    )
    assert good.status_code == 200 and good.json()["signed_in"] is True
    assert client.get("/api/people").status_code == 200
    assert client.delete("/api/session", headers=SAFE_HEADERS).json()["signed_in"] is False
    assert client.get("/api/people").status_code == 401


def test_the_team_page_shows_names_and_roles_and_only_organisers_manage(
    server: Mutuality,
) -> None:
    community = found_community(server, "Bea Costa", "Cai Brown")
    bea, cai = community.members
    olu = signed_in_as(server, community.organiser)
    page = olu.get("/team")
    assert all(name in page.text for name in ("Olu Ade (you)", "Bea Costa", "Cai Brown"))
    assert "bea@example.org" not in page.text  # names and roles only
    assert f"/team/members/{bea.id}/remove" in page.text
    as_bea = signed_in_as(server, bea)
    seen = as_bea.get("/team")
    assert "Cai Brown" in seen.text and "/remove" not in seen.text and "Invite" not in seen.text
    refused = post_form(as_bea, f"/team/members/{cai.id}/remove", {})
    assert refused.status_code == 403 and "only an organiser" in refused.text
    assert post_form(as_bea, "/team/invite", {"email": "eve@example.org"}).status_code == 403
    # the organiser removes Cai: their session ends, their ledger is emptied
    as_cai = signed_in_as(server, cai)
    as_cai.post("/api/people", json={"name": "Dana Smith"}, headers=SAFE_HEADERS)
    gone = post_form(olu, f"/team/members/{cai.id}/remove", {})
    assert gone.status_code == 303 and gone.headers["location"] == "/team"
    assert "Cai Brown" not in olu.get("/team").text
    assert as_cai.get("/api/people").status_code == 401
    # the role moves to Bea
    handed = post_form(olu, f"/team/members/{bea.id}/organiser", {})
    assert handed.status_code == 303
    roles = {m.display_name: m.role for m in server.team.members()}
    assert roles == {"Olu Ade": "member", "Bea Costa": "organiser"}
    assert f"/team/members/{community.organiser.id}/remove" in as_bea.get("/team").text
    assert post_form(olu, f"/team/members/{bea.id}/remove", {}).status_code == 403


def test_a_members_check_in_link_is_answered_by_a_stranger(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    bea = community.members[0]
    bea_ledger = server.team.ledger(bea.id)
    bea_ledger.people.add("Ana Lima")
    made = bea_ledger.checkins.make_link("Ana Lima", first_name="Bea")
    stranger = web_client(server)
    page = stranger.get(f"/c/{made.token}")
    assert page.status_code == 200 and "Bea" in page.text and "Ana" not in page.text
    answer = {"satisfaction": "4", "better": "More notice", "equity": "0", "message": ""}
    sent = stranger.post(f"/c/{made.token}", data=answer, headers=SAFE_HEADERS)
    assert sent.status_code == 200 and "Thank you" in sent.text
    [checkin] = bea_ledger.checkins.list("Ana Lima")
    assert checkin.source == "link" and checkin.their_better == "More notice"
    assert server.team.ledger(community.organiser.id).people.list() == []
    again = stranger.post(f"/c/{made.token}", data=answer, headers=SAFE_HEADERS)
    assert again.status_code == 410
    unknown = stranger.get("/c/" + "A" * 43)
    assert unknown.status_code == 404 and "not valid" in unknown.text


def test_a_member_changes_their_name_but_not_the_servers_settings(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    bea = signed_in_as(server, community.members[0])
    page = bea.get("/settings")
    assert page.status_code == 200 and 'name="name"' in page.text
    assert 'name="email_to"' not in page.text and 'name="public_url"' not in page.text
    assert ".toml" not in page.text  # nor where the server keeps its config file
    renamed = post_form(bea, "/settings", {"name": "Beatriz Costa"})
    assert renamed.status_code == 303
    assert server.team.ledger(community.members[0].id).owner.name().name == "Beatriz Costa"
    refused = post_form(bea, "/settings", {"name": "Beatriz Costa", "tolerance": "0.4"})
    assert refused.status_code == 403 and "whoever runs the server" in refused.text


def test_serve_on_a_community_server_loads_no_demo_and_prints_no_login_link(
    server: Mutuality, monkeypatch: Any
) -> None:
    from typer.testing import CliRunner

    from mutuality.cli import serve as serve_module
    from mutuality.cli.main import app

    community = found_community(server, "Bea Costa")
    served: list[Any] = []
    monkeypatch.setattr(serve_module, "run_server", lambda *args: served.append(args))
    url = server.database.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--db", url, "serve"])
    assert result.exit_code == 0, result.output
    assert "Community: Riverside Circle (2 members)" in result.stdout
    assert "/login/link/" not in result.output and "Demo data" not in result.output
    assert served and server.team.ledger(community.organiser.id).people.count() == 0
    with server.database.read() as session:  # nothing written outside the members' ledgers
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM people")).scalar_one() == 2


def test_guessing_invitation_links_is_refused(server: Mutuality) -> None:
    community = found_community(server)
    invite = server.team.invite(community.organiser.id, "dana@example.org")
    client = web_client(server, login_attempts=3)
    for guess in ("A" * 43, "B" * 43, "short"):
        assert client.get(f"/join/{guess}").status_code == 404
    assert client.get(f"/join/{invite.token}").status_code == 429
    assert web_client(server).get(f"/join/{invite.token}").status_code == 200
