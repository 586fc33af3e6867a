"""``/api/needs``, ``/api/offers`` and ``/api/matches`` through the test client: listing,
paging, adding, closing and reopening, and the bad-input answers (4xx naming the field)."""

from __future__ import annotations

from typing import Any

import pytest
from test_web_api import error_of, person_id

from mutuality.services.app import Mutuality


@pytest.mark.parametrize("kind", ["needs", "offers"])
def test_add_get_list_close_and_reopen(client: Any, kind: str) -> None:
    ana = person_id(client, "Ana Lima")
    added = client.post(
        f"/api/{kind}",
        json={"person_id": ana, "text": "a designer", "tags": ["Design"], "source": "them"},
    )
    assert added.status_code == 201, added.text
    wish = added.json()
    assert wish["kind"] == kind[:-1] and wish["person"] == "Ana Lima"
    assert wish["tags"] == ["design"] and wish["source"] == "them" and wish["status"] == "open"
    mine = client.post(f"/api/{kind}", json={"text": "time to mentor"}).json()
    assert mine["person_id"] != ana and mine["source"] == "me"
    assert client.get(f"/api/{kind}/{wish['id']}").json() == wish
    listed = client.get(f"/api/{kind}", params={"limit": 1}).json()
    assert listed["total"] == 2 and [w["id"] for w in listed["items"]] == [mine["id"]]
    assert client.get(f"/api/{kind}", params={"person_id": ana}).json()["total"] == 1
    assert client.get(f"/api/{kind}", params={"person_id": mine["person_id"]}).json()["total"] == 1
    assert client.get(f"/api/{kind}", params={"tag": "design"}).json()["total"] == 1
    closed = client.post(f"/api/{kind}/{wish['id']}/close").json()
    assert closed["status"] == "closed" and closed["closed_on"]
    error_of(client.post(f"/api/{kind}/{wish['id']}/close"), 409, "id")
    assert client.get(f"/api/{kind}").json()["total"] == 1
    assert client.get(f"/api/{kind}", params={"include_closed": True}).json()["total"] == 2
    reopened = client.post(f"/api/{kind}/{wish['id']}/reopen").json()
    assert reopened["status"] == "open" and reopened["closed_on"] is None
    error_of(client.post(f"/api/{kind}/{wish['id']}/reopen"), 409, "id")


def test_bad_input_is_refused_naming_the_field(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    error_of(client.get("/api/needs/999"), 404, "id")
    error_of(client.post("/api/offers/999/close"), 404, "id")
    error_of(client.post("/api/needs", json={"person_id": 999, "text": "x"}), 404, "id")
    error_of(client.post("/api/needs", json={"person_id": ana, "text": "  "}), 422)
    error_of(client.post("/api/needs", json={"person_id": ana, "text": "x" * 20_001}), 422, "text")
    error_of(
        client.post("/api/needs", json={"person_id": ana, "text": "x", "source": "god"}),
        422,
        "source",
    )
    error_of(
        client.post("/api/needs", json={"person_id": ana, "text": "x", "expires": "2020-01-01"}),
        422,
        "expires",
    )
    error_of(client.post("/api/needs", json={"text": "x", "colour": "red"}), 422, "colour")
    error_of(client.get("/api/needs", params={"person_id": 999}), 404, "id")
    error_of(client.get("/api/needs", params={"person_id": 0}), 422, "person_id")
    error_of(client.get("/api/needs/abc"), 422, "wish_id")


def test_matches_suggest_who_can_help_with_reasons(client: Any, populated: Mutuality) -> None:
    empty = client.get("/api/matches").json()
    assert empty["help_me"] == [] and empty["notes"]
    populated.needs.add("need", "Ana Lima", "someone to review my pitch deck")
    populated.needs.add("offer", "Bo Chen", "pitch deck reviews")
    found = client.get("/api/matches", params={"limit": 5}).json()
    assert found["method"] == "semantic" and found["needs"] == 1  # as the Matches page
    intro = found["introductions"][0]
    assert (intro["seeker"], intro["helper"]) == ("Ana Lima", "Bo Chen")
    assert "pitch deck" in intro["matched"] and "pitch deck" in intro["reason"]
    assert "(a close match in meaning; shared words: review, pitch deck)" in intro["reason"]
    error_of(client.get("/api/matches", params={"limit": 0}), 422, "limit")
    error_of(client.get("/api/matches", params={"assignment": "random"}), 422, "assignment")
