"""``/api/introductions`` through the test client: every step of a double-opt-in
introduction, the state rules (a step out of order answers 409 with a clear error), and the
bad-input answers."""

from __future__ import annotations

from typing import Any

from test_web_api import error_of, person_id

from mutuality.services.app import Mutuality


def propose(client: Any, **body: Any) -> dict[str, Any]:
    answer = client.post("/api/introductions", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_propose_ask_consent_make_and_log_the_outcome(client: Any, populated: Mutuality) -> None:
    ana, bo = person_id(client, "Ana Lima"), person_id(client, "Bo Chen")
    need = populated.needs.add("need", "Ana Lima", "an investor for the studio")
    populated.needs.add("offer", "Bo Chen", "angel investor for design studios")
    intro = propose(client, a_id=ana, b_id=bo)
    assert intro["status"] == "proposed" and intro["need_id"] == need.id
    assert "investor" in intro["reason"] and (intro["a_id"], intro["a"]) == (ana, "Ana Lima")
    assert "prefers mornings" not in str(intro["messages"])  # never a private note
    path = f"/api/introductions/{intro['id']}"
    made = client.post(f"{path}/make")
    assert error_of(made, 409, "status")["message"].startswith(f"introduction #{intro['id']}")
    assert client.post(f"{path}/ask", json={"person_id": ana}).json()["a_consent"] == "asked"
    asked = client.post(f"{path}/ask").json()  # the side not yet asked
    assert asked["status"] == "asking" and asked["b_consent"] == "asked"
    error_of(client.post(f"{path}/ask"), 409, "person")
    client.post(f"{path}/consent", json={"person_id": ana, "yes": True, "note": "keen"})
    edited = client.patch(path, json={"b_message": "Hi Bo, quick one."}).json()
    assert edited["messages"]["b"] == "Hi Bo, quick one."
    agreed = client.post(f"{path}/consent", json={"person_id": bo, "yes": True}).json()
    assert agreed["status"] == "agreed"
    made = client.post(f"{path}/make", json={"on": "2026-11-22"}).json()
    assert made["status"] == "made" and made["a_exchange_id"] and made["b_exchange_id"]
    error_of(client.patch(path, json={"reason": "x"}), 409, "status")
    error_of(client.post(f"{path}/withdraw"), 409, "status")
    done = client.post(f"{path}/outcome", json={"outcome": "Bo invested", "need_met": True})
    assert done.json()["outcome"] == "Bo invested"
    assert populated.needs.get("need", need.id).status == "closed"
    assert [s["step"] for s in done.json()["steps"]] == [
        "proposed",
        "asked",
        "asked",
        "consented",
        "edited",
        "consented",
        "made",
        "outcome",
    ]
    assert client.get(path).json() == done.json()
    error_of(
        client.post("/api/introductions", json={"a_id": ana, "b_id": bo, "reason": "again"}),
        409,
        "person",
    )


def test_list_filters_decline_and_withdraw(client: Any) -> None:
    ana, bo, jose, dana = (
        person_id(client, name) for name in ("Ana Lima", "Bo Chen", "José Álvarez", "Dana Smith")
    )
    first = propose(client, a_id=ana, b_id=bo, reason="both in Lisbon design")
    second = propose(client, a_id=jose, b_id=dana, reason="both like <b>sailing</b>")
    declined = client.post(
        f"/api/introductions/{first['id']}/consent", json={"person_id": bo, "yes": False}
    ).json()
    assert declined["status"] == "declined" and declined["messages"]["decline_note"]
    withdrawn = client.post(
        f"/api/introductions/{second['id']}/withdraw", json={"note": "bad timing"}
    ).json()
    assert withdrawn["status"] == "withdrawn"
    assert client.get("/api/introductions").json()["total"] == 2
    by_status = client.get("/api/introductions", params={"status": "declined"}).json()
    assert [i["id"] for i in by_status["items"]] == [first["id"]]
    assert client.get("/api/introductions", params={"status": "open"}).json()["total"] == 0
    by_person = client.get("/api/introductions", params={"person_id": dana, "limit": 1}).json()
    assert [i["id"] for i in by_person["items"]] == [second["id"]]
    error_of(
        client.post("/api/introductions", json={"a_id": ana, "b_id": bo, "reason": "try again"}),
        409,
        "person",
    )
    again = propose(client, a_id=ana, b_id=bo, reason="they asked for it", again=True)
    assert again["status"] == "proposed"


def test_bad_input_is_refused_naming_the_field(client: Any) -> None:
    ana, bo = person_id(client, "Ana Lima"), person_id(client, "Bo Chen")
    jose = person_id(client, "José Álvarez")
    cases = [
        ({"a_id": ana, "b_id": ana, "reason": "x"}, 422, "person"),
        ({"a_id": ana, "b_id": 999, "reason": "x"}, 404, "id"),
        ({"a_id": ana, "b_id": bo}, 422, "reason"),  # no matching needs and offers
        ({"a_id": ana, "b_id": bo, "reason": " "}, 422, "reason"),
        ({"a_id": ana, "b_id": bo, "reason": "x" * 20_001}, 422, "reason"),
        ({"a_id": ana}, 422, "b_id"),
        ({"a_id": "ana", "b_id": bo}, 422, "a_id"),
    ]
    for body, status, field in cases:
        error_of(client.post("/api/introductions", json=body), status, field)
    intro = propose(client, a_id=ana, b_id=bo, reason="design")
    path = f"/api/introductions/{intro['id']}"
    error_of(client.post(f"{path}/consent", json={"person_id": jose, "yes": True}), 422, "person")
    error_of(client.post(f"{path}/consent", json={"person_id": ana, "yes": "perhaps"}), 422, "yes")
    error_of(client.post(f"{path}/outcome", json={"outcome": "met"}), 409, "status")
    error_of(client.post(f"{path}/outcome", json={"outcome": " "}), 422, "outcome")
    error_of(client.post(f"{path}/make", json={"on": "2030-01-01"}), 409, "status")
    error_of(client.patch(path, json={}), 422, "edit")
    error_of(client.patch(path, json={"a_message": " "}), 422, "a message")
    error_of(client.get("/api/introductions", params={"status": "pending"}), 422, "status")
    error_of(client.get("/api/introductions/999"), 404, "id")
    error_of(client.post("/api/introductions/999/withdraw"), 404, "id")
