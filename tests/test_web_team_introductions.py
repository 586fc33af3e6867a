"""Introductions between members on the web (issue #19): the introducer shares one from
/team/introductions, a member says yes with a note from their own page, someone without an
account answers once through /i/<token>, and the REST API does the same; an answer against
an older version is 409. PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is
unset."""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
import re

from team_web_helpers import (
    SAFE_HEADERS,
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from web_helpers import form_token, web_client

from mutuality.services.app import Mutuality

pytestmark = needs_server


def introduced(server: Mutuality) -> tuple[object, int]:
    """Olu organises; Bea and Cal are members; Olu keeps both, linked, and Dee Okafor, who is
    not a member, and proposes introducing Bea to Cal (#1) and Bea to Dee (#2)."""
    community = found_community(server, "Bea Costa", "Cal Diaz")
    olu, bea, cal = community.everyone
    team = server.team
    ledger = team.ledger(olu.id)
    ledger.people.add("Bea Costa", emails=("bea@example.org",))
    ledger.people.add("Cal Diaz", emails=("cal@example.org",))
    ledger.people.add("Dee Okafor")
    team.confirmations.link(olu.id, "Bea Costa", bea.id)
    team.confirmations.link(olu.id, "Cal Diaz", cal.id)
    first = ledger.introductions.propose("Bea Costa", "Cal Diaz", reason="Both teach coding")
    ledger.introductions.propose("Bea Costa", "Dee Okafor", reason="Dee needs a mentor")
    return community, first.introduction.id


def test_share_then_answer_on_the_pages(server: Mutuality) -> None:
    community, intro_id = introduced(server)
    olu, bea, cal = community.everyone  # type: ignore[attr-defined]
    organiser = signed_in_as(server, olu)
    page = organiser.get("/team/introductions")
    assert page.status_code == 200 and "Ready to share" in page.text
    shared = organiser.post(
        "/team/introductions/share",
        data={"csrf_token": form_token(organiser, "/team/introductions"), "intro": intro_id},
        headers=SAFE_HEADERS,
    )
    assert shared.status_code == 200 and "Bea Costa</strong> and <strong>Cal Diaz" in shared.text

    member = signed_in_as(server, bea)
    asked = member.get("/team/introductions")
    assert "would like to introduce you to" in asked.text and "Both teach coding" in asked.text
    [shared_id] = re.findall(r'action="/team/introductions/(\d+)/answer"', asked.text)
    version = re.search(r'name="version" value="(\d+)"', asked.text)
    assert version
    yes = member.post(
        f"/team/introductions/{shared_id}/answer",
        data={
            "csrf_token": form_token(member, "/team/introductions"),
            "answer": "yes",
            "note": "Would love to",
            "version": version.group(1),
        },
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )
    assert yes.status_code == 303
    other = signed_in_as(server, cal)
    seen = other.get("/team/introductions").text
    assert "Would love to" in seen
    stale = other.post(
        f"/team/introductions/{shared_id}/answer",
        data={
            "csrf_token": form_token(other, "/team/introductions"),
            "answer": "yes",
            "version": version.group(1),
        },
        headers=SAFE_HEADERS,
    )
    assert stale.status_code == 409 and "changed since you saw it" in stale.text


def test_someone_without_an_account_answers_once_through_the_link(server: Mutuality) -> None:
    community, _ = introduced(server)
    olu = community.everyone[0]  # type: ignore[attr-defined]
    organiser = signed_in_as(server, olu)
    made = organiser.post("/api/team/introductions", json={"intro_id": 2}, headers=SAFE_HEADERS)
    assert made.status_code == 201, made.text
    [link] = made.json()["links"]
    assert link["name"] == "Dee Okafor"
    path = "/" + link["url"].split("/", 3)[3]
    stranger = web_client(server)
    form = stranger.get(path)
    assert form.status_code == 200 and "Olu would like to introduce you to" in form.text
    assert "Dee needs a mentor" in form.text
    assert "olu@example.org" not in form.text and "bea@example.org" not in form.text
    said = stranger.post(path, data={"answer": "no"}, headers=SAFE_HEADERS)
    assert said.status_code == 200 and "nothing more will follow" in said.text
    assert stranger.post(path, data={"answer": "yes"}, headers=SAFE_HEADERS).status_code == 404
    listed = organiser.get("/api/team/introductions").json()
    assert [(i["status"], i["b"]["answer"]) for i in listed] == [("declined", "no")]


def test_the_api_refuses_everyone_but_the_three(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa", "Cal Diaz", "Eve Fox")
    olu, bea, cal, eve = community.everyone
    team = server.team
    ledger = team.ledger(olu.id)
    ledger.people.add("Bea Costa", emails=("bea@example.org",))
    ledger.people.add("Cal Diaz", emails=("cal@example.org",))
    team.confirmations.link(olu.id, "Bea Costa", bea.id)
    team.confirmations.link(olu.id, "Cal Diaz", cal.id)
    intro = ledger.introductions.propose("Bea Costa", "Cal Diaz", reason="Both teach coding")
    shared, _ = team.introductions.share(olu.id, intro.introduction.id)
    outsider = signed_in_as(server, eve)
    assert outsider.get("/api/team/introductions").json() == []
    assert outsider.get(f"/api/team/introductions/{shared.id}").status_code == 404
    answer = outsider.post(
        f"/api/team/introductions/{shared.id}/answer", json={"yes": True}, headers=SAFE_HEADERS
    )
    assert answer.status_code == 404 and "Both teach coding" not in answer.text
    insider = signed_in_as(server, bea)
    done = insider.post(
        f"/api/team/introductions/{shared.id}/answer",
        json={"yes": True, "note": "Happy to"},
        headers=SAFE_HEADERS,
    )
    assert done.status_code == 200 and done.json()["a"]["answer"] == "yes"
