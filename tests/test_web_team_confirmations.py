"""Two-sided exchanges on the web in team mode (issue #19): a member links a fellow member,
logs an exchange through the API, the other confirms it on their page with their own figure
and both see both figures; the REST routes; the private page for someone without an
account (single use, expiry, wrong token); a third member refused everywhere with 404.

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
from web_helpers import form_token, web_client

from mutuality.services.app import Mutuality

pytestmark = needs_server


@pytest.fixture
def community(server: Mutuality) -> Community:
    """Olu organises; Bea and Cai are members. Olu keeps Bea in his ledger, with her email."""
    found = found_community(server, "Bea Costa", "Cai Brown")
    server.team.ledger(found.organiser.id).people.add("Bea Costa", emails=("bea@example.org",))
    return found


def post(client: Any, path: str, data: dict[str, str] | None = None) -> Any:
    token = form_token(client, "/team/confirmations")
    return client.post(
        path,
        data={"csrf_token": token, **(data or {})},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )


def people(client: Any) -> list[dict[str, Any]]:
    return [item["person"] for item in client.get("/api/people").json()["items"]]


def log_with_bea(olu: Any, what: str = "Introduced Bea to a printer") -> int:
    [bea] = people(olu)
    answer = olu.post(
        f"/api/people/{bea['id']}/exchanges",
        json={"direction": "gave", "kind": "introduction", "description": what, "benefit": 5},
        headers=SAFE_HEADERS,
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_two_members_confirm_on_their_pages(community: Community) -> None:
    olu = signed_in_as(community.server, community.organiser)
    bea_member = community.members[0]
    page = olu.get("/team/confirmations")
    assert page.status_code == 200 and "has the email of the member Bea Costa" in page.text
    [suggestion] = olu.get("/api/team/links").json()
    assert (suggestion["member"], suggestion["linked"]) == ("Bea Costa", False)
    linked = post(
        olu,
        "/team/links",
        {"person": str(suggestion["person_id"]), "other": str(bea_member.id)},
    )
    assert linked.status_code == 303
    assert olu.get("/api/team/links").json()[0]["linked"] is True
    log_with_bea(olu)

    bea = signed_in_as(community.server, bea_member)
    waiting = bea.get("/team/confirmations")
    assert "Introduced Bea to a printer" in waiting.text and "Olu Ade gave you" in waiting.text
    [item] = bea.get("/api/team/confirmations").json()["to_confirm"]
    assert item["benefit"] == {"giver": None, "receiver": None, "gap": None}
    assert item["my_figure"] == "benefit"

    wrong = post(bea, f"/team/confirmations/{item['id']}/confirm", {"figure": "12"})
    assert wrong.status_code == 422 and "outside the scale" in wrong.text
    done = post(bea, f"/team/confirmations/{item['id']}/confirm", {"figure": "8"})
    assert done.status_code == 303
    settled = bea.get("/team/confirmations").text
    assert "Benefit to you: you say 8; Olu Ade thought 5 (3 apart)" in settled
    found = olu.get("/api/team/confirmations").json()
    [seen] = found["settled"]
    assert seen["benefit"] == {"giver": 5, "receiver": 8, "gap": 3}
    assert found["between"] == [
        {
            "other": "Bea Costa",
            "gave": {"giver": 5, "receiver": 8, "gap": 3, "exchanges": 1},
            "received": {"giver": None, "receiver": None, "gap": None, "exchanges": 0},
        }
    ]
    assert (
        "What Olu Ade gave you (1 exchange): you say it was worth 8 to you"
        in bea.get("/team/confirmations").text
    )
    assert (
        "Benefit to Bea Costa: Bea Costa says 8; you thought 5 (3 apart)"
        in olu.get("/team/confirmations").text
    )
    [olu_there] = people(bea)
    assert olu_there["name"] == "Olu Ade"

    again = bea.post(
        f"/api/team/confirmations/{item['id']}/confirm", json={"benefit": 3}, headers=SAFE_HEADERS
    )
    assert again.status_code == 409


def test_the_api_confirms_and_declines(community: Community) -> None:
    olu = signed_in_as(community.server, community.organiser)
    bea_member = community.members[0]
    [person] = people(olu)
    made = olu.post(
        "/api/team/links",
        json={"person_id": person["id"], "member_id": bea_member.id},
        headers=SAFE_HEADERS,
    )
    assert made.status_code == 201 and made.json()["linked"] is True
    log_with_bea(olu, "First")
    log_with_bea(olu, "Second")
    bea = signed_in_as(community.server, bea_member)
    second, first = bea.get("/api/team/confirmations").json()["to_confirm"]
    cost = bea.post(
        f"/api/team/confirmations/{first['id']}/confirm", json={"cost": 2}, headers=SAFE_HEADERS
    )
    assert cost.status_code == 422 and "give your benefit" in cost.json()["message"]
    confirmed = bea.post(
        f"/api/team/confirmations/{first['id']}/confirm", json={"benefit": 5}, headers=SAFE_HEADERS
    )
    assert confirmed.status_code == 200 and confirmed.json()["benefit"]["gap"] == 0
    declined = bea.post(f"/api/team/confirmations/{second['id']}/decline", headers=SAFE_HEADERS)
    assert declined.json()["state"] == "declined"
    states = {
        c["description"]: c["state"] for c in olu.get("/api/team/confirmations").json()["settled"]
    }
    assert states == {"First": "confirmed", "Second": "declined"}


def test_a_non_member_answers_once_through_the_private_page(community: Community) -> None:
    olu = signed_in_as(community.server, community.organiser)
    exchange = log_with_bea(olu, "Private words of Olu")
    page = post(
        olu, f"/team/exchanges/{exchange}/link", {"name": "Olu", "what": "The printer intro"}
    )
    assert page.status_code == 200
    [token] = re.findall(r"/confirm/([A-Za-z0-9_-]{43})", page.text)
    made = olu.post(
        f"/api/team/exchanges/{exchange}/link", json={"name": "Olu"}, headers=SAFE_HEADERS
    )
    assert made.status_code == 201
    assert web_client(community.server).get(f"/confirm/{token}").status_code == 404  # replaced
    token = made.json()["url"].rsplit("/", 1)[1]

    stranger = web_client(community.server)
    shown = stranger.get(f"/confirm/{token}")
    assert shown.status_code == 200 and "Olu gave you" in shown.text
    assert "Private words of Olu" in shown.text  # the default words: the exchange's own
    for hidden in ("Olu Ade", "Bea Costa", "bea@example.org", "Riverside Circle"):
        assert hidden not in shown.text
    assert stranger.get("/confirm/" + "A" * 43).status_code == 404
    bad = stranger.post(f"/confirm/{token}", data={"figure": "eleven"}, headers=SAFE_HEADERS)
    assert bad.status_code == 422
    sent = stranger.post(f"/confirm/{token}", data={"figure": "7"}, headers=SAFE_HEADERS)
    assert sent.status_code == 200 and "Thank you" in sent.text
    twice = stranger.post(f"/confirm/{token}", data={"figure": "2"}, headers=SAFE_HEADERS)
    assert twice.status_code == 410
    assert stranger.get(f"/confirm/{token}").status_code == 404
    [settled] = olu.get("/api/team/confirmations").json()["settled"]
    assert settled["by_link"] and settled["benefit"] == {"giver": 5, "receiver": 7, "gap": 2}


def test_a_third_member_reaches_none_of_it(community: Community) -> None:
    server = community.server
    olu_member, (bea_member, cai_member) = community.organiser, community.members
    olu = signed_in_as(server, olu_member)
    [person] = people(olu)
    post(olu, "/team/links", {"person": str(person["id"]), "other": str(bea_member.id)})
    exchange = log_with_bea(olu, "Between Olu and Bea")
    [waiting] = server.team.confirmations.confirmations(bea_member.id).to_confirm
    cai = signed_in_as(server, cai_member)
    calls = [
        ("get", f"/api/team/confirmations/{waiting.id}", None),
        ("post", f"/api/team/confirmations/{waiting.id}/confirm", {"benefit": 4}),
        ("post", f"/api/team/confirmations/{waiting.id}/decline", None),
        ("post", f"/api/team/exchanges/{exchange}/link", {}),
        ("post", "/api/team/links", {"person_id": person["id"], "member_id": bea_member.id}),
    ]
    for method, path, body in calls:
        answer = cai.request(method, path, json=body, headers=SAFE_HEADERS)
        assert answer.status_code == 404, (path, answer.text)
        assert "Between Olu and Bea" not in answer.text and "Bea Costa" not in answer.text
    for path, data in (
        (f"/team/confirmations/{waiting.id}/confirm", {"figure": "4"}),
        (f"/team/confirmations/{waiting.id}/decline", {}),
        (f"/team/exchanges/{exchange}/link", {}),
        ("/team/links", {"person": str(person["id"]), "other": str(bea_member.id)}),
    ):
        answer = post(cai, path, data)
        assert answer.status_code == 404, (path, answer.status_code)
        assert "Between Olu and Bea" not in answer.text
    assert "Between Olu and Bea" not in cai.get("/team/confirmations").text
    assert cai.get("/api/team/confirmations").json() == {
        "to_confirm": [],
        "waiting": [],
        "settled": [],
        "between": [],
    }
    assert post(cai, f"/team/confirmations/{waiting.id}/withdraw").status_code == 404
    assert (
        cai.post(f"/api/team/confirmations/{waiting.id}/withdraw", headers=SAFE_HEADERS).status_code
        == 404
    )
    # the logger cannot answer for the other side either, nor the other side withdraw it
    bea = signed_in_as(server, bea_member)
    assert post(bea, f"/team/confirmations/{waiting.id}/withdraw").status_code == 404
    assert (
        post(olu, f"/team/confirmations/{waiting.id}/confirm", {"figure": "4"}).status_code == 404
    )
    assert server.team.confirmations.get(bea_member.id, waiting.id).state == "pending"


def test_signed_out_and_cross_site_calls_are_refused(community: Community) -> None:
    anonymous = web_client(community.server)
    assert anonymous.get("/api/team/confirmations").status_code == 401
    assert anonymous.get("/team/confirmations", follow_redirects=False).status_code == 303
    refused = anonymous.post("/api/team/confirmations/1/decline", headers=SAFE_HEADERS)
    assert refused.status_code == 401
    olu = signed_in_as(community.server, community.organiser)
    forged = olu.post(
        "/api/team/links",
        json={"person_id": 1, "member_id": 2},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403 and forged.json()["field"] == "origin"


def test_the_page_asks_who_the_logger_is_when_the_name_is_taken(community: Community) -> None:
    olu = signed_in_as(community.server, community.organiser)
    bea_member = community.members[0]
    [person] = people(olu)
    post(olu, "/team/links", {"person": str(person["id"]), "other": str(bea_member.id)})
    log_with_bea(olu)
    community.server.team.ledger(bea_member.id).people.add("Olu Ade", organisation="Co-op")
    bea = signed_in_as(community.server, bea_member)
    [item] = bea.get("/api/team/confirmations").json()["to_confirm"]
    path = f"/team/confirmations/{item['id']}/confirm"
    taken = post(bea, path, {"figure": "6"})
    assert taken.status_code == 409 and "you have someone named" in taken.text
    unknown = post(bea, path, {"figure": "6", "person": "Nobody Known"})
    assert unknown.status_code == 404 and "To confirm" in unknown.text
    assert post(bea, path, {"figure": "6", "person": "Olu Ade"}).status_code == 303
    [olu_there] = people(bea)
    assert olu_there["organisation"] == "Co-op"


def test_the_logger_withdraws_on_the_page_and_through_the_api(community: Community) -> None:
    olu = signed_in_as(community.server, community.organiser)
    [person] = people(olu)
    post(olu, "/team/links", {"person": str(person["id"]), "other": str(community.members[0].id)})
    log_with_bea(olu, "First")
    log_with_bea(olu, "Second")
    second, first = olu.get("/api/team/confirmations").json()["waiting"]
    assert 'action="/team/confirmations/' in olu.get("/team/confirmations").text
    assert post(olu, f"/team/confirmations/{first['id']}/withdraw").status_code == 303
    gone = olu.post(f"/api/team/confirmations/{second['id']}/withdraw", headers=SAFE_HEADERS)
    assert gone.status_code == 204
    assert olu.get("/api/team/confirmations").json()["waiting"] == []
    bea = signed_in_as(community.server, community.members[0])
    assert bea.get("/api/team/confirmations").json()["to_confirm"] == []


def test_a_private_link_is_redacted_in_the_access_log() -> None:
    """The token in /confirm/<token> would let whoever reads the log answer in its place."""
    import logging

    from mutuality.web.app import RedactSecrets

    token = "A" * 43
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s "%s %s"',
        ("ip", "GET", f"/confirm/{token}"),
        None,
    )
    RedactSecrets().filter(record)
    assert token not in record.getMessage() and "/confirm/[redacted]" in record.getMessage()
