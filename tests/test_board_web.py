"""The community's board on the web in team mode (issue #20): two members and an organiser
through the whole flow in the browser (post, answer, accept, record, confirm, met, thank);
an anonymous ask seen by the others without its author's name; a form or an API call
against a stale version refused with 409 saying what changed; the organiser's view, its
minimum group size and its refusal to members.

PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is unset.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
import re
from typing import Any

import pytest
from team_web_helpers import (
    SAFE_HEADERS,
    Community,
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from web_helpers import form_token

from mutuality.services.app import Mutuality
from mutuality.services.board_report import NOT_SHOWN

pytestmark = needs_server


@pytest.fixture
def community(server: Mutuality) -> Community:
    """Olu organises; Bea and Cai are members."""
    return found_community(server, "Bea Costa", "Cai Brown")


def post(client: Any, path: str, data: dict[str, str] | None = None) -> Any:
    token = form_token(client, "/team/board")
    return client.post(
        path,
        data={"csrf_token": token, **(data or {})},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


def test_two_members_and_an_organiser_through_the_whole_flow(community: Community) -> None:
    server = community.server
    olu, (bea, cai) = community.organiser, community.members
    bea_web, cai_web, olu_web = (signed_in_as(server, m) for m in (bea, cai, olu))

    made = post(
        bea_web,
        "/team/board",
        {"kind": "ask", "text": "Someone to review my grant budget", "tags": "grants, budget"},
    )
    assert made.status_code == 303
    ask_path = made.headers["location"]
    offered = cai_web.post(
        "/api/team/board",
        json={"kind": "offer", "text": "Reviews of grant budgets"},
        headers=SAFE_HEADERS,
    )
    assert offered.status_code == 201
    helpers = bea_web.get(ask_path).text.split("Members who could help")
    assert len(helpers) == 2 and "Cai Brown" in helpers[1]
    assert 'id="matched-by"' in helpers[1] and "by meaning" in helpers[1]
    listed = cai_web.get("/team/board").text
    assert "Someone to review my grant budget" in listed and "Bea Costa" in listed
    suggested = listed.split("Asks you could help with")[1].split("</section>")[0]
    assert "by meaning" in suggested and "Your offer “Reviews of grant budgets”" in suggested

    page = cai_web.get(ask_path).text
    answered = post(
        cai_web,
        f"{ask_path}/answer",
        {"version": hidden(page, "version"), "note": "I wrote three grant budgets"},
    )
    assert answered.status_code == 303
    assert "I wrote three grant budgets" not in olu_web.get(ask_path).text

    bea_page = bea_web.get(ask_path).text
    assert "Cai Brown" in bea_page and "I wrote three grant budgets" in bea_page
    accept = re.search(r'action="(/team/board/\d+/answers/(\d+)/accept)"', bea_page)
    assert accept
    answer_id = accept.group(2)
    assert (
        post(bea_web, accept.group(1), {"version": hidden(bea_page, "version")}).status_code == 303
    )

    recorded = post(
        cai_web,
        f"{ask_path}/answers/{answer_id}/record",
        {"what": "Went through Bea's grant budget line by line", "figure": "3"},
    )
    assert recorded.status_code == 303, recorded.text
    assert "waiting for confirmation" in cai_web.get(ask_path).text

    confirmations = bea_web.get("/team/confirmations").text
    assert "Went through Bea&#39;s grant budget line by line" in confirmations
    waiting = re.search(r'action="(/team/confirmations/\d+/confirm)"', confirmations)
    assert waiting
    confirmed = post(bea_web, waiting.group(1), {"figure": "8"})
    assert confirmed.status_code == 303
    assert "confirmed" in bea_web.get(ask_path).text

    bea_page = bea_web.get(ask_path).text
    assert (
        post(bea_web, f"{ask_path}/met", {"version": hidden(bea_page, "version")}).status_code
        == 303
    )
    thanked = post(
        bea_web,
        f"{ask_path}/answers/{answer_id}/thank",
        {"words": "Cai found two costs I had counted twice"},
    )
    assert thanked.status_code == 303
    wall = olu_web.get("/team/board").text
    assert "Cai found two costs I had counted twice" in wall
    assert "Someone to review my grant budget" not in wall.split("Gratitude wall")[0]


def test_an_anonymous_ask_shows_no_name_to_others(community: Community) -> None:
    server = community.server
    olu, (bea, cai) = community.organiser, community.members
    bea_web = signed_in_as(server, bea)
    made = post(
        bea_web,
        "/team/board",
        {"kind": "ask", "text": "Advice on a health matter at work", "anonymous": "on"},
    )
    path = made.headers["location"]
    for viewer in (olu, cai):
        client = signed_in_as(server, viewer)
        for page in (client.get("/team/board"), client.get(path)):
            assert "Advice on a health matter at work" in page.text
            assert "Bea Costa" not in page.text and "bea@example.org" not in page.text
        api = client.get("/api/team/board").json()
        assert [p["author"] for p in api] == ["a member"]
        assert "Bea" not in client.get(f"/api/team{path[5:]}").text


def test_a_stale_version_is_refused_with_409_saying_what_changed(community: Community) -> None:
    server = community.server
    bea, cai = community.members
    bea_web, cai_web = signed_in_as(server, bea), signed_in_as(server, cai)
    made = bea_web.post(
        "/api/team/board",
        json={"kind": "ask", "text": "A room for Thursday"},
        headers=SAFE_HEADERS,
    )
    assert made.status_code == 201
    ask = made.json()
    page = cai_web.get(f"/team/board/{ask['id']}").text
    edited = bea_web.patch(
        f"/api/team/board/{ask['id']}",
        json={"version": ask["version"], "text": "A room for Thursday, for twelve people"},
        headers=SAFE_HEADERS,
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = post(
        cai_web,
        f"/team/board/{ask['id']}/answer",
        {"version": hidden(page, "version"), "note": "Our office has one"},
    )
    assert stale.status_code == 409
    assert "the author edited its text" in stale.text
    refused = cai_web.post(
        f"/api/team/board/{ask['id']}/answers",
        json={"version": 1, "note": "Our office has one"},
        headers=SAFE_HEADERS,
    )
    assert refused.status_code == 409
    assert "version 1, now 2" in refused.json()["message"]
    assert bea_web.get(f"/api/team/board/{ask['id']}").json()["answers"] == []


def test_the_organisers_view_hides_small_groups_and_refuses_members(
    community: Community,
) -> None:
    server = community.server
    olu, (bea, _) = community.organiser, community.members
    olu_web = signed_in_as(server, olu)
    page = olu_web.get("/team/report")
    assert page.status_code == 200
    assert NOT_SHOWN in page.text and "3 members" in page.text
    assert olu_web.get("/api/team/report").json()["asks_posted"] is None
    bea_web = signed_in_as(server, bea)
    assert bea_web.get("/team/report").status_code == 404
    assert bea_web.get("/api/team/report").status_code == 404
    assert "/team/report" not in bea_web.get("/team/board").text
