"""Check-ins through the API: recording one (follow-ups become commitments), listing, the
private link (shown once, answerable at its URL), the agenda, and the bad-input answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from test_web_api import error_of, person_id


def test_record_and_list_checkins(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    answer = client.post(
        f"/api/people/{ana}/checkins",
        json={
            "on": "2026-11-20",
            "my_satisfaction": 4,
            "their_satisfaction": 3,
            "my_equity": -1,
            "my_better": "more notice",
            "note": "felt rushed",
            "follow_ups": [
                {"text": "Send the notes", "due": "2026-11-30"},
                {"text": "Share her slides", "mine": False},
            ],
        },
    )
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    assert recorded["my_satisfaction"] == 4 and recorded["note"] == "felt rushed"
    assert len(recorded["commitment_ids"]) == 2
    commitments = client.get("/api/commitments", params={"person_id": ana}).json()["items"]
    assert {c["text"]: c["mine"] for c in commitments} == {
        "Send the notes": True,
        "Share her slides": False,
    }
    repair = client.post(f"/api/people/{ana}/checkins", json={"kind": "repair"}).json()
    listed = client.get(f"/api/people/{ana}/checkins", params={"limit": 1}).json()
    assert listed["total"] == 2 and listed["items"][0]["id"] == repair["id"]


def test_checkin_link_is_shown_once_and_answerable(client: Any, anonymous: Any) -> None:
    ana = person_id(client, "Ana Lima")
    answer = client.post(f"/api/people/{ana}/checkin-link", json={"first_name": "Sam", "days": 3})
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["person"]["id"] == ana and made["expires_at"].startswith("2026-")
    path = urlsplit(made["url"]).path
    assert path.startswith("/c/")
    page = anonymous.get(path)
    assert page.status_code == 200 and "Sam" in page.text
    assert client.post(f"/api/people/{ana}/checkin-link").status_code == 201  # body optional
    error_of(client.post(f"/api/people/{ana}/checkin-link", json={"days": 0}), 422, "days")
    error_of(client.post(f"/api/people/{ana}/checkin-link", json={"first_name": " "}), 422)
    error_of(client.post("/api/people/999/checkin-link"), 404, "id")


def test_agenda_lists_who_is_due(client: Any) -> None:
    agenda = client.get("/api/checkins/agenda", params={"days": 30}).json()
    names = [item["person"]["name"] for item in agenda["items"]]
    assert "Dana Smith" in names  # never in touch: due now
    dana = agenda["items"][names.index("Dana Smith")]
    assert dana["state"] == "never in touch" and dana["why"]
    assert client.get("/api/checkins/agenda", params={"limit": 1}).json()["total"] >= 1
    error_of(client.get("/api/checkins/agenda", params={"days": 400}), 422, "days")


def test_bad_checkins_are_refused_naming_the_field(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    path = f"/api/people/{ana}/checkins"
    cases = [
        ({"my_satisfaction": 9}, 422, "my satisfaction"),
        ({"their_equity": 5}, 422, "their equity"),
        ({"on": "2030-01-01"}, 422, "on"),
        ({"kind": "party"}, 422, "kind"),
        ({"note": "x" * 20_001}, 422, "note"),
        ({"follow_ups": [{"text": " "}]}, 422, "follow-up"),
        ({"follow_ups": [{"text": "x", "due": "2020-01-01"}]}, 422, "due"),
    ]
    for body, status, field in cases:
        error_of(client.post(path, json=body), status, field)
    error_of(client.post("/api/people/999/checkins", json={}), 404, "id")
    error_of(client.get("/api/people/999/checkins"), 404, "id")
    assert client.get(path).json()["total"] == 0  # nothing half-written
