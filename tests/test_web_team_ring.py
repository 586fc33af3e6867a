"""Reciprocity Ring sessions on the web (issue #20): the organiser opens one from
/team/rings, members take part, state an ask (a vague one gets hints and is kept) and offer
help; the live endpoint answers "nothing changed" until someone adds something, then the
whole session; the organiser presents an ask with a timer and closes the session; each
summary page lists what came of it. Someone not taking part is told "not found" on every
route of the session. PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is
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
from web_helpers import form_token

from mutuality.services.app import Mutuality

pytestmark = needs_server


def post(client: object, path: str, data: dict[str, str]) -> object:
    token = form_token(client, "/team/rings")  # type: ignore[arg-type]
    return client.post(  # type: ignore[attr-defined]
        path, data={"csrf_token": token, **data}, headers=SAFE_HEADERS, follow_redirects=False
    )


def test_a_ring_on_the_pages_and_the_live_endpoint(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa", "Cal Diaz", "Dee Evans")
    olu, bea, cal, dee = community.everyone
    organiser = signed_in_as(server, olu)
    assert "Open a session" in organiser.get("/team/rings").text
    opened = post(organiser, "/team/rings", {"name": "Spring ring", "minutes": "2"})
    assert opened.status_code == 303  # type: ignore[attr-defined]
    ring = opened.headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    page = organiser.get(f"/team/rings/{ring}")
    assert page.status_code == 200 and '<script src="/static/ring.js" defer>' in page.text
    assert "Reload to see what is new" in page.text and "Time-bound" in page.text
    assert organiser.get("/static/ring.js").status_code == 200

    asker, helper, outsider = (signed_in_as(server, m) for m in (bea, cal, dee))
    listed = asker.get("/team/rings").text
    assert "Spring ring" in listed and "Open a session" not in listed
    for client in (asker, helper):
        assert post(client, f"/team/rings/{ring}/join", {}).status_code == 303  # type: ignore[attr-defined]
    post(asker, f"/team/rings/{ring}/ask", {"text": "a designer"})
    hinted = asker.get(f"/team/rings/{ring}").text
    assert "might be easier to help with" in hinted and "a designer</textarea>" in hinted
    post(
        asker,
        f"/team/rings/{ring}/ask",
        {"text": "I need a designer to review our page by Friday, so that we launch on time"},
    )
    assert "might be easier to help with" not in asker.get(f"/team/rings/{ring}").text

    live = helper.get(f"/api/team/rings/{ring}/live").json()
    assert live["changed"] and [a["name"] for a in live["ring"]["asks"]] == ["Bea Costa"]
    version = live["version"]
    still = helper.get(f"/api/team/rings/{ring}/live", params={"since": version}).json()
    assert still == {
        "version": version,
        "changed": False,
        "seconds_left": None,
        "presenting": None,
        "ring": None,
    }
    ask_id = live["ring"]["asks"][0]["id"]
    offered = helper.post(
        f"/api/team/rings/{ring}/offers",
        json={"ask_id": ask_id, "text": "I can review it on Thursday"},
        headers=SAFE_HEADERS,
    )
    assert offered.status_code == 201
    second = helper.post(
        f"/api/team/rings/{ring}/offers",
        json={"ask_id": ask_id, "text": "Or my sister could"},
        headers=SAFE_HEADERS,
    ).json()
    [_, mistaken] = second["asks"][0]["offers"]
    page = helper.get(f"/team/rings/{ring}").text
    assert 'name="offer_id" value="{}"'.format(mistaken["id"]) in page
    taken = post(helper, f"/team/rings/{ring}/withdraw", {"offer_id": str(mistaken["id"])})
    assert taken.status_code == 303  # type: ignore[attr-defined]
    moved = asker.get(f"/api/team/rings/{ring}/live", params={"since": version}).json()
    assert len(moved["ring"]["asks"][0]["offers"]) == 1
    assert moved["changed"] and moved["version"] > version
    assert moved["ring"]["asks"][0]["offers"][0]["text"] == "I can review it on Thursday"

    assert (
        post(organiser, f"/team/rings/{ring}/present", {"ask_id": str(ask_id)}).status_code == 303
    )  # type: ignore[attr-defined]
    timed = asker.get(f"/api/team/rings/{ring}/live", params={"since": moved["version"]}).json()
    assert timed["presenting"] == ask_id and timed["seconds_left"] == 120
    shown = asker.get(f"/team/rings/{ring}").text
    assert "Presenting now: Bea Costa" in shown and 'class="timer" data-seconds="120"' in shown
    assert post(helper, f"/team/rings/{ring}/close", {}).status_code == 403  # type: ignore[attr-defined]

    for path in (f"/team/rings/{ring}", f"/team/rings/{ring}/summary"):
        assert outsider.get(path).status_code == 404
    for path in (f"/api/team/rings/{ring}", f"/api/team/rings/{ring}/live"):
        answer = outsider.get(path)
        assert answer.status_code == 404 and "designer" not in answer.text

    closed = post(organiser, f"/team/rings/{ring}/close", {})
    assert closed.headers["location"] == f"/team/rings/{ring}/summary"  # type: ignore[attr-defined]
    summary = asker.get(f"/team/rings/{ring}/summary").text
    assert re.search(r"Cal Diaz</strong> offered: I can review it on Thursday", summary)
    assert "a commitment in both ledgers" in summary
    mine = helper.get(f"/api/team/rings/{ring}/summary").json()
    assert [(line["who"], line["outcome"]) for line in mine["i_offered"]] == [
        ("Bea Costa", "a commitment in both ledgers")
    ]
    assert "Spring ring" not in outsider.get("/team/rings").text  # closed: participants' only
    assert outsider.post(f"/api/team/rings/{ring}/join", headers=SAFE_HEADERS).status_code == 404
