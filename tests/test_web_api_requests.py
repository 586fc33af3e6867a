"""``/api/requests`` through the test client: asking with the rule's proposal, deciding (the
proposal or an override, a yes making a commitment), reconsidering, the decline draft, and
the bad-input and wrong-state answers."""

from __future__ import annotations

from typing import Any

from test_web_api import error_of, person_id

from mutuality.services.app import Mutuality


def ask(client: Any, **body: Any) -> dict[str, Any]:
    answer = client.post("/api/requests", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_ask_list_get_and_accept_the_proposal(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    easy = ask(
        client,
        person_id=ana,
        text="Review my CV",
        benefit=7,
        cost=1,
        kind="knowledge",
        due="2026-12-10",
    )
    assert easy["proposal"] == "yes" and easy["reason"] and easy["status"] == "open"
    assert easy["person"] == "Ana Lima" and easy["from_me"] is False
    mine = ask(
        client, person_id=ana, text="An intro to her editor", benefit=5, cost=1, from_me=True
    )
    assert mine["from_me"] is True
    listed = client.get("/api/requests", params={"limit": 1}).json()
    assert listed["total"] == 2 and listed["items"][0]["id"] == mine["id"]
    assert client.get(f"/api/requests/{easy['id']}").json() == easy
    decided = client.post(f"/api/requests/{easy['id']}/decision").json()
    assert decided["request"]["decision"] == "yes" and decided["request"]["status"] == "decided"
    commitment = decided["commitment"]
    assert commitment["mine"] and commitment["due_on"] == "2026-12-10"
    assert client.get("/api/requests", params={"open": True}).json()["total"] == 1
    assert client.get("/api/commitments").json()["items"][0]["id"] == commitment["id"]
    error_of(
        client.post(f"/api/requests/{easy['id']}/decision", json={"decision": "no"}), 409, "request"
    )
    keep = f"/api/commitments/{commitment['id']}/keep"
    error_of(client.post(keep, json={"on": "2026-11-01"}), 422, "on")  # before it was made
    error_of(client.post(keep, json={"on": "2030-01-01"}), 422, "on")
    kept = client.post(keep, json={"on": "2026-11-23"}).json()
    assert kept["status"] == "kept" and kept["closed_on"] == "2026-11-23"


def test_no_keeps_the_need_in_view_and_drafts_a_kind_decline(
    client: Any, populated: Mutuality
) -> None:
    bo = person_id(client, "Bo Chen")
    hard = ask(client, person_id=bo, text="Lend me your van", benefit=3, cost=8)
    decided = client.post(f"/api/requests/{hard['id']}/decision", json={"decision": "no"}).json()
    assert decided["request"]["decision"] == "no" and decided["commitment"] is None
    needs = client.get("/api/needs", params={"person_id": bo}).json()["items"]
    assert [n["request_id"] for n in needs] == [hard["id"]]
    draft = client.get(f"/api/requests/{hard['id']}/decline").json()
    assert draft["request_id"] == hard["id"] and draft["text"].startswith("Hi Bo,")
    assert "Lend me your van" in draft["text"]
    reconsider = client.get("/api/requests/reconsider").json()
    assert reconsider == {"items": [], "total": 0, "limit": 50, "offset": 0}  # still a no
    again = client.post(
        f"/api/requests/{hard['id']}/decision",
        json={"decision": "yes", "hours": 3, "due": "2026-12-24"},
    ).json()
    assert again["commitment"]["hours"] == 3
    assert populated.needs.list("need", bo) == []  # a yes closes the need it kept in view


def test_negotiate_needs_a_third_option(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    request = ask(client, person_id=ana, text="Design my whole site", benefit=6, cost=7)
    error_of(
        client.post(f"/api/requests/{request['id']}/decision", json={"decision": "negotiate"}),
        422,
        "third_option",
    )
    offered = client.post(
        f"/api/requests/{request['id']}/decision",
        json={"decision": "negotiate", "third_option": "review a draft", "agreed": False},
    ).json()
    assert offered["request"]["third_option"] == "review a draft"
    assert offered["commitment"] is None  # only offered: their ask stays an open need
    needs = client.get("/api/needs", params={"person_id": ana}).json()["items"]
    assert [n["request_id"] for n in needs] == [request["id"]]
    agreed = client.post(
        f"/api/requests/{request['id']}/decision",
        json={"decision": "negotiate", "due": "2026-12-01"},
    ).json()
    commitment = agreed["commitment"]
    assert (commitment["text"], commitment["due_on"], commitment["request_id"]) == (
        "review a draft",
        "2026-12-01",
        request["id"],
    )
    assert client.get("/api/needs", params={"person_id": ana}).json()["items"] == []


def test_bad_input_is_refused_naming_the_field(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    base = {"person_id": ana, "text": "x", "benefit": 5, "cost": 1}
    cases = [
        ({**base, "person_id": 999}, 404, "id"),
        ({**base, "text": " "}, 422, "request"),
        ({**base, "text": "x" * 20_001}, 422, "text"),
        ({**base, "benefit": 11}, 422, "benefit"),
        ({**base, "cost": -1}, 422, "cost"),
        ({**base, "benefit": "lots"}, 422, "benefit"),
        ({**base, "kind": "tea"}, 422, "kind"),
        ({**base, "due": "2020-01-01"}, 422, "due"),
        ({"person_id": ana, "text": "x", "benefit": 5}, 422, "cost"),
    ]
    for body, status, field in cases:
        error_of(client.post("/api/requests", json=body), status, field)
    request = ask(client, **base)
    path = f"/api/requests/{request['id']}/decision"
    error_of(client.post(path, json={"decision": "maybe"}), 422, "decision")
    error_of(client.post(path, json={"decision": "yes", "hours": 5000}), 422, "hours")
    error_of(client.post(path, json={"decision": "yes", "due": "2020-01-01"}), 422, "due")
    error_of(client.post("/api/requests/999/decision"), 404, "request")
    error_of(client.get("/api/requests/999"), 404, "request")
    error_of(client.get("/api/requests/999/decline"), 404, "request")
    error_of(client.get("/api/requests", params={"open": "perhaps"}), 422, "open")
